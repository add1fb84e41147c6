import { InterruptedError, UsageError, UserError } from '../errors.js';
import { isInteractive, type Io } from './io.js';

export const CANCELLED = 'Operation cancelled.';

export interface Prompter {
  /**
   * Asks a yes/no question on stderr. `--yes` answers yes; without a terminal (or in CI) it is a usage error
   * naming the flag, never a hang. Answering no is az's "Operation cancelled." (a UserError, exit 1); Ctrl-C at the
   * question is the same message with exit 130. It resolves to true only.
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
      let answer: boolean;
      try {
        answer = await confirm({ message, default: false }, { output: io.stderr as NodeJS.WritableStream });
      } catch (err) {
        if ((err as Error)?.name === 'ExitPromptError' || (err as Error)?.name === 'AbortPromptError')
          throw new InterruptedError(CANCELLED, 'SIGINT', {
            hint: 'interrupted at the confirmation: nothing was changed',
          });
        throw err;
      }
      if (!answer) throw new UserError(CANCELLED, { hint: `nothing was changed; ${flag} answers yes without asking` });
      return true;
    },
  };
}
