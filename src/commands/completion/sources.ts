// Where `__complete` finds names: the cluster of the selected kubeconfig context (configurations, their
// kustomizations, namespaces, extensions) and the kubeconfig itself (contexts). Every lookup gives up after a
// short timeout; a failure of any kind is no candidates, never an error on the terminal.
import type { KubeClient } from '../../k8s/client.js';
import type { KubeObject } from '../../k8s/types.js';
import type { KubeSelection } from '../../k8s/kubeconfig.js';
import {
  allConfigurationsSelector,
  AZURE_NAMESPACE_LABEL,
  CONFIGURATION_LABEL,
  EXTENSION_LABEL,
  KUSTOMIZATION_LABEL,
  KUSTOMIZE_API_VERSION,
  MANAGED_BY_LABEL,
  MANAGER,
  SOURCE_API_VERSION,
} from '../../model/naming.js';
import type { CompletionSources } from './complete.js';

const EXTENSION_NAMESPACE = 'flux-system';

export const DEFAULT_TIMEOUT_MS = 1500;

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms}ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const uniqueSorted = (list: (string | undefined)[]) => [...new Set(list.filter((s): s is string => Boolean(s)))].sort();

/** Lists of every kind that answered; a kind the cluster does not serve counts as empty. */
async function listEach(
  kube: KubeClient,
  kinds: readonly [string, string][],
  namespace: string | undefined,
  labelSelector: string,
): Promise<KubeObject[]> {
  const lists = await Promise.allSettled(kinds.map(([v, k]) => kube.list(v, k, { namespace, labelSelector })));
  if (lists.every((l) => l.status === 'rejected')) throw (lists[0] as PromiseRejectedResult).reason;
  return lists.flatMap((l) => (l.status === 'fulfilled' ? l.value : []));
}

const sourceKinds: [string, string][] = ['GitRepository', 'Bucket', 'OCIRepository'].map((k) => [
  SOURCE_API_VERSION,
  k,
]);

/**
 * Sources backed by `kube()` (connected on first use) and the kubeconfig of `selection`. `close()` drops the
 * connection, also a request still running after its timeout.
 */
export function clusterSources(
  kube: () => Promise<KubeClient>,
  selection: KubeSelection,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): CompletionSources {
  const deadline = Date.now() + timeoutMs;
  const ask = <T>(f: (k: KubeClient) => Promise<T>) => withTimeout(kube().then(f), Math.max(1, deadline - Date.now()));
  const configurationSources = (k: KubeClient, namespace?: string) =>
    listEach(k, sourceKinds, namespace, allConfigurationsSelector);
  return {
    configurations: (namespace) =>
      ask(async (k) =>
        uniqueSorted((await configurationSources(k, namespace)).map((o) => o.metadata.labels?.[CONFIGURATION_LABEL])),
      ),
    kustomizations: (configuration, namespace) =>
      ask(async (k) => {
        const selector = `${MANAGED_BY_LABEL}=${MANAGER},${CONFIGURATION_LABEL}=${configuration}`;
        const objects = await k.list(KUSTOMIZE_API_VERSION, 'Kustomization', { namespace, labelSelector: selector });
        return uniqueSorted(objects.map((o) => o.metadata.labels?.[KUSTOMIZATION_LABEL]));
      }),
    namespaces: () =>
      ask(async (k) => {
        try {
          return uniqueSorted((await k.list('v1', 'Namespace')).map((o) => o.metadata.name));
        } catch {
          // A tenant may not list namespaces: offer the namespaces of the configurations it can see.
          const sources = await configurationSources(k);
          return uniqueSorted(sources.map((o) => o.metadata.labels?.[AZURE_NAMESPACE_LABEL] ?? o.metadata.namespace));
        }
      }),
    extensions: () =>
      ask(async (k) => {
        const selector = `${MANAGED_BY_LABEL}=${MANAGER},${EXTENSION_LABEL}`;
        const maps = await k.list('v1', 'ConfigMap', { namespace: EXTENSION_NAMESPACE, labelSelector: selector });
        return uniqueSorted(maps.map((o) => o.metadata.labels?.[EXTENSION_LABEL]));
      }),
    contexts: async () => {
      const { loadKubeConfig } = await import('../../k8s/kubeconfig.js');
      return uniqueSorted(
        loadKubeConfig({ ...selection, context: undefined, clusterName: undefined })
          .kc.getContexts()
          .map((c) => c.name),
      );
    },
  };
}
