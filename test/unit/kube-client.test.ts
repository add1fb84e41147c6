import { describe, expect, it } from 'vitest';
import { KubeError, UserError } from '../../src/errors.js';
import { applyStage, KubeClient } from '../../src/k8s/client.js';
import type { HttpRequest, HttpResponse, Transport } from '../../src/k8s/transport.js';
import type { KubeObject } from '../../src/k8s/types.js';
import { quietLogger } from '../helpers/cli.js';

type Reply = HttpResponse | Error;
const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body: JSON.stringify(body),
});
const discovery = {
  '/api/v1': json(200, {
    resources: [
      { name: 'namespaces', kind: 'Namespace', namespaced: false },
      { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
      { name: 'secrets', kind: 'Secret', namespaced: true },
    ],
  }),
  '/apis/source.toolkit.fluxcd.io/v1': json(200, {
    resources: [
      { name: 'gitrepositories', kind: 'GitRepository', namespaced: true },
      { name: 'gitrepositories/status', kind: 'GitRepository', namespaced: true },
    ],
  }),
  '/apis/kustomize.toolkit.fluxcd.io/v1': json(200, {
    resources: [{ name: 'kustomizations', kind: 'Kustomization', namespaced: true }],
  }),
};

/** A scripted API server: discovery answers, then the queued replies in order (or echoes); every request is recorded. */
function fakeTransport(replies: Reply[], echo = false): Transport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    server: 'https://fake:6443',
    requests,
    async send(req) {
      const path = req.path.split('?')[0]!;
      if (req.method === 'GET' && path in discovery) return discovery[path as keyof typeof discovery];
      requests.push(req);
      if (echo) return json(200, JSON.parse(req.body ?? '{}'));
      const next = replies.shift();
      if (!next) throw new Error(`unexpected request ${req.method} ${req.path}`);
      if (next instanceof Error) throw next;
      return next;
    },
    close() {},
  };
}
const connError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
const cm = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' } });

describe('KubeClient requests', () => {
  it('server-side apply is a PATCH with the apply content type, field manager, and optional force/dryRun', async () => {
    const t = fakeTransport([json(200, cm('a')), json(200, cm('a'))]);
    const kube = new KubeClient(t, quietLogger(), 'ctx');
    await kube.apply(cm('a'));
    await kube.apply(cm('a'), { dryRun: true, forceConflicts: true });
    expect(t.requests.map((r) => [r.method, r.path, r.headers?.['Content-Type']])).toEqual([
      ['PATCH', '/api/v1/namespaces/ns/configmaps/a?fieldManager=fluxcfg', 'application/apply-patch+yaml'],
      [
        'PATCH',
        '/api/v1/namespaces/ns/configmaps/a?fieldManager=fluxcfg&force=true&dryRun=All',
        'application/apply-patch+yaml',
      ],
    ]);
  });

  it('a dry-run delete says so in the DeleteOptions body (a body makes the server ignore the query)', async () => {
    const t = fakeTransport([json(200, {}), json(200, {})]);
    const kube = new KubeClient(t, quietLogger(), 'ctx');
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'ns' };
    await kube.delete(ref);
    await kube.delete(ref, { dryRun: true });
    const dryRunOf = (body?: string) => (JSON.parse(body ?? '{}') as { dryRun?: string[] }).dryRun;
    expect(t.requests.map((r) => [r.method, r.path, dryRunOf(r.body)])).toEqual([
      ['DELETE', '/api/v1/namespaces/ns/configmaps/a', undefined],
      ['DELETE', '/api/v1/namespaces/ns/configmaps/a?dryRun=All', ['All']],
    ]);
  });

  it('retries idempotent calls after connection errors and 429/5xx, with backoff', async () => {
    const t = fakeTransport([
      connError('ECONNRESET'),
      json(503, { message: 'busy' }),
      json(429, { message: 'slow down' }, { 'retry-after': '0' }),
      json(200, cm('a')),
    ]);
    const kube = new KubeClient(t, quietLogger(), 'ctx');
    const got = await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', namespace: 'ns' });
    expect(got?.metadata.name).toBe('a');
    expect(t.requests).toHaveLength(4);
  });

  it('gives up after four attempts with the server message', async () => {
    const t = fakeTransport([
      json(500, {}),
      json(500, {}),
      json(500, {}),
      json(500, { message: 'etcd down', reason: 'InternalError' }),
    ]);
    const err = await new KubeClient(t, quietLogger(), 'ctx').list('v1', 'ConfigMap').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).message).toBe('Kubernetes API 500 InternalError: etcd down');
    expect(t.requests).toHaveLength(4);
  });

  it('never retries a call that is not idempotent', async () => {
    const t = fakeTransport([connError('ECONNRESET')]);
    const err = await new KubeClient(t, quietLogger(), 'ctx')
      .request('POST', '/api/v1/namespaces', { body: {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(
      /^cannot reach the Kubernetes API server https:\/\/fake:6443 \(context "ctx"\): connect ECONNRESET/,
    );
    expect(t.requests).toHaveLength(1);
  });

  it('a 422 lists the causes the server gave', async () => {
    const t = fakeTransport([
      json(422, {
        kind: 'Status',
        reason: 'Invalid',
        message: 'GitRepository "x" is invalid',
        details: { causes: [{ field: 'spec.url', message: 'Invalid value' }] },
      }),
    ]);
    const err = (await new KubeClient(t, quietLogger(), 'ctx').apply(cm('x')).catch((e: unknown) => e)) as KubeError;
    expect(err.message).toBe('Kubernetes API 422 Invalid: GitRepository "x" is invalid (spec.url: Invalid value)');
    expect(err.exitCode).toBe(1);
  });

  it('applies a batch stage by stage: namespaces, then secrets/config, then sources, then other Flux kinds', async () => {
    const batch: KubeObject[] = [
      { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'k', namespace: 'ns' } },
      { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'g', namespace: 'ns' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } },
    ];
    const t = fakeTransport([], true);
    const applied = await new KubeClient(t, quietLogger(), 'ctx').applyAll(batch);
    expect(t.requests.map((r) => r.path.split('?')[0])).toEqual([
      '/api/v1/namespaces/ns',
      '/api/v1/namespaces/ns/secrets/s',
      '/apis/source.toolkit.fluxcd.io/v1/namespaces/ns/gitrepositories/g',
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/ns/kustomizations/k',
    ]);
    expect(applied.map((o) => o.metadata.name)).toEqual(['k', 'g', 's', 'ns']);
    expect(batch.map(applyStage)).toEqual([4, 3, 1, 0]);
  });
});
