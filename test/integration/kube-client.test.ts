import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KubeError, UserError } from '../../src/errors.js';
import { FIELD_MANAGER, MissingKindError, type KubeClient } from '../../src/k8s/client.js';
import { connect } from '../../src/k8s/index.js';
import { withCliHint } from '../../src/main.js';
import type { KubeObject } from '../../src/k8s/types.js';
import { captureLogger, quietLogger } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const cm = (
  namespace: string,
  name: string,
  data: Record<string, string>,
  labels?: Record<string, string>,
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels },
  data,
});

describe.skipIf(!cluster)('KubeClient against kube-apiserver', () => {
  let kube: KubeClient;
  let namespace: string;

  beforeAll(async () => {
    kube = await client('admin');
    namespace = uniqueName('kc');
    await kube.apply(ns(namespace));
  });
  afterAll(() => kube?.close());

  it('creates with server-side apply, then a re-apply of the same object is a no-op', async () => {
    const first = await kube.apply(cm(namespace, 'ssa', { a: '1' }));
    expect(first.metadata.uid).toBeTruthy();
    expect(first.metadata.managedFields?.map((f) => f.manager)).toContain(FIELD_MANAGER);
    const second = await kube.apply(cm(namespace, 'ssa', { a: '1' }));
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const changed = await kube.apply(cm(namespace, 'ssa', { a: '2' }));
    expect(changed.metadata.resourceVersion).not.toBe(first.metadata.resourceVersion);
    expect(changed.data).toEqual({ a: '2' });
  });

  it('reports a conflict with another field manager, and takes the fields over with forceConflicts', async () => {
    await kube.apply(cm(namespace, 'conflict', { a: '1' }));
    await kube.request('PATCH', `/api/v1/namespaces/${namespace}/configmaps/conflict`, {
      query: { fieldManager: 'someone-else', force: 'true' },
      body: cm(namespace, 'conflict', { a: 'theirs' }),
      contentType: 'application/apply-patch+yaml',
    });
    const err = await kube.apply(cm(namespace, 'conflict', { a: 'ours' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeError);
    expect((err as KubeError).status).toBe(409);
    expect((err as KubeError).message).toMatch(/^Kubernetes API 409 Conflict: .*someone-else/);
    expect((err as KubeError).hint).toMatch(/--force-conflicts/);
    const forced = await kube.apply(cm(namespace, 'conflict', { a: 'ours' }), { forceConflicts: true });
    expect(forced.data).toEqual({ a: 'ours' });
  });

  it('dry-run apply validates on the server and stores nothing', async () => {
    const out = await kube.apply(cm(namespace, 'dry', { a: '1' }), { dryRun: true });
    expect(out.metadata.name).toBe('dry');
    expect(await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'dry', namespace })).toBeUndefined();
    const bad = await kube
      .apply({ ...cm(namespace, 'Bad_Name', {}), metadata: { name: 'Bad_Name', namespace } }, { dryRun: true })
      .catch((e: unknown) => e);
    expect((bad as KubeError).status).toBe(422);
  });

  it('lists by label selector across namespaces in one call', async () => {
    const other = uniqueName('kc-other');
    const label = uniqueName('sel');
    await kube.applyAll([
      cm(other, 'x', {}, { 'test.fluxcfg.io/run': label }),
      ns(other),
      cm(namespace, 'y', {}, { 'test.fluxcfg.io/run': label }),
      cm(namespace, 'unlabelled', {}),
    ]);
    const found = await kube.list('v1', 'ConfigMap', { labelSelector: `test.fluxcfg.io/run=${label}` });
    expect(found.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(
      [`${other}/x`, `${namespace}/y`].sort(),
    );
    expect(found.every((o) => o.kind === 'ConfigMap' && o.apiVersion === 'v1')).toBe(true);
    const scoped = await kube.list('v1', 'ConfigMap', { namespace, labelSelector: `test.fluxcfg.io/run=${label}` });
    expect(scoped.map((o) => o.metadata.name)).toEqual(['y']);
  });

  it('deletes and waits until the object is gone; a finalizer makes the wait time out', async () => {
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'held', namespace };
    await kube.apply({
      ...cm(namespace, 'held', {}),
      metadata: { name: 'held', namespace, finalizers: ['test.fluxcfg.io/hold'] },
    });
    expect(await kube.delete(ref)).toBe(true);
    const timedOut = await kube.waitForGone([ref], 600, 100).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(UserError);
    expect((timedOut as UserError).message).toMatch(/timed out .* ConfigMap .*\/held/);
    await kube.mergePatch(ref, { metadata: { finalizers: null } });
    await kube.waitForGone([ref], 10_000, 100);
    expect(await kube.get(ref)).toBeUndefined();
    expect(await kube.delete(ref)).toBe(false);
  });

  it('writes status through the status subresource, as a controller would', async () => {
    const repo: KubeObject = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'repo', namespace },
      spec: { url: 'https://example.com/repo.git', interval: '1m', ref: { branch: 'main' } },
    };
    await kube.apply(repo);
    const ref = { apiVersion: repo.apiVersion, kind: repo.kind, name: 'repo', namespace };
    await kube.mergePatch(
      ref,
      {
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'Succeeded',
              message: 'ok',
              lastTransitionTime: '2026-01-01T00:00:00Z',
            },
          ],
        },
      },
      'status',
    );
    const live = await kube.get(ref);
    expect((live?.status as { conditions: { type: string }[] }).conditions[0]?.type).toBe('Ready');
  });

  it('shows a 403 for the tenant user as a clear KubeError', async () => {
    const tenant = await client('tenant');
    try {
      const err = await tenant.list('v1', 'ConfigMap', { namespace }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KubeError);
      const e = err as KubeError;
      expect(e.status).toBe(403);
      expect(e.reason).toBe('Forbidden');
      expect(e.message).toMatch(/^Kubernetes API 403 Forbidden: configmaps is forbidden: User "tenant" cannot list/);
      expect(e.message).not.toMatch(/Headers|HTTP-Code/);
      expect(e.hint).toMatch(/context "tenant" lacks this permission/);
    } finally {
      tenant.close();
    }
  });

  it('says Flux is not installed when a Flux kind is not served', async () => {
    const err = await kube
      .apply({ apiVersion: 'source.toolkit.fluxcd.io/v9', kind: 'GitRepository', metadata: { name: 'x', namespace } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingKindError);
    expect((err as MissingKindError).fluxKind).toBe(true);
    // the client carries the data; main words the hint (test/commands/cli-hints.test.ts)
    expect((withCliHint(err) as MissingKindError).hint).toBe(
      'Flux is not installed: run fluxcfg k8s-extension create --extension-type microsoft.flux -n flux',
    );
    expect(await kube.hasResource('source.toolkit.fluxcd.io/v1', 'GitRepository')).toBe(true);
    expect(await kube.hasResource('example.fluxcfg.io/v1', 'Widget')).toBe(false);
  });

  it('a kind a list answered for is served without discovery; createOnly of a kind not served is MissingKindError', async () => {
    const { log, text } = captureLogger('debug');
    const fresh = await connect({ kubeconfig: requireCluster().kubeconfig, context: 'admin', env: {} }, log);
    try {
      await fresh.list('source.toolkit.fluxcd.io/v1', 'GitRepository', { namespace, cached: true });
      expect(await fresh.hasResource('source.toolkit.fluxcd.io/v1', 'GitRepository')).toBe(true);
      // not listed in this run: discovery answers
      expect(await fresh.hasResource('kustomize.toolkit.fluxcd.io/v1', 'Kustomization')).toBe(true);
      const missing = { apiVersion: 'source.toolkit.fluxcd.io/v9', kind: 'GitRepository', metadata: { name: 'x' } };
      const err = await fresh.createOnly({ ...missing, metadata: { name: 'x', namespace } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MissingKindError);
    } finally {
      fresh.close();
    }
    const requests = [...text().matchAll(/DEBUG: (\w+ \S+) \d{3} /g)].map((m) => m[1]);
    expect(requests).not.toContain('GET /apis/source.toolkit.fluxcd.io/v1');
    expect(requests).toContain('GET /apis/kustomize.toolkit.fluxcd.io/v1');
    expect(requests).toContain('GET /apis/source.toolkit.fluxcd.io/v9');
  });

  it('a CRD deleted in the run: the list that answered for its kind no longer counts as proof it is served', async () => {
    const group = `${uniqueName('g')}.fluxcfg.io`;
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `gadgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    const fresh = await client('admin');
    try {
      await fresh.applyAll([crd]);
      await fresh.list(`${group}/v1`, 'Gadget', { namespace });
      expect(await fresh.hasResource(`${group}/v1`, 'Gadget')).toBe(true);
      const ref = { apiVersion: crd.apiVersion, kind: crd.kind, name: crd.metadata.name };
      expect(await fresh.delete(ref)).toBe(true);
      await fresh.waitForGone([ref], 30_000);
      await expect.poll(() => fresh.hasResource(`${group}/v1`, 'Gadget'), { timeout: 10_000 }).toBe(false);
    } finally {
      fresh.close();
    }
  });

  it('a kubeconfig proxy-url carries the requests through the proxy (Node client with client-node agent)', async () => {
    const tunnels: string[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const doc = yaml.load(readFileSync(requireCluster().kubeconfig, 'utf8')) as {
      clusters: { cluster: Record<string, unknown> }[];
    };
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-proxy-')), 'kubeconfig');
    writeFileSync(
      file,
      yaml.dump({
        ...doc,
        clusters: [{ ...doc.clusters[0], cluster: { ...doc.clusters[0]!.cluster, 'proxy-url': proxyUrl } }],
      }),
    );
    const viaProxy = await connect({ kubeconfig: file, context: 'admin', env: {} }, quietLogger());
    try {
      const got = await viaProxy.request<{ metadata: { name: string } }>('GET', `/api/v1/namespaces/${namespace}`);
      expect(got.metadata.name).toBe(namespace);
      const applied = await viaProxy.apply(cm(namespace, 'via-proxy', { a: '1' }));
      expect(applied.data).toEqual({ a: '1' });
    } finally {
      viaProxy.close();
      proxy.close();
    }
    expect(tunnels.length).toBeGreaterThan(0);
    expect(tunnels[0]).toBe(new URL(requireCluster().server).host);
  });

  it('a second connection to the API server resumes the TLS session of the first', async () => {
    const connect = tls.connect;
    const reused: boolean[] = [];
    const spy = vi.spyOn(tls, 'connect').mockImplementation((...args: Parameters<typeof tls.connect>) => {
      const socket = connect(...args);
      socket.once('secureConnect', () => reused.push(socket.isSessionReused()));
      return socket;
    });
    const fresh = await client('admin');
    try {
      await Promise.all(Array.from({ length: 8 }, () => fresh.request('GET', `/api/v1/namespaces/${namespace}`)));
    } finally {
      fresh.close();
      spy.mockRestore();
    }
    expect(reused).toEqual([false, true]);
  });

  it('checks the server certificate against the kubeconfig CA and the server name, as kubectl does', async () => {
    const doc = yaml.load(readFileSync(requireCluster().kubeconfig, 'utf8')) as {
      clusters: { cluster: Record<string, unknown> }[];
    };
    const variant = async (cluster: Record<string, unknown>) => {
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-tls-')), 'kubeconfig');
      const clusters = [{ ...doc.clusters[0], cluster: { ...doc.clusters[0]!.cluster, ...cluster } }];
      writeFileSync(file, yaml.dump({ ...doc, clusters }));
      const k = await connect({ kubeconfig: file, context: 'admin', env: {} }, quietLogger());
      try {
        return await k.request<{ kind: string }>('GET', `/api/v1/namespaces/${namespace}`);
      } catch (err) {
        return err as UserError;
      } finally {
        k.close();
      }
    };
    // a CA that did not sign the server's certificate (a public root)
    const otherCa = Buffer.from(tls.rootCertificates[0]!).toString('base64');
    const wrongCa = await variant({ 'certificate-authority-data': otherCa });
    expect(wrongCa).toBeInstanceOf(UserError);
    expect((wrongCa as UserError).message).toMatch(/cannot reach the Kubernetes API server .*certificate/);
    // the certificate names kubernetes, kubernetes.default, ..., 127.0.0.1: not this name
    const wrongName = await variant({ 'tls-server-name': 'api.example.com' });
    expect((wrongName as UserError).message).toMatch(/does not match certificate's altnames/);
    expect(await variant({ 'tls-server-name': 'kubernetes' })).toMatchObject({ kind: 'Namespace' });
    expect(await variant({ 'certificate-authority-data': undefined, 'insecure-skip-tls-verify': true })).toMatchObject({
      kind: 'Namespace',
    });
  });

  it('logs each request under --debug with Secret data and credentials redacted', async () => {
    const { log, text } = captureLogger('debug');
    const debugKube = await connect({ kubeconfig: requireCluster().kubeconfig, context: 'admin', env: {} }, log);
    try {
      await debugKube.apply({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'creds', namespace },
        stringData: { password: 'hunter2-very-secret' },
      });
    } finally {
      debugKube.close();
    }
    const out = text();
    expect(out).toMatch(
      new RegExp(`PATCH /api/v1/namespaces/${namespace}/secrets/creds\\?fieldManager=fluxcfg 201 \\d+ ms`),
    );
    expect(out).toContain('"password":"REDACTED"');
    expect(out).not.toContain('hunter2-very-secret');
    expect(out).not.toContain(requireCluster().adminToken);
  });
});
