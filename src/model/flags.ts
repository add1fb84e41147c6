// The flags of `flux create` / `flux update` (az §2.2, §2.3) and their parsing with az's validation rules (§3) in
// az's order (§3.14), plus the fixes of §9. Pure: files are read only through the injected ReadFile.
import { Option, type Command } from 'commander';
import { UsageError, UserError } from '../errors.js';
import {
  kindFlagToSourceKind,
  type AzureBlobDefinition,
  type BucketDefinition,
  type FluxConfiguration,
  type GitRepositoryDefinition,
  type KindFlag,
  type KustomizationDefinition,
  type OciRepositoryDefinition,
  type ProtectedSettings,
  type Scope,
  type SourceKind,
} from './flux-configuration.js';
import { parseOptionalDuration } from './duration.js';
import {
  DEFAULT_KUSTOMIZATION_NAME,
  NO_KUSTOMIZATIONS_WARNING,
  mergeKustomization,
  parseKustomizationTokens,
  parseOptionalBool,
  withDefaults,
} from './kustomization-spec.js';
import { checkPrivateKey, decodeBase64, toBase64, validateKnownHostsBase64 } from './ssh.js';
import { validateConfiguration, validateLabelName, validateSubdomainName } from './validate.js';

export type Flags = Record<string, unknown>;
export { parseOptionalBool } from './kustomization-spec.js';
/** Reads a file as UTF-8 text; throws on error (the command passes fs.readFileSync utf8). */
export type ReadFile = (path: string) => string;

export interface ParsedConfiguration {
  config: FluxConfiguration;
  protectedSettings: ProtectedSettings;
  warnings: string[];
}

/** Seconds the service stores for source and kustomization interval/timeout when none is given. */
export const DEFAULT_INTERVAL_SECONDS = 600;

/** A three-state az boolean flag: undefined when not given, `true` alone, else strictly true/false (UsageError). */
export function parseBool(value: unknown, flagName: string): boolean | undefined {
  return parseOptionalBool(value, flagName);
}

// ---------------------------------------------------------------------------------------------------------------
// Declaration

/** Each `-k` occurrence's first value is tagged with this before commander sees it, so occurrences stay apart. */
const OCCURRENCE_MARK = '\u0000';

/** commander argParser of `-k`: one string[] per occurrence. */
function collectKustomization(value: string, previous: unknown): string[][] {
  const groups = Array.isArray(previous) ? (previous as string[][]).map((g) => [...g]) : [];
  if (value.startsWith(OCCURRENCE_MARK) || groups.length === 0) groups.push([value.replace(OCCURRENCE_MARK, '')]);
  else groups[groups.length - 1]!.push(value);
  return groups;
}

function collectList(value: string, previous: unknown): string[] {
  return [...(Array.isArray(previous) ? (previous as string[]) : []), value];
}

/**
 * Tags the first value of every `-k/--kustomization` occurrence (commander itself merges the values of all
 * occurrences of a variadic option into one list). Mirrors commander's own walk over the arguments.
 */
function markKustomizationOccurrences(cmd: Command, args: string[]): string[] {
  const out = [...args];
  const find = (arg: string) => cmd.options.find((o) => o.short === arg || o.long === arg);
  const isKustomization = (arg: string) => find(arg)?.attributeName() === 'kustomization';
  let variadic = false;
  for (let i = 0; i < out.length; i++) {
    const arg = out[i]!;
    if (arg === '--') break;
    const looksLikeOption = arg.length > 1 && arg.startsWith('-');
    if (variadic && !looksLikeOption) continue;
    variadic = false;
    if (!looksLikeOption) continue;
    const option = find(arg);
    if (option) {
      if (isKustomization(arg)) {
        if (i + 1 < out.length) out[i + 1] = OCCURRENCE_MARK + out[i + 1]!;
        i++;
        variadic = true;
      } else if (option.required) {
        i++;
        variadic = option.variadic;
      } else if (option.optional) {
        const next = out[i + 1];
        if (next !== undefined && !(next.length > 1 && next.startsWith('-'))) i++;
        variadic = option.variadic;
      }
      continue;
    }
    if (!arg.startsWith('--') && arg.length > 2 && isKustomization(arg.slice(0, 2))) {
      out[i] = arg.slice(0, 2) + OCCURRENCE_MARK + arg.slice(2); // -kname=x
      continue;
    }
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0 && isKustomization(arg.slice(0, eq))) {
      out[i] = arg.slice(0, eq + 1) + OCCURRENCE_MARK + arg.slice(eq + 1); // --kustomization=name=x
    }
  }
  return out;
}

function boolOption(flags: string, description: string): Option {
  return new Option(flags, `${description} (true|false; alone = true)`);
}

/**
 * Declares every source/auth/suspend/kustomization flag of az §2.2 (create) / §2.3 (update) on `cmd`.
 * Not declared here: --no-wait, --wait, --wait-timeout, --export, --export-secrets, --dry-run, --no-validate,
 * --no-install-extension, --yes (the command adds them) and the global flags of the root program.
 */
