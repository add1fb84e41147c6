import { extensionDeployments, listExtensionRecords } from '../../extension/install.js';
import { extensionTable, extensionView } from '../../model/extension/status.js';
import { armScope } from '../../model/arm.js';
import { defineVerb } from '../verb.js';

export const verb = defineVerb({
  parse: () => ({}),
  run: async (_options, deps) => {
    const kube = await deps.kube();
    const records = await listExtensionRecords(kube);
    const arm = armScope(deps.globals, kube.contextName);
    return Promise.all(records.map(async (r) => extensionView(r, await extensionDeployments(kube, r.name), arm)));
  },
  table: extensionTable,
});
