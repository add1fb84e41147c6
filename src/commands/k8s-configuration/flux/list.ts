import { defineVerb } from '../../verb.js';
import { armOf, buildViews, listConfigurations } from './live.js';
import { configurationTable } from './table.js';

export const verb = defineVerb({
  name: 'list',
  description: 'List Flux v2 configurations',
  flags: (cmd) => cmd.option('--ns, --namespace <namespace>', 'only this namespace (default: all namespaces)'),
  parse: (flags) => ({ namespace: flags.namespace as string | undefined }),
  run: async (o, deps) => {
    const kube = await deps.kube();
    const configs = await listConfigurations(kube, o.namespace, { cached: true });
    return buildViews(kube, configs, armOf(deps, kube));
  },
  table: configurationTable,
});
