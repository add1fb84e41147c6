import ora, { type Ora } from 'ora';
import type { Io } from './io.js';
import type { Logger } from './log.js';

export interface Progress {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

/**
 * An ora spinner on stderr when it is a terminal (and not CI, not --only-show-errors);
 * plain progress lines otherwise, so CI logs still show what happened.
 */
export function startProgress(io: Io, log: Logger, text: string): Progress {
  if (!log.enabled('warn')) return { update() {}, succeed() {}, fail() {}, stop() {} };
  if (io.stderr.isTTY && !io.env.CI) {
    const spinner: Ora = ora({ text, stream: io.stderr as NodeJS.WritableStream, isEnabled: true }).start();
    return {
      update: (t) => void (spinner.text = t),
      succeed: (t) => void spinner.succeed(t),
      fail: (t) => void spinner.fail(t),
      stop: () => void spinner.stop(),
    };
  }
  log.progress(text);
  let last = text;
  return {
    update: (t) => {
      if (t !== last) log.progress(t);
      last = t;
    },
    succeed: (t) => log.progress(t),
    fail: (t) => log.progress(t),
    stop() {},
  };
}
