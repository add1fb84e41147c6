import { defineVerb } from '../../../verb.js';
import { readConfiguration } from '../live.js';
import { kustomizationTable } from '../table.js';
import { kustomizationsView } from '../view.js';
import { declareTarget, parseTarget } from '../target.js';

export const verb = defineVerb({
  flags: (cmd) => declareTarget(cmd),
  parse: parseTarget,
  run: async (o, deps) => {
    const { config } = await readConfiguration(await deps.kube(), o.name, o.namespace);
    return kustomizationsView(config);
  },
  table: kustomizationTable,
});
