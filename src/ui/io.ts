import { isatty } from 'node:tty';

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

/** `fluxcfg ... | head` closes the pipe early: that ends the output quietly, as for any Unix tool. */
function ignoreClosedPipe(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (!stream.listeners('error').length)
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
    });
  return stream;
}

export function processIo(): Io {
  ignoreClosedPipe(process.stdout);
  ignoreClosedPipe(process.stderr);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // isatty(0), not process.stdin.isTTY: touching process.stdin builds a stream (~5 ms of every start-up)
    stdinIsTTY: isatty(0),
    env: process.env,
  };
}

/** Prompts are allowed only with a terminal on stdin and outside CI. */
export function isInteractive(io: Io): boolean {
  return io.stdinIsTTY && !io.env.CI;
}
