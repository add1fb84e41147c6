import type { ChalkInstance } from 'chalk';
import type { Io } from './io.js';

/**
 * No color: every style gives the text back, as chalk at level 0 does (`c.red.bold('a', 'b')` is 'a b'), without
 * loading chalk, which checks the terminal when it loads (most runs write to a pipe or a file).
 */
function unstyled(...text: unknown[]): string {
  return text.join(' ');
}
const plain = new Proxy(unstyled, {
  get: (_, key) => (key === 'level' ? 0 : plain),
}) as unknown as ChalkInstance;

let Chalk: typeof import('chalk').Chalk | undefined;

/** Loads chalk; main calls it when stdout or stderr is a terminal, before anything asks for colors. */
export async function loadColor(): Promise<void> {
  Chalk ??= (await import('chalk')).Chalk;
}

/** chalk ignores NO_COLOR, so the decision is made here once: NO_COLOR, --no-color and non-TTY all turn color off. */
export function makeColor(io: Io, stream: 'stdout' | 'stderr', noColorFlag: boolean): ChalkInstance {
  const enabled = !noColorFlag && !io.env.NO_COLOR && Boolean(io[stream].isTTY) && io.env.TERM !== 'dumb';
  return enabled && Chalk ? new Chalk({ level: 1 }) : plain;
}
