/** Exit codes as az uses them; 130/143 after SIGINT/SIGTERM (128 + the signal), as a shell reports them. */
export const ExitCode = { ok: 0, error: 1, usage: 2, notFound: 3, sigint: 130, sigterm: 143 } as const;

export interface ErrorOptions {
  /** One line telling the user what to do next. */
  readonly hint?: string;
  readonly cause?: unknown;
}

/** Something the user can fix in their environment, cluster or input files. Exit 1. */
export class UserError extends Error {
  readonly hint?: string;
  get exitCode(): number {
    return ExitCode.error;
  }
  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad, missing or conflicting flags; a prompt that cannot be shown. Exit 2. */
export class UsageError extends UserError {
  override get exitCode(): number {
    return ExitCode.usage;
  }
}

/** The thing asked for does not exist (az exits 3). */
export class NotFoundError extends UserError {
  override get exitCode(): number {
    return ExitCode.notFound;
  }
}

/** The user stopped the run: Ctrl-C at a prompt or a signal. Exit 130 (SIGINT) or 143 (SIGTERM). */
export class InterruptedError extends UserError {
  constructor(
    message: string,
    readonly signal: 'SIGINT' | 'SIGTERM' = 'SIGINT',
    options: ErrorOptions = {},
  ) {
    super(message, options);
  }
  override get exitCode(): number {
    return this.signal === 'SIGTERM' ? ExitCode.sigterm : ExitCode.sigint;
  }
}

export interface KubeErrorDetails {
  readonly status: number;
  readonly reason?: string;
  readonly method: string;
  readonly path: string;
}

/** A Kubernetes API error: status, reason and the server's message, never the raw headers. */
export class KubeError extends UserError {
  readonly status: number;
  readonly reason?: string;
  readonly method: string;
  readonly path: string;
  constructor(message: string, details: KubeErrorDetails, options: ErrorOptions = {}) {
    super(message, options);
    this.status = details.status;
    this.reason = details.reason;
    this.method = details.method;
    this.path = details.path;
  }
  override get exitCode(): number {
    return this.status === 404 ? ExitCode.notFound : ExitCode.error;
  }
}

export function exitCodeOf(err: unknown): number {
  return err instanceof UserError ? err.exitCode : ExitCode.error;
}
