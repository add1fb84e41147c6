// `fluxcfg completion bash|zsh|fish|powershell`: prints the script; README says how to install each.
import { Argument } from 'commander';
import { defineVerb } from '../verb.js';
import { RawText } from '../../ui/output.js';
import { completionScript, shells, type Shell } from './scripts.js';

export const verb = defineVerb({
  flags: (cmd) => cmd.addArgument(new Argument('<shell>', 'the shell to complete in').choices(shells)),
  parse: (flags) => ({ shell: flags.shell as Shell }),
  run: async ({ shell }) => new RawText(completionScript(shell)),
});
