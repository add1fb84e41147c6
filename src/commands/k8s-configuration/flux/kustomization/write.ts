import type { FluxConfiguration } from '../../../../model/flux-configuration.js';
import { declareKustomizationFlags } from '../../../../model/kustomization-flags.js';
import { defineVerb, type Flags } from '../../../verb.js';
import { declareApplyFlags, parseApplyFlags } from '../create.js';
import { readConfiguration } from '../live.js';
import { configurationTable } from '../table.js';
import { declareNamespaceFlag } from '../target.js';
import { reapply } from '../update.js';

/** `kustomization create|update`: change one entry of the live configuration, re-render, apply and prune. */
export function kustomizationWriteVerb(
  name: 'create' | 'update',
  description: string,
  change: (existing: FluxConfiguration, flags: Flags) => FluxConfiguration,
) {
  return defineVerb({
    name,
    description,
    flags: (cmd) => {
      declareKustomizationFlags(cmd, name);
      declareNamespaceFlag(declareApplyFlags(cmd));
    },
    parse: (flags) => ({ flags, apply: parseApplyFlags(flags), namespace: flags.namespace as string | undefined }),
    run: async (o, deps) => {
      const kube = await deps.kube();
      const live = await readConfiguration(kube, String(o.flags.name), o.namespace);
      return reapply(deps, kube, live, change(live.config, o.flags), {}, o.apply, { sourceChanged: true });
    },
    table: configurationTable,
  });
}
