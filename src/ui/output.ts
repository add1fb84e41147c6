import yaml from 'js-yaml';
import type { ChalkInstance } from 'chalk';
import { UsageError } from '../errors.js';
import type { OutputFormat } from './formats.js';

/**
 * A command result that is already text (e.g. `--export` YAML): printed as is. When it also carries `data` (the
 * same content as a value), an explicit `-o` other than yaml, or a --query, prints the data in that format instead.
 * Text that is not YAML (a --dry-run diff) gives way to its data under an explicit `-o yaml` too (`textIsYaml`).
 */
export class RawText {
  constructor(
    readonly text: string,
    readonly data?: unknown,
    readonly textIsYaml = true,
  ) {}
}

export type TableTransformer = (result: unknown) => unknown;

export interface PrintOptions {
  readonly format: OutputFormat;
  readonly query?: string;
  /** Applied for -o table when no --query is given, as az does. */
  readonly table?: TableTransformer;
  readonly color: ChalkInstance;
  /** Whether -o was given on the command line (RawText keeps its text under the default format). */
  readonly formatGiven?: boolean;
}

let jmespath: typeof import('@jmespath-community/jmespath') | undefined;

/** Loads the JMESPath engine, which formatting a --query needs: main and watch call it when --query is given. */
export async function loadQuery(): Promise<void> {
  jmespath ??= await import('@jmespath-community/jmespath');
}

export function applyQuery(result: unknown, query: string): unknown {
  if (!jmespath) throw new Error('--query before loadQuery()');
  try {
    return jmespath.search(result as never, query);
  } catch (err) {
    throw new UsageError(`argument --query: invalid jmespath_type value: '${query}'`, {
      hint: `${(err as Error).message}. See https://jmespath.org for the syntax.`,
      cause: err,
    });
  }
}

/** Every object (not array) in a result: what a --query returns that is not among them, the query built. */
function objectsIn(value: unknown, into = new WeakSet<object>()): WeakSet<object> {
  if (Array.isArray(value)) for (const v of value) objectsIn(v, into);
  else if (value !== null && typeof value === 'object' && !into.has(value)) {
    into.add(value);
    for (const v of Object.values(value)) objectsIn(v, into);
  }
  return into;
}

/**
 * Renders a command result the way az (knack) does; returns '' when nothing is to be printed (also when --query
 * yields null, as az prints nothing then). json and yaml sort keys at every level, also of what a query built
 * (knack dumps with sort_keys); tsv keeps the order of an object a --query multiselect hash built (azure-cli
 * evaluates queries with OrderedDict) and sorts whole objects; table keeps the transformer's or the query's order
 * and sorts only an untransformed, unqueried result.
 */
export function formatResult(result: unknown, options: PrintOptions): string {
  if (result instanceof RawText) {
    const asData = options.query || (options.formatGiven && !(result.textIsYaml && options.format.startsWith('yaml')));
    if (result.data === undefined || !asData) return result.text;
    result = result.data;
  }
  if (result === undefined) return '';
  let data: unknown = result;
  let original: WeakSet<object> | undefined;
  if (options.query) {
    original = objectsIn(result);
    data = applyQuery(result, options.query);
  }
  if (data === null || data === undefined) return '';
  switch (options.format) {
    case 'none':
      return '';
    case 'json':
      return `${JSON.stringify(sortKeys(data), null, 2)}\n`;
    case 'jsonc':
      return `${colorJson(JSON.stringify(sortKeys(data), null, 2), options.color)}\n`;
    case 'yaml':
      return toYamlText(sortKeys(data));
    case 'yamlc':
      return colorYaml(toYamlText(sortKeys(data)), options.color);
    case 'tsv':
      return formatTsv(data, (o) => original !== undefined && !original.has(o));
    case 'table':
      if (!options.query && options.table) return formatTable(options.table(data), { color: options.color });
      return formatTable(data, { sortKeys: !options.query, color: options.color });
  }
}