export function declareConfigurationFlags(cmd: Command, verb: 'create' | 'update'): void {
  cmd.requiredOption('-n, --name <name>', 'Name of the flux configuration');
  if (verb === 'create') {
    cmd.addOption(
      new Option('-s, --scope <scope>', "Specify scope of the operator to be 'namespace' or 'cluster'")
        .choices(['cluster', 'namespace'])
        .default('cluster'),
    );
    cmd.addOption(new Option('--ns, --namespace <namespace>', 'Namespace to deploy the configuration').default('default'));
  }
  const kind = new Option('--kind <kind>', 'Source kind to reconcile').choices(['git', 'bucket', 'azblob', 'oci']);
  cmd.addOption(verb === 'create' ? kind.default('git') : kind);
  cmd.option('-u, --url <url>', 'URL of the source to reconcile');
  cmd.option('--timeout <duration>', 'Maximum time to reconcile the source before timing out (e.g. 10m, 1h2m5s)');
  cmd.option('--interval, --sync-interval <duration>', 'Time between reconciliations of the source on the cluster');
  // Git Repo Ref / OCI Repo Ref
  cmd.option('--branch <branch>', 'Branch within the git source to reconcile with the cluster');
  cmd.option('--tag <tag>', 'Tag within the git or OCI source to reconcile with the cluster');
  cmd.option('--semver <range>', 'Semver range within the git or OCI source to reconcile with the cluster');
  cmd.option('--commit <sha>', 'Commit within the git source to reconcile with the cluster');
  cmd.option('--digest <digest>', 'Digest of the OCI artifact to reconcile with the cluster');
  // Git Auth
  cmd.option('--ssh-private-key <base64>', 'Base64-encoded private ssh key for private repository sync');
  cmd.option('--ssh-private-key-file <path>', 'File path to private ssh key for private repository sync');
  cmd.option('--https-user <user>', 'HTTPS username for private repository sync');
  cmd.option('--https-key <key>', 'HTTPS token/password for private repository sync');
  cmd.option('--https-ca-cert <base64>', 'Base64-encoded HTTPS CA certificate for TLS communication with private repository sync');
  cmd.option('--https-ca-cert-file <path>', 'File path to HTTPS CA certificate file for TLS communication with private repository sync');
  cmd.option('--known-hosts <base64>', 'Base64-encoded known_hosts data containing public SSH keys required to access private Git instances');
  cmd.option('--known-hosts-file <path>', 'File path to known_hosts contents containing public SSH keys required to access private Git instances');
  cmd.addOption(
    new Option('--provider <provider>', 'Name of the provider used for authentication (azure: Azure DevOps with managed identity)').choices([
      'generic',
      'azure',
    ]),
  );
  cmd.option(
    '--local-ref, --local-auth-ref <secret>',
    'Local reference to a kubernetes secret in the configuration namespace to use for communication to the source',
  );
  // Bucket
  cmd.option('--bucket-name <name>', 'Name of the S3 bucket to sync');
  cmd.option('--bucket-access-key <key>', 'Access Key ID used to authenticate with the bucket');
  cmd.option('--bucket-secret-key <key>', 'Secret Key used to authenticate with the bucket');
  cmd.addOption(boolOption('--bucket-insecure [bool]', 'Communicate with a bucket without TLS'));
  // Azure Blob
  cmd.option('--container-name <name>', 'Name of the Azure Blob Storage container to sync');
  cmd.option('--sp-client-id, --service-principal-client-id <id>', 'The client ID for authenticating a service principal with Azure Blob');
  cmd.option('--sp-tenant-id, --service-principal-tenant-id <id>', 'The tenant ID for authenticating a service principal with Azure Blob');
  cmd.option('--sp-client-secret, --service-principal-client-secret <secret>', 'The client secret for authenticating a service principal with Azure Blob');
  cmd.option(
    '--sp-client-cert, --service-principal-client-certificate <base64>',
    'The Base64 encoded client certificate for authenticating a service principal with Azure Blob',
  );
  cmd.option(
    '--sp-cert-password, --service-principal-client-certificate-password <password>',
    'The password for the client certificate used to authenticate a service principal with Azure Blob',
  );
  cmd.addOption(
    boolOption(
      '--sp-cert-send-chain, --service-principal-client-certificate-send-chain [bool]',
      'Include the x5c header in client claims when acquiring a token (subject name / issuer based certificate auth)',
    ),
  );
  cmd.option('--account-key <key>', 'The Azure Blob Shared Key for authentication');
  cmd.option('--sas-token <token>', 'The Azure Blob SAS Token for authentication');
  cmd.option('--mi-client-id, --managed-identity-client-id <id>', 'The client ID of the managed identity for authentication with Azure Blob');
  // OCI
  cmd.option('--oci-media-type, --oci-layer-selector-media-type <type>', 'OCI artifact layer media type to select for extraction or copy');
  cmd.addOption(
    new Option('--oci-operation, --oci-layer-selector-operation <operation>', "Operation on the selected OCI layer (default: extract)").choices([
      'extract',
      'copy',
    ]),
  );
  cmd.option('--tls-ca-certificate <base64>', 'Base64-encoded CA certificate for TLS communication with the OCI repository');
  cmd.option('--tls-client-certificate <base64>', 'Base64-encoded client certificate for TLS authentication with the OCI repository');
  cmd.option('--tls-private-key <base64>', 'Base64-encoded private key for TLS authentication with the OCI repository');
  cmd.option('--service-account-name <name>', 'Kubernetes service account to use for accessing the OCI repository');
  cmd.addOption(boolOption('--use-workload-identity [bool]', 'Use workload identity for authentication with the OCI repository'));
  cmd.addOption(boolOption('--oci-insecure [bool]', 'Allow connecting to an insecure (HTTP) OCI container registry'));
  cmd.addOption(
    new Option('--verification-provider <provider>', 'Provider used for OCI verification').choices(['cosign', 'notation']),
  );
  cmd.addOption(
    new Option('--match-oidc-identity <json...>', "OIDC identities to match for verification, each a JSON string with 'issuer' and 'subject'").argParser(
      collectList,
    ),
  );
  cmd.addOption(
    new Option('--verification-config <key=value...>', 'Trusted public keys of trusted authors for OCI artifacts').argParser(collectList),
  );
  cmd.addOption(
    boolOption('--suspend [bool]', 'Suspend the reconciliation of the source and kustomizations associated with this configuration'),
  );
  cmd.addOption(
    new Option(
      '-k, --kustomization <KEY=VALUE...>',
      "Define a kustomization (repeat -k for more) with keys name, path, depends_on, timeout, sync_interval, " +
        'retry_interval, prune, force, disable_health_check, wait, target_namespace, substitute.<VAR>, substitute_from',
    ).argParser(collectKustomization),
  );

  const parseOptions = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args: string[]) => parseOptions(markKustomizationOccurrences(cmd, args));
}

