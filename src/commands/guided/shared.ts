// What the guided creates share: an answer checked by its flag's validator, and the summary, the equivalent
// command line and the confirmation that end every guided run.
import { UserError } from '../../errors.js';
import type { Asker, Check } from '../../ui/ask.js';
import type { GuideContext } from '../verb.js';
import { formatCommandLine, redactArgv, type Word } from './command-line.js';
import { SECRET_FLAGS } from './flux-answers.js';

/** Protected extension settings: every `key=value` after the flag is a secret. */
const PROTECTED_SETTING_FLAGS = [
  '--config-protected-settings',
  '--config-protected',
  '--configuration-protected-settings',
];

/** Runs a flag's own validator on an answer: its UsageError (az's message and help) becomes the prompt's error. */
export function checkWith(validate: (answer: string) => void): Check {
  return (answer) => {
    try {
      validate(answer);
      return undefined;
    } catch (err) {
      if (err instanceof UserError) return err.hint ? `${err.message} ${err.hint}` : err.message;
      throw err;
    }
  };
}

/** The `fluxcfg ...` line equivalent to the guided run, and the variables its placeholders name. */
export function equivalentLine(argv: readonly string[], words: readonly Word[]): { line: string; vars: string[] } {
  const all = [{ text: 'fluxcfg' }, ...redactArgv(argv, SECRET_FLAGS, PROTECTED_SETTING_FLAGS), ...words];
  const line = formatCommandLine(all, 118);
  const vars = [...new Set([...line.matchAll(/"\$(\w+)"/g)].map((m) => m[1]!))];
  return { line, vars };
}

/** Writes the summary and the equivalent command line (stderr), then asks for confirmation (unless --yes). */
export async function confirmGuided(
  ask: Asker,
  context: GuideContext,
  what: string,
  summary: readonly string[],
  words: readonly Word[],
): Promise<void> {
  const { io, globals } = context.deps;
  const { line, vars } = equivalentLine(context.argv, words);
  const note = vars.length ? ` (set ${vars.join(', ')} to the secret first)` : '';
  io.stderr.write(`\nSummary:\n${summary.join('\n')}\n\nThe same without questions${note}:\n  ${line}\n\n`);
  if (globals.yes) return;
  if (!(await ask.confirm(what, true)))
    throw new UserError('Operation cancelled.', { hint: 'nothing was written; the command line above does the same' });
}
