// What a fleet run shows on stderr: on a terminal one live line per cluster (waiting / applying / done / failed),
// redrawn in place, with each cluster's messages printed above it; plain `[context] ...` lines otherwise.
import type { Io, TextSink } from '../ui/io.js';
import type { Progress } from '../ui/progress.js';

export type ClusterState = 'waiting' | 'applying' | 'done' | 'failed';

export interface Board {
  /** Where a cluster's Logger writes: every line prefixed with its context. */
  sink(context: string): TextSink;
  set(context: string, state: ClusterState, detail?: string): void;
  /** deps.progress of one cluster: the text goes to its live line (or a plain line). */
  progress(context: string, text: string): Progress;
  /** Stops redrawing (before a prompt and at the end): the last state stays on screen. */
  pause(): void;
  resume(): void;
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export function makeBoard(io: Io, contexts: readonly string[], options: { live: boolean; quiet: boolean }): Board {
  const width = Math.max(...contexts.map((c) => c.length));
  const states = new Map<string, { state: ClusterState; detail: string }>(
    contexts.map((c) => [c, { state: 'waiting', detail: '' }]),
  );
  const err = io.stderr;
  let drawn = 0;
  let paused = false;
  const columns = () => (err as { columns?: number }).columns ?? 120;
  const lineOf = (c: string) => {
    const s = states.get(c)!;
    const text = `${c.padEnd(width)}  ${s.state.padEnd(8)}${s.detail ? `  ${s.detail}` : ''}`;
    return text.length > columns() - 1 ? `${text.slice(0, columns() - 2)}…` : text;
  };
  const clear = () => {
    if (drawn) err.write(`\x1b[${drawn}F\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    if (!options.live || paused || options.quiet) return;
    clear();
    err.write(contexts.map((c) => `${lineOf(c)}\n`).join(''));
    drawn = contexts.length;
  };
  const above = (text: string) => {
    if (options.live && !paused) clear();
    err.write(text);
    draw();
  };
  const set = (context: string, state: ClusterState, detail = '') => {
    states.set(context, { state, detail: oneLine(detail) });
    if (options.live) draw();
    else if (!options.quiet && state !== 'waiting')
      err.write(`[${context}] ${state}${detail ? `: ${oneLine(detail)}` : ''}\n`);
  };
  return {
    sink: (context) => ({
      isTTY: false,
      write: (text: string) => {
        const lines = text.split('\n');
        if (lines.at(-1) === '') lines.pop();
        above(lines.map((l) => `[${context}] ${l}\n`).join(''));
        return true;
      },
    }),
    set,
    progress: (context, text) => {
      const update = (t: string) => set(context, 'applying', t);
      update(text);
      return { update, succeed: update, fail: update, stop() {} };
    },
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      draw();
    },
  };
}