// ---------------------------------------------------------------------------------------------------------------
// Reading flags

/** The az parameter name of each source flag and where commander puts it (attribute of the last long name). */
const SOURCE_PARAMS = {
  url: 'url',
  bucket_name: 'bucketName',
  timeout: 'timeout',
  sync_interval: 'syncInterval',
  branch: 'branch',
  tag: 'tag',
  semver: 'semver',
  commit: 'commit',
  local_auth_ref: 'localAuthRef',
  ssh_private_key: 'sshPrivateKey',
  ssh_private_key_file: 'sshPrivateKeyFile',
  https_user: 'httpsUser',
  https_key: 'httpsKey',
  https_ca_cert: 'httpsCaCert',
  https_ca_cert_file: 'httpsCaCertFile',
  known_hosts: 'knownHosts',
  known_hosts_file: 'knownHostsFile',
  provider: 'provider',
  bucket_access_key: 'bucketAccessKey',
  bucket_secret_key: 'bucketSecretKey',
  bucket_insecure: 'bucketInsecure',
  container_name: 'containerName',
  account_key: 'accountKey',
  sas_token: 'sasToken',
  sp_tenant_id: 'servicePrincipalTenantId',
  sp_client_id: 'servicePrincipalClientId',
  sp_client_cert: 'servicePrincipalClientCertificate',
  sp_client_cert_password: 'servicePrincipalClientCertificatePassword',
  sp_client_secret: 'servicePrincipalClientSecret',
  sp_client_cert_send_chain: 'servicePrincipalClientCertificateSendChain',
  mi_client_id: 'managedIdentityClientId',
  digest: 'digest',
  oci_media_type: 'ociLayerSelectorMediaType',
  oci_operation: 'ociLayerSelectorOperation',
  tls_ca_certificate: 'tlsCaCertificate',
  tls_client_certificate: 'tlsClientCertificate',
  tls_private_key: 'tlsPrivateKey',
  service_account_name: 'serviceAccountName',
  use_workload_identity: 'useWorkloadIdentity',
  oci_insecure: 'ociInsecure',
  verification_provider: 'verificationProvider',
  match_oidc_identity: 'matchOidcIdentity',
  verification_config: 'verificationConfig',
} as const;
type SourceParam = keyof typeof SOURCE_PARAMS;

const BOOL_PARAMS: Partial<Record<SourceParam, string>> = {
  bucket_insecure: '--bucket-insecure',
  sp_client_cert_send_chain: '--sp-cert-send-chain',
  use_workload_identity: '--use-workload-identity',
  oci_insecure: '--oci-insecure',
};

/** az allow-lists per kind (§3.3), in az's order; the newest az's git `provider` and the OCI flags included. */
const VALID_PARAMS: Record<KindFlag, SourceParam[]> = {
  git: [
    'url', 'branch', 'tag', 'semver', 'commit', 'sync_interval', 'timeout', 'ssh_private_key', 'ssh_private_key_file',
    'https_user', 'https_key', 'https_ca_cert', 'https_ca_cert_file', 'known_hosts', 'known_hosts_file', 'local_auth_ref',
    'provider',
  ],
  bucket: [
    'url', 'bucket_name', 'sync_interval', 'timeout', 'bucket_access_key', 'bucket_secret_key', 'bucket_insecure',
    'local_auth_ref',
  ],
  azblob: [
    'url', 'container_name', 'sync_interval', 'timeout', 'account_key', 'local_auth_ref', 'sp_tenant_id', 'sp_client_id',
    'sp_client_cert', 'sp_client_cert_password', 'sp_client_secret', 'sp_client_cert_send_chain', 'sas_token',
    'mi_client_id',
  ],
  oci: [
    'url', 'tag', 'semver', 'digest', 'sync_interval', 'timeout', 'local_auth_ref', 'oci_media_type', 'oci_operation',
    'tls_ca_certificate', 'tls_client_certificate', 'tls_private_key', 'service_account_name', 'use_workload_identity',
    'oci_insecure', 'verification_provider', 'match_oidc_identity', 'verification_config',
  ],
};

