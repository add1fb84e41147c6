// The live lines of a wait (`flux create|update --wait`): one line per object with what its controller says,
// redrawn in place on a terminal (stderr), one plain line per change of an object's state otherwise (CI logs).
// On failure, the failing objects' messages and the command that shows more. Driven by the wait loop's callback.
import type { ChalkInstance } from 'chalk';
import type { Io } from './io.js';
import type { Logger } from './log.js';

export interface ObjectStatus {
  /** `Kustomization ns/name`. */
  readonly id: string;
  readonly state: 'ready' | 'failed' | 'pending';
  /** What the controller says: `fetched main@sha1:…`, `Progressing: building artifact`, ... */
  readonly text: string;
  /** The command that shows more about it (`kubectl -n ns describe kustomization name`). */
  readonly hint: string;
}

export interface LiveStatus {
  /** A new title (the wait loop's own progress text): shown only when no object lines are (not at all here). */
  update(text: string): void;
  /** The objects' states, as the wait loop last saw them. */
  objects(states: readonly ObjectStatus[]): void;
  succeed(text: string): void;
  /** The failure line, then each failing object's message and its hint. */
  fail(text: string): void;
  stop(): void;
}

const WORD: Record<ObjectStatus['state'], string> = { ready: 'Ready', failed: 'Failed', pending: 'Pending' };
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The failing objects (Ready=False), or, when none failed, those still pending: what a failure explains. */
export function failing(states: readonly ObjectStatus[]): ObjectStatus[] {
  const failed = states.filter((s) => s.state === 'failed');
  return failed.length ? failed : states.filter((s) => s.state === 'pending');
}

/** The lines printed after a failure: each failing object's message, then how to look closer. */
export function failureLines(states: readonly ObjectStatus[]): string[] {
  return failing(states).flatMap((s) => [`  ${s.id}: ${s.text}`, `  hint: ${s.hint}`]);
}

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

/**
 * Live lines on stderr: redrawn in place on a terminal (not in CI), plain lines otherwise; nothing under
 * --only-show-errors.
 */
export function startLiveStatus(io: Io, log: Logger, color: ChalkInstance, title: string): LiveStatus {
  let states: readonly ObjectStatus[] = [];
  if (!log.enabled('warn'))
    return { update() {}, objects: (s) => void (states = s), succeed() {}, fail() {}, stop() {} };
  const tty = Boolean(io.stderr.isTTY) && !io.env.CI;
  if (!tty) {
    log.progress(title);
    const seen = new Map<string, string>();
    return {
      update: () => undefined,
      objects(next) {
        states = next;
        for (const s of next) {
          const line = `${s.id}: ${WORD[s.state]}, ${s.text}`;
          if (seen.get(s.id) !== line) log.progress(line);
          seen.set(s.id, line);
        }
      },
      succeed: (t) => log.progress(t),
      fail(t) {
        log.progress(t);
        for (const l of failureLines(states)) log.progress(l);
      },
      stop() {},
    };
  }
  const width = () => Math.max(20, ((io.stderr as { columns?: number }).columns ?? 80) - 1);
  let drawn = 0;
  let frame = 0;
  const mark = (s: ObjectStatus) =>
    s.state === 'ready' ? color.green('✔') : s.state === 'failed' ? color.red('✖') : color.yellow(FRAMES[frame]!);
  const draw = (head: string) => {
    const idWidth = Math.max(0, ...states.map((s) => s.id.length));
    const lines = [
      head,
      ...states.map((s) => {
        const plain = truncate(`${s.id.padEnd(idWidth)}  ${s.text}`, width() - 4);
        const [id, text] = [plain.slice(0, idWidth), plain.slice(idWidth)];
        const painted = s.state === 'failed' ? color.red(text) : s.state === 'ready' ? text : color.dim(text);
        return `  ${mark(s)} ${id}${painted}`;
      }),
    ];
    io.stderr.write(`${drawn ? `\x1b[${drawn}F\x1b[J` : ''}${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const spinnerHead = () => `${color.cyan(FRAMES[frame]!)} ${truncate(title, width() - 2)}`;
  draw(spinnerHead());
  return {
    // The title stays: the object lines say what is still awaited.
    update() {},
    objects(next) {
      states = next;
      frame = (frame + 1) % FRAMES.length;
      draw(spinnerHead());
    },
    succeed(text) {
      draw(`${color.green('✔')} ${text}`);
    },
    fail(text) {
      draw(`${color.red('✖')} ${text}`);
      for (const l of failureLines(states)) io.stderr.write(`${l}\n`);
    },
    stop() {},
  };
}
