import { applyKustomizationUpdate, declareKustomizationFlags } from '../../../../model/kustomization-flags.js';
import { defineVerb } from '../../../verb.js';
import { declareApplyFlags, parseApplyFlags } from '../create.js';
import { readConfiguration } from '../live.js';
import { configurationTable } from '../table.js';
import { reapply } from '../update.js';

export const verb = defineVerb({
  name: 'update',
  description: 'Update a Kustomization of a Flux v2 configuration',
  flags: (cmd) => {
    declareKustomizationFlags(cmd, 'update');
    declareApplyFlags(cmd).option('--ns, --namespace <namespace>', 'namespace of the configuration (default: found by name)');
  },
  parse: (flags) => ({ flags, apply: parseApplyFlags(flags), namespace: flags.namespace as string | undefined }),
  run: async (o, deps) => {
    const kube = await deps.kube();
    const live = await readConfiguration(kube, String(o.flags.name), o.namespace);
    const config = applyKustomizationUpdate(live.config, o.flags);
    return reapply(deps, kube, live, config, {}, o.apply, { sourceChanged: true });
  },
  table: configurationTable,
});