const REQUIRED_PARAMS: Record<KindFlag, SourceParam[]> = {
  git: ['url'],
  bucket: ['url', 'bucket_name'],
  azblob: ['url', 'container_name'],
  oci: ['url'],
};

const pretty = (p: string) => `'--${p.replace(/_/g, '-')}'`;

/** The flag values, strings trimmed of nothing, booleans parsed strictly; '' counts as not given (as in az). */
class SourceFlags {
  readonly values: Partial<Record<SourceParam, unknown>> = {};
  constructor(flags: Flags) {
    for (const [param, attr] of Object.entries(SOURCE_PARAMS) as [SourceParam, string][]) {
      const raw = flags[attr];
      if (raw === undefined || raw === null || raw === '') continue;
      const boolName = BOOL_PARAMS[param];
      this.values[param] = boolName ? parseOptionalBool(raw, boolName) : raw;
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
}

function checkAllowed(kind: KindFlag, f: SourceFlags): void {
  const valid = VALID_PARAMS[kind];
  const bad = (Object.keys(SOURCE_PARAMS) as SourceParam[]).filter((p) => f.truthy(p) && !valid.includes(p));
  if (bad.length > 0) {
    throw new UsageError(`Error! Invalid properties [${bad.map(pretty).join(',')}] were specified for kind '${kind}'`, {
      hint: `Valid properties for kind '${kind}' include [${valid.map(pretty).join(',')}]`,
    });
  }
}

function checkRequired(kind: KindFlag, f: SourceFlags): void {
  const missing = REQUIRED_PARAMS[kind].filter((p) => !f.truthy(p));
  if (missing.length > 0) {
    throw new UsageError(`Error! Required properties [${missing.map(pretty).join(',')}] were not specified for kind '${kind}'`, {
      hint: 'Add the missing required properties and try again',
    });
  }
}

const INVALID_URL_HELP = "Url must begin with one of ['http://', 'https://', 'git@', 'ssh://']";

function checkUrl(kind: KindFlag, url: string): void {
  const ok =
    kind === 'git' ? /^(((http|https|ssh):\/\/)|(git@))/.test(url)
    : kind === 'oci' ? /^oci:\/\//.test(url)
    : /^(((http|https):\/\/))/.test(url);
  if (!ok) {
    throw new UsageError('Error! Invalid --url.', {
      hint: kind === 'oci' ? "Url must begin with 'oci://'" : INVALID_URL_HELP,
    });
  }
}

/** Python urlparse(url).scheme in (http, https). */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** az validate_url_with_params (§3.4), on the flags given. */
function checkUrlAuth(url: string, f: SourceFlags, checkPair = true): void {
  if (isHttpUrl(url)) {
    if (f.truthy('ssh_private_key') || f.truthy('ssh_private_key_file')) {
      throw new UsageError('Error! An --ssh-private-key cannot be used with an http(s) url', {
        hint: 'Verify the url provided is a valid ssh url and not an http(s) url',
      });
    }
    if (f.truthy('known_hosts') || f.truthy('known_hosts_file')) {
      throw new UsageError('Error! --ssh-known-hosts cannot be used with an http(s) url', {
        hint: 'Verify the url provided is a valid ssh url and not an http(s) url',
      });
    }
  } else if (f.truthy('https_user') || f.truthy('https_key')) {
    throw new UsageError('Error! https auth (--https-user and --https-key) cannot be used with a non-http(s) url', {
      hint: 'Verify the url provided is a valid http(s) url and not an ssh url',
    });
  }
  if (checkPair && f.truthy('https_user') !== f.truthy('https_key')) {
    throw new UsageError('Error! --https-user and --https-key cannot be used separately', {
      hint: 'Try providing both --https-user and --https-key together',
    });
  }
}

function checkGitRef(f: SourceFlags, required: boolean): void {
  const count = (['branch', 'tag', 'semver', 'commit'] as const).filter((p) => f.truthy(p)).length;
  if (count === 0 && required) {
    throw new UsageError('Error! Repository reference is invalid', {
      hint: 'Specifying one of [--branch, --tag, --semver, --commit] is required',
    });
  }
  if (count > 1) {
    throw new UsageError('Error! Repository reference is invalid', {
      hint: 'Specifying more than one repository ref argument is invalid',
    });
  }
}

function checkBucketAuth(f: SourceFlags): void {
  if (!((f.truthy('bucket_access_key') && f.truthy('bucket_secret_key')) || f.truthy('local_auth_ref'))) {
    throw new UsageError("Error! Auth properties must be specified for kind 'bucket'", {
      hint: "Provide either both of '--secret-key' and '--access-key' or '--local-auth-ref'",
    });
  }
}

const SP_PARAMS = [
  'sp_client_id', 'sp_tenant_id', 'sp_client_secret', 'sp_client_cert', 'sp_client_cert_password', 'sp_client_cert_send_chain',
] as const;

function checkAzureBlobAuth(f: SourceFlags): void {
  const sp = SP_PARAMS.some((p) => f.truthy(p));
  if (sp) {
    if (!(f.truthy('sp_client_id') && f.truthy('sp_tenant_id') && (f.truthy('sp_client_secret') || f.truthy('sp_client_cert')))) {
      throw new UsageError('Error! Service principal is invalid because it is missing value(s)', {
        hint: "Provide '--sp-client-id', '--sp-tenant-id', and either '--sp-client-secret' or '--sp-client-cert'",
      });
    }
    if (f.truthy('sp_client_secret') && f.truthy('sp_client_cert')) {
      throw new UsageError('Error! Too many authentication methods provided for service principal', {
        hint: "Provide either '--sp-client-secret' or '--sp-client-cert'",
      });
    }
    if (f.truthy('sp_client_cert_password') && !f.truthy('sp_client_cert')) {
      throw new UsageError('Error! Service principal certificate password is invalid', {
        hint: "Provide '--sp-client-id', '--sp-tenant-id', and '--sp-client-cert' with your '--sp-cert-password",
      });
    }
  }
  const methods = [sp, f.truthy('account_key'), f.truthy('sas_token'), f.truthy('local_auth_ref'), f.truthy('mi_client_id')];
  if (methods.filter(Boolean).length > 1) {
    throw new UsageError('Error! Too many authentication methods provided for Azure Blob', {
      hint:
        "Specify one of the available authentication methods from the list: '--local-auth-ref', '--account-key', " +
        "'--sas-token', '--mi-client-id', or service principal with '--sp-client-id', '--sp-tenant-id', and either " +
        "'--sp-client-secret' or '--sp-client-cert'",
    });
  }
}

function parseOciVerify(f: SourceFlags): OciRepositoryDefinition['verify'] {
  const provider = f.str('verification_provider');
  const identities = f.list('match_oidc_identity');
  const configEntries = f.list('verification_config');
  if (!provider && !identities && !configEntries) return undefined;
  const matchOidcIdentity = identities?.map((entry) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(entry);
    } catch {
      parsed = undefined;
    }
    const o = parsed as { issuer?: unknown; subject?: unknown } | undefined;
    if (!o || typeof o !== 'object' || typeof o.issuer !== 'string' || typeof o.subject !== 'string') {
      throw new UsageError("Each entry for --match-oidc-identity must be a JSON string with 'issuer' and 'subject' fields.", {
        hint: `--match-oidc-identity '{"issuer": "<regex>", "subject": "<regex>"}'`,
      });
    }
    return { issuer: o.issuer, subject: o.subject };
  });
  let verificationConfig: Record<string, string> | undefined;
  if (configEntries) {
    verificationConfig = {};
    for (const entry of configEntries) {
      const i = entry.indexOf('=');
      if (i <= 0) {
        throw new UsageError('Each entry for --verification-config must be in key=value format.', {
          hint: '--verification-config cosign.pub=<base64 public key>',
        });
      }
      verificationConfig[entry.slice(0, i)] = entry.slice(i + 1);
    }
  }
  return { provider: provider ?? 'cosign', matchOidcIdentity, verificationConfig };
}

