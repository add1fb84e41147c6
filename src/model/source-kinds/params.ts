// The source flags as az names them (its parameter names), where the parsed flags hold them, and their reading:
// '' counts as not given (as in az), the boolean flags parsed strictly. Shared by every source kind.
import { UsageError } from '../../errors.js';
import type { KindFlag } from '../flux-configuration.js';
import { parseOptionalBool } from '../kustomization-spec.js';

export type Flags = Record<string, unknown>;

/** The az parameter name of each source flag and its attribute in the parsed flags (the last long name). */
export const SOURCE_PARAMS = {
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
export type SourceParam = keyof typeof SOURCE_PARAMS;

/** The boolean source flags and the name their errors use. */
const BOOL_PARAMS: Partial<Record<SourceParam, string>> = {
  bucket_insecure: '--bucket-insecure',
  sp_client_cert_send_chain: '--sp-cert-send-chain',
  use_workload_identity: '--use-workload-identity',
  oci_insecure: '--oci-insecure',
};

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
  /** The params given (truthy), in SOURCE_PARAMS order. */
  given(): SourceParam[] {
    return (Object.keys(SOURCE_PARAMS) as SourceParam[]).filter((p) => this.truthy(p));
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