/** az (knack) prints json, yaml and tsv with keys sorted at every level. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}

function toYamlText(data: unknown): string {
  return yaml.dump(data ?? null, { noRefs: true, lineWidth: -1 });
}

function colorJson(text: string, c: ChalkInstance): string {
  return text.replace(
    /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g,
    (m, str: string | undefined, colon: string | undefined, lit: string | undefined, num: string | undefined) => {
      if (str) return colon ? `${c.blue(str)}${colon}` : c.green(str);
      if (lit) return c.cyan(lit);
      if (num) return c.yellow(num);
      return m;
    },
  );
}

function colorYaml(text: string, c: ChalkInstance): string {
  return text.replace(
    /^(\s*(?:- )?)([^\s:#][^:]*?):(?=\s|$)/gm,
    (_m, pre: string, key: string) => `${pre}${c.blue(key)}:`,
  );
}

/** A table cell: Python's str() of the value, as tabulate prints it. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** knack leaves out of a table: id, type and etag, null values, and nested lists and objects. */
const TABLE_SKIP_KEYS = ['id', 'type', 'etag'];
const isTableValue = (value: unknown) => value !== null && value !== undefined && typeof value !== 'object';

/** One table row as knack's _auto_table_item builds it. */
function tableRow(item: unknown, sort: boolean): Map<string, unknown> {
  const row = new Map<string, unknown>();
  if (Array.isArray(item)) item.forEach((v, i) => row.set(`Column${i + 1}`, v));
  else if (item !== null && typeof item === 'object') {
    const keys = sort ? Object.keys(item).sort() : Object.keys(item);
    for (const k of keys) {
      const v = (item as Record<string, unknown>)[k];
      if (!TABLE_SKIP_KEYS.includes(k) && isTableValue(v)) row.set(k.charAt(0).toUpperCase() + k.slice(1), v);
    }
  } else row.set('Result', item);
  return row;
}

/** State columns coloured in a table when colour is on (az prints them plain; the words are the same). */
type StateColor = 'green' | 'yellow' | 'red';
const complianceColors: Record<string, StateColor> = { Compliant: 'green', Pending: 'yellow', 'Non-Compliant': 'red' };
const stateColors: Record<string, (value: string) => StateColor | undefined> = {
  ComplianceState: (v) => complianceColors[v],
  ProvisioningState: (v) => (v === 'Succeeded' ? 'green' : v === 'Failed' ? 'red' : v ? 'yellow' : undefined),
};

/**
 * az's table (knack + tabulate "simple"): capitalised headers, a dashes rule, two-space gaps. With `color`
 * (on only for a terminal), complianceState and provisioningState cells are coloured after padding.
 */
export function formatTable(data: unknown, options: { sortKeys?: boolean; color?: ChalkInstance } = {}): string {
  const rows = (Array.isArray(data) ? data : [data]).map((r) => tableRow(r, options.sortKeys ?? false));
  const headers: string[] = [];
  for (const row of rows) for (const key of row.keys()) if (!headers.includes(key)) headers.push(key);
  if (headers.length === 0) return '';
  const body = rows.map((row) => headers.map((h) => cell(row.get(h))));
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const paint = (v: string, i: number) => {
    const color = options.color?.level ? stateColors[headers[i]!]?.(v) : undefined;
    return color ? `${options.color![color](v)}${' '.repeat(widths[i]! - v.length)}` : v.padEnd(widths[i]!);
  };
  const line = (cells: string[], colored = false) =>
    cells
      .map((v, i) => (colored ? paint(v, i) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...body.map((r) => line(r, true))].join('\n') + '\n';
}

/** A tsv field as knack's _dump_obj writes it: a list's length, '' for an object, Python's str() otherwise. */
function tsvField(value: unknown): string {
  if (Array.isArray(value)) return String(value.length);
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'object') return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/**
 * az's tsv (knack's _TsvOutput): one line per list item; an object's values tab-separated, in key order when it
 * is a whole object and in the query's order when a --query built it (`ordered`); a bare boolean prints as
 * true/false, booleans inside a row as True/False, null as None.
 */
export function formatTsv(data: unknown, ordered: (o: object) => boolean = () => false): string {
  const rows = Array.isArray(data) ? data : [data];
  const out = rows.map((row) => {
    if (Array.isArray(row)) return row.map(tsvField).join('\t');
    if (row !== null && typeof row === 'object') {
      const record = row as Record<string, unknown>;
      const keys = ordered(record) ? Object.keys(record) : Object.keys(record).sort();
      return keys.map((k) => tsvField(record[k])).join('\t');
    }
    if (typeof row === 'boolean') return String(row);
    return tsvField(row);
  });
  return out.map((l) => `${l}\n`).join('');
}
