import type { Ora } from 'ora';
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
  // a terminal of no width (a pty nobody sized, e.g. under script(1)) cannot hold a spinner: ora would clear lines
  // forever there
  if (io.stderr.isTTY && !io.env.CI && ((io.stderr as { columns?: number }).columns ?? 0) > 0) return spinner(io, text);
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

/**
 * ora is imported on first use: its string-width builds an Intl.Segmenter when loaded (~9 ms, loading ICU data),
 * which every start-up would pay. The import resolves within the bundle at the next microtask; what is called
 * before that is replayed on the spinner.
 */
function spinner(io: Io, text: string): Progress {
  let current = text;
  let end: ((s: Ora) => void) | undefined;
  let started: Ora | undefined;
  void import('ora').then(({ default: ora }) => {
    started = ora({ text: current, stream: io.stderr as NodeJS.WritableStream, isEnabled: true }).start();
    end?.(started);
  });
  const finish = (fn: (s: Ora) => void) => (started ? fn(started) : (end ??= fn));
  return {
    update: (t) => {
      current = t;
      if (started) started.text = t;
    },
    succeed: (t) => finish((s) => s.succeed(t)),
    fail: (t) => finish((s) => s.fail(t)),
    stop: () => finish((s) => s.stop()),
  };
}
