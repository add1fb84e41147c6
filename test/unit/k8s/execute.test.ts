import { describe, expect, it } from 'vitest';
import { KubeClient } from '../../../src/k8s/client.js';
import { executePlan } from '../../../src/k8s/execute.js';
import { plan } from '../../../src/k8s/plan.js';
import type { HttpRequest, Transport } from '../../../src/k8s/transport.js';
import type { KubeObject } from '../../../src/k8s/types.js';
import { quietLogger } from '../../helpers/cli.js';

const discovery: Record<string, unknown> = {
  '/api/v1': {
    resources: [
      { name: 'namespaces', kind: 'Namespace', namespaced: false },
      { name: 'secrets', kind: 'Secret', namespaced: true },
      { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
    ],
  },
};

/** Echoes applies, accepts deletes, records every request but discovery. */
function echo(): Transport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    server: 'https://fake:6443',
    requests,
    async send(req) {
      const path = req.path.split('?')[0]!;
      if (req.method === 'GET' && path in discovery)
        return { status: 200, headers: {}, body: JSON.stringify(discovery[path]) };
      requests.push(req);
      return { status: 200, headers: {}, body: req.body ?? '{}' };
    },
    close() {},
  };
}

const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'new' } };
const cm = (name: string, namespace: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
});
const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'old', namespace: 'there' } };

describe('executePlan', () => {
  it('a dry run sends dryRun in the DELETE body (the API server ignores the query when a body is sent)', async () => {
    const t = echo();
    await executePlan(new KubeClient(t, quietLogger(), 'ctx'), plan([], [secret]), [], { dryRun: true });
    expect(t.requests).toHaveLength(1);
    expect(t.requests[0]!.method).toBe('DELETE');
    expect(JSON.parse(t.requests[0]!.body!)).toMatchObject({ dryRun: ['All'] });
  });

  it('a dry run does not send objects whose namespace the same plan creates; they stand as planned', async () => {
    const t = echo();
    const p = plan([ns, cm('a', 'new'), cm('b', 'there')], []);
    const out = await executePlan(new KubeClient(t, quietLogger(), 'ctx'), p, [], { dryRun: true });
    expect(t.requests.map((r) => r.path.split('?')[0])).toEqual([
      '/api/v1/namespaces/new',
      '/api/v1/namespaces/there/configmaps/b',
    ]);
    expect(out.notSent.map((o) => o.metadata.name)).toEqual(['a']);
    expect(out.applied.map((o) => o.metadata.name)).toEqual(['new', 'a', 'b']);
  });

  it('writes nothing for unchanged objects and hands back their live copies', async () => {
    const t = echo();
    const live = { ...cm('a', 'there'), metadata: { name: 'a', namespace: 'there', resourceVersion: '5' } };
    const p = { apply: [], prune: [], unchanged: [cm('a', 'there')], warnings: [] };
    const out = await executePlan(new KubeClient(t, quietLogger(), 'ctx'), p, [live]);
    expect(t.requests).toEqual([]);
    expect(out.applied).toEqual([live]);
  });
});
