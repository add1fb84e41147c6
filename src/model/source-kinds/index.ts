// The table of source kinds: everything kind-specific about a configuration's source lives in its entry
// (./git.ts, ./bucket.ts, ./azblob.ts, ./oci.ts). Adding a kind is one entry here plus its file and tests.
import { UsageError } from '../../errors.js';
import { DEFAULT_INTERVAL_SECONDS } from '../naming.js';
import type { FluxConfiguration, KindFlag, SourceKind } from '../flux-configuration.js';
import { AZBLOB_FLAGS, azblob } from './azblob.js';
import { BUCKET_FLAGS, bucket } from './bucket.js';
import { COMMON_FLAGS, type FlagSpec } from './flag-spec.js';
import { GIT_FLAGS, git } from './git.js';
import { blockOf, type BlockKey, type SourceKindSpec } from './kind.js';
import { OCI_FLAGS, oci } from './oci.js';
import { invalidUrl, pretty, SourceFlags, type Flags, type SourceInput } from './params.js';

/** Any kind's block. The table erases each entry's own block type: an entry only reads and writes its `blockKey`. */
type Block = NonNullable<FluxConfiguration[BlockKey]>;
export const SOURCE_KINDS = { git, bucket, azblob, oci } as unknown as Record<KindFlag, SourceKindSpec<Block>>;

/** The configuration's source blocks by key (every key holds a Block). */
const blocks = (config: FluxConfiguration) => config as Partial<Record<BlockKey, Block>>;

/** Every source flag by its az parameter name: the common ones, then each kind's own. */
const ALL_FLAGS = { ...COMMON_FLAGS, ...GIT_FLAGS, ...BUCKET_FLAGS, ...AZBLOB_FLAGS, ...OCI_FLAGS };
export type SourceParam = keyof typeof ALL_FLAGS;

/**
 * az's parameter order (its create function's arguments): the order of names in az's messages. A parameter not
 * listed (a new kind's) comes after these.
 */
const AZ_ORDER: readonly SourceParam[] = [
  'url',
  'bucket_name',
  'timeout',
  'sync_interval',
  'branch',
  'tag',
  'semver',
  'commit',
  'local_auth_ref',
  'ssh_private_key',
  'ssh_private_key_file',
  'https_user',
  'https_key',
  'https_ca_cert',
  'https_ca_cert_file',
  'known_hosts',
  'known_hosts_file',
  'provider',
  'bucket_access_key',
  'bucket_secret_key',
  'bucket_insecure',
  'container_name',
  'account_key',
  'sas_token',
  'sp_tenant_id',
  'sp_client_id',
  'sp_client_cert',
  'sp_client_cert_password',
  'sp_client_secret',
  'sp_client_cert_send_chain',
  'mi_client_id',
  'digest',
  'oci_media_type',
  'oci_operation',
  'tls_ca_certificate',
  'tls_client_certificate',
  'tls_private_key',
  'service_account_name',
  'use_workload_identity',
  'oci_insecure',
  'verification_provider',
  'match_oidc_identity',
  'verification_config',
];
function rank(p: string): number {
  const i = (AZ_ORDER as readonly string[]).indexOf(p);
  return i < 0 ? AZ_ORDER.length : i;
}

/** Every source flag by its az parameter name, in az's order. */
export const SOURCE_FLAGS = Object.fromEntries(
  Object.entries(ALL_FLAGS).sort(([a], [b]) => rank(a) - rank(b)),
) as typeof ALL_FLAGS;
/** The source flags grouped for --help: the common ones, then each kind's own. */
export const sourceFlagSpecs: Readonly<Record<SourceParam, FlagSpec>> = ALL_FLAGS;

/** The source flags of a command line, read (booleans strictly) into az's parameter names. */
export function readSourceFlags(flags: Flags): SourceFlags {
  return new SourceFlags(flags, SOURCE_FLAGS);
}

export function kindSpec(kind: KindFlag): SourceKindSpec<Block> {
  return SOURCE_KINDS[kind];
}

