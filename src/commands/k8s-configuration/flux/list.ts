import { mapLimit } from '../../../k8s/client.js';
import { defineVerb } from '../../verb.js';
import { withWatch } from '../../watch.js';
import { armOf, buildView, listConfigurations } from './live.js';
import { configurationTable } from './table.js';
import { parseNamespace } from './target.js';

export const verb = withWatch(defineVerb({
  name: 'list',
  description: 'List Flux v2 configurations',
  flags: (cmd) => cmd.option('--ns, --namespace <namespace>', 'only this namespace (default: all namespaces)'),
  parse: (flags) => ({ namespace: parseNamespace(flags) }),
  run: async (o, deps) => {
    const kube = await deps.kube();
    const configs = await listConfigurations(kube, o.namespace);
    return mapLimit(configs, 4, (c) => buildView(kube, c, armOf(deps, kube)));
  },
  table: configurationTable,
}));
