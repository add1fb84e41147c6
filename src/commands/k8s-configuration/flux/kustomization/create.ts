import { applyKustomizationCreate, declareKustomizationFlags } from '../../../../model/kustomization-flags.js';
import { defineVerb } from '../../../verb.js';
import { declareApplyFlags, parseApplyFlags } from '../create.js';
import { readConfiguration } from '../live.js';
import { configurationTable } from '../table.js';
import { reapply } from '../update.js';

export const verb = defineVerb({
  name: 'create',
  description: 'Create a Kustomization in a Flux v2 configuration',
  flags: (cmd) => {
    declareKustomizationFlags(cmd, 'create');
    declareApplyFlags(cmd).option('--ns, --namespace <namespace>', 'namespace of the configuration (default: found by name)');
  },
  parse: (flags) => ({ flags, apply: parseApplyFlags(flags), namespace: flags.namespace as string | undefined }),
  run: async (o, deps) => {
    const kube = await deps.kube();
    const live = await readConfiguration(kube, String(o.flags.name), o.namespace);
    const config = applyKustomizationCreate(live.config, o.flags);
    return reapply(deps, kube, live, config, {}, o.apply, { sourceChanged: true });
  },
  table: configurationTable,
});
