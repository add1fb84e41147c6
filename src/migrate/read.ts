// Discovery reads of migrate-from-v1: every kind Flux v1 discovery looks at, listed in one parallel batch (all
// namespaces per request). A user who may not list a kind cluster-wide gets the given namespace instead (as the
// flux verbs' clusterWideOr does); a kind the server does not serve (HelmRelease v1, Arc GitConfig) is empty.
import { KubeError } from '../errors.js';
import type { KubeClient } from '../k8s/client.js';
import { MissingKindError } from '../k8s/client.js';
import type { KubeObject } from '../k8s/types.js';
import { GITCONFIG_API, HELM_RELEASE_V1_API } from '../model/migrate/inventory.js';

/** apiVersion, kind, namespaced. */
export const DISCOVERY_KINDS: readonly (readonly [string, string, boolean])[] = [
  ['apps/v1', 'Deployment', true],
  ['apps/v1', 'StatefulSet', true],
  ['apps/v1', 'DaemonSet', true],
  ['batch/v1', 'CronJob', true],
  ['v1', 'Service', true],
  ['v1', 'ServiceAccount', true],
  ['v1', 'Secret', true],
  ['v1', 'ConfigMap', true],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', false],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', false],
  ['rbac.authorization.k8s.io/v1', 'Role', true],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', true],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', false],
  [HELM_RELEASE_V1_API, 'HelmRelease', true],
  [GITCONFIG_API, 'GitConfig', true],
];

const isForbidden = (err: unknown) => err instanceof KubeError && err.status === 403;

export interface ReadResult {
  objects: KubeObject[];
  /** Kinds read only in the fallback namespace, or not at all, for lack of rights. */
  limited: string[];
}

async function listKind(
  kube: KubeClient,
  [apiVersion, kind, namespaced]: readonly [string, string, boolean],
  fallbackNamespace: string | undefined,
  limited: string[],
): Promise<KubeObject[]> {
  const attempt = async (namespace?: string) => {
    try {
      return await kube.list(apiVersion, kind, namespace ? { namespace } : {});
    } catch (err) {
      if (err instanceof MissingKindError) return [];
      throw err;
    }
  };
  try {
    return await attempt();
  } catch (err) {
    if (!isForbidden(err)) throw err;
  }
  if (!namespaced || !fallbackNamespace) {
    limited.push(`${kind} (not readable)`);
    return [];
  }
  try {
    const items = await attempt(fallbackNamespace);
    limited.push(`${kind} (namespace ${fallbackNamespace} only)`);
    return items;
  } catch (err) {
    if (!isForbidden(err)) throw err;
    limited.push(`${kind} (not readable)`);
    return [];
  }
}

/** Everything discovery needs, as plain objects (Secrets with their data: kept in memory, never printed). */
export async function readV1Objects(kube: KubeClient, fallbackNamespace?: string): Promise<ReadResult> {
  const limited: string[] = [];
  const lists = await Promise.all(DISCOVERY_KINDS.map((k) => listKind(kube, k, fallbackNamespace, limited)));
  return { objects: lists.flat(), limited };
}
