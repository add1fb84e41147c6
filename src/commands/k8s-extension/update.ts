import { updateExtension, type InstallCommon } from '../../extension/install.js';
import { defineVerb } from '../verb.js';
import { installFlags, installOutput, installTable, nameFlag, parseInstallFlags, parseName } from './flags.js';

export const verb = defineVerb({
  flags: (cmd) => {
    nameFlag(cmd);
    installFlags(cmd);
  },
  parse: (flags): InstallCommon => ({ name: parseName(flags), ...parseInstallFlags(flags) }),
  run: async (options, deps) => {
    const result = await updateExtension(deps, options);
    return installOutput(result, deps, options.exitCode);
  },
  table: installTable,
});
