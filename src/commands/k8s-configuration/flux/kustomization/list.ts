import { defineVerb } from '../../../verb.js';
import { readConfiguration } from '../live.js';
import { kustomizationTable } from '../table.js';

export const verb = defineVerb({
  name: 'list',
  description: 'List the Kustomizations of a Flux v2 configuration',
  flags: (cmd) =>
    cmd
      .requiredOption('-n, --name <name>', 'name of the Flux configuration')
      .option('--ns, --namespace <namespace>', 'namespace of the configuration (default: found by name)'),
  parse: (flags) => ({ name: String(flags.name), namespace: flags.namespace as string | undefined }),
  run: async (o, deps) => {
    const { config } = await readConfiguration(await deps.kube(), o.name, o.namespace);
    return Object.fromEntries(Object.entries(config.kustomizations).map(([k, v]) => [k, { ...v, name: k }]));
  },
  table: kustomizationTable,
});
