// FluxConfiguration → the Kubernetes objects that realise it (what Azure's fluxconfig-controller would create):
// Namespace, ServiceAccount flux-applier, its (Cluster)RoleBinding, the auth Secret, the source named after the
// configuration, one Kustomization per entry. Pure and deterministic: no clock, env, randomness or I/O.
import type { KubeObject } from '../k8s/types.js';
import type {
  AzureBlobDefinition,
  BucketDefinition,
  FluxConfiguration,
  GitRepositoryDefinition,
  KustomizationDefinition,
  OciRepositoryDefinition,
  ProtectedSettings,
} from '../model/flux-configuration.js';
import { formatGoDuration, formatGoDurationNoHours } from '../model/duration.js';
import {
  CONFIGURATION_ANNOTATION,
  DEFAULT_INTERVAL_SECONDS,
  FLUX_APPLIER,
  KUSTOMIZATION_LABEL,
  KUSTOMIZE_API_VERSION,
  MANAGED_BY_LABEL,
  MANAGER,
  SOURCE_API_VERSION,
  applierBindingName,
  authSecretName,
  ociVerifySecretName,
  configurationLabels,
  fluxSourceKind,
  kustomizationObjectName,
} from '../model/naming.js';
import { decodeBase64, decodeBase64Text } from '../model/ssh.js';

export interface RenderInput {
  config: FluxConfiguration;
  /** Raw secret values (sshPrivateKey text, httpsKey, bucketSecretKey, ...). */
  protectedSettings: ProtectedSettings;
  /** Material the command produced: generated deploy key's public half, scanned known_hosts text. */
  extra?: { sshPublicKey?: string; knownHosts?: string };
}

/** Seconds used when the configuration does not set an interval/timeout (the service's 10m defaults). */

/**
 * The URL the GitRepository CRD accepts (`^(http|https|ssh)://`): az also takes the scp-like `git@host:org/repo`,
 * which becomes `ssh://git@host/org/repo`.
 */
export function fluxGitUrl(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  const m = /^([^@/:]+@)?([^:/]+):(.*)$/.exec(url);
  if (!m) return url;
  return `ssh://${m[1] ?? ''}${m[2]}/${m[3]!.replace(/^\/+/, '')}`;
}

/** Bucket `spec.endpoint` for the generic provider: host[:port], no scheme. */
export function bucketEndpoint(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
  }
}

/** az base64 input (known hosts, CA, certificates) → the text Flux reads; undefined when absent. */
function decoded(b64: string | undefined): string | undefined {
  if (b64 === undefined) return undefined;
  return decodeBase64Text(b64) ?? decodeBase64(b64)?.toString('utf8') ?? b64;
}

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

function nonEmpty(o: Record<string, unknown>): boolean {
  return Object.keys(o).length > 0;
}

export function renderFluxConfiguration(input: RenderInput): KubeObject[] {
  const { config } = input;
  const ns = config.namespace;
  const labels = configurationLabels(ns, config.name);
  const objects: KubeObject[] = [];

  objects.push({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns, labels: { [MANAGED_BY_LABEL]: MANAGER } },
  });
  objects.push({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: FLUX_APPLIER, namespace: ns, labels: { [MANAGED_BY_LABEL]: MANAGER } },
  });
  // Scope cluster: cluster-admin everywhere. Scope namespace: the built-in `admin` role in the namespace only — a
  // namespace admin can grant it (RBAC refuses a RoleBinding to cluster-admin from them as escalation).
  const binding = {
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: applierRole(config.scope) },
    subjects: [{ kind: 'ServiceAccount', name: FLUX_APPLIER, namespace: ns }],
  };
  objects.push(
    config.scope === 'namespace'
      ? {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: applierBindingName(ns, config.name, 'namespace'), namespace: ns, labels },
          ...binding,
        }
      : {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: applierBindingName(ns, config.name, 'cluster'), labels },
          ...binding,
        },
  );

  const source = renderSource(input);
  objects.push(...source.secrets.map((s) => secretObject(s.name, ns, labels, s.data)));
  objects.push(source.object);

  for (const [key, k] of Object.entries(config.kustomizations)) {
    objects.push(renderKustomization(config, key, k));
  }
  return objects.map((o) => dropUndefined(o) as KubeObject);
}

/** The ClusterRole flux-applier is bound to: `cluster-admin` for scope cluster, `admin` (in its namespace) else. */
export function applierRole(scope: 'cluster' | 'namespace'): string {
  return scope === 'namespace' ? 'admin' : 'cluster-admin';
}

/** Plain JSON objects: no undefined fields, so what is compared, applied and printed is the same. */
function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(dropUndefined);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, dropUndefined(v)]),
    );
  }
  return value;
}

function secretObject(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  data: Record<string, string>,
): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, labels }, type: 'Opaque', stringData: data };
}

interface RenderedSource {
  secrets: { name: string; data: Record<string, string> }[];
  object: KubeObject;
}