const KEY_AND_FILE_ERROR = 'Error! Both textual key and key filepath cannot be provided';
const KEY_AND_FILE_HELP = 'Try providing the file parameter without providing the plaintext parameter';

/** az get_data_from_key_or_file: inline value as given, or the file's text (whitespace-stripped when `strip`). */
function keyOrFile(
  f: SourceFlags,
  key: SourceParam,
  file: SourceParam,
  readFile: ReadFile,
  strip: boolean,
): { inline?: string; text?: string } {
  const inline = f.str(key);
  const path = f.str(file);
  if (inline !== undefined && path !== undefined) throw new UsageError(KEY_AND_FILE_ERROR, { hint: KEY_AND_FILE_HELP });
  if (path !== undefined) {
    let text: string;
    try {
      text = readFile(path);
    } catch (err) {
      throw new UserError(`Error! Unable to read key file specified with: ${(err as Error).message ?? String(err)}`, {
        hint: 'Verify that the filepath specified exists and contains valid utf-8 data',
        cause: err,
      });
    }
    if (text.length === 0) {
      throw new UserError('Error! Unable to read key file specified with: File provided does not contain any data', {
        hint: 'Verify that the filepath specified exists and contains valid utf-8 data',
      });
    }
    return { text: strip ? text.trim() : text };
  }
  return inline !== undefined ? { inline } : {};
}

/** Known hosts (§3.7): returns the base64 the model stores, validated. */
function readKnownHosts(f: SourceFlags, readFile: ReadFile): string | undefined {
  const { inline, text } = keyOrFile(f, 'known_hosts', 'known_hosts_file', readFile, true);
  const b64 = text !== undefined ? toBase64(text) : inline;
  if (b64 !== undefined) validateKnownHostsBase64(b64);
  return b64;
}

