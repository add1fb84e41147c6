import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { poll } from '../../../src/k8s/poll.js';

describe('poll', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A check that reports `left` items pending, one fewer on each look. */
  function countdown(left: number) {
    const looks: number[] = [];
    return {
      looks,
      check: async () => {
        looks.push(Date.now());
        left = Math.max(0, left - 1);
        return { done: left === 0, state: left };
      },
    };
  }

  it('checks at once, then every interval, until done; returns the last state', async () => {
    const c = countdown(3);
    const pending: number[] = [];
    const start = Date.now();
    const result = poll({
      timeoutMs: 10_000,
      intervalMs: 500,
      check: c.check,
      onPending: (s) => pending.push(s),
      onTimeout: () => new Error('timeout'),
    });
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toBe(0);
    expect(c.looks.map((t) => t - start)).toEqual([0, 500, 1000]);
    expect(pending).toEqual([2, 1]);
  });

  it('returns without waiting when the first check is done', async () => {
    const onPending = vi.fn();
    const result = await poll({
      timeoutMs: 0,
      intervalMs: 500,
      check: async () => ({ done: true, state: 'ok' }),
      onPending,
      onTimeout: () => new Error('timeout'),
    });
    expect(result).toBe('ok');
    expect(onPending).not.toHaveBeenCalled();
  });

  it('throws the error of onTimeout, built from the last state, once the timeout has passed', async () => {
    const c = countdown(100);
    const start = Date.now();
    const onTimeout = vi.fn(async (left: number) => new Error(`still ${left} left`));
    const result = poll({ timeoutMs: 1_000, intervalMs: 300, check: c.check, onTimeout });
    const settled = expect(result).rejects.toThrow('still 95 left');
    await vi.advanceTimersByTimeAsync(2_000);
    await settled;
    // looks at 0, 300, 600, 900, 1200: the last one after the deadline, then the error
    expect(c.looks.map((t) => t - start)).toEqual([0, 300, 600, 900, 1200]);
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('a timeout of 0 still looks once', async () => {
    const c = countdown(5);
    const result = poll({ timeoutMs: 0, intervalMs: 100, check: c.check, onTimeout: (s) => new Error(`left ${s}`) });
    await expect(result).rejects.toThrow('left 4');
    expect(c.looks).toHaveLength(1);
  });

  it('errors of check propagate at once', async () => {
    const check = vi.fn(async () => {
      throw new Error('API down');
    });
    const result = poll({ timeoutMs: 5_000, intervalMs: 100, check, onTimeout: () => new Error('timeout') });
    await expect(result).rejects.toThrow('API down');
    expect(check).toHaveBeenCalledTimes(1);
  });
});
