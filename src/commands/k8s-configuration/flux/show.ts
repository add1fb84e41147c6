import { defineVerb } from '../../verb.js';
import { buildView, readConfiguration } from './live.js';
import { configurationTable } from './table.js';

export const verb = defineVerb({
  name: 'show',
  description: 'Show a Flux v2 configuration',
  flags: (cmd) =>
    cmd
      .requiredOption('-n, --name <name>', 'name of the Flux configuration')
      .option('--ns, --namespace <namespace>', 'namespace of the configuration (default: found by name)'),
  parse: (flags) => ({ name: String(flags.name), namespace: flags.namespace as string | undefined }),
  run: async (o, deps) => {
    const kube = await deps.kube();
    return buildView(kube, await readConfiguration(kube, o.name, o.namespace));
  },
  table: configurationTable,
});
