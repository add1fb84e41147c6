// The Azure Resource Manager fields az prints on every resource (id, type, resourceGroup, systemData), made up
// from what the user passed (-g, -c, -t, --cluster-rp, --subscription) or, without those, from stand-ins built
// from the kubeconfig context (documented in the README). Pure.

/** az's cluster types and the resource provider each lives under (k8s-configuration utils.get_cluster_rp...). */
const clusterProviders: Record<string, { type: string; rp: string }> = {
  connectedclusters: { type: 'connectedClusters', rp: 'Microsoft.Kubernetes' },
  managedclusters: { type: 'managedClusters', rp: 'Microsoft.ContainerService' },
  provisionedclusters: { type: 'provisionedClusters', rp: 'Microsoft.HybridContainerService' },
  appliances: { type: 'appliances', rp: 'Microsoft.ResourceConnector' },
};

/** Stand-ins when the az flag is absent. */
export const STAND_IN_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';
export const STAND_IN_RESOURCE_GROUP = 'kubeconfig';
export const STAND_IN_CLUSTER_TYPE = 'connectedClusters';

export interface ArmScope {
  readonly subscription: string;
  readonly resourceGroup: string;
  /** `connectedClusters`, `managedClusters`, ... as az spells it. */
  readonly clusterType: string;
  readonly clusterRp: string;
  readonly clusterName: string;
}

export interface ArmFlags {
  readonly subscription?: string;
  readonly resourceGroup?: string;
  readonly clusterType?: string;
  readonly clusterName?: string;
  readonly clusterResourceProvider?: string;
}

/** A resource-id segment: the kube context name may hold a `/` (e.g. EKS ARNs), which would split the id. */
const segment = (s: string) => s.replace(/\//g, '_');

/**
 * Where az would say the cluster is. `-t` values are matched case-insensitively as az does; `--cluster-rp` names
 * the provider of a provisionedClusters cluster; an unknown `-t` is kept as given under Microsoft.Kubernetes.
 */
export function armScope(flags: ArmFlags, contextName: string): ArmScope {
  const given = flags.clusterType ?? STAND_IN_CLUSTER_TYPE;
  const known = clusterProviders[given.toLowerCase()];
  const rp =
    known?.type === 'provisionedClusters' && flags.clusterResourceProvider
      ? flags.clusterResourceProvider
      : (known?.rp ?? flags.clusterResourceProvider ?? 'Microsoft.Kubernetes');
  return {
    subscription: flags.subscription ?? STAND_IN_SUBSCRIPTION,
    resourceGroup: flags.resourceGroup ?? STAND_IN_RESOURCE_GROUP,
    clusterType: known?.type ?? given,
    clusterRp: rp,
    clusterName: segment(flags.clusterName ?? contextName),
  };
}

export function clusterId(s: ArmScope): string {
  const group = `/subscriptions/${s.subscription}/resourceGroups/${s.resourceGroup}`;
  return `${group}/providers/${s.clusterRp}/${s.clusterType}/${s.clusterName}`;
}

export const FLUX_CONFIGURATION_TYPE = 'Microsoft.KubernetesConfiguration/fluxConfigurations';
export const EXTENSION_TYPE_ARM = 'Microsoft.KubernetesConfiguration/extensions';

export function fluxConfigurationId(s: ArmScope, name: string): string {
  return `${clusterId(s)}/providers/${FLUX_CONFIGURATION_TYPE}/${segment(name)}`;
}

export function extensionId(s: ArmScope, name: string): string {
  return `${clusterId(s)}/providers/${EXTENSION_TYPE_ARM}/${segment(name)}`;
}

/** ARM's systemData, with az's six keys. fluxcfg does not know the Azure identity: the *By fields are null. */
export interface SystemData {
  createdBy: string | null;
  createdByType: string | null;
  createdAt: string | null;
  lastModifiedBy: string | null;
  lastModifiedByType: string | null;
  lastModifiedAt: string | null;
}

export function systemData(
  createdAt: string | null | undefined,
  lastModifiedAt: string | null | undefined,
): SystemData {
  return {
    createdBy: null,
    createdByType: null,
    createdAt: azTime(createdAt),
    lastModifiedBy: null,
    lastModifiedByType: null,
    lastModifiedAt: azTime(lastModifiedAt ?? createdAt),
  };
}

/**
 * A timestamp as az prints a datetime (Python's isoformat of a UTC datetime): `2022-05-13T11:54:42+00:00`,
 * fractional seconds as six digits when not zero. Kubernetes' `...Z` (and MicroTime) in; anything unparsable as is.
 */
export function azTime(t: string | null | undefined): string | null {
  if (!t) return null;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(t);
  if (!m) return t;
  const [, base, frac, zone] = m;
  const micro = (frac ?? '').padEnd(6, '0').slice(0, 6);
  return `${base}${/^0+$/.test(micro) ? '' : `.${micro}`}${zone === 'Z' ? '+00:00' : zone}`;
}
