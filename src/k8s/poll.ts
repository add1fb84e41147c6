// The one polling loop of every wait (objects gone, CRDs Established, controllers available, Flux objects Ready):
// look, stop when done, report what is still awaited, give up with the caller's error when the time is up.

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One look at the cluster: `done`, and what is still awaited (or the final value when done). */
export interface PollCheck<S> {
  readonly done: boolean;
  readonly state: S;
}

export interface PollOptions<S> {
  /** Give up after this long (measured from the first check). */
  readonly timeoutMs: number;
  /** Pause between two checks. */
  readonly intervalMs: number;
  readonly check: () => Promise<PollCheck<S>>;
  /** After each check that is not done, before the timeout is tested (progress lines). */
  readonly onPending?: (state: S) => void;
  /** The error thrown when the time is up, from the last state (may record the failure first). */
  readonly onTimeout: (state: S) => Error | Promise<Error>;
}

/**
 * Checks until `check` says done and returns its state. The first check runs at once; when the timeout passes
 * the error of `onTimeout` is thrown. Errors of `check` propagate (no retry here: the KubeClient retries requests).
 */
export async function poll<S>(options: PollOptions<S>): Promise<S> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const { done, state } = await options.check();
    if (done) return state;
    options.onPending?.(state);
    if (Date.now() >= deadline) throw await options.onTimeout(state);
    await sleep(options.intervalMs);
  }
}
