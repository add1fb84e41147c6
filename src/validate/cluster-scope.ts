// Which kinds are cluster-scoped: the API server's discovery when connected, else a built-in list plus the
// CustomResourceDefinitions found among the manifests themselves.
import { MissingKindError, type KubeClient } from '../k8s/client.js';
import type { KubeObject } from '../k8s/types.js';

/** group/Kind of the cluster-scoped kinds of Kubernetes and of common add-ons (group '' = core). */
export const builtinClusterScoped: ReadonlySet<string> = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'storage.k8s.io/VolumeAttributesClass',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/IPAddress',
  'networking.k8s.io/ServiceCIDR',
  'certificates.k8s.io/CertificateSigningRequest',
  'certificates.k8s.io/ClusterTrustBundle',
  'policy/PodSecurityPolicy',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'resource.k8s.io/DeviceClass',
  'resource.k8s.io/ResourceSlice',
  'authorization.k8s.io/SubjectAccessReview',
  'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
  'authentication.k8s.io/TokenReview',
  'authentication.k8s.io/SelfSubjectReview',
  // common add-ons
  'cert-manager.io/ClusterIssuer',
  'kyverno.io/ClusterPolicy',
  'external-secrets.io/ClusterSecretStore',
  'external-secrets.io/ClusterExternalSecret',
  'gateway.networking.k8s.io/GatewayClass',
  'snapshot.storage.k8s.io/VolumeSnapshotClass',
  'snapshot.storage.k8s.io/VolumeSnapshotContent',
]);

export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
}

export const kindKey = (apiVersion: string, kind: string) => `${apiVersion}|${kind}`;

export interface ScopeResolution {
  /** kindKey → cluster-scoped. */
  readonly clusterScoped: Map<string, boolean>;
  /** Why discovery was not used for some kinds (e.g. 403), for a warning. */
  readonly notes: string[];
}

/**
 * Decides cluster-scope for every distinct apiVersion/kind of `objects`: discovery first when a client is given
 * (a kind the server does not serve falls back), then CRDs among the objects, then the built-in list; anything
 * else is taken as namespaced.
 */
export async function resolveScopes(objects: readonly KubeObject[], kube?: KubeClient): Promise<ScopeResolution> {
  const fromCrds = new Map<string, boolean>();
  for (const o of objects) {
    if (o.kind !== 'CustomResourceDefinition') continue;
    const spec = o.spec as { group?: string; scope?: string; names?: { kind?: string } } | undefined;
    if (spec?.group && spec.names?.kind) fromCrds.set(`${spec.group}/${spec.names.kind}`, spec.scope === 'Cluster');
  }
  const clusterScoped = new Map<string, boolean>();
  const notes: string[] = [];
  let discoveryBroken = false;
  const kinds = [...new Map(objects.map((o) => [kindKey(o.apiVersion, o.kind), o])).values()];
  for (const o of kinds) {
    const key = kindKey(o.apiVersion, o.kind);
    const gk = `${groupOf(o.apiVersion)}/${o.kind}`;
    let answer: boolean | undefined;
    if (kube && !discoveryBroken) {
      try {
        answer = !(await kube.resource(o.apiVersion, o.kind)).namespaced;
      } catch (err) {
        if (!(err instanceof MissingKindError)) {
          discoveryBroken = true;
          notes.push(
            `API discovery failed (${(err as Error).message}); using the built-in list of cluster-scoped kinds`,
          );
        }
      }
    }
    answer ??= fromCrds.get(gk) ?? builtinClusterScoped.has(gk);
    clusterScoped.set(key, answer);
  }
  return { clusterScoped, notes };
}
