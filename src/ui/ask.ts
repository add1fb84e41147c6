// The questions of a guided create (src/commands/guided): @inquirer/prompts on stderr, so stdout keeps carrying
// data only. Callers check isInteractive(io) first; nothing here decides whether to prompt.
import { InterruptedError } from '../errors.js';
import { CANCELLED } from './prompt.js';
import type { Io } from './io.js';

/** A validator: undefined when the answer is fine, else the message shown under the prompt (which asks again). */
export type Check = (answer: string) => string | undefined;

export interface Choice<T extends string> {
  readonly value: T;
  readonly name?: string;
  readonly description?: string;
  readonly checked?: boolean;
}

export interface Asker {
  input(message: string, options?: { readonly default?: string; readonly check?: Check }): Promise<string>;
  /** Masked input (`*`): the answer is never echoed. */
  secret(message: string, options?: { readonly check?: Check }): Promise<string>;
  select<T extends string>(message: string, choices: readonly Choice<T>[], initial?: T): Promise<T>;
  checkbox<T extends string>(message: string, choices: readonly Choice<T>[]): Promise<T[]>;
  confirm(message: string, initial: boolean): Promise<boolean>;
}

/** Ctrl-C (or a closed terminal) at a prompt: az's message, exit 130 as for SIGINT. */
function cancelled(err: unknown): unknown {
  if (err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError'))
    return new InterruptedError(CANCELLED, 'SIGINT', { hint: 'nothing was written' });
  return err;
}

async function guard<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (err) {
    throw cancelled(err);
  }
}

const asValidate = (check?: Check) => (check ? (value: string) => check(value) ?? true : undefined);

export function makeAsker(io: Io): Asker {
  const context = { output: io.stderr as NodeJS.WritableStream, clearPromptOnDone: false };
  const prompts = () => import('@inquirer/prompts');
  return {
    async input(message, options = {}) {
      const { input } = await prompts();
      const validate = asValidate(options.check);
      return guard(input({ message, default: options.default, validate }, context)).then((a) => a.trim());
    },
    async secret(message, options = {}) {
      const { password } = await prompts();
      return guard(password({ message, mask: '*', validate: asValidate(options.check) }, context));
    },
    async select(message, choices, initial) {
      const { select } = await prompts();
      return guard(select({ message, choices: [...choices], default: initial }, context));
    },
    async checkbox(message, choices) {
      const { checkbox } = await prompts();
      return guard(checkbox({ message, choices: [...choices] }, context));
    },
    async confirm(message, initial) {
      const { confirm } = await prompts();
      return guard(confirm({ message, default: initial }, context));
    },
  };
}
