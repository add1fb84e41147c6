// az's FluxConfiguration output shape built from a configuration and its live objects. Pure: the live objects
// are read by live.ts. Key sets and order follow the SDK models az prints (see the note in model/flux-configuration).
import { conditionOf, type KubeObject } from '../../../k8s/types.js';
import { azTime, fluxConfigurationId, FLUX_CONFIGURATION_TYPE, systemData, type ArmScope } from '../../../model/arm.js';
import type {
  AzureBlobView,
  BucketView,
  ComplianceState,
  FluxConfiguration,
  FluxConfigurationView,
  GitRepositoryView,
  KustomizationDefinition,
  KustomizationView,
  ObjectStatus,
  OciRepositoryView,
} from '../../../model/flux-configuration.js';
import { KUSTOMIZATION_LABEL, MANAGER } from '../../../model/naming.js';
import { fluxGitUrl } from '../../../render/flux-configuration.js';

/** The service's default for every unset interval and timeout (10m). */
const DEFAULT_SECONDS = 600;

/**
 * Whether the controller has not yet looked at the current spec: `status.observedGeneration` (or the Ready
 * condition's) behind `metadata.generation`. What its conditions say is then about an older spec.
 */
export function isStale(obj: KubeObject): boolean {
  const generation = obj.metadata.generation;
  if (generation === undefined) return false;
  const observed = (obj.status as { observedGeneration?: number } | undefined)?.observedGeneration;
  const readyObserved = conditionOf(obj, 'Ready')?.observedGeneration;
  return (
    (observed !== undefined && observed < generation) || (readyObserved !== undefined && readyObserved < generation)
  );
}

export function complianceOf(obj: KubeObject): ComplianceState {
  if ((obj.spec as { suspend?: boolean } | undefined)?.suspend) return 'Suspended';
  if (isStale(obj)) return 'Pending';
  const ready = conditionOf(obj, 'Ready');
  if (ready?.status === 'True') return 'Compliant';
  if (ready?.status === 'False') return 'Non-Compliant';
  return 'Pending';
}

interface FluxStatus {
  conditions?: { lastTransitionTime?: string; message?: string; reason?: string; status?: string; type?: string }[];
  installFailures?: number;
  upgradeFailures?: number;
  failures?: number;
  history?: { version?: number }[];
  lastReleaseRevision?: number;
  helmChart?: string;
}

/** One `statuses[]` entry (az's ObjectStatusDefinition: every key, helmReleaseProperties null but on HelmRelease). */
export function statusOf(obj: KubeObject, appliedBy?: { name: string; namespace: string }): ObjectStatus {
  const status = obj.status as FluxStatus | undefined;
  let helm: ObjectStatus['helmReleaseProperties'] = null;
  if (obj.kind === 'HelmRelease') {
    const [chartNs, chartName] = (status?.helmChart ?? '').split('/');
    helm = {
      lastRevisionApplied: status?.history?.[0]?.version ?? status?.lastReleaseRevision ?? 0,
      helmChartRef: chartName ? { name: chartName, namespace: chartNs ?? '' } : null,
      failureCount: status?.failures ?? 0,
      installFailureCount: status?.installFailures ?? 0,
      upgradeFailureCount: status?.upgradeFailures ?? 0,
    };
  }
  return {
    name: obj.metadata.name,
    namespace: obj.metadata.namespace ?? '',
    kind: obj.kind,
    complianceState: complianceOf(obj),
    appliedBy: appliedBy ?? null,
    statusConditions: (status?.conditions ?? []).map((c) => ({
      lastTransitionTime: azTime(c?.lastTransitionTime),
      message: c?.message ?? null,
      reason: c?.reason ?? null,
      status: c?.status ?? null,
      type: c?.type ?? null,
    })),
    helmReleaseProperties: helm,
  };
}

/** A deployed Flux object listed in an inventory but not found in the cluster. */
export function unknownStatus(
  ref: { name: string; namespace?: string; kind: string },
  appliedBy: { name: string; namespace: string },
): ObjectStatus {
  return {
    name: ref.name,
    namespace: ref.namespace ?? '',
    kind: ref.kind,
    complianceState: 'Unknown',
    appliedBy,
    statusConditions: [],
    helmReleaseProperties: null,
  };
}

