import { UsageError } from '../../errors.js';
import type { OciRepositoryDefinition } from '../flux-configuration.js';
import type { FlagSpec } from './flag-spec.js';
import type { SourceKindSpec } from './kind.js';
import { given, without, type SourceFlags } from './params.js';

function checkOciTls(f: SourceFlags): void {
  if (f.truthy('tls_client_certificate') !== f.truthy('tls_private_key')) {
    throw new UsageError('Error! --tls-client-certificate and --tls-private-key cannot be used separately', {
      hint: 'Try providing both --tls-client-certificate and --tls-private-key together',
    });
  }
}

/** --verification-provider, --match-oidc-identity (JSON), --verification-config (key=value). */
export function parseOciVerify(f: SourceFlags): OciRepositoryDefinition['verify'] {
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
      throw new UsageError(
        "Each entry for --match-oidc-identity must be a JSON string with 'issuer' and 'subject' fields.",
        {
          hint: `--match-oidc-identity '{"issuer": "<regex>", "subject": "<regex>"}'`,
        },
      );
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

/** The flags only OCI sources have. */
export const OCI_FLAGS = {
  digest: { flags: '--digest <digest>', description: 'Digest of the OCI artifact to reconcile with the cluster' },
  oci_media_type: {
    flags: '--oci-media-type, --oci-layer-selector-media-type <type>',
    description: 'OCI artifact layer media type to select for extraction or copy',
  },
  oci_operation: {
    flags: '--oci-operation, --oci-layer-selector-operation <operation>',
    description: 'Operation on the selected OCI layer (default: extract)',
    choices: ['extract', 'copy'],
  },
  tls_ca_certificate: {
    flags: '--tls-ca-certificate <base64>',
    description: 'Base64-encoded CA certificate for TLS communication with the OCI repository',
  },
  tls_client_certificate: {
    flags: '--tls-client-certificate <base64>',
    description: 'Base64-encoded client certificate for TLS authentication with the OCI repository',
  },
  tls_private_key: {
    flags: '--tls-private-key <base64>',
    description: 'Base64-encoded private key for TLS authentication with the OCI repository',
  },
  service_account_name: {
    flags: '--service-account-name <name>',
    description: 'Kubernetes service account to use for accessing the OCI repository',
  },
  use_workload_identity: {
    flags: '--use-workload-identity [bool]',
    description: 'Use workload identity for authentication with the OCI repository',
    type: 'bool',
  },
  oci_insecure: {
    flags: '--oci-insecure [bool]',
    description: 'Allow connecting to an insecure (HTTP) OCI container registry',
    type: 'bool',
  },
  verification_provider: {
    flags: '--verification-provider <provider>',
    description: 'Provider used for OCI verification',
    choices: ['cosign', 'notation'],
  },
  match_oidc_identity: {
    flags: '--match-oidc-identity <json...>',
    description: "OIDC identities to match for verification, each a JSON string with 'issuer' and 'subject'",
    type: 'list',
  },
  verification_config: {
    flags: '--verification-config <key=value...>',
    description: 'Trusted public keys of trusted authors for OCI artifacts',
    type: 'list',
  },
} as const satisfies Record<string, FlagSpec>;

export const oci: SourceKindSpec<OciRepositoryDefinition> = {
  flag: 'oci',
  flags: OCI_FLAGS,
  sourceKind: 'OCIRepository',
  blockKey: 'ociRepository',
  params: [
    'url',
    'tag',
    'semver',
    'digest',
    'sync_interval',
    'timeout',
    'local_auth_ref',
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
  ],
  required: ['url'],
  urlOk: (url) => /^oci:\/\//.test(url),
  urlHint: "Url must begin with 'oci://'",
  validate: (f) => checkOciTls(f),
  validateUpdate: (f) => checkOciTls(f),
  block: ({ f, timeout, syncInterval }) => {
    const ref = without({ tag: f.str('tag'), semver: f.str('semver'), digest: f.str('digest') });
    const layer = without({
      mediaType: f.str('oci_media_type'),
      operation: f.str('oci_operation') as 'extract' | 'copy' | undefined,
    });
    const tls = without({
      clientCertificate: f.str('tls_client_certificate'),
      caCertificate: f.str('tls_ca_certificate'),
    });
    return without({
      url: f.str('url')!,
      timeoutInSeconds: timeout,
      syncIntervalInSeconds: syncInterval,
      repositoryRef: Object.keys(ref).length > 0 ? ref : undefined,
      layerSelector: Object.keys(layer).length > 0 ? layer : undefined,
      insecure: f.bool('oci_insecure'),
      useWorkloadIdentity: f.bool('use_workload_identity'),
      serviceAccountName: f.str('service_account_name'),
      tlsConfig: Object.keys(tls).length > 0 ? tls : undefined,
      localAuthRef: f.str('local_auth_ref'),
      verify: parseOciVerify(f),
    } satisfies OciRepositoryDefinition);
  },
  merge: (old, s) => {
    const { f } = s;
    const prev = old!;
    const fresh = oci.block(s, false);
    const refGiven = (['tag', 'semver', 'digest'] as const).some((p) => f.truthy(p));
    return {
      ...prev,
      ...given({
        ...fresh,
        url: f.str('url'),
        repositoryRef: undefined,
        layerSelector: undefined,
        tlsConfig: undefined,
      }),
      ...(refGiven ? { repositoryRef: fresh.repositoryRef } : {}),
      ...(fresh.layerSelector ? { layerSelector: { ...prev.layerSelector, ...fresh.layerSelector } } : {}),
      ...(fresh.tlsConfig ? { tlsConfig: { ...prev.tlsConfig, ...fresh.tlsConfig } } : {}),
    };
  },
};
