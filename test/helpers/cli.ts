import { Chalk } from 'chalk';
import { main, type MainOverrides } from '../../src/main.js';
import type { Io } from '../../src/ui/io.js';
import { Logger } from '../../src/ui/log.js';

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions extends Omit<MainOverrides, 'io'> {
  readonly env?: NodeJS.ProcessEnv;
  readonly stdinIsTTY?: boolean;
  readonly tty?: boolean;
}

/** Runs the whole program in-process with captured streams, as a CI script would (CI=true, no stdin). */
export async function runCli(argv: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty ?? false },
    stderr: { write: (s: string) => (stderr += s), isTTY: options.tty ?? false },
    stdinIsTTY: options.stdinIsTTY ?? false,
    env: options.env ?? { CI: 'true' },
  };
  const exitCode = await main(argv, { ...options, io });
  return { exitCode, stdout, stderr };
}

export function quietLogger(): Logger {
  return new Logger({ write: () => true }, 'error', new Chalk({ level: 0 }));
}

export function captureLogger(level: 'warn' | 'info' | 'debug' = 'debug'): { log: Logger; text: () => string } {
  let text = '';
  return { log: new Logger({ write: (s: string) => (text += s) }, level, new Chalk({ level: 0 })), text: () => text };
}
