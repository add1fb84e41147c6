import { defineVerb } from '../../verb.js';
import { buildView, readConfiguration } from './live.js';
import { configurationTable } from './table.js';
import { declareTarget, parseTarget } from './target.js';

export const verb = defineVerb({
  name: 'show',
  description: 'Show a Flux v2 configuration',
  flags: (cmd) =>
    declareTarget(cmd),
  parse: parseTarget,
  run: async (o, deps) => {
    const kube = await deps.kube();
    return buildView(kube, await readConfiguration(kube, o.name, o.namespace));
  },
  table: configurationTable,
});
