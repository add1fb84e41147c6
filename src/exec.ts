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
  const result = await execa(file, args, {
    cwd: options.cwd,
    env: { ...base, NO_COLOR: '1', ...options.env },
    extendEnv: false,
    input: options.input,
    timeout: options.timeoutMs ?? 60_000,
    reject: false,
    stripFinalNewline: false,
  });
  if ((result as { code?: string }).code === 'ENOENT')
    throw new UserError(`${file} is not installed (not found on PATH)`, { hint: `install ${file} and try again` });
  if (result.timedOut)
    throw new UserError(`${file} ${args[0] ?? ''} timed out after ${(options.timeoutMs ?? 60_000) / 1000}s`);
  return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
};