/** The `--kind` value of a sourceKind. */
export function cliKind(sourceKind: SourceKind): KindFlag {
  return Object.values(SOURCE_KINDS).find((k) => k.sourceKind === sourceKind)!.flag;
}

export function parseKind(value: unknown): KindFlag {
  const kind = String(value);
  if (!Object.hasOwn(SOURCE_KINDS, kind)) {
    const names = Object.keys(SOURCE_KINDS);
    const choices = names.map((n) => `'${n}'`).join(', ');
    throw new UsageError(`argument --kind: invalid choice: '${kind}' (choose from ${choices})`, {
      hint: `Use --kind ${names.slice(0, -1).join(', ')} or ${names.at(-1)}`,
    });
  }
  return kind as KindFlag;
}

/** az: "Invalid properties [...] were specified for kind". */
export function checkAllowed(kind: KindFlag, f: SourceFlags): void {
  const valid = SOURCE_KINDS[kind].params;
  const bad = f.given().filter((p) => !valid.includes(p));
  if (bad.length > 0) {
    throw new UsageError(`Error! Invalid properties [${bad.map(pretty).join(',')}] were specified for kind '${kind}'`, {
      hint: `Valid properties for kind '${kind}' include [${valid.map(pretty).join(',')}]`,
    });
  }
}

function checkRequired(kind: KindFlag, f: SourceFlags): void {
  const missing = SOURCE_KINDS[kind].required.filter((p) => !f.truthy(p));
  if (missing.length > 0) {
    throw new UsageError(
      `Error! Required properties [${missing.map(pretty).join(',')}] were not specified for kind '${kind}'`,
      {
        hint: 'Add the missing required properties and try again',
      },
    );
  }
}

export function checkUrl(kind: KindFlag, url: string): void {
  const spec = SOURCE_KINDS[kind];
  if (!spec.urlOk(url)) throw invalidUrl(spec.urlHint);
}

/** Full validation of a kind (create, and update when the kind changes): az's order (§3.14) after the durations. */
export function validateKindFull(kind: KindFlag, f: SourceFlags): void {
  checkRequired(kind, f);
  const url = f.str('url')!;
  checkUrl(kind, url);
  SOURCE_KINDS[kind].validate(f, url);
}

function withSourceDefaults<T extends { timeoutInSeconds?: number; syncIntervalInSeconds?: number }>(block: T): T {
  return {
    ...block,
    timeoutInSeconds: block.timeoutInSeconds ?? DEFAULT_INTERVAL_SECONDS,
    syncIntervalInSeconds: block.syncIntervalInSeconds ?? DEFAULT_INTERVAL_SECONDS,
  };
}

/** Replaces the source of `config` by a new block of `kind` (create; update to another kind). */
export function setBlock(config: FluxConfiguration, kind: KindFlag, s: SourceInput, create: boolean): void {
  for (const spec of Object.values(SOURCE_KINDS)) delete config[spec.blockKey];
  const spec = SOURCE_KINDS[kind];
  config.sourceKind = spec.sourceKind;
  blocks(config)[spec.blockKey] = withSourceDefaults(spec.block(s, create));
}

/** The URL the source has after an update (given, or kept). */
export function mergedUrl(config: FluxConfiguration, f: SourceFlags): string | undefined {
  const kept = Object.values(SOURCE_KINDS).map((k) => blockOf(config, k)?.url);
  return f.str('url') ?? kept.find(Boolean);
}

/** Same-kind update: the checks of the kind, then its field-by-field merge. */
export function mergeBlock(config: FluxConfiguration, kind: KindFlag, s: SourceInput): void {
  const spec = SOURCE_KINDS[kind];
  const old = blockOf(config, spec);
  // az leaves these checks to the service; fluxcfg is the service, so the merged result is checked.
  const url = mergedUrl(config, s.f)!;
  if (s.f.truthy('url')) checkUrl(kind, url);
  spec.validateUpdate(s.f, url, old);
  blocks(config)[spec.blockKey] = spec.merge(old, s);
}

export type { SourceKindSpec } from './kind.js';
export { SourceFlags, type SourceInput, type Flags } from './params.js';
export type { FlagSpec } from './flag-spec.js';