/** CA certificate: base64 as the model stores it (inline values are passed through, as az does). */
function readCaCert(f: SourceFlags, readFile: ReadFile): string | undefined {
  const { inline, text } = keyOrFile(f, 'https_ca_cert', 'https_ca_cert_file', readFile, true);
  return text !== undefined ? toBase64(text) : inline;
}

/** Private key (§3.8): raw key text for the Secret. */
function readPrivateKey(f: SourceFlags, readFile: ReadFile): string | undefined {
  const { inline, text } = keyOrFile(f, 'ssh_private_key', 'ssh_private_key_file', readFile, false);
  if (text !== undefined) return checkPrivateKey(Buffer.from(text, 'utf8'));
  if (inline === undefined) return undefined;
  const bytes = decodeBase64(inline);
  if (!bytes || bytes.length === 0) {
    return checkPrivateKey(Buffer.alloc(0));
  }
  return checkPrivateKey(bytes);
}

/** Decodes an az base64 value into text (PEM); undefined when not given; a clear error when not base64. */
function decodeInline(f: SourceFlags, p: SourceParam): string | undefined {
  const v = f.str(p);
  if (v === undefined) return undefined;
  const bytes = decodeBase64(v);
  if (!bytes) {
    throw new UsageError(`Error! ${pretty(p).slice(1, -1)} is not a valid base64 encoded string`, {
      hint: `Pass the base64 of the PEM text, e.g. ${pretty(p).slice(1, -1)} "$(base64 -w0 file.pem)"`,
    });
  }
  return bytes.toString('utf8');
}

// ---------------------------------------------------------------------------------------------------------------
// Kustomizations

function kustomizationGroups(flags: Flags): string[][] | undefined {
  const raw = flags.kustomization;
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) return [[String(raw)]];
  if (raw.length === 0) return [];
  if (raw.every((g) => Array.isArray(g))) return (raw as unknown[][]).map((g) => g.map(String));
  return [raw.map(String)];
}

