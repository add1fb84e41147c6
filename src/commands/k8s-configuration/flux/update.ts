import type { KubeClient } from '../../../k8s/client.js';
import type { FluxConfiguration, ProtectedSettings } from '../../../model/flux-configuration.js';
import { declareConfigurationFlags, parseUpdate } from '../../../model/flags.js';
import type { Deps } from '../../../deps.js';
import { defineVerb } from '../../verb.js';
import { applyRendered } from './apply.js';
import { clusterTenancy, declareApplyFlags, parseApplyFlags, resultView, type ApplyFlags } from './create.js';
import { readConfiguration, type LiveConfiguration } from './live.js';
import { mergeSecrets, prepare, readTextFile, validateSource } from './prepare.js';
import { configurationTable } from './table.js';
import { declareNamespaceFlag } from './target.js';

/**
 * Re-renders a changed configuration and applies it: secrets of the live configuration are carried over unless new
 * ones were given (a deploy key is never rotated silently), objects no longer rendered are deleted.
 */
export async function reapply(
  deps: Deps,
  kube: KubeClient,
  live: LiveConfiguration,
  config: FluxConfiguration,
  newSecrets: ProtectedSettings,
  apply: ApplyFlags,
  options: { sourceChanged: boolean },
) {
  const secrets = mergeSecrets(live, config, newSecrets);
  const tenancy = await clusterTenancy(deps, kube, config.namespace);
  const prepared = await prepare(deps, config, secrets.protectedSettings, secrets.extra, tenancy);
  if (apply.validate && options.sourceChanged) await validateSource(deps, kube, config, prepared, tenancy);
  const { applied } = await applyRendered(deps, kube, prepared.objects, { ...apply, previous: live.objects });
  return resultView(deps, kube, config, applied, apply);
}

export const verb = defineVerb({
  name: 'update',
  description: 'Update a Flux v2 configuration',
  flags: (cmd) => {
    declareConfigurationFlags(cmd, 'update');
    declareNamespaceFlag(declareApplyFlags(cmd));
  },
  parse: (flags) => ({ flags, apply: parseApplyFlags(flags), namespace: flags.namespace as string | undefined }),
  run: async (o, deps) => {
    const kube = await deps.kube();
    const live = await readConfiguration(kube, String(o.flags.name), o.namespace);
    const parsed = parseUpdate(live.config, o.flags, readTextFile);
    for (const w of parsed.warnings) deps.log.warn(w);
    if (parsed.kindChanged) {
      const ok = await deps.prompt.confirm(
        `You are choosing to migrate from source kind '${live.config.sourceKind}' to source kind '${parsed.config.sourceKind}'. Changing your source repository may also require you to change your kustomizations. Are you sure you want to change kinds?`,
      );
      if (!ok) return undefined;
    }
    return reapply(deps, kube, live, parsed.config, parsed.protectedSettings, o.apply, {
      sourceChanged: JSON.stringify(sourceOf(live.config)) !== JSON.stringify(sourceOf(parsed.config)) ||
        JSON.stringify(live.config.kustomizations) !== JSON.stringify(parsed.config.kustomizations),
    });
  },
  table: configurationTable,
});

function sourceOf(c: FluxConfiguration) {
  return [c.sourceKind, c.gitRepository, c.bucket, c.azureBlob, c.ociRepository];
}
