// What else runs Flux in the cluster: Flux v1 (fluxd, helm-operator), or a Flux v2 installed by another tool.
// The reads; how a Flux v1 object is recognised is in model/extension/flux-v1.ts.
import { UserError } from '../errors.js';
import type { KubeClient } from '../k8s/client.js';
import type { KubeObject } from '../k8s/types.js';
import { fluxV1Daemon, V1_CRDS } from '../model/extension/flux-v1.js';
import { PART_OF_LABEL } from '../model/extension/manifest.js';
import { FLUX_NAMESPACE } from '../model/naming.js';

/**
 * Flux v1 daemons and Helm Operators in the cluster (one Deployment list across all namespaces) and the Helm
 * Operator's CRDs, all from the watch cache: descriptions such as `Deployment flux/flux (fluxd)`. Empty when there
 * is no Flux v1.
 */
export async function findFluxV1(kube: KubeClient): Promise<string[]> {
  const crd = (name: string) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
  const [deployments, ...crds] = await Promise.all([
    kube.list('apps/v1', 'Deployment', { cached: true }),
    ...V1_CRDS.map((name) => kube.get(crd(name), { cached: true })),
  ]);
  const found: string[] = [];
  for (const d of deployments) {
    const daemon = fluxV1Daemon(d);
    if (daemon) found.push(`Deployment ${d.metadata.namespace}/${d.metadata.name} (${daemon})`);
  }
  crds.forEach((c, i) => {
    if (c) found.push(`CustomResourceDefinition ${V1_CRDS[i]} (helm-operator)`);
  });
  return found;
}

/** `fluxcfg k8s-configuration flux migrate-from-v1` is where a Flux v1 cluster is sent. */
export const migrateFromV1Hint =
  'migrate first: fluxcfg k8s-configuration flux migrate-from-v1 (prints the plan; --execute carries it out)';

/** Refuses to go on while Flux v1 runs, as az does; `message` gets the objects found. */
export async function refuseFluxV1(
  kube: KubeClient,
  message: (found: string) => string,
  hint = migrateFromV1Hint,
): Promise<void> {
  const v1 = await findFluxV1(kube);
  if (v1.length) throw new UserError(message(v1.join(', ')), { hint });
}

/**
 * A Flux v2 that fluxcfg did not install: controller Deployments labelled part-of=flux in flux-system or the
 * Flux CRDs. `bootstrapped` when the flux-system Kustomization of `flux bootstrap` exists.
 */
export async function findOtherFlux(kube: KubeClient): Promise<{ found: string[]; bootstrapped: boolean }> {
  const crd = (name: string) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
  const [deployments, gitRepos, kustomizations] = await Promise.all([
    kube.list('apps/v1', 'Deployment', { namespace: FLUX_NAMESPACE, labelSelector: `${PART_OF_LABEL}=flux` }),
    kube.get(crd('gitrepositories.source.toolkit.fluxcd.io')),
    kube.get(crd('kustomizations.kustomize.toolkit.fluxcd.io')),
  ]);
  const found = [
    ...deployments.map((d) => `Deployment ${d.metadata.namespace}/${d.metadata.name}`),
    ...[gitRepos, kustomizations]
      .filter((c): c is KubeObject => Boolean(c))
      .map((c) => `CustomResourceDefinition ${c.metadata.name}`),
  ];
  const bootstrapped = kustomizations
    ? Boolean(
        await kube.get({
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          name: 'flux-system',
          namespace: FLUX_NAMESPACE,
        }),
      )
    : false;
  return { found, bootstrapped };
}
