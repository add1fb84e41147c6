// What else runs Flux in the cluster: Flux v1 (fluxd, helm-operator), or a Flux v2 installed by another tool.
import { UserError } from '../errors.js';
import type { KubeClient } from '../k8s/client.js';
import type { KubeObject } from '../k8s/types.js';
import { PART_OF_LABEL } from '../model/extension/manifest.js';
import { FLUX_NAMESPACE } from '../model/naming.js';

/** Image repositories of the Flux v1 daemon and the Helm Operator (registry and tag stripped). */
const v1Images: Record<string, 'fluxd' | 'helm-operator'> = {
  'fluxcd/flux': 'fluxd',
  'weaveworks/flux': 'fluxd',
  'fluxcd/helm-operator': 'helm-operator',
  'fluxcd/helm-operator-prerelease': 'helm-operator',
  'weaveworks/helm-operator': 'helm-operator',
};

/** The CRDs of the Helm Operator (current and older API groups). */
const v1Crds = [
  'helmreleases.helm.fluxcd.io',
  'helmreleases.flux.weave.works',
  'fluxhelmreleases.helm.integrations.flux.weave.works',
];

/** `docker.io/fluxcd/flux:1.25.4` → `fluxcd/flux`: registry host, tag and digest removed. */
export function imageRepository(image: string): string {
  let ref = image.split('@')[0]!;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) parts.shift();
  return parts.join('/');
}

export function fluxV1Daemon(deployment: KubeObject): 'fluxd' | 'helm-operator' | undefined {
  const spec = deployment.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined;
  for (const c of spec?.template?.spec?.containers ?? []) {
    const found = c.image ? v1Images[imageRepository(c.image)] : undefined;
    if (found) return found;
  }
  return undefined;
}

/**
 * Flux v1 daemons and Helm Operators in the cluster (one Deployment list across all namespaces) and the Helm
 * Operator's CRDs: descriptions such as `Deployment flux/flux (fluxd)`. Empty when there is no Flux v1.
 */
export async function findFluxV1(kube: KubeClient): Promise<string[]> {
  const crd = (name: string) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
  const [deployments, ...crds] = await Promise.all([
    kube.list('apps/v1', 'Deployment'),
    ...v1Crds.map((name) => kube.get(crd(name))),
  ]);
  const found: string[] = [];
  for (const d of deployments) {
    const daemon = fluxV1Daemon(d);
    if (daemon) found.push(`Deployment ${d.metadata.namespace}/${d.metadata.name} (${daemon})`);
  }
  crds.forEach((c, i) => {
    if (c) found.push(`CustomResourceDefinition ${v1Crds[i]} (helm-operator)`);
  });
  return found;
}

/** `fluxcfg k8s-configuration flux migrate-from-v1` is where a Flux v1 cluster is sent; it is not built yet. */
export const migrateFromV1Hint =
  'migrate first: fluxcfg k8s-configuration flux migrate-from-v1 (planned, not built yet: until then remove fluxd and helm-operator by hand)';

/** Refuses to go on while Flux v1 runs, as az does; `message` gets the objects found. */
export async function refuseFluxV1(kube: KubeClient, message: (found: string) => string, hint = migrateFromV1Hint): Promise<void> {
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
    ...[gitRepos, kustomizations].filter((c): c is KubeObject => Boolean(c)).map((c) => `CustomResourceDefinition ${c.metadata.name}`),
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