function sourceMetadata(config: FluxConfiguration) {
  return {
    name: config.name,
    namespace: config.namespace,
    labels: configurationLabels(config.namespace, config.name),
    annotations: { [CONFIGURATION_ANNOTATION]: JSON.stringify(config) },
  };
}

function timing(block: { syncIntervalInSeconds?: number; timeoutInSeconds?: number }) {
  return {
    interval: formatGoDuration(block.syncIntervalInSeconds ?? DEFAULT_INTERVAL_SECONDS),
    // Source timeouts may not use hours (CRD pattern `^([0-9]+(\.[0-9]+)?(ms|s|m))+$`).
    timeout: formatGoDurationNoHours(block.timeoutInSeconds ?? DEFAULT_INTERVAL_SECONDS),
  };
}

function renderSource(input: RenderInput): RenderedSource {
  const { config } = input;
  switch (config.sourceKind) {
    case 'GitRepository':
      return renderGit(input, config.gitRepository!);
    case 'Bucket':
      return renderBucket(input, config.bucket!);
    case 'AzureBlob':
      return renderAzureBlob(input, config.azureBlob!);
    case 'OCIRepository':
      return renderOci(input, config.ociRepository!);
  }
}

/** The auth Secret (when there is something to put in it) and the secretRef name the source uses. */
function authSecret(
  input: RenderInput,
  localAuthRef: string | undefined,
  data: Record<string, string | undefined>,
): { secrets: RenderedSource['secrets']; secretRef?: { name: string } } {
  if (localAuthRef) return { secrets: [], secretRef: { name: localAuthRef } };
  const stringData = compact(data) as Record<string, string>;
  if (!nonEmpty(stringData)) return { secrets: [] };
  const name = authSecretName(input.config.name, input.config.sourceKind);
  return { secrets: [{ name, data: stringData }], secretRef: { name } };
}

function renderGit(input: RenderInput, git: GitRepositoryDefinition): RenderedSource {
  const { config, protectedSettings: p, extra } = input;
  const http = /^https?:\/\//i.test(git.url);
  const data: Record<string, string | undefined> = http
    ? { username: git.httpsUser, password: p.httpsKey, 'ca.crt': decoded(git.httpsCACert) }
    : {
        identity: p.sshPrivateKey,
        'identity.pub': extra?.sshPublicKey,
        known_hosts: decoded(git.sshKnownHosts) ?? extra?.knownHosts,
      };
  const auth = authSecret(input, git.localAuthRef, data);
  const ref = git.repositoryRef ? compact({ ...git.repositoryRef }) : undefined;
  return {
    secrets: auth.secrets,
    object: {
      apiVersion: SOURCE_API_VERSION,
      kind: 'GitRepository',
      metadata: sourceMetadata(config),
      spec: {
        url: fluxGitUrl(git.url),
        ...timing(git),
        ref: ref && nonEmpty(ref) ? ref : undefined,
        secretRef: auth.secretRef,
        provider: git.provider ? git.provider.toLowerCase() : undefined,
        suspend: config.suspend,
      },
    },
  };
}

function renderBucket(input: RenderInput, bucket: BucketDefinition): RenderedSource {
  const { config, protectedSettings: p } = input;
  const auth = authSecret(input, bucket.localAuthRef, { accesskey: bucket.accessKey, secretkey: p.bucketSecretKey });
  return {
    secrets: auth.secrets,
    object: {
      apiVersion: SOURCE_API_VERSION,
      kind: 'Bucket',
      metadata: sourceMetadata(config),
      spec: {
        provider: 'generic',
        bucketName: bucket.bucketName,
        endpoint: bucketEndpoint(bucket.url),
        insecure: bucket.insecure === true || /^http:\/\//i.test(bucket.url),
        ...timing(bucket),
        secretRef: auth.secretRef,
        suspend: config.suspend,
      },
    },
  };
}

function renderAzureBlob(input: RenderInput, blob: AzureBlobDefinition): RenderedSource {
  const { config, protectedSettings: p } = input;
  const sp = blob.servicePrincipal;
  let data: Record<string, string | undefined> = {};
  if (sp) {
    data = {
      tenantId: sp.tenantId,
      clientId: sp.clientId,
      clientSecret: p.spClientSecret,
      clientCertificate: p.spClientCertificate,
      clientCertificatePassword: p.spClientCertificatePassword,
      clientCertificateSendChain: sp.clientCertificateSendChain ? 'true' : undefined,
    };
  } else if (p.accountKey) {
    data = { accountKey: p.accountKey };
  } else if (p.sasToken) {
    data = { sasKey: p.sasToken };
  } else if (blob.managedIdentity?.clientId) {
    data = { clientId: blob.managedIdentity.clientId };
  }
  const auth = authSecret(input, blob.localAuthRef, data);
  let endpoint: string;
  try {
    endpoint = new URL(blob.url).origin;
  } catch {
    endpoint = blob.url;
  }
  return {
    secrets: auth.secrets,
    object: {
      apiVersion: SOURCE_API_VERSION,
      kind: 'Bucket',
      metadata: sourceMetadata(config),
      spec: {
        provider: 'azure',
        bucketName: blob.containerName,
        endpoint,
        ...timing(blob),
        secretRef: auth.secretRef,
        suspend: config.suspend,
      },
    },
  };
}

