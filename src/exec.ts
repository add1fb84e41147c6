import { rmSync } from 'node:fs';
import { UserError } from './errors.js';

export interface ExecOptions {
  readonly cwd?: string;
  /** Added to a minimal environment (PATH, HOME, locale); secrets go here, never into argv. */
  readonly env?: Record<string, string>;
  readonly input?: string;
  /** @default 60000 */
  readonly timeoutMs?: number;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * What a signal must undo: the child processes running now (each in its own process group, so `ssh` under `git`
 * goes too) and the temp dirs that hold credentials. main's SIGINT/SIGTERM handler calls interruptCleanup().
 */
const running = new Set<number>();
const tempDirs = new Set<string>();

/** Registers a temp dir to remove on a signal; call the returned function once it is removed normally. */
export function trackTempDir(dir: string): () => void {
  tempDirs.add(dir);
  return () => void tempDirs.delete(dir);
}

/** Kills every running child's process group and removes the tracked temp dirs, synchronously. */
export function interruptCleanup(): { children: number; tempDirs: number } {
  const done = { children: running.size, tempDirs: tempDirs.size };
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  running.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
  return done;
}

export type Exec = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

/**
 * Runs an external program (git, ssh-keyscan) through execa: argv array, no shell, a timeout, color off.
 * A non-zero exit is returned, not thrown; a missing program or a timeout is a UserError.
 */
export const exec: Exec = async (file, args, options = {}) => {
  const { execa } = await import('execa');
  const base: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'SSL_CERT_FILE', 'SSL_CERT_DIR'])
    if (process.env[key]) base[key] = process.env[key]!;
  const child = execa(file, args, {
    cwd: options.cwd,
    env: { ...base, NO_COLOR: '1', ...options.env },
    extendEnv: false,
    input: options.input,
    timeout: options.timeoutMs ?? 60_000,
    reject: false,
    stripFinalNewline: false,
    // its own process group: a signal to fluxcfg kills the child and what it started (git → ssh) together
    detached: true,
  });
  const pid = child.pid;
  if (pid !== undefined) running.add(pid);
  const result = await child.finally(() => pid !== undefined && running.delete(pid));
  if ((result as { code?: string }).code === 'ENOENT')
    throw new UserError(`${file} is not installed (not found on PATH)`, { hint: `install ${file} and try again` });
  if (result.timedOut)
    throw new UserError(`${file} ${args[0] ?? ''} timed out after ${(options.timeoutMs ?? 60_000) / 1000}s`);
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
};