/** Parses every `-k` occurrence; a name given twice is an error (az: the last one silently wins). */
function parseKustomizationFlags(flags: Flags): { patches: [string, KustomizationDefinition][]; warnings: string[] } | undefined {
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
// Source blocks

export function cliKind(sourceKind: SourceKind): KindFlag {
  return (Object.entries(kindFlagToSourceKind).find(([, v]) => v === sourceKind)![0]) as KindFlag;
}

function parseKind(value: unknown): KindFlag {
  const kind = String(value);
  if (!Object.hasOwn(kindFlagToSourceKind, kind)) {
    throw new UsageError(`argument --kind: invalid choice: '${kind}' (choose from 'git', 'bucket', 'azblob', 'oci')`, {
      hint: 'Use --kind git, bucket, azblob or oci',
    });
  }
  return kind as KindFlag;
}

function without<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

interface SourceInput {
  f: SourceFlags;
  timeout?: number;
  syncInterval?: number;
  knownHosts?: string;
  caCert?: string;
}

function gitBlock(s: SourceInput): GitRepositoryDefinition {
  const { f } = s;
  const ref = without({ branch: f.str('branch'), tag: f.str('tag'), semver: f.str('semver'), commit: f.str('commit') });
  const provider = f.str('provider');
  return without({
    url: f.str('url')!,
    timeoutInSeconds: s.timeout,
    syncIntervalInSeconds: s.syncInterval,
    repositoryRef: Object.keys(ref).length > 0 ? ref : undefined,
    sshKnownHosts: s.knownHosts,
    httpsUser: f.str('https_user'),
    httpsCACert: s.caCert,
    localAuthRef: f.str('local_auth_ref'),
    provider: provider === undefined ? undefined : provider === 'azure' ? 'Azure' : 'Generic',
  } satisfies GitRepositoryDefinition);
}

function bucketBlock(s: SourceInput, create: boolean): BucketDefinition {
  const { f } = s;
  return without({
    url: f.str('url')!,
    bucketName: f.str('bucket_name')!,
    insecure: f.bool('bucket_insecure') ?? (create ? false : undefined),
    timeoutInSeconds: s.timeout,
    syncIntervalInSeconds: s.syncInterval,
    accessKey: f.str('bucket_access_key'),
    localAuthRef: f.str('local_auth_ref'),
  } satisfies BucketDefinition);
}

function azureBlobBlock(s: SourceInput): AzureBlobDefinition {
  const { f } = s;
  const sp = SP_PARAMS.some((p) => f.truthy(p))
    ? without({
        clientId: f.str('sp_client_id'),
        tenantId: f.str('sp_tenant_id'),
        clientCertificateSendChain: f.bool('sp_client_cert_send_chain') ?? false,
      })
    : undefined;
  const mi = f.str('mi_client_id');
  return without({
    url: f.str('url')!,
    containerName: f.str('container_name')!,
    timeoutInSeconds: s.timeout,
    syncIntervalInSeconds: s.syncInterval,
    servicePrincipal: sp,
    managedIdentity: mi !== undefined ? { clientId: mi } : undefined,
    localAuthRef: f.str('local_auth_ref'),
  } satisfies AzureBlobDefinition);
}

function ociBlock(s: SourceInput): OciRepositoryDefinition {
  const { f } = s;
  const ref = without({ tag: f.str('tag'), semver: f.str('semver'), digest: f.str('digest') });
  const layer = without({
    mediaType: f.str('oci_media_type'),
    operation: f.str('oci_operation') as 'extract' | 'copy' | undefined,
  });
  const tls = without({ clientCertificate: f.str('tls_client_certificate'), caCertificate: f.str('tls_ca_certificate') });
  return without({
    url: f.str('url')!,
    timeoutInSeconds: s.timeout,
    syncIntervalInSeconds: s.syncInterval,
    repositoryRef: Object.keys(ref).length > 0 ? ref : undefined,
    layerSelector: Object.keys(layer).length > 0 ? layer : undefined,
    insecure: f.bool('oci_insecure'),
    useWorkloadIdentity: f.bool('use_workload_identity'),
    serviceAccountName: f.str('service_account_name'),
    tlsConfig: Object.keys(tls).length > 0 ? tls : undefined,
    localAuthRef: f.str('local_auth_ref'),
    verify: parseOciVerify(f),
  } satisfies OciRepositoryDefinition);
}

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

/** Full validation of a kind (create, and update when the kind changes): §3.14 order after the durations. */
function validateKindFull(kind: KindFlag, f: SourceFlags): void {
  checkRequired(kind, f);
  const url = f.str('url')!;
  checkUrl(kind, url);
  if (kind === 'git') {
    checkUrlAuth(url, f);
    checkGitRef(f, true);
  } else if (kind === 'bucket') {
    checkBucketAuth(f);
  } else if (kind === 'azblob') {
    checkAzureBlobAuth(f);
  } else {
    checkOciTls(f);
  }
}

function checkOciTls(f: SourceFlags): void {
  if (f.truthy('tls_client_certificate') !== f.truthy('tls_private_key')) {
    throw new UsageError('Error! --tls-client-certificate and --tls-private-key cannot be used separately', {
      hint: 'Try providing both --tls-client-certificate and --tls-private-key together',
    });
  }
}

function withSourceDefaults<T extends { timeoutInSeconds?: number; syncIntervalInSeconds?: number }>(block: T): T {
  return {
    ...block,
    timeoutInSeconds: block.timeoutInSeconds ?? DEFAULT_INTERVAL_SECONDS,
    syncIntervalInSeconds: block.syncIntervalInSeconds ?? DEFAULT_INTERVAL_SECONDS,
  };
}

function setBlock(config: FluxConfiguration, kind: KindFlag, s: SourceInput, create: boolean): void {
  delete config.gitRepository;
  delete config.bucket;
  delete config.azureBlob;
  delete config.ociRepository;
  config.sourceKind = kindFlagToSourceKind[kind];
  if (kind === 'git') config.gitRepository = withSourceDefaults(gitBlock(s));
  else if (kind === 'bucket') config.bucket = withSourceDefaults(bucketBlock(s, create));
  else if (kind === 'azblob') config.azureBlob = withSourceDefaults(azureBlobBlock(s));
  else config.ociRepository = withSourceDefaults(ociBlock(s));
}

function readSourceInput(kind: KindFlag, f: SourceFlags, readFile: ReadFile): SourceInput {
  checkAllowed(kind, f);
  const timeout = parseOptionalDuration(f.values.timeout, '--timeout');
  const syncInterval = parseOptionalDuration(f.values.sync_interval, '--sync-interval');
  const knownHosts = readKnownHosts(f, readFile);
  const caCert = readCaCert(f, readFile);
  return { f, timeout, syncInterval, knownHosts, caCert };
}

function requireName(flags: Flags): string {
  const name = flags.name;
  if (name === undefined || name === null) {
    throw new UsageError("required option '-n, --name <name>' not specified", { hint: 'Pass the configuration name with -n/--name' });
  }
  return String(name);
}

// ---------------------------------------------------------------------------------------------------------------
// create / update

/**
 * `flux create`: all of az §3 in az's order (§3.14), az messages (UsageError, help as hint), plus the gaps fixed
 * (§9). Without -k: the az warning and the default kustomization `kustomization-1`.
 */
export function parseCreate(flags: Flags, readFile: ReadFile): ParsedConfiguration {
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
  const f = new SourceFlags(flags);
  const input = readSourceInput(kind, f, readFile);
  validateKindFull(kind, f);
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
    scope: scope as Scope,
    sourceKind: kindFlagToSourceKind[kind],
    suspend,
    kustomizations,
  };
  setBlock(config, kind, input, true);
  validateConfiguration(config);
  return { config, protectedSettings: protectedFrom(f, sshPrivateKey), warnings };
}

