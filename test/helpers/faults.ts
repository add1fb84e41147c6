// Fault injection between fluxcfg and the real test API server: a Transport wrapper that answers chosen requests
// itself (a 409, a 422) or stops reaching the server from a chosen request on (connection refused, as when the API
// server was killed). Passed to runCli as `connect`, so the whole command runs in-process against the real server.
import type { MainOverrides } from '../../src/main.js';
import { KubeClient } from '../../src/k8s/client.js';
import { contextNamespace, loadKubeConfig } from '../../src/k8s/kubeconfig.js';
import { makeTransport, type HttpRequest, type HttpResponse, type Transport } from '../../src/k8s/transport.js';

/** What a fault does with one request: pass it on (undefined), answer it, or refuse the connection. */
export type FaultAction = HttpResponse | 'refuse' | undefined;
/** May hold a request (return a promise) before deciding, to order it after something else. */
export type Fault = (req: HttpRequest) => FaultAction | Promise<FaultAction>;

/** A Kubernetes Status response. */
export function statusResponse(code: number, reason: string, message: string): HttpResponse {
  return {
    status: code,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message }),
  };
}

/** A real write (not a dry run) of the given plural (e.g. `gitrepositories`). */
export function isRealWrite(req: HttpRequest, plural: string): boolean {
  const [path, query = ''] = req.path.split('?');
  return (
    (req.method === 'PATCH' || req.method === 'POST' || req.method === 'PUT') &&
    new RegExp(`/${plural}(/|$)`).test(path!) &&
    !/dryRun=All/.test(query)
  );
}

export function isWrite(req: HttpRequest, plural: string): boolean {
  const [path] = req.path.split('?');
  return (req.method === 'PATCH' || req.method === 'POST') && new RegExp(`/${plural}(/|$)`).test(path!);
}

/** Once `trigger` matches a request, that request and every later one find the server gone. */
export function serverGoneFrom(trigger: (req: HttpRequest) => boolean): Fault & { fired: () => boolean } {
  let gone = false;
  const fault = (req: HttpRequest): FaultAction => {
    if (!gone && trigger(req)) gone = true;
    return gone ? 'refuse' : undefined;
  };
  return Object.assign(fault, { fired: () => gone });
}

/** Counts what the fault did, for the README's counts. */
export const injected = { count: 0 };

/** A `connect` for runCli that puts `fault` between the KubeClient and the server. */
export function faultyConnect(fault: Fault): NonNullable<MainOverrides['connect']> {
  return async (selection, log) => {
    const loaded = loadKubeConfig(selection);
    const inner = await makeTransport(loaded.kc);
    const transport: Transport = {
      server: inner.server,
      close: () => inner.close(),
      send: async (req) => {
        const action = await fault(req);
        if (action === 'refuse') {
          injected.count++;
          throw Object.assign(new Error(`connect ECONNREFUSED ${inner.server}`), { code: 'ECONNREFUSED' });
        }
        if (action) {
          injected.count++;
          return action;
        }
        return inner.send(req);
      },
    };
    const kube = new KubeClient(transport, log, loaded.contextName);
    kube.contextNamespace = contextNamespace(loaded);
    return kube;
  };
}
