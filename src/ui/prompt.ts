import { UsageError } from '../errors.js';
import { isInteractive, type Io } from './io.js';

export interface Prompter {
  /**
   * Asks a yes/no question on stderr. `--yes` answers yes; without a terminal (or in CI) it is a usage error
   * naming the flag, never a hang.
   */
  confirm(message: string, options?: { readonly flag?: string }): Promise<boolean>;
}

export function makePrompter(io: Io, yes: boolean): Prompter {
  return {
    async confirm(message, options = {}) {
      if (yes) return true;
      const flag = options.flag ?? '--yes';
      if (!isInteractive(io))
        throw new UsageError(`confirmation required: ${message}`, {
          hint: `not running interactively (stdin is not a terminal or CI is set): pass ${flag} to confirm`,
        });
      const { confirm } = await import('@inquirer/prompts');
      return confirm({ message, default: false }, { output: io.stderr as NodeJS.WritableStream });
    },
  };
}
