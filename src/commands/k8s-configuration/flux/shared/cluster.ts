// The cluster facts a write checks before it renders: Flux v1 daemons (refused, as az does) and how the installed
// Flux treats tenants.
import { UserError } from '../../../../errors.js';
import { migrateFromV1Hint, refuseFluxV1 } from '../../../../extension/detect.js';
import type { KubeClient } from '../../../../k8s/client.js';
import type { FluxConfiguration } from '../../../../model/flux-configuration.js';
import {
  AZURE_NAMESPACE_LABEL,
  CONFIGURATION_LABEL,
  FLUX_APPLIER,
  KUSTOMIZE_API_VERSION,
  MANAGED_BY_LABEL,
  MANAGER,
  SOURCE_API_VERSION,
} from '../../../../model/naming.js';
import { findApplierNamespaces, readClusterTenancy } from '../../../../validate/index.js';
import type { Deps } from '../../../../deps.js';
import { clusterWideOr, listConfigurations } from '../live.js';
import type { Tenancy } from '../prepare.js';

/** Flux v1 daemons in the cluster make az refuse Flux v2 configurations; fluxcfg does the same. */
export async function refuseFluxV1InCluster(kube: KubeClient): Promise<void> {
  await refuseFluxV1(
    kube,
    (found) => `Error! Flux v1 configurations already exist on the cluster (${found})`,
    `Try removing all Flux v1 configurations from the cluster before attempting to add Flux v2 configurations (${migrateFromV1Hint})`,
  );
}

/**
 * How the installed Flux treats tenants (multiTenancy.enforce, --no-remote-bases; enforced when unreadable) and
 * which other namespaces already have a flux-applier from another configuration.
 */
export async function clusterTenancy(deps: Deps, kube: KubeClient, namespace: string): Promise<Tenancy> {
  const note = (m: string) => deps.log.info(m);
  const [mode, applierNamespaces] = await Promise.all([
    clusterWideOr(
      () => readClusterTenancy(kube),
      () => undefined,
      note,
      'multi-tenancy mode',
    ),
    clusterWideOr(
      () => findApplierNamespaces(kube, namespace),
      () => [],
      note,
      'flux-applier namespaces',
    ),
  ]);
  return { multiTenancy: mode?.enforce ?? true, noRemoteBases: mode?.noRemoteBases ?? false, applierNamespaces };
}

/** A dry run writes nothing, so it cannot install Flux as `create` otherwise does: the Flux kinds must be served. */
export async function requireFluxForDryRun(kube: KubeClient): Promise<void> {
  const served = await Promise.all([
    kube.hasResource(SOURCE_API_VERSION, 'GitRepository'),
    kube.hasResource(KUSTOMIZE_API_VERSION, 'Kustomization'),
  ]);
  if (served.includes(false))
    throw new UserError("'Microsoft.Flux' extension not found on the cluster; a --dry-run does not install it", {
      hint:
        'install Flux first (fluxcfg k8s-extension create -n flux --extension-type microsoft.flux), ' +
        'or run without --dry-run',
    });
}

/**
 * The configurations of one namespace share its ServiceAccount flux-applier: a cluster-scoped one binds it to
 * cluster-admin, so a namespace-scoped one beside it would run as cluster-admin too. Mixing scopes in a namespace
 * is refused, either way round, naming the other configuration. Read from the sources' records and from the
 * bindings (a half-applied configuration may have lost its source); a tenant who may not list
 * ClusterRoleBindings still sees the cluster-scoped configurations through their sources. All from the watch
 * cache: a quorum read of every ClusterRoleBinding would cost more the more configurations the cluster holds, and
 * closes no race a cached read leaves open (a configuration created a moment after either read is missed alike).
 */
export async function refuseMixedScopes(deps: Deps, kube: KubeClient, config: FluxConfiguration): Promise<void> {
  const ns = config.namespace;
  const selector = `${MANAGED_BY_LABEL}=${MANAGER},${AZURE_NAMESPACE_LABEL}=${ns}`;
  const [configs, clusterBindings] = await Promise.all([
    listConfigurations(kube, ns, { cached: true }),
    clusterWideOr(
      () => kube.list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { labelSelector: selector, cached: true }),
      () => [],
      (m) => deps.log.info(m),
      'cluster-scoped configurations check',
    ),
  ]);
  const scopes = new Map<string, string>();
  for (const c of configs) scopes.set(c.config.name, c.config.scope);
  for (const b of clusterBindings) {
    const name = b.metadata.labels?.[CONFIGURATION_LABEL];
    if (name) scopes.set(name, 'cluster');
  }
  const other = [...scopes].find(([name, scope]) => name !== config.name && scope !== config.scope);
  if (!other) return;
  const [name, scope] = other;
  throw new UserError(
    `Error! Namespace '${ns}' already holds the ${scope}-scoped Flux configuration '${name}'; ` +
      `a ${config.scope}-scoped ` +
      `configuration cannot share it: both would run as ServiceAccount ${ns}/${FLUX_APPLIER}, which '${name}' ` +
      (scope === 'cluster' ? 'binds to cluster-admin' : 'expects to hold rights in this namespace only'),
    {
      hint: `use another --namespace for '${config.name}', or give it --scope ${scope}, or delete '${name}' first`,
    },
  );
}
