// A coloured unified diff of two YAML texts (the live objects and the rendered ones), for `--dry-run` in phase 2.
// Pure: no I/O. Secret `data`/`stringData` values never appear: each is `***`, or `*** (before)` / `*** (after)`
// when it changed (as kubectl diff masks them).
import yaml from 'js-yaml';
import type { ChalkInstance } from 'chalk';

export interface DiffOptions {
  readonly color: ChalkInstance;
  /** Unchanged lines shown around each change (default 3). */
  readonly context?: number;
  readonly fromLabel?: string;
  readonly toLabel?: string;
  /** Serializes documents as `--export` prints them (render/yaml's toYaml), so key order never shows as a change. */
  readonly serialize: (docs: Record<string, unknown>[]) => string;
}

type Doc = Record<string, unknown>;
const MASK = '***';

function docs(text: string): Doc[] {
  return yaml.loadAll(text).filter((d): d is Doc => d !== null && typeof d === 'object' && !Array.isArray(d));
}

const secretKey = (d: Doc) => {
  const meta = (d.metadata ?? {}) as { name?: string; namespace?: string };
  return d.kind === 'Secret' ? `${meta.namespace ?? ''}/${meta.name ?? ''}` : undefined;
};

function maskValues(values: unknown, other: unknown, side: 'before' | 'after'): unknown {
  if (!values || typeof values !== 'object') return values;
  const theirs = (other && typeof other === 'object' ? other : {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(values as Record<string, unknown>).map(([k, v]) => [
      k,
      k in theirs && theirs[k] !== v ? `${MASK} (${side})` : MASK,
    ]),
  );
}

/** Masks Secret values in both texts' documents, pairing Secrets by namespace/name. */
export function maskSecrets(before: Doc[], after: Doc[]): [Doc[], Doc[]] {
  const index = (list: Doc[]) => new Map(list.flatMap((d) => (secretKey(d) ? [[secretKey(d)!, d] as const] : [])));
  const [b, a] = [index(before), index(after)];
  const mask = (d: Doc, other: Doc | undefined, side: 'before' | 'after'): Doc =>
    secretKey(d) === undefined
      ? d
      : {
          ...d,
          ...('data' in d ? { data: maskValues(d.data, other?.data, side) } : {}),
          ...('stringData' in d ? { stringData: maskValues(d.stringData, other?.stringData, side) } : {}),
        };
  return [
    before.map((d) => mask(d, a.get(secretKey(d) ?? ''), 'before')),
    after.map((d) => mask(d, b.get(secretKey(d) ?? ''), 'after')),
  ];
}

/** Lines of the documents as `serialize` prints them. */
function toText(list: Doc[], serialize: DiffOptions['serialize']): string[] {
  return list.length ? serialize(list).replace(/\n$/, '').split('\n') : [];
}

type Op = { readonly op: ' ' | '-' | '+'; readonly line: string };

/** Myers' O((N+M)D) shortest edit script, on the lines between a common prefix and suffix. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const x0 = a.slice(start, a.length - end);
  const y0 = b.slice(start, b.length - end);
  const n = x0.length;
  const m = y0.length;
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  search: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && x0[x] === y0[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) break search;
    }
  }
  const middle: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const t = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && t[off + k - 1]! < t[off + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : t[off + prevK]!;
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      middle.push({ op: ' ', line: x0[--x]! });
      y--;
    }
    if (d > 0) {
      if (x === prevX) middle.push({ op: '+', line: y0[--y]! });
      else middle.push({ op: '-', line: x0[--x]! });
    }
  }
  return [
    ...a.slice(0, start).map((line) => ({ op: ' ' as const, line })),
    ...middle.reverse(),
    ...a.slice(a.length - end).map((line) => ({ op: ' ' as const, line })),
  ];
}

/** Unified diff hunks (`@@ -a,b +c,d @@`) with `context` lines around each change. */
function hunks(ops: readonly Op[], context: number): string[][] {
  const changed = ops.map((o, i) => (o.op === ' ' ? -1 : i)).filter((i) => i >= 0);
  const out: string[][] = [];
  let i = 0;
  while (i < changed.length) {
    const from = Math.max(0, changed[i]! - context);
    let to = Math.min(ops.length, changed[i]! + context + 1);
    while (i + 1 < changed.length && changed[i + 1]! - context <= to)
      to = Math.min(ops.length, changed[++i]! + context + 1);
    i++;
    let aLine = 1;
    let bLine = 1;
    for (const o of ops.slice(0, from)) {
      if (o.op !== '+') aLine++;
      if (o.op !== '-') bLine++;
    }
    const body = ops.slice(from, to);
    const aCount = body.filter((o) => o.op !== '+').length;
    const bCount = body.filter((o) => o.op !== '-').length;
    out.push([
      `@@ -${aCount ? aLine : aLine - 1},${aCount} +${bCount ? bLine : bLine - 1},${bCount} @@`,
      ...body.map((o) => `${o.op}${o.line}`),
    ]);
  }
  return out;
}

/** The diff of two YAML texts (multi-document), Secret values masked; '' when they hold the same objects. */
export function diffYaml(before: string, after: string, options: DiffOptions): string {
  const [b, a] = maskSecrets(docs(before), docs(after));
  const ops = diffLines(toText(b, options.serialize), toText(a, options.serialize));
  const list = hunks(ops, options.context ?? 3);
  if (list.length === 0) return '';
  const c = options.color;
  const paint = (line: string) => {
    if (line.startsWith('@@')) return c.cyan(line);
    if (line.startsWith('-')) return c.red(line);
    return line.startsWith('+') ? c.green(line) : line;
  };
  return [
    c.bold(`--- ${options.fromLabel ?? 'live'}`),
    c.bold(`+++ ${options.toLabel ?? 'rendered'}`),
    ...list.flat().map(paint),
    '',
  ].join('\n');
}