/** Flux's artifact revision of a source (`main@sha1:0b0c…`), undefined before the first fetch. */
export function artifactRevision(source: KubeObject): string | undefined {
  return (source.status as { artifact?: { revision?: string } } | undefined)?.artifact?.revision;
}

/**
 * The revision az prints as sourceSyncedCommitId: the `<ref>/<sha>` form the Azure agent reports, which is Flux's
 * revision format before 2.0 (RFC-0005 changed it to `<ref>@sha1:<sha>`; source-controller's
 * TransformLegacyRevision maps the old forms to the new, this is its inverse). So a branch is `main/<sha>`, a tag or
 * semver range `<tag>/<sha>` (the tag that matched), a commit with a branch `<branch>/<sha>`, a commit alone
 * `HEAD/<sha>`; an OCI artifact `<tag>/<digest hex>`, a Bucket the bare digest hex. Other forms print as Flux has them.
 */
export function sourceSyncedCommitId(kind: string, revision: string | undefined): string | null {
  if (!revision) return null;
  const at = revision.lastIndexOf('@');
  const ref = at >= 0 ? revision.slice(0, at) : undefined;
  const m = /^(?:sha1|sha256|sha384|sha512|blake3):([0-9a-f]+)$/.exec(at >= 0 ? revision.slice(at + 1) : revision);
  if (!m) return revision;
  const hex = m[1]!;
  if (ref) return `${ref}/${hex}`;
  return kind === 'GitRepository' ? `HEAD/${hex}` : hex;
}

function latest(times: (string | undefined)[]): string | undefined {
  return times
    .filter((t): t is string => Boolean(t))
    .sort()
    .at(-1);
}

/** When fluxcfg last applied any of the objects (their managedFields entry), as ARM's lastModifiedAt. */
function lastApplied(objects: KubeObject[]): string | undefined {
  return latest(
    objects.flatMap((o) =>
      (o.metadata.managedFields ?? []).filter((m) => m.manager === MANAGER).map((m) => m.time as string | undefined),
    ),
  );
}

export function kustomizationView(name: string, k: KustomizationDefinition): KustomizationView {
  const post = k.postBuild;
  const view: KustomizationView = {
    name,
    path: k.path ?? '',
    dependsOn: k.dependsOn?.length ? [...k.dependsOn] : null,
    timeoutInSeconds: k.timeoutInSeconds ?? DEFAULT_SECONDS,
    syncIntervalInSeconds: k.syncIntervalInSeconds ?? DEFAULT_SECONDS,
    retryIntervalInSeconds: k.retryIntervalInSeconds ?? null,
    prune: k.prune ?? false,
    force: k.force ?? false,
    wait: k.wait ?? true,
    postBuild: post
      ? {
          substitute: post.substitute ? { ...post.substitute } : null,
          substituteFrom: post.substituteFrom
            ? post.substituteFrom.map((s) => ({ kind: s.kind, name: s.name, optional: s.optional ?? false }))
            : null,
        }
      : null,
  };
  if (k.targetNamespace) view.targetNamespace = k.targetNamespace;
  return view;
}

/** az's `kustomizations` map: every kustomization with every key, the map key echoed as `name`. */
export function kustomizationsView(config: FluxConfiguration): Record<string, KustomizationView> {
  return Object.fromEntries(Object.entries(config.kustomizations).map(([k, v]) => [k, kustomizationView(k, v)]));
}

function gitView(c: FluxConfiguration): GitRepositoryView | null {
  const g = c.gitRepository;
  if (!g) return null;
  const ref = g.repositoryRef;
  return {
    url: g.url,
    timeoutInSeconds: g.timeoutInSeconds ?? DEFAULT_SECONDS,
    syncIntervalInSeconds: g.syncIntervalInSeconds ?? DEFAULT_SECONDS,
    repositoryRef: ref
      ? { branch: ref.branch ?? null, tag: ref.tag ?? null, semver: ref.semver ?? null, commit: ref.commit ?? null }
      : null,
    sshKnownHosts: g.sshKnownHosts ?? null,
    httpsUser: g.httpsUser ?? null,
    httpsCaCert: g.httpsCACert ?? null,
    localAuthRef: g.localAuthRef ?? null,
    provider: g.provider ?? null,
  };
}

