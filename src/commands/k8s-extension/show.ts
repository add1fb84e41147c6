import { notFound, readExtension, viewOf } from '../../extension/install.js';
import { extensionTable } from '../../model/extension/status.js';
import { armScope } from '../../model/arm.js';
import { defineVerb } from '../verb.js';
import { nameFlag, parseName } from './flags.js';

export const verb = defineVerb({
  flags: nameFlag,
  parse: (flags) => ({ name: parseName(flags) }),
  run: async ({ name }, deps) => {
    const kube = await deps.kube();
    const found = await readExtension(kube, name);
    if (!found) throw notFound(name);
    return viewOf(kube, found.record, armScope(deps.globals, kube.contextName));
  },
  table: extensionTable,
});
