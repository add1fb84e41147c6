// `flux create` / `flux update` flags → the configuration (az §2.2, §2.3, §3 in az's order §3.14, plus the
// fixes of §9). Pure: files named by `*-file` flags are read only through the injected ReadFile. `create` is one parse;
// `update` is parsePatch (everything the flags alone decide) → read the live configuration → applyPatch.
import { UsageError } from '../errors.js';
import type { FluxConfiguration, KindFlag, KustomizationDefinition, ProtectedSettings } from './flux-configuration.js';
import { parseOptionalDuration } from './duration.js';
import {
  DEFAULT_KUSTOMIZATION_NAME,
  NO_KUSTOMIZATIONS_WARNING,
  mergeKustomization,
  parseKustomizationTokens,
  parseOptionalBool,
  withDefaults,
} from './kustomization-spec.js';
import {
  decodeInline,
  readCaCert,
  readKnownHosts,
  readPrivateKey,
  resolveSecretFiles,
  type ReadFile,
} from './secret-input.js';
import {
  checkAllowed,
  cliKind,
  kindSpec,
  mergeBlock,
  parseKind,
  setBlock,
  readSourceFlags,
  type SourceFlags,
  validateKindFull,
  type SourceInput,
} from './source-kinds/index.js';
import { parseOciVerify } from './source-kinds/oci.js';
import { checkSourceValues } from './source-kinds/values.js';
import { without, type Flags } from './source-kinds/params.js';
import { validateConfiguration, validateLabelName, validateSubdomainName } from './validate.js';

export type { Flags } from './source-kinds/params.js';
export type { ReadFile } from './secret-input.js';

export interface ParsedConfiguration {
  config: FluxConfiguration;
  protectedSettings: ProtectedSettings;
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Kustomizations (-k, one string[] per occurrence)

function kustomizationGroups(flags: Flags): string[][] | undefined {
  const raw = flags.kustomization;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) return [[String(raw)]];
  if (raw.length === 0) return [];
  if (raw.every((g) => Array.isArray(g))) return (raw as unknown[][]).map((g) => g.map(String));
  return [raw.map(String)];
}

interface KustomizationPatches {
  readonly patches: [string, KustomizationDefinition][];
  readonly warnings: string[];
}

/** Parses every `-k` occurrence; a name given twice is an error (az: the last one silently wins). */
function parseKustomizationFlags(flags: Flags): KustomizationPatches | undefined {
  const groups = kustomizationGroups(flags);
  if (!groups || groups.length === 0) return undefined;
  const seen = new Set<string>();
  const patches: [string, KustomizationDefinition][] = [];
  const warnings: string[] = [];
  for (const group of groups) {
    const parsed = parseKustomizationTokens(group);
    if (seen.has(parsed.name)) {
      throw new UsageError(
        `Error! Invalid kustomization list. Kustomization name '${parsed.name}' duplicated in multiple Kustomization objects`,
        { hint: 'Ensure that all Kustomization names are unique and try again' },
      );
    }
    seen.add(parsed.name);
    patches.push([parsed.name, parsed.patch]);
    warnings.push(...parsed.warnings);
  }
  return { patches, warnings };
}

// ---------------------------------------------------------------------------------------------------------------
// Source flags read on their own

/** Secrets that go to the auth Secret only (never into the configuration or its annotation). */
function protectedFrom(f: SourceFlags, sshPrivateKey: string | undefined): ProtectedSettings {
  return without({
    sshPrivateKey,
    httpsKey: f.str('https_key'),
    bucketSecretKey: f.str('bucket_secret_key'),
    accountKey: f.str('account_key'),
    sasToken: f.str('sas_token'),
    spClientSecret: f.str('sp_client_secret'),
    spClientCertificate: decodeInline(f, 'sp_client_cert'),
    spClientCertificatePassword: f.str('sp_client_cert_password'),
    tlsPrivateKey: decodeInline(f, 'tls_private_key'),
  } satisfies ProtectedSettings);
}

/** Durations and files of the source flags; the kind's allow-list first when the kind is known. */
function readSourceInput(kind: KindFlag | undefined, f: SourceFlags, readFile: ReadFile): SourceInput {
  if (kind) checkAllowed(kind, f);
  const timeout = parseOptionalDuration(f.values.timeout, '--timeout');
  const syncInterval = parseOptionalDuration(f.values.sync_interval, '--sync-interval');
  const knownHosts = readKnownHosts(f, readFile);
  const caCert = readCaCert(f, readFile);
  return { f, timeout, syncInterval, knownHosts, caCert };
}

function requireName(flags: Flags): string {
  const name = flags.name;
  if (name === undefined || name === null) {
    throw new UsageError("required option '-n, --name <name>' not specified", {
      hint: 'Pass the configuration name with -n/--name',
    });
  }
  return String(name);
}

// ---------------------------------------------------------------------------------------------------------------
// create

/**
 * `flux create`: all of az §3 in az's order (§3.14), az messages (UsageError, help as hint), plus the gaps fixed
 * (§9). Without -k: the az warning and the default kustomization `kustomization-1`.
 */