function bucketView(c: FluxConfiguration): BucketView | null {
  const b = c.bucket;
  if (!b) return null;
  return {
    url: b.url,
    bucketName: b.bucketName,
    insecure: b.insecure ?? false,
    timeoutInSeconds: b.timeoutInSeconds ?? DEFAULT_SECONDS,
    syncIntervalInSeconds: b.syncIntervalInSeconds ?? DEFAULT_SECONDS,
    accessKey: b.accessKey ?? null,
    localAuthRef: b.localAuthRef ?? null,
  };
}

function azureBlobView(c: FluxConfiguration): AzureBlobView | null {
  const z = c.azureBlob;
  if (!z) return null;
  const sp = z.servicePrincipal;
  return {
    url: z.url,
    containerName: z.containerName,
    timeoutInSeconds: z.timeoutInSeconds ?? DEFAULT_SECONDS,
    syncIntervalInSeconds: z.syncIntervalInSeconds ?? DEFAULT_SECONDS,
    servicePrincipal: sp
      ? {
          clientId: sp.clientId ?? null,
          tenantId: sp.tenantId ?? null,
          clientSecret: null,
          clientCertificate: null,
          clientCertificatePassword: null,
          clientCertificateSendChain: sp.clientCertificateSendChain ?? false,
        }
      : null,
    accountKey: null,
    sasToken: null,
    managedIdentity: z.managedIdentity ? { clientId: z.managedIdentity.clientId ?? null } : null,
    localAuthRef: z.localAuthRef ?? null,
  };
}

function ociView(c: FluxConfiguration): OciRepositoryView | null {
  const o = c.ociRepository;
  if (!o) return null;
  const ref = o.repositoryRef;
  return {
    url: o.url,
    timeoutInSeconds: o.timeoutInSeconds ?? DEFAULT_SECONDS,
    syncIntervalInSeconds: o.syncIntervalInSeconds ?? DEFAULT_SECONDS,
    repositoryRef: ref ? { tag: ref.tag ?? null, semver: ref.semver ?? null, digest: ref.digest ?? null } : null,
    layerSelector: o.layerSelector
      ? { mediaType: o.layerSelector.mediaType ?? null, operation: o.layerSelector.operation ?? null }
      : null,
    verify: o.verify
      ? {
          provider: o.verify.provider ?? null,
          verificationConfig: o.verify.verificationConfig ? { ...o.verify.verificationConfig } : null,
          matchOidcIdentity: o.verify.matchOidcIdentity ? o.verify.matchOidcIdentity.map((m) => ({ ...m })) : null,
        }
      : null,
    insecure: o.insecure ?? false,
    useWorkloadIdentity: o.useWorkloadIdentity ?? false,
    serviceAccountName: o.serviceAccountName ?? null,
    tlsConfig: o.tlsConfig
      ? {
          clientCertificate: o.tlsConfig.clientCertificate ?? null,
          privateKey: null,
          caCertificate: o.tlsConfig.caCertificate ?? null,
        }
      : null,
    localAuthRef: o.localAuthRef ?? null,
  };
}

export interface ViewInput {
  readonly config: FluxConfiguration;
  readonly source: KubeObject;
  /** The configuration's own objects (source, Kustomizations, Secret, RBAC). */
  readonly objects: readonly KubeObject[];
  /** Flux objects the Kustomizations deployed, with their status. */
  readonly deployed: readonly ObjectStatus[];
  readonly arm: ArmScope;
  /** A half-applied configuration whose source is gone (see LiveConfiguration.incomplete). */
  readonly incomplete?: boolean;
}

