import type { FluxConfiguration } from '../../../model/flux-configuration.js';
import { applyPatch, parsePatch } from '../../../model/configuration-params.js';
import { defineVerb } from '../../verb.js';
import { readConfiguration } from './live.js';
import { declareApplyFlags, declareConfigurationFlags, parseApplyFlags, readInput } from './shared/flags.js';
import { declareHubFlags, parseHubFlags, withHubTarget } from './shared/hub.js';
import { reapply, withPlanTable } from './shared/write.js';
import { configurationTable } from './table.js';
import { declareNamespaceFlag, parseNamespace } from './target.js';

export const verb = defineVerb({
  flags: (cmd) => {
    declareConfigurationFlags(cmd, 'update');
    declareNamespaceFlag(declareApplyFlags(cmd));
    declareHubFlags(cmd, 'update');
  },
  // The flags alone are checked here, before the live configuration is read; applyPatch checks the merged result.
  parse: (flags) => ({
    patch: parsePatch(flags, readInput),
    apply: parseApplyFlags(flags),
    namespace: parseNamespace(flags),
    hub: parseHubFlags(flags),
  }),
  run: async (o, deps) => {
    const kube = await deps.kube();
    const live = await readConfiguration(kube, o.patch.name, o.namespace);
    const parsed = applyPatch(live.config, o.patch);
    parsed.config = withHubTarget(parsed.config, o.hub);
    for (const w of parsed.warnings) deps.log.warn(w);
    if (parsed.kindChanged) {
      const ok = await deps.prompt.confirm(
        `You are choosing to migrate from source kind '${live.config.sourceKind}' to source kind '${parsed.config.sourceKind}'. Changing your source repository may also require you to change your kustomizations. Are you sure you want to change kinds?`,
      );
      if (!ok) return undefined;
    }
    return reapply(deps, kube, live, parsed.config, parsed.protectedSettings, o.apply, {
      sourceChanged:
        JSON.stringify(sourceOf(live.config)) !== JSON.stringify(sourceOf(parsed.config)) ||
        JSON.stringify(live.config.kustomizations) !== JSON.stringify(parsed.config.kustomizations),
    });
  },
  table: withPlanTable(configurationTable),
});

function sourceOf(c: FluxConfiguration) {
  return [c.sourceKind, c.gitRepository, c.bucket, c.azureBlob, c.ociRepository];
}