export function parseCreate(givenFlags: Flags, readFile: ReadFile): ParsedConfiguration {
  const flags = resolveSecretFiles(givenFlags, readFile);
  const warnings: string[] = [];
  const ks = parseKustomizationFlags(flags);
  const name = requireName(flags);
  validateSubdomainName(name, '--name', 63);
  const namespace = flags.namespace === undefined || flags.namespace === null ? 'default' : String(flags.namespace);
  validateLabelName(namespace, '--namespace', 253);
  const scope = String(flags.scope ?? 'cluster');
  if (scope !== 'cluster' && scope !== 'namespace') {
    throw new UsageError(`argument --scope/-s: invalid choice: '${scope}' (choose from 'cluster', 'namespace')`, {
      hint: 'Use --scope cluster or --scope namespace',
    });
  }
  const kind = parseKind(flags.kind ?? 'git');
  const f = readSourceFlags(flags);
  const input = readSourceInput(kind, f, readFile);
  validateKindFull(kind, f);
  checkSourceValues(f); // after az's own checks, so az's messages come first
  const sshPrivateKey = readPrivateKey(f, readFile);
  const suspend = parseOptionalBool(flags.suspend, '--suspend') ?? false;

  const kustomizations: Record<string, KustomizationDefinition> = {};
  if (ks) {
    for (const [kname, patch] of ks.patches) kustomizations[kname] = withDefaults(kname, patch);
    warnings.push(...ks.warnings);
  } else {
    warnings.push(NO_KUSTOMIZATIONS_WARNING);
    kustomizations[DEFAULT_KUSTOMIZATION_NAME] = withDefaults(DEFAULT_KUSTOMIZATION_NAME, {});
  }
  const config: FluxConfiguration = {
    name,
    namespace,
    scope: scope,
    sourceKind: kindSpec(kind).sourceKind,
    suspend,
    kustomizations,
  };
  setBlock(config, kind, input, true);
  validateConfiguration(config);
  return { config, protectedSettings: protectedFrom(f, sshPrivateKey), warnings };
}

// ---------------------------------------------------------------------------------------------------------------
// update

/** What `flux update`'s flags say, checked on their own (before the live configuration is read). */
export interface ConfigurationPatch {
  readonly name: string;
  /** `--kind` when given (its allow-list already checked). */
  readonly kind?: KindFlag;
  readonly source: SourceInput;
  readonly suspend?: boolean;
  readonly kustomizations?: KustomizationPatches;
  /** Only the secrets given now: the command keeps the live ones for the rest. */
  readonly protectedSettings: ProtectedSettings;
  readonly warnings: string[];
}

/**
 * `flux update`, first half: everything the flags alone decide (durations, booleans, files, keys, -k entries,
 * `--kind` and its allow-list). What depends on the live configuration (the allow-list of its kind when --kind is
 * not given, a kind change's required properties, the merged URL and auth) is checked by applyPatch.
 */
export function parsePatch(givenFlags: Flags, readFile: ReadFile): ConfigurationPatch {
  const flags = resolveSecretFiles(givenFlags, readFile);
  const ks = parseKustomizationFlags(flags);
  const name = requireName(flags);
  validateSubdomainName(name, '--name', 63);
  const kind = flags.kind === undefined || flags.kind === null ? undefined : parseKind(flags.kind);
  const f = readSourceFlags(flags);
  const source = readSourceInput(kind, f, readFile);
  const sshPrivateKey = readPrivateKey(f, readFile);
  const protectedSettings = protectedFrom(f, sshPrivateKey);
  parseOciVerify(f); // the entries of --match-oidc-identity / --verification-config, whatever the kind
  checkSourceValues(f);
  const suspend = parseOptionalBool(flags.suspend, '--suspend');
  return { name, kind, source, suspend, kustomizations: ks, protectedSettings, warnings: [...(ks?.warnings ?? [])] };
}

/**
 * `flux update`, second half (az §4.1), pure: kustomizations merged by name field by field (fields not given are
 * kept), source block fields merged, a kind change runs the full validation of the new kind and drops the other
 * kinds' blocks, scope and namespace immutable.
 */
export function applyPatch(
  existing: FluxConfiguration,
  patch: ConfigurationPatch,
): ParsedConfiguration & { kindChanged: boolean } {
  const existingKind = cliKind(existing.sourceKind);
  const kind = patch.kind ?? existingKind;
  const kindChanged = kind !== existingKind;
  const { f } = patch.source;
  if (!patch.kind) checkAllowed(kind, f);
  const config: FluxConfiguration = structuredClone(existing);
  if (kindChanged) {
    validateKindFull(kind, f);
    setBlock(config, kind, patch.source, true);
  } else {
    mergeBlock(config, kind, patch.source);
  }
  if (patch.suspend !== undefined) config.suspend = patch.suspend;
  for (const [kname, k] of patch.kustomizations?.patches ?? []) {
    const old = config.kustomizations[kname];
    config.kustomizations[kname] = old ? mergeKustomization(old, k) : withDefaults(kname, k);
  }
  validateConfiguration(config);
  return { config, protectedSettings: patch.protectedSettings, warnings: [...patch.warnings], kindChanged };
}

/** parsePatch then applyPatch, for callers that already hold the live configuration. */
export function parseUpdate(
  existing: FluxConfiguration,
  flags: Flags,
  readFile: ReadFile,
): ParsedConfiguration & { kindChanged: boolean } {
  return applyPatch(existing, parsePatch({ ...flags, name: flags.name ?? existing.name }, readFile));
}
