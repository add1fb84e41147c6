import { defineVerb } from '../../../verb.js';
import { readConfiguration } from '../live.js';
import { kustomizationTable } from '../table.js';
import { declareTarget, parseTarget } from '../target.js';

export const verb = defineVerb({
  name: 'list',
  description: 'List the Kustomizations of a Flux v2 configuration',
  flags: (cmd) =>
    declareTarget(cmd),
  parse: parseTarget,
  run: async (o, deps) => {
    const { config } = await readConfiguration(await deps.kube(), o.name, o.namespace);
    return Object.fromEntries(Object.entries(config.kustomizations).map(([k, v]) => [k, { ...v, name: k }]));
  },
  table: kustomizationTable,
});