/** Field-by-field merge of the given source flags into the existing block of the same kind. */
function mergeBlock(config: FluxConfiguration, kind: KindFlag, s: SourceInput): void {
  const { f } = s;
  const given = <T extends object>(o: T): Partial<T> => without(o);
  if (kind === 'git') {
    const old = config.gitRepository ?? { url: '' };
    const fresh = gitBlock({ ...s, f });
    const refGiven = (['branch', 'tag', 'semver', 'commit'] as const).some((p) => f.truthy(p));
    config.gitRepository = {
      ...(old as GitRepositoryDefinition),
      ...given({ ...fresh, url: f.str('url'), repositoryRef: refGiven ? fresh.repositoryRef : undefined }),
    };
    if (refGiven) config.gitRepository!.repositoryRef = fresh.repositoryRef;
  } else if (kind === 'bucket') {
    const fresh = bucketBlock(s, false);
    config.bucket = { ...config.bucket!, ...given({ ...fresh, url: f.str('url'), bucketName: f.str('bucket_name') }) };
  } else if (kind === 'azblob') {
    const old = config.azureBlob!;
    const fresh = azureBlobBlock(s);
    const authGiven =
      SP_PARAMS.some((p) => f.truthy(p)) || ['account_key', 'sas_token', 'local_auth_ref', 'mi_client_id'].some((p) => f.truthy(p as SourceParam));
    const base = authGiven
      ? without({ ...old, servicePrincipal: undefined, managedIdentity: undefined, localAuthRef: undefined })
      : old;
    config.azureBlob = {
      ...base,
      ...given({ ...fresh, url: f.str('url'), containerName: f.str('container_name') }),
    } as AzureBlobDefinition;
  } else {
    const old = config.ociRepository!;
    const fresh = ociBlock(s);
    const refGiven = (['tag', 'semver', 'digest'] as const).some((p) => f.truthy(p));
    config.ociRepository = {
      ...old,
      ...given({ ...fresh, url: f.str('url'), repositoryRef: undefined, layerSelector: undefined, tlsConfig: undefined }),
      ...(refGiven ? { repositoryRef: fresh.repositoryRef } : {}),
      ...(fresh.layerSelector ? { layerSelector: { ...old.layerSelector, ...fresh.layerSelector } } : {}),
      ...(fresh.tlsConfig ? { tlsConfig: { ...old.tlsConfig, ...fresh.tlsConfig } } : {}),
    };
  }
}

/** The URL the source has after the update (given or kept). */
function mergedUrl(config: FluxConfiguration, f: SourceFlags): string | undefined {
  return (
    f.str('url') ??
    config.gitRepository?.url ??
    config.bucket?.url ??
    config.azureBlob?.url ??
    config.ociRepository?.url
  );
}

/**
 * `flux update` (az §4.1): kustomizations merged by name field by field (fields not given are kept), source block
 * fields merged, a kind change runs the full validation of the new kind and drops the other kinds' blocks, scope and
 * namespace immutable. `protectedSettings` holds only the secrets given now: the command keeps the others.
 */
export function parseUpdate(
  existing: FluxConfiguration,
  flags: Flags,
  readFile: ReadFile,
): ParsedConfiguration & { kindChanged: boolean } {
  const warnings: string[] = [];
  const ks = parseKustomizationFlags(flags);
  const name = flags.name === undefined || flags.name === null ? existing.name : String(flags.name);
  validateSubdomainName(name, '--name', 63);
  const existingKind = cliKind(existing.sourceKind);
  const kind = flags.kind === undefined || flags.kind === null ? existingKind : parseKind(flags.kind);
  const kindChanged = kind !== existingKind;
  const f = new SourceFlags(flags);
  const input = readSourceInput(kind, f, readFile);

  const config: FluxConfiguration = structuredClone(existing);
  if (kindChanged) {
    validateKindFull(kind, f);
    setBlock(config, kind, input, true);
  } else {
    // Same kind: az leaves the checks to the service; fluxcfg is the service, so the merged result is checked.
    const url = mergedUrl(config, f)!;
    if (f.truthy('url')) checkUrl(kind, url);
    if (kind === 'git') {
      if (f.truthy('ssh_private_key') || f.truthy('ssh_private_key_file') || f.truthy('known_hosts') || f.truthy('known_hosts_file') || f.truthy('https_user') || f.truthy('https_key')) {
        // A key alone rotates the password of the user already configured.
        checkUrlAuth(url, f, false);
        if (f.truthy('https_key') && !f.truthy('https_user') && !config.gitRepository?.httpsUser) {
          checkUrlAuth(url, f, true);
        }
      }
      checkGitRef(f, false);
    } else if (kind === 'azblob') {
      checkAzureBlobAuth(f);
    } else if (kind === 'oci') {
      checkOciTls(f);
    }
    mergeBlock(config, kind, input);
  }
  const sshPrivateKey = readPrivateKey(f, readFile);
  const suspend = parseOptionalBool(flags.suspend, '--suspend');
  if (suspend !== undefined) config.suspend = suspend;
  if (ks) {
    for (const [kname, patch] of ks.patches) {
      const old = config.kustomizations[kname];
      config.kustomizations[kname] = old ? mergeKustomization(old, patch) : withDefaults(kname, patch);
    }
    warnings.push(...ks.warnings);
  }
  validateConfiguration(config);
  return { config, protectedSettings: protectedFrom(f, sshPrivateKey), warnings, kindChanged };
}