/** The az FluxConfiguration shape, keys in the SDK's order. */
export function configurationView(input: ViewInput): FluxConfigurationView {
  const { config, source, objects, deployed, arm, incomplete } = input;
  const kustomizations = objects.filter((o) => o.kind === 'Kustomization');
  const own = [source, ...kustomizations];
  const states = own.map(complianceOf);
  const missing = Object.keys(config.kustomizations).filter(
    (k) => !kustomizations.some((o) => o.metadata.labels?.[KUSTOMIZATION_LABEL] === k),
  );
  const complianceState: ComplianceState = config.suspend
    ? 'Suspended'
    : states.includes('Non-Compliant')
      ? 'Non-Compliant'
      : states.every((s) => s === 'Compliant')
        ? 'Compliant'
        : 'Pending';
  const artifact = (source.status as { artifact?: { lastUpdateTime?: string } } | undefined)?.artifact;
  const secret = objects.find((o) => o.kind === 'Secret');
  const pub = (secret?.data as Record<string, string> | undefined)?.['identity.pub'];
  const conditionTimes = own.flatMap((o) =>
    ((o.status as FluxStatus | undefined)?.conditions ?? []).map((c) => c.lastTransitionTime),
  );
  return {
    id: fluxConfigurationId(arm, config.name),
    name: config.name,
    type: FLUX_CONFIGURATION_TYPE,
    systemData: systemData(source.metadata.creationTimestamp, lastApplied([...own, ...(secret ? [secret] : [])])),
    scope: config.scope,
    namespace: config.namespace,
    sourceKind: config.sourceKind,
    suspend: config.suspend,
    gitRepository: gitView(config),
    bucket: bucketView(config),
    azureBlob: azureBlobView(config),
    ociRepository: ociView(config),
    kustomizations: kustomizationsView(config),
    configurationProtectedSettings: {},
    statuses: [...(incomplete ? [] : [statusOf(source)]), ...kustomizations.map((k) => statusOf(k)), ...deployed],
    repositoryPublicKey: pub ? Buffer.from(pub, 'base64').toString('utf8').trim() : '',
    sourceSyncedCommitId: sourceSyncedCommitId(source.kind, artifactRevision(source)),
    sourceUpdatedAt: azTime(artifact?.lastUpdateTime),
    statusUpdatedAt: azTime(latest(conditionTimes)),
    waitForReconciliation: null,
    reconciliationWaitDuration: null,
    complianceState,
    provisioningState: source.metadata.deletionTimestamp
      ? 'Deleting'
      : missing.length || incomplete
        ? 'Failed'
        : 'Succeeded',
    errorMessage: incomplete
      ? `${source.kind} ${config.namespace}/${config.name} is missing from the cluster: ` +
        'the configuration was only partly applied'
      : missing.length
        ? `Kustomization object(s) missing from the cluster: ${missing.join(', ')}`
        : '',
    resourceGroup: arm.resourceGroup,
    ...(config.kubeConfigSecret ? { kubeConfigSecret: config.kubeConfigSecret } : {}),
  };
}

// --- the configuration as the live objects hold it ----------------------------------------------------------

/** A Go duration (`10m0s`, `1h30m`, `90s`, `1.5h`) in whole seconds; undefined when it is not one. */
export function goDurationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(value)) return undefined;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]!]!;
  return Math.round(total);
}

type Spec = Record<string, unknown>;
const specOf = (o: KubeObject | undefined): Spec => (o?.spec as Spec | undefined) ?? {};

/** Sets `key` of `target` from the live value when the live object has one. */
function take<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/**
 * The configuration as the live source and Kustomizations hold it: the record (what was asked) for what Flux
 * objects cannot hold (auth inputs, the az source kind, known hosts, ...), every field the live specs hold taken
 * from them. Pure.
 */
