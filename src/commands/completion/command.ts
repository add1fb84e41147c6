// `fluxcfg completion bash|zsh|fish|powershell`: prints the script; README says how to install each.
import { Argument, Command } from 'commander';
import { defineVerb, type Invoke } from '../verb.js';
import { RawText } from '../../ui/output.js';
import { completionScript, shells, type Shell } from './scripts.js';

const spec = defineVerb({
  name: 'completion',
  description: 'Print the shell completion script for bash, zsh, fish or powershell',
  parse: (flags) => ({ shell: flags.shell as Shell }),
  run: async ({ shell }) => new RawText(completionScript(shell)),
});

export function completionCommand(invoke: Invoke): Command {
  return new Command(spec.name)
    .description(spec.description)
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(shells))
    .action(async (shell: string, flags: Record<string, unknown>, self: Command) =>
      invoke(spec, { ...flags, shell }, self),
    );
}