function renderOci(input: RenderInput, oci: OciRepositoryDefinition): RenderedSource {
  const { config, protectedSettings: p } = input;
  const secrets: RenderedSource['secrets'] = [];
  const labelsName = authSecretName(config.name, 'OCIRepository');
  // TLS material goes to certSecretRef even with --local-auth-ref (that one is the registry pull secret).
  const tls = compact({
    'tls.crt': decoded(oci.tlsConfig?.clientCertificate),
    'tls.key': p.tlsPrivateKey ?? decoded(oci.tlsConfig?.privateKey),
    'ca.crt': decoded(oci.tlsConfig?.caCertificate),
  }) as Record<string, string>;
  let certSecretRef: { name: string } | undefined;
  if (nonEmpty(tls)) {
    secrets.push({ name: labelsName, data: tls });
    certSecretRef = { name: labelsName };
  }
  let verify: Record<string, unknown> | undefined;
  if (oci.verify) {
    let secretRef: { name: string } | undefined;
    if (oci.verify.verificationConfig && nonEmpty(oci.verify.verificationConfig)) {
      const name = ociVerifySecretName(config.name);
      const data = Object.fromEntries(
        Object.entries(oci.verify.verificationConfig).map(([k, v]) => {
          const text = decodeBase64Text(v);
          return [k, text !== undefined && text.includes('-----BEGIN') ? text : v];
        }),
      );
      secrets.push({ name, data });
      secretRef = { name };
    }
    verify = {
      provider: oci.verify.provider ?? 'cosign',
      matchOIDCIdentity: oci.verify.matchOidcIdentity?.length ? oci.verify.matchOidcIdentity : undefined,
      secretRef,
    };
  }
  const ref =
    oci.repositoryRef && nonEmpty(compact({ ...oci.repositoryRef }))
      ? compact({ ...oci.repositoryRef })
      : { tag: 'latest' };
  const layer = oci.layerSelector ? compact({ ...oci.layerSelector }) : undefined;
  return {
    secrets,
    object: {
      apiVersion: SOURCE_API_VERSION,
      kind: 'OCIRepository',
      metadata: sourceMetadata(config),
      spec: {
        url: oci.url,
        ...timing(oci),
        ref,
        layerSelector: layer && nonEmpty(layer) ? layer : undefined,
        insecure: oci.insecure ? true : undefined,
        provider: oci.useWorkloadIdentity ? 'azure' : undefined,
        serviceAccountName: oci.serviceAccountName,
        secretRef: oci.localAuthRef ? { name: oci.localAuthRef } : undefined,
        certSecretRef,
        verify,
        suspend: config.suspend,
      },
    },
  };
}

function renderKustomization(config: FluxConfiguration, key: string, k: KustomizationDefinition): KubeObject {
  const postBuild = compact({
    substitute: k.postBuild?.substitute && nonEmpty(k.postBuild.substitute) ? k.postBuild.substitute : undefined,
    substituteFrom: k.postBuild?.substituteFrom?.length ? k.postBuild.substituteFrom : undefined,
  });
  return {
    apiVersion: KUSTOMIZE_API_VERSION,
    kind: 'Kustomization',
    metadata: {
      name: kustomizationObjectName(config.name, key),
      namespace: config.namespace,
      labels: { ...configurationLabels(config.namespace, config.name), [KUSTOMIZATION_LABEL]: key },
    },
    spec: {
      sourceRef: { kind: fluxSourceKind[config.sourceKind], name: config.name },
      // An empty path means the artifact root; it is left out (Kubernetes 1.20 server-side apply turns "" into null).
      path: k.path || undefined,
      interval: formatGoDuration(k.syncIntervalInSeconds ?? DEFAULT_INTERVAL_SECONDS),
      timeout: formatGoDuration(k.timeoutInSeconds ?? DEFAULT_INTERVAL_SECONDS),
      retryInterval:
        k.retryIntervalInSeconds !== undefined && k.retryIntervalInSeconds !== null
          ? formatGoDuration(k.retryIntervalInSeconds)
          : undefined,
      prune: k.prune ?? false,
      force: k.force ?? false,
      wait: k.wait ?? true,
      dependsOn: k.dependsOn?.length
        ? k.dependsOn.map((d) => ({ name: kustomizationObjectName(config.name, d) }))
        : undefined,
      serviceAccountName: FLUX_APPLIER,
      kubeConfig: config.kubeConfigSecret ? { secretRef: config.kubeConfigSecret } : undefined,
      targetNamespace: config.scope === 'namespace' ? config.namespace : k.targetNamespace,
      postBuild: nonEmpty(postBuild) ? postBuild : undefined,
      suspend: config.suspend,
    },
  };
}
