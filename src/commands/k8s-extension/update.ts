import { updateExtension, type InstallCommon } from '../../extension/install.js';
import { extensionTable } from '../../model/extension/status.js';
import { RawText } from '../../ui/output.js';
import { defineVerb } from '../verb.js';
import { installFlags, nameFlag, parseInstallFlags, parseName } from './flags.js';

export const verb = defineVerb({
  name: 'update',
  description: 'Update the settings or the version of the microsoft.flux extension',
  flags: (cmd) => {
    nameFlag(cmd);
    installFlags(cmd);
  },
  parse: (flags): InstallCommon => ({ name: parseName(flags), ...parseInstallFlags(flags) }),
  run: async (options, deps) => {
    const result = await updateExtension(deps, options);
    if ('exported' in result) return new RawText(result.exported);
    return result.view;
  },
  table: extensionTable,
});
