// How a source flag is declared, as plain data (src/model does not use commander; the flux verbs declare the
// commander options from these tables). Each kind declares the flags only it has; the common ones are here.

export interface FlagSpec {
  /** commander flags: short/long names and the value, e.g. `'--sp-client-id, --service-principal-client-id <id>'`. */
  readonly flags: string;
  readonly description: string;
  /** `bool`: `[bool]`, strict true/false, alone = true. `list`: repeatable, every value kept. */
  readonly type?: 'bool' | 'list';
  readonly choices?: readonly string[];
}

/** The flags several kinds have (the kind's `params` say which accept them). */
export const COMMON_FLAGS = {
  url: { flags: '-u, --url <url>', description: 'URL of the source to reconcile' },
  timeout: {
    flags: '--timeout <duration>',
    description: 'Maximum time to reconcile the source before timing out (e.g. 10m, 1h2m5s)',
  },
  sync_interval: {
    flags: '--interval, --sync-interval <duration>',
    description: 'Time between reconciliations of the source on the cluster',
  },
  tag: { flags: '--tag <tag>', description: 'Tag within the git or OCI source to reconcile with the cluster' },
  semver: {
    flags: '--semver <range>',
    description: 'Semver range within the git or OCI source to reconcile with the cluster',
  },
  local_auth_ref: {
    flags: '--local-ref, --local-auth-ref <secret>',
    description:
      'Local reference to a kubernetes secret in the configuration namespace to use for communication to the source',
  },
} as const satisfies Record<string, FlagSpec>;

/** The attribute commander stores a flag under: its last long name, camel-cased. */
export function attributeOf(spec: FlagSpec): string {
  const longs = [...spec.flags.matchAll(/--([\w-]+)/g)].map((m) => m[1]!);
  return longs.at(-1)!.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());
}

/** The name az's messages use for a flag: its first long name. */
export function flagName(spec: FlagSpec): string {
  return /--[\w-]+/.exec(spec.flags)![0];
}
