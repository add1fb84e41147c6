import yaml from 'js-yaml';
import { search } from '@jmespath-community/jmespath';
import type { ChalkInstance } from 'chalk';
import { UsageError } from '../errors.js';

export const outputFormats = ['json', 'jsonc', 'yaml', 'yamlc', 'table', 'tsv', 'none'] as const;
export type OutputFormat = (typeof outputFormats)[number];

/**
 * A command result that is already text (e.g. `--export` YAML): printed as is. When it also carries `data` (the
 * same content as a value), an explicit `-o` other than yaml, or a --query, prints the data in that format instead.
 */
export class RawText {
  constructor(
    readonly text: string,
    readonly data?: unknown,
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

export function applyQuery(result: unknown, query: string): unknown {
  try {
    return search(result as never, query);
  } catch (err) {
    throw new UsageError(`argument --query: invalid jmespath_type value: '${query}'`, {
      hint: `${(err as Error).message}. See https://jmespath.org for the syntax.`,
      cause: err,
    });
  }
}

/** Renders a command result the way az does; returns '' when nothing is to be printed. */
export function formatResult(result: unknown, options: PrintOptions): string {
  if (result instanceof RawText) {
    const asData = options.query || (options.formatGiven && !options.format.startsWith('yaml'));
    if (result.data === undefined || !asData) return result.text;
    result = result.data;
  }
  if (result === undefined) return '';
  let data: unknown = result;
  if (options.query) data = applyQuery(data, options.query);
  switch (options.format) {
    case 'none':
      return '';
    case 'json':
      return `${JSON.stringify(sortKeys(data) ?? null, null, 2)}\n`;
    case 'jsonc':
      return `${colorJson(JSON.stringify(sortKeys(data) ?? null, null, 2), options.color)}\n`;
    case 'yaml':
      return toYamlText(sortKeys(data));
    case 'yamlc':
      return colorYaml(toYamlText(sortKeys(data)), options.color);
    case 'tsv':
      return formatTsv(sortKeys(data));
    case 'table':
      return formatTable(!options.query && options.table ? options.table(data) : data);
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
  return text.replace(/("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g,
    (m, str: string | undefined, colon: string | undefined, lit: string | undefined, num: string | undefined) => {
      if (str) return colon ? `${c.blue(str)}${colon}` : c.green(str);
      if (lit) return c.cyan(lit);
      if (num) return c.yellow(num);
      return m;
    });
}

function colorYaml(text: string, c: ChalkInstance): string {
  return text.replace(/^(\s*(?:- )?)([^\s:#][^:]*?):(?=\s|$)/gm, (_m, pre: string, key: string) => `${pre}${c.blue(key)}:`);
}

/** Scalars as az prints them in table and tsv output (Python's str()). */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'object') return '';
  return String(value);
}

function isScalar(value: unknown): boolean {
  return value === null || value === undefined || typeof value !== 'object';
}

function rowsOf(data: unknown): Record<string, unknown>[] {
  const list = Array.isArray(data) ? data : [data];
  return list.filter((r) => r !== undefined).map((r) => (r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : { Result: r }));
}

/** az's table: capitalised headers, a dashes rule, two-space gaps; nested values are left out. */
export function formatTable(data: unknown): string {
  const rows = rowsOf(data);
  if (rows.length === 0) return '';
  const columns: string[] = [];
  for (const row of rows)
    for (const [key, value] of Object.entries(row)) if (isScalar(value) && !columns.includes(key)) columns.push(key);
  if (columns.length === 0) return '';
  const headers = columns.map((k) => k.charAt(0).toUpperCase() + k.slice(1));
  const body = rows.map((row) => columns.map((k) => cell(row[k])));
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n') + '\n';
}

export function formatTsv(data: unknown): string {
  if (data === null || data === undefined) return '';
  const list = Array.isArray(data) ? data : [data];
  const out = list.map((row) => {
    if (row !== null && typeof row === 'object' && !Array.isArray(row))
      return Object.values(row).filter(isScalar).map(cell).join('\t');
    if (Array.isArray(row)) return row.filter(isScalar).map(cell).join('\t');
    return cell(row);
  });
  return out.length ? `${out.join('\n')}\n` : '';
}
