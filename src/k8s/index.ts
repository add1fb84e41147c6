import type { Logger } from '../ui/log.js';
import { KubeClient } from './client.js';
import type { KubeSelection } from './kubeconfig.js';
import { loadKubeConfigFast } from './kubeconfig-fast.js';
import { openTransport, type Transport } from './transport.js';

/**
 * Loads kubeconfig and makes the run's KubeClient. A plain kubeconfig (one file, token or client certificate) is
 * read without @kubernetes/client-node; exec plugins, auth providers, proxies, KUBECONFIG lists, in-cluster and
 * every error go through client-node (kubeconfig.ts), loaded only then: it is slow to load.
 */
export async function connect(sel: KubeSelection, log: Logger): Promise<KubeClient> {
  const fast = loadKubeConfigFast(sel);
  let transport: Transport;
  let contextName: string;
  let namespace: string | undefined;
  if (fast) {
    log.info(`kubeconfig: ${fast.source}, context "${fast.contextName}"`);
    transport = openTransport(fast.material, { requestTimeoutMs: sel.requestTimeoutMs });
    contextName = fast.contextName;
    namespace = fast.namespace;
  } else {
    const [{ contextNamespace, loadKubeConfig }, { makeTransport }] = await Promise.all([
      import('./kubeconfig.js'),
      import('./transport.js'),
    ]);
    const loaded = loadKubeConfig(sel);
    for (const note of loaded.notes) log.info(note);
    log.info(`kubeconfig: ${loaded.source}, context "${loaded.contextName}"`);
    transport = await makeTransport(loaded.kc, { requestTimeoutMs: sel.requestTimeoutMs });
    contextName = loaded.contextName;
    namespace = contextNamespace(loaded);
  }
  const counting = sel.env.FLUXCFG_COUNT_REQUESTS;
  const kube = new KubeClient(counting ? countRequests(transport, counting) : transport, log, contextName);
  kube.contextNamespace = namespace;
  return kube;
}

/**
 * FLUXCFG_COUNT_REQUESTS=1: on exit, one stderr line `fluxcfg: N requests (GET a, PATCH b, ...)` for the bench and
 * for regression checks; `=paths` also prints each request as it is sent.
 */
export function countRequests(inner: Transport, mode: string): Transport {
  const byMethod = new Map<string, number>();
  let reported = false;
  const report = () => {
    if (reported) return;
    reported = true;
    const total = [...byMethod.values()].reduce((a, b) => a + b, 0);
    const parts = [...byMethod].map(([m, n]) => `${m} ${n}`).join(', ');
    process.stderr.write(`fluxcfg: ${total} requests${parts ? ` (${parts})` : ''}\n`);
  };
  process.once('exit', report);
  return {
    server: inner.server,
    send(req) {
      byMethod.set(req.method, (byMethod.get(req.method) ?? 0) + 1);
      if (mode === 'paths') process.stderr.write(`fluxcfg: ${req.method} ${req.path}\n`);
      return inner.send(req);
    },
    close() {
      inner.close();
    },
  };
}
