import { defineVerb } from '../../../verb.js';
import { buildView, readConfiguration } from '../live.js';
import { deployedObjectTable } from '../table.js';
import { declareTarget, parseTarget } from '../target.js';

export const verb = defineVerb({
  flags: (cmd) => declareTarget(cmd),
  parse: parseTarget,
  run: async (o, deps) => {
    const kube = await deps.kube();
    return (await buildView(kube, await readConfiguration(kube, o.name, o.namespace))).statuses;
  },
  table: deployedObjectTable,
});
