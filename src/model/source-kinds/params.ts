// The source flags as az names them (its parameter names), where the parsed flags hold them, and their reading:
// '' counts as not given (as in az), the boolean flags parsed strictly. Shared by every source kind.
import { UsageError } from '../../errors.js';
import type { KindFlag } from '../flux-configuration.js';
import { parseOptionalBool } from '../kustomization-spec.js';
import { attributeOf, flagName, type FlagSpec } from './flag-spec.js';
import type { SourceParam } from './index.js';

export type Flags = Record<string, unknown>;

export type { SourceParam } from './index.js';

/** `'--param-name'`, as az quotes a parameter in its messages. */
export const pretty = (p: string) => `'--${p.replace(/_/g, '-')}'`;

/** Drops the undefined fields (the model never holds an explicit undefined). */
export function without<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The fields given, as a partial block to spread over an old one. */
export function given<T extends object>(o: T): Partial<T> {
  return without(o);
}

/** The source flag values, strings as given, booleans parsed strictly; '' counts as not given (as in az). */
export class SourceFlags {
  readonly values: Partial<Record<SourceParam, unknown>> = {};
  /** `table`: every source flag (./index.ts SOURCE_FLAGS), in az's order. */
  constructor(
    flags: Flags,
    private readonly table: Readonly<Record<SourceParam, FlagSpec>>,
  ) {
    for (const [param, spec] of Object.entries(table) as [SourceParam, FlagSpec][]) {
      const raw = flags[attributeOf(spec)];
      if (raw === undefined || raw === null || raw === '') continue;
      this.values[param] = spec.type === 'bool' ? parseOptionalBool(raw, flagName(spec)) : raw;
    }
  }
  str(p: SourceParam): string | undefined {
    const v = this.values[p];
    return v === undefined ? undefined : String(v);
  }
  bool(p: SourceParam): boolean | undefined {
    return this.values[p] as boolean | undefined;
  }
  list(p: SourceParam): string[] | undefined {
    const v = this.values[p];
    if (v === undefined) return undefined;
    return Array.isArray(v) ? v.map(String) : [String(v)];
  }
  /** az "truthy": given and not false. */
  truthy(p: SourceParam): boolean {
    const v = this.values[p];
    return v !== undefined && v !== false && !(Array.isArray(v) && v.length === 0);
  }
  /** The params given (truthy), in the table's order. */
  given(): SourceParam[] {
    return (Object.keys(this.table) as SourceParam[]).filter((p) => this.truthy(p));
  }
}

/** The source flags read and checked on their own (durations, files): what every kind's block is built from. */
export interface SourceInput {
  readonly f: SourceFlags;
  readonly timeout?: number;
  readonly syncInterval?: number;
  /** base64 known_hosts (inline or from --known-hosts-file), validated. */
  readonly knownHosts?: string;
  /** base64 CA certificate (inline or from --https-ca-cert-file). */
  readonly caCert?: string;
}

export const INVALID_URL_HELP = "Url must begin with one of ['http://', 'https://', 'git@', 'ssh://']";

export function invalidUrl(hint: string): UsageError {
  return new UsageError('Error! Invalid --url.', { hint });
}

/** Python urlparse(url).scheme in (http, https). */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

export type { KindFlag };
