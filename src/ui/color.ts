import { Chalk, type ChalkInstance } from 'chalk';
import type { Io } from './io.js';

/** chalk ignores NO_COLOR, so the decision is made here once: NO_COLOR, --no-color and non-TTY all turn color off. */
export function makeColor(io: Io, stream: 'stdout' | 'stderr', noColorFlag: boolean): ChalkInstance {
  const enabled = !noColorFlag && !io.env.NO_COLOR && Boolean(io[stream].isTTY) && io.env.TERM !== 'dumb';
  return new Chalk({ level: enabled ? 1 : 0 });
}
