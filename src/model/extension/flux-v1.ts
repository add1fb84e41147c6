// How Flux v1 is recognised: the images of its daemon and Helm Operator, the Helm Operator's CRDs. Pure.
import type { KubeObject } from '../../k8s/types.js';

/** Image repositories of the Flux v1 daemon and the Helm Operator (registry and tag stripped). */
const v1Images: Record<string, 'fluxd' | 'helm-operator'> = {
  'fluxcd/flux': 'fluxd',
  'weaveworks/flux': 'fluxd',
  'fluxcd/helm-operator': 'helm-operator',
  'fluxcd/helm-operator-prerelease': 'helm-operator',
  'weaveworks/helm-operator': 'helm-operator',
};

/** The CRDs of the Helm Operator (current and older API groups). */
export const V1_CRDS = [
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
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost'))
    parts.shift();
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
