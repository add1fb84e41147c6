import type { Logger } from '../ui/log.js';
import { KubeClient } from './client.js';
import { contextNamespace, loadKubeConfig, type KubeSelection } from './kubeconfig.js';
import { makeTransport } from './transport.js';

/** Loads kubeconfig and makes the run's KubeClient. Imported lazily: @kubernetes/client-node is slow to load. */
export async function connect(sel: KubeSelection, log: Logger): Promise<KubeClient> {
  const loaded = loadKubeConfig(sel);
  for (const note of loaded.notes) log.info(note);
  log.info(`kubeconfig: ${loaded.source}, context "${loaded.contextName}"`);
  const transport = await makeTransport(loaded.kc, { requestTimeoutMs: sel.requestTimeoutMs });
  const kube = new KubeClient(transport, log, loaded.contextName);
  kube.contextNamespace = contextNamespace(loaded);
  return kube;
}