export function liveConfiguration(
  record: FluxConfiguration,
  source: KubeObject,
  kustomizations: readonly KubeObject[],
): FluxConfiguration {
  const config = structuredClone(record);
  const s = specOf(source);
  take(config, 'suspend', typeof s.suspend === 'boolean' ? s.suspend : record.suspend ? false : undefined);
  const timing = (block: { syncIntervalInSeconds?: number; timeoutInSeconds?: number }) => {
    take(block, 'syncIntervalInSeconds', goDurationSeconds(s.interval));
    take(block, 'timeoutInSeconds', goDurationSeconds(s.timeout));
  };
  const ref = (s.ref ?? {}) as Record<string, string | undefined>;
  if (config.gitRepository && source.kind === 'GitRepository') {
    const g = config.gitRepository;
    timing(g);
    if (typeof s.url === 'string' && s.url !== fluxGitUrl(g.url)) g.url = s.url;
    const r = { branch: ref.branch, tag: ref.tag, semver: ref.semver, commit: ref.commit };
    const compact = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
    g.repositoryRef = Object.keys(compact).length ? compact : undefined;
  } else if (config.bucket && source.kind === 'Bucket') {
    timing(config.bucket);
    take(config.bucket, 'bucketName', typeof s.bucketName === 'string' ? s.bucketName : undefined);
  } else if (config.azureBlob && source.kind === 'Bucket') {
    timing(config.azureBlob);
    take(config.azureBlob, 'containerName', typeof s.bucketName === 'string' ? s.bucketName : undefined);
  } else if (config.ociRepository && source.kind === 'OCIRepository') {
    const o = config.ociRepository;
    timing(o);
    take(o, 'url', typeof s.url === 'string' ? s.url : undefined);
    const r = { tag: ref.tag, semver: ref.semver, digest: ref.digest };
    const compact = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
    if (!(o.repositoryRef === undefined && JSON.stringify(compact) === JSON.stringify({ tag: 'latest' })))
      o.repositoryRef = Object.keys(compact).length ? compact : undefined;
  }
  for (const k of kustomizations) {
    const key = k.metadata.labels?.[KUSTOMIZATION_LABEL];
    const def = key ? config.kustomizations[key] : undefined;
    if (!key || !def) continue;
    const ks = specOf(k);
    def.path = typeof ks.path === 'string' ? ks.path : def.path ? '' : def.path;
    take(def, 'syncIntervalInSeconds', goDurationSeconds(ks.interval));
    take(def, 'timeoutInSeconds', goDurationSeconds(ks.timeout));
    const retry = goDurationSeconds(ks.retryInterval);
    if (retry !== undefined || def.retryIntervalInSeconds !== undefined) def.retryIntervalInSeconds = retry;
    take(def, 'prune', typeof ks.prune === 'boolean' ? ks.prune : undefined);
    take(def, 'force', typeof ks.force === 'boolean' ? ks.force : undefined);
    take(def, 'wait', typeof ks.wait === 'boolean' ? ks.wait : undefined);
    const prefix = `${record.name}-`;
    const deps = ((ks.dependsOn ?? []) as { name?: string }[]).map((d) =>
      d.name?.startsWith(prefix) ? d.name.slice(prefix.length) : (d.name ?? ''),
    );
    if (deps.length || def.dependsOn?.length) def.dependsOn = deps.length ? deps : undefined;
    if (record.scope === 'cluster') {
      const target = typeof ks.targetNamespace === 'string' ? ks.targetNamespace : undefined;
      if (target !== undefined || def.targetNamespace !== undefined) def.targetNamespace = target;
    }
  }
  return config;
}

/** Field paths (`kustomizations.app.path`) whose value differs between the record and the live configuration. */
export function driftOf(record: unknown, live: unknown, prefix = ''): string[] {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(record) && isObj(live)) {
    const keys = [...new Set([...Object.keys(record), ...Object.keys(live)])].sort();
    return keys.flatMap((k) => driftOf(record[k], live[k], prefix ? `${prefix}.${k}` : k));
  }
  const norm = (v: unknown) => JSON.stringify(v ?? null);
  return norm(record) === norm(live) ? [] : [prefix];
}

/** The parts of the az shape a configuration's fields show in (defaults applied), for drift comparison. */
export function configurationBlocks(c: FluxConfiguration): Record<string, unknown> {
  return {
    suspend: c.suspend,
    gitRepository: gitView(c),
    bucket: bucketView(c),
    azureBlob: azureBlobView(c),
    ociRepository: ociView(c),
    kustomizations: kustomizationsView(c),
  };
}
