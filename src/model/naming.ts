// Names and labels of the objects fluxcfg owns in a cluster, and the constants several layers share: one place,
// shared by render, list, prune, validate and the extension.
import type { SourceKind } from './flux-configuration.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGER = 'fluxcfg';
/** Name of the Flux configuration an object belongs to. */
export const CONFIGURATION_LABEL = 'fluxcfg.io/configuration';
/** Kustomization name (the az map key) on a rendered Kustomization. */
export const KUSTOMIZATION_LABEL = 'fluxcfg.io/kustomization';
/** JSON of the FluxConfiguration (no secrets) on the source object, so show/update know what was asked. */
export const CONFIGURATION_ANNOTATION = 'fluxcfg.io/configuration';
/** Labels Azure's own controller puts on what it generates, kept for tooling that looks for them. */
export const AZURE_NAME_LABEL = 'clusterconfig.azure.com/name';
export const AZURE_NAMESPACE_LABEL = 'clusterconfig.azure.com/namespace';

export const SOURCE_API_VERSION = 'source.toolkit.fluxcd.io/v1';
export const KUSTOMIZE_API_VERSION = 'kustomize.toolkit.fluxcd.io/v1';
export const FLUX_APPLIER = 'flux-applier';
/** Where Flux runs: the microsoft.flux release namespace. */
export const FLUX_NAMESPACE = 'flux-system';
/** az's default sync interval and timeout of sources and kustomizations (10m). */
export const DEFAULT_INTERVAL_SECONDS = 600;
/** Name of the microsoft.flux extension an installed Flux object belongs to. */
export const EXTENSION_LABEL = 'fluxcfg.io/extension';

/** The Flux kind rendered for each az sourceKind (azblob is a Bucket with provider azure). */
export const fluxSourceKind: Record<SourceKind, 'GitRepository' | 'Bucket' | 'OCIRepository'> = {
  GitRepository: 'GitRepository',
  Bucket: 'Bucket',
  AzureBlob: 'Bucket',
  OCIRepository: 'OCIRepository',
};

/** In-cluster name of a kustomization, as Azure names it. */
export function kustomizationObjectName(configuration: string, kustomization: string): string {
  return `${configuration}-${kustomization}`;
}

/** The auth Secret (Azure names the git one `git-auth-<config>`). */
export function authSecretName(configuration: string, kind: SourceKind): string {
  const prefix = { GitRepository: 'git', Bucket: 'bucket', AzureBlob: 'azblob', OCIRepository: 'oci' }[kind];
  return `${prefix}-auth-${configuration}`;
}

/** The Secret with the OCI verification keys (verify.secretRef). */
export function ociVerifySecretName(configuration: string): string {
  return `${authSecretName(configuration, 'OCIRepository')}-verify`;
}

/** RoleBinding (scope namespace) or ClusterRoleBinding (scope cluster) giving flux-applier its rights. */
export function applierBindingName(namespace: string, configuration: string, scope: 'cluster' | 'namespace'): string {
  return scope === 'namespace' ? `flux-applier-${configuration}` : `fluxcfg-${namespace}-${configuration}-flux-applier`;
}

/** Labels on every object that belongs to one configuration. */
export function configurationLabels(namespace: string, configuration: string): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGER,
    [CONFIGURATION_LABEL]: configuration,
    [AZURE_NAME_LABEL]: configuration,
    [AZURE_NAMESPACE_LABEL]: namespace,
  };
}

/** Selects every object of one configuration (one list request per kind). */
export function configurationSelector(namespace: string, configuration: string): string {
  return `${MANAGED_BY_LABEL}=${MANAGER},${CONFIGURATION_LABEL}=${configuration},${AZURE_NAMESPACE_LABEL}=${namespace}`;
}

/** Selects the objects of every fluxcfg configuration. */
export const allConfigurationsSelector = `${MANAGED_BY_LABEL}=${MANAGER},${CONFIGURATION_LABEL}`;
