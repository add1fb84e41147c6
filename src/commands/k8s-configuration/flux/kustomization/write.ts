import type { FluxConfiguration } from '../../../../model/flux-configuration.js';
import { parseKustomizationChange, type KustomizationChange } from '../../../../model/kustomization-params.js';
import { defineVerb } from '../../../verb.js';
import { readConfiguration } from '../live.js';
import { declareApplyFlags, declareKustomizationFlags, parseApplyFlags } from '../shared/flags.js';
import { declareHubFlags, parseHubFlags, withHubTarget } from '../shared/hub.js';
import { reapply, withPlanTable } from '../shared/write.js';
import { configurationTable } from '../table.js';
import { declareNamespaceFlag, parseTarget } from '../target.js';

/**
 * `kustomization create|update`: the flags checked first (no cluster access), then one entry of the live
 * configuration changed, re-rendered, planned, applied and pruned.
 */
export function kustomizationWriteVerb(
  name: 'create' | 'update',
  change: (existing: FluxConfiguration, change: KustomizationChange) => FluxConfiguration,
) {
  return defineVerb({
    flags: (cmd) => {
      declareKustomizationFlags(cmd, name);
      declareNamespaceFlag(declareApplyFlags(cmd));
      declareHubFlags(cmd, 'update'); // --kubeconfig-secret: the whole configuration's target
    },
    parse: (flags) => ({
      configuration: parseTarget(flags).name,
      change: parseKustomizationChange(flags, name),
      apply: parseApplyFlags(flags),
      namespace: parseTarget(flags).namespace,
      hub: parseHubFlags(flags),
    }),
    run: async (o, deps) => {
      const kube = await deps.kube();
      const live = await readConfiguration(kube, o.configuration, o.namespace);
      const config = withHubTarget(change(live.config, o.change), o.hub);
      return reapply(deps, kube, live, config, {}, o.apply, { sourceChanged: true });
    },
    table: withPlanTable(configurationTable),
  });
}
