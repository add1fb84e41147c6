import { writeSync } from 'node:fs';
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

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A pipe or a file: written with write(2) as process.stdout would (it writes pipes and files synchronously on
 * Linux too), without building the stream, which loads net and the streams (~4 ms of every start-up). A full
 * non-blocking pipe (EAGAIN) is waited on; a closed one (EPIPE) ends the output quietly.
 */
function fdSink(fd: number): TextSink {
  let closed = false;
  return {
    isTTY: false,
    write(text: string) {
      const data = Buffer.from(text);
      for (let at = 0; at < data.length && !closed;) {
        try {
          at += writeSync(fd, data, at);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
          else if (code === 'EPIPE') closed = true;
          else throw err;
        }
      }
      return true;
    },
  };
}

/** A terminal gets the process stream (spinners and prompts draw on it); anything else a plain fd writer. */
function sinkOf(fd: 1 | 2): TextSink {
  // isatty: in the bundle it answers a pipe or a file without loading tty (scripts/build.mjs)
  if (!isatty(fd)) return fdSink(fd);
  return ignoreClosedPipe(fd === 1 ? process.stdout : process.stderr);
}

export function processIo(): Io {
  let stdinIsTTY: boolean | undefined;
  return {
    stdout: sinkOf(1),
    stderr: sinkOf(2),
    // not process.stdin.isTTY: touching process.stdin builds a stream; asked only when prompting is considered
    get stdinIsTTY() {
      return (stdinIsTTY ??= isatty(0));
    },
    env: process.env,
  };
}

/** Prompts are allowed only with a terminal on stdin and outside CI. */
export function isInteractive(io: Io): boolean {
  return !io.env.CI && io.stdinIsTTY;
}
