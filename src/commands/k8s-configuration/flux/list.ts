import { defineVerb } from '../../verb.js';
import { withWatch } from '../../watch.js';
import { armOf, buildViews, driftWarning, listConfigurations } from './live.js';
import { configurationTable } from './table.js';
import { parseNamespace } from './target.js';

export const verb = withWatch(
  defineVerb({
    flags: (cmd) => cmd.option('--ns, --namespace <namespace>', 'only this namespace (default: all namespaces)'),
    parse: (flags) => ({ namespace: parseNamespace(flags) }),
    run: async (o, deps) => {
      const kube = await deps.kube();
      const configs = await listConfigurations(kube, o.namespace, { cached: true });
      return buildViews(kube, configs, armOf(deps, kube), (name, fields) => driftWarning(deps, name)(fields));
    },
    table: configurationTable,
  }),
);
