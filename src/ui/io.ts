/** The process streams a command talks to; replaced in tests. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface Io {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly stdinIsTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    env: process.env,
  };
}

/** Prompts are allowed only with a terminal on stdin and outside CI. */
export function isInteractive(io: Io): boolean {
  return io.stdinIsTTY && !io.env.CI;
}
