// Command-line parsing as Go's spf13/pflag does it (fluxd and helm-operator use it), Go durations, and the shell-like
// split of az's `operatorParams` string. Pure: no I/O.

export type FlagType = 'string' | 'bool' | 'stringSlice' | 'duration' | 'int' | 'float';

export interface FlagSpec {
  type: FlagType;
  /** The value when the flag is not given (string form for scalars, list for slices). */
  default?: string | boolean | string[];
  /** One-letter alias (`-l` for `--listen`). */
  shorthand?: string;
}

export type FlagValue = string | boolean | string[];

export interface ParsedFlags {
  /** Every known flag that was given, with its final value (last wins; slices accumulate). */
  values: Record<string, FlagValue>;
  /** Names of the known flags given, in the order first seen. */
  given: string[];
  /** Flags the spec does not know (fluxd would refuse to start; kept so the plan can show them). */
  unknown: { name: string; value?: string }[];
  /** Arguments that are not flags (fluxd takes none). */
  positional: string[];
  /** Values pflag would reject (`--git-readonly=maybe`, `--git-poll-interval=soon`, a missing value). */
  errors: string[];
}

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** Go's strconv.ParseBool. */
export function parseGoBool(value: string): boolean | undefined {
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  return undefined;
}

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** Go's time.ParseDuration in seconds (`5m`, `1h30m`, `1.5h`, `500ms`, `0`); undefined when Go would reject it. */
export function parseGoDuration(value: string): number | undefined {
  let s = value.trim();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/;
  let total = 0;
  while (s.length > 0) {
    const m = part.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
    s = s.slice(m[0].length);
  }
  return sign * total;
}

/** pflag's readAsCSV for slice values: comma-separated, double quotes allowed, `""` → []. */
export function splitCsv(value: string): string[] {
  if (value === '') return [];
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted) {
      if (c === '"' && value[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function checkValue(type: FlagType, name: string, value: string): string | undefined {
  let ok = true;
  if (type === 'bool') ok = parseGoBool(value) !== undefined;
  else if (type === 'duration') ok = parseGoDuration(value) !== undefined;
  else if (type === 'int') ok = /^[+-]?\d+$/.test(value);
  else if (type === 'float') ok = Number.isFinite(Number(value)) && value.trim() !== '';
  return ok ? undefined : `invalid argument "${value}" for "--${name}" flag`;
}

/**
 * Parses `args` as pflag does: `--flag=value` and `--flag value` (a value is taken even when it starts with `-`),
 * booleans as `--flag` or `--flag=false` (never `--flag false`), slices comma-separated and accumulated over repeats,
 * scalars last-wins, `--` ends the flags. Unknown flags are kept: their value is the text after `=`, else the next
 * argument when it does not look like a flag (fluxd takes no positional arguments).
 */
export function parseFlags(args: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedFlags {
  const out: ParsedFlags = { values: {}, given: [], unknown: [], positional: [], errors: [] };
  const shorthands = new Map(
    Object.entries(spec)
      .filter(([, s]) => s.shorthand)
      .map(([name, s]) => [s.shorthand!, name]),
  );
  const set = (name: string, value: string) => {
    const type = spec[name]!.type;
    const error = checkValue(type, name, value);
    if (error) {
      out.errors.push(error);
      return;
    }
    if (!out.given.includes(name)) out.given.push(name);
    if (type === 'stringSlice') {
      const prev = out.values[name];
      out.values[name] = [...(Array.isArray(prev) ? prev : []), ...splitCsv(value)];
    } else if (type === 'bool') {
      out.values[name] = parseGoBool(value)!;
    } else {
      out.values[name] = value;
    }
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.positional.push(...args.slice(i + 1));
      break;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      if (name === '' || name.startsWith('-') || name.startsWith('=')) {
        out.errors.push(`bad flag syntax: ${arg}`);
        continue;
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      const short = arg[1]!;
      const long = shorthands.get(short);
      const rest = arg.slice(2);
      if (!long) {
        out.unknown.push({ name: arg.slice(1, 2), value: rest.replace(/^=/, '') || undefined });
        continue;
      }
      name = long;
      inline = rest === '' ? undefined : rest.replace(/^=/, '');
    } else {
      out.positional.push(arg);
      continue;
    }
    const flag = spec[name];
    if (!flag) {
      let value = inline;
      if (value === undefined && i + 1 < args.length && !args[i + 1]!.startsWith('-')) value = args[++i];
      out.unknown.push(value === undefined ? { name } : { name, value });
      continue;
    }
    if (inline !== undefined) set(name, inline);
    else if (flag.type === 'bool') set(name, 'true');
    else if (i + 1 < args.length) set(name, args[++i]!);
    else out.errors.push(`flag needs an argument: --${name}`);
  }
  return out;
}

/**
 * Splits az's `operatorParams` (one string, e.g. `'--git-readonly --git-path=a,b'`) into arguments the way a POSIX
 * shell would: whitespace separates, single and double quotes group, backslash escapes outside single quotes.
 * The outer quotes az's docs ask for (`--operator-params='...'`) are often kept in the stored value: a value wrapped
 * in one pair of quotes is unwrapped first.
 */
export function splitArgs(text: string): string[] {
  let s = text.trim();
  if (s.length >= 2 && ((s.startsWith("'") && s.endsWith("'")) || (s.startsWith('"') && s.endsWith('"')))) {
    const inner = s.slice(1, -1);
    if (!inner.includes(s[0]!)) s = inner;
  }
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur !== '') out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has || cur !== '') out.push(cur);
  return out;
}
