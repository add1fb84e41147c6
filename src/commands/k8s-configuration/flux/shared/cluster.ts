// The cluster facts a write checks before it renders: Flux v1 daemons (refused, as az does) and how the installed
// Flux treats tenants.
import { UserError } from '../../../../errors.js';
import { migrateFromV1Hint, refuseFluxV1 } from '../../../../extension/detect.js';
import type { KubeClient } from '../../../../k8s/client.js';
import { KUSTOMIZE_API_VERSION, SOURCE_API_VERSION } from '../../../../model/naming.js';
import { findApplierNamespaces, readClusterTenancy } from '../../../../validate/index.js';
import type { Deps } from '../../../../deps.js';
import { clusterWideOr } from '../live.js';
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
    clusterWideOr(() => readClusterTenancy(kube), () => undefined, note, 'multi-tenancy mode'),
    clusterWideOr(() => findApplierNamespaces(kube, namespace), () => [], note, 'flux-applier namespaces'),
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
