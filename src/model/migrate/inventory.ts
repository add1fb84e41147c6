// What migrate-from-v1 found: the typed inventory of Flux v1 daemons, Helm Operators, HelmRelease v1 objects with
// their running Helm releases, memcached, RBAC and Azure Arc traces. Plain JSON (no secret values, only references).
import type { ObjectRef } from '../../k8s/types.js';
import type { FluxdSettings, HelmOperatorSettings } from './fluxd.js';

/** A container image split as Docker reads it; `repository` has no registry host. */
export interface ImageRef {
  image: string;
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** Where a Secret value comes from (never the value itself). */
export interface SecretKeyRef {
  kind: 'Secret';
  namespace: string;
  name: string;
  key: string;
  /** The object was in the input. */
  found: boolean;
  /** The key holds a non-empty value (only meaningful when found). */
  hasValue: boolean;
}

/** known_hosts for the v2 Git Secret. */
export type KnownHostsSource =
  | { from: 'ConfigMap' | 'Secret'; namespace: string; name: string; key: string; found: boolean }
  /** Base64 known_hosts text (az `sshKnownHostsContents`; public data). */
  | { from: 'inline'; base64: string }
  /** Nothing mounted: fluxd trusted the host keys baked into its image; the execute phase scans the host. */
  | { from: 'image'; host: string; port?: number };

export type GitAuth =
  | {
      kind: 'ssh';
      identity: SecretKeyRef;
      identitySource: 'volume' | 'k8s-secret-name' | 'az';
      knownHosts: KnownHostsSource;
    }
  | { kind: 'https'; username?: SecretKeyRef | { literal: string }; password?: SecretKeyRef }
  | { kind: 'none' };

export interface ArcConfiguration {
  /** The sourceControlConfiguration name (what `az k8s-configuration delete --name` takes). */
  name: string;
  operatorNamespace: string;
  operatorInstanceName: string;
  operatorScope: 'cluster' | 'namespace';
  repositoryUrl?: string;
  operatorParams?: string;
  enableHelmOperator?: boolean;
  helmOperatorChartValues?: string;
  /** From the az resource id, when known. */
  resourceGroup?: string;
  clusterName?: string;
  clusterType?: 'connectedClusters' | 'managedClusters';
  /** GitConfig object found in the cluster, or the az resource read from --from-file. */
  origin: 'GitConfig' | 'az';
}

export interface FluxdInstance {
  /** The Deployment's name and namespace (Arc: the operatorInstanceName in the operatorNamespace). */
  name: string;
  namespace: string;
  deployment?: ObjectRef;
  image?: ImageRef;
  container?: string;
  /** The fluxd arguments as given (after `$(VAR)` expansion of literal env values). */
  args: string[];
  settings: FluxdSettings;
  auth: GitAuth;
  serviceAccount?: string;
  memcached: ObjectRef[];
  rbac: ObjectRef[];
  /** The Arc sourceControlConfiguration that created this fluxd. */
  arc?: ArcConfiguration;
  /** Problems found while reading it (no git URL, unresolved `$(VAR)`, ...). */
  problems: string[];
}

export interface HelmOperatorInstance {
  name: string;
  namespace: string;
  deployment?: ObjectRef;
  image?: ImageRef;
  args: string[];
  settings: HelmOperatorSettings;
  /** SSH key the operator used for `ssh://` chart repositories (volume at /etc/fluxd/ssh). */
  gitKey?: SecretKeyRef;
  knownHosts?: KnownHostsSource;
  serviceAccount?: string;
  rbac: ObjectRef[];
  arc?: ArcConfiguration;
}

/** One revision of a Helm v3 release (`sh.helm.release.v1.<release>.v<N>` Secret). */
export interface HelmStorageRecord {
  secret: string;
  release: string;
  namespace: string;
  revision: number;
  status?: string;
  chart?: string;
  chartVersion?: string;
  appVersion?: string;
}

export interface RunningRelease {
  name: string;
  namespace: string;
  /** The latest deployed revision, else the latest revision. */
  current?: HelmStorageRecord;
  revisions: number;
  /** A Helm v2 (Tiller ConfigMap) release of that name exists. */
  helmV2?: boolean;
}

/** HelmRelease `helm.fluxcd.io/v1`, as read (spec kept as is). */
export interface HelmReleaseV1 {
  ref: ObjectRef;
  name: string;
  namespace: string;
  annotations: Record<string, string>;
  finalizers: string[];
  spec: Record<string, unknown>;
  /** spec.releaseName, else the Helm Operator default. */
  releaseName: string;
  releaseNameDefaulted: boolean;
  targetNamespace: string;
  release: RunningRelease;
  /** name/namespace of the Helm Operator that handles it, when one was found. */
  operator?: { name: string; namespace: string };
}

/** A workload carrying Flux v1 image-automation annotations. */
export interface AutomatedWorkload {
  ref: ObjectRef;
  annotations: Record<string, string>;
  /** container name → image (for HelmReleases: the values' image when it can be read). */
  images: Record<string, string>;
}

export interface Inventory {
  source: 'cluster' | 'file';
  fluxd: FluxdInstance[];
  helmOperators: HelmOperatorInstance[];
  helmReleases: HelmReleaseV1[];
  automated: AutomatedWorkload[];
  arc: {
    configurations: ArcConfiguration[];
    /** The azure-arc config-agent Deployment, when present. */
    agent?: ObjectRef;
  };
  /** CRDs of Flux v1 / the Helm Operator present in the input. */
  crds: ObjectRef[];
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** Docker reference rules: the first path part is a registry when it has a `.` or `:` or is `localhost`. */
export function parseImage(image: string): ImageRef {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) registry = parts.shift();
  return { image, registry, repository: parts.join('/'), tag, digest };
}

function matchesRepo(ref: ImageRef, names: readonly string[]): boolean {
  if (ref.registry !== undefined && DOCKER_HUB.has(ref.registry)) return names.includes(ref.repository);
  return names.some((n) => ref.repository === n || ref.repository.endsWith(`/${n}`));
}

/** fluxd images: `fluxcd/flux` from any registry or mirror path (also the older `weaveworks/flux`). */
export function isFluxdImage(image: string): boolean {
  return matchesRepo(parseImage(image), ['fluxcd/flux', 'weaveworks/flux']);
}

const HELM_OPERATOR_REPOSITORIES = [
  'fluxcd/helm-operator',
  'fluxcd/helm-operator-prerelease',
  'weaveworks/helm-operator',
];

/** Helm Operator images: `fluxcd/helm-operator` (and `-prerelease`), older `weaveworks/helm-operator`. */
export function isHelmOperatorImage(image: string): boolean {
  return matchesRepo(parseImage(image), HELM_OPERATOR_REPOSITORIES);
}

/** An inventory with nothing in it. */
export function emptyInventory(source: Inventory['source']): Inventory {
  return {
    source,
    fluxd: [],
    helmOperators: [],
    helmReleases: [],
    automated: [],
    arc: { configurations: [] },
    crds: [],
  };
}

export const HELM_RELEASE_V1_API = 'helm.fluxcd.io/v1';
export const HELM_RELEASE_V1_CRD = 'helmreleases.helm.fluxcd.io';
/** Older Flux v1 CRDs still found on long-lived clusters. */
export const LEGACY_V1_CRDS = ['helmreleases.flux.weave.works', 'fluxhelmreleases.helm.integrations.flux.weave.works'];
export const GITCONFIG_API = 'clusterconfig.azure.com/v1beta1';
export const GITCONFIG_CRD = 'gitconfigs.clusterconfig.azure.com';
