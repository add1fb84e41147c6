// What each flux verb costs in API requests (deterministic, unlike time): a per-object GET creeping back into
// create, update, show, list or delete fails here. The same verbs run against a namespace of 5 and one of 50
// configurations whose Kustomizations carry inventories (2 HelmReleases, 10 Deployments each, as a controller
// writes them): the number of requests must not depend on how many there are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient, mapLimit } from '../../src/k8s/client.js';
import type { KubeSelection } from '../../src/k8s/kubeconfig.js';
import { loadKubeConfigFast } from '../../src/k8s/kubeconfig-fast.js';
import { openTransport } from '../../src/k8s/transport.js';
import type { KubeObject } from '../../src/k8s/types.js';
import type { Logger } from '../../src/ui/log.js';
import { runCli } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';

const KS = 'kustomize.toolkit.fluxcd.io/v1';
const HR = 'helm.toolkit.fluxcd.io/v2';
const ready = {
  observedGeneration: 1,
  conditions: [
    { type: 'Ready', status: 'True', reason: 'Succeeded', message: 'ok', lastTransitionTime: '2026-11-01T10:00:00Z' },
  ],
};

interface Seeded {
  readonly ns: string;
  readonly names: string[];
}

/** Runs the CLI with a KubeClient whose every request is recorded as `METHOD path`. */
async function counted(
  args: string[],
): Promise<{ exitCode: number; stdout: string; stderr: string; requests: string[] }> {
  const requests: string[] = [];
  const connect = async (sel: KubeSelection, log: Logger) => {
    const fast = loadKubeConfigFast(sel);
    if (!fast) throw new Error('the test kubeconfig should be read without client-node');
    const t = openTransport(fast.material);
    return new KubeClient(
      {
        server: t.server,
        send: (req) => {
          requests.push(`${req.method} ${req.path}`);
          return t.send(req);
        },
        close: () => t.close(),
      },
      log,
      fast.contextName,
    );
  };
  const r = await runCli([...args, '--kubeconfig', requireCluster().kubeconfig, '--context', 'admin'], { connect });
  return { ...r, requests };
}

/** Collection reads (lists: they page with limit), by path without the query. */
const lists = (requests: string[]) =>
  requests.filter((r) => r.startsWith('GET ') && /[?&]limit=/.test(r)).map((r) => r.split('?')[0]);
const inventoryGets = (requests: string[]) => requests.filter((r) => /GET .*\/helmreleases\/[^/?]+$/.test(r));

describe.skipIf(!cluster)('API requests per flux verb do not grow with the cluster', () => {
  let kube: KubeClient;
  let small: Seeded;
  let big: Seeded;

  /** `count` configurations rendered by fluxcfg's own --export, applied, with inventories and Ready HelmReleases. */
  async function seed(prefix: string, count: number): Promise<Seeded> {
    const ns = uniqueName(prefix);
    const names = Array.from({ length: count }, (_, i) => `${ns}-${i}`);
    const objects: KubeObject[] = [];
    for (const name of names) {
      const r = await runCli([
        'k8s-configuration', 'flux', 'create', '-n', name, '--namespace', ns, '-u', 'https://example.com/org/repo',
        '--branch', 'main', '-k', 'name=infra', 'path=./infra', '-k', 'name=apps', 'path=./apps',
        '--export', '-o', 'json',
      ]); // prettier-ignore
      expect(r.exitCode, r.stderr).toBe(0);
      for (const o of JSON.parse(r.stdout) as KubeObject[])
        if (o.kind !== 'Namespace' || name === names[0]) objects.push(o);
      for (const j of [0, 1])
        objects.push({
          apiVersion: HR,
          kind: 'HelmRelease',
          metadata: { name: `${name}-hr-${j}`, namespace: ns },
          spec: {
            interval: '10m',
            chart: { spec: { chart: 'app', sourceRef: { kind: 'HelmRepository', name: 'c' } } },
          },
        });
    }
    await kube.applyAll(objects, { concurrency: 16 });
    await mapLimit(names, 16, async (name) => {
      const entries = [
        ...[0, 1].map((j) => ({ id: `${ns}_${name}-hr-${j}_helm.toolkit.fluxcd.io_HelmRelease`, v: 'v2' })),
        ...Array.from({ length: 10 }, (_, j) => ({ id: `${ns}_${name}-app-${j}_apps_Deployment`, v: 'v1' })),
      ];
      const ks = { apiVersion: KS, kind: 'Kustomization', namespace: ns, name: `${name}-infra` };
      await kube.mergePatch(ks, { status: { ...ready, inventory: { entries } } }, 'status');
      for (const j of [0, 1])
        await kube.mergePatch(
          { apiVersion: HR, kind: 'HelmRelease', namespace: ns, name: `${name}-hr-${j}` },
          { status: ready },
          'status',
        );
    });
    return { ns, names };
  }

  beforeAll(async () => {
    kube = await client('admin');
    small = await seed('rc-small', 5);
    big = await seed('rc-big', 50);
  }, 180_000);
  afterAll(() => kube?.close());

  it('list: one request per kind, the same for 5 and for 50 configurations, no GET per inventory entry', async () => {
    const [a, b] = [
      await counted(['k8s-configuration', 'flux', 'list', '--namespace', small.ns]),
      await counted(['k8s-configuration', 'flux', 'list', '--namespace', big.ns]),
    ];
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
    const views = JSON.parse(b.stdout) as { name: string; statuses: { kind: string; complianceState: string }[] }[];
    expect(views.map((v) => v.name).sort()).toEqual([...big.names].sort());
    // the HelmReleases were really read (Ready), not reported Unknown
    expect(views[0]!.statuses.filter((s) => s.kind === 'HelmRelease').map((s) => s.complianceState)).toEqual([
      'Compliant',
      'Compliant',
    ]);
    expect(inventoryGets(b.requests)).toEqual([]);
    expect(b.requests.length).toBe(a.requests.length);
    expect(lists(b.requests)).toEqual(lists(a.requests).map((p) => p!.replace(small.ns, big.ns)));
    // 6 owned kinds + the HelmRelease kind of the inventories
    expect(b.requests.length).toBeLessThanOrEqual(7);
  });

  it('show: the same requests for one configuration among 5 and among 50', async () => {
    const a = await counted(['k8s-configuration', 'flux', 'show', '-n', small.names[0]!]);
    const b = await counted(['k8s-configuration', 'flux', 'show', '-n', big.names[0]!]);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).statuses.filter((s: { kind: string }) => s.kind === 'HelmRelease')).toHaveLength(2);
    expect(b.requests.length).toBe(a.requests.length);
    // Kustomizations and GitRepositories (no RBAC, no Secrets, no other source kind: a git configuration's
    // Kustomizations name its source), then the 2 HelmReleases of the inventories; its source names no Secret
    expect(lists(b.requests).map((p) => p!.split('/').pop())).toEqual(['kustomizations', 'gitrepositories']);
    expect(b.requests.length).toBe(4);
    expect(b.requests.some((r) => /rolebindings|secrets/.test(r))).toBe(false);
  });

  it('show reads the auth Secret its source names, by name, beside the deployed objects; never a --local-auth-ref one', async () => {
    const ns = uniqueName('rc-secret');
    const create = (name: string, auth: string[]) =>
      runCli([
        'k8s-configuration', 'flux', 'create', '-n', name, '--namespace', ns, '-u', 'https://example.com/org/repo',
        '--branch', 'main', ...auth, '-k', 'name=k', 'path=./', '--no-validate', '-o', 'none',
        '--kubeconfig', requireCluster().kubeconfig, '--context', 'admin',
      ]); // prettier-ignore
    const own = await create(`${ns}-own`, ['--https-user', 'u', '--https-key', 'k']);
    expect(own.exitCode, own.stderr).toBe(0);
    const local = await create(`${ns}-local`, ['--local-auth-ref', 'their-secret']);
    expect(local.exitCode, local.stderr).toBe(0);
    const a = await counted(['k8s-configuration', 'flux', 'show', '-n', `${ns}-own`]);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(a.requests.filter((r) => /secrets/.test(r))).toEqual([
      `GET /api/v1/namespaces/${ns}/secrets/git-auth-${ns}-own?resourceVersion=0`,
    ]);
    // the Secret counts in systemData (its last apply), as a list by label would have it
    const listed = JSON.parse(
      (await runCli(['k8s-configuration', 'flux', 'list', '--namespace', ns, '--kubeconfig',
        requireCluster().kubeconfig, '--context', 'admin'])).stdout, // prettier-ignore
    ) as { name: string; systemData: unknown }[];
    expect(JSON.parse(a.stdout).systemData).toEqual(listed.find((c) => c.name === `${ns}-own`)!.systemData);
    const b = await counted(['k8s-configuration', 'flux', 'show', '-n', `${ns}-local`]);
    expect(b.exitCode, b.stderr).toBe(0);
    expect(b.requests.filter((r) => /secrets/.test(r))).toEqual([]);
  });

  it('show of a Bucket or OCIRepository configuration: one list of the kind its Kustomizations name', async () => {
    const ns = uniqueName('rc-src');
    const create = (name: string, source: string[]) =>
      runCli([
        'k8s-configuration', 'flux', 'create', '-n', name, '--namespace', ns, ...source, '-k', 'name=k', 'path=./',
        '--no-validate', '-o', 'none', '--kubeconfig', requireCluster().kubeconfig, '--context', 'admin',
      ]); // prettier-ignore
    const oci = await create(`${ns}-oci`, ['--kind', 'oci', '-u', 'oci://ghcr.io/org/manifests', '--tag', 'v1']);
    expect(oci.exitCode, oci.stderr).toBe(0);
    const bucket = await create(`${ns}-bucket`, [
      '--kind', 'bucket', '-u', 'https://s3.example.com', '--bucket-name', 'cfg-bucket', '--bucket-access-key', 'a',
      '--bucket-secret-key', 's',
    ]); // prettier-ignore
    expect(bucket.exitCode, bucket.stderr).toBe(0);
    for (const [name, kind, plural] of [
      [`${ns}-oci`, 'OCIRepository', 'ocirepositories'],
      [`${ns}-bucket`, 'Bucket', 'buckets'],
    ] as const) {
      const r = await counted(['k8s-configuration', 'flux', 'show', '-n', name]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ name, sourceKind: kind === 'Bucket' ? 'Bucket' : 'OCIRepository' });
      expect(lists(r.requests).map((p) => p!.split('/').pop())).toEqual(['kustomizations', 'gitrepositories', plural]);
    }
  });

  it('create: no discovery of the kinds fluxcfg knows, cached existence lists, a bounded number of requests', async () => {
    const ns = uniqueName('rc-create');
    const r = await counted([
      'k8s-configuration', 'flux', 'create', '-n', ns, '--namespace', ns, '-u', 'https://example.com/org/repo',
      '--branch', 'main', '--https-user', 'u', '--https-key', 'k', '-k', 'name=infra', 'path=./infra',
      '-k', 'name=apps', 'path=./apps', '--no-validate', '-o', 'none',
    ]); // prettier-ignore
    expect(r.exitCode, r.stderr).toBe(0);
    const discovery = r.requests.filter((q) => /^GET \/apis?(\/[^/?]+){1,2}$/.test(q) && !q.includes('/namespaces'));
    // Flux is served: the existence lists of GitRepositories and Kustomizations answered, no discovery needed
    expect(discovery).toEqual([]);
    const reads = r.requests.filter((q) => q.startsWith('GET '));
    // every read from the watch cache: existence, tenancy, scope mixing and the takeover guard's GETs
    expect(reads.filter((q) => !q.includes('resourceVersion=0'))).toEqual([]);
    const patches = r.requests.filter((q) => q.startsWith('PATCH '));
    // 7 objects; the source, created first and create-only, then takes its fields over as fluxcfg's apply
    expect(patches.filter((q) => !q.includes('dryRun=All')).length, patches.join('\n')).toBeLessThanOrEqual(8);
    // one wave of reads (Flux v1, existence, tenancy, scope mixing), a GET per rendered object (the takeover
    // guard), the server-side dry run of the batch, then the writes: bounded, whatever the cluster holds
    expect(r.requests.length, r.requests.join('\n')).toBeLessThanOrEqual(41);
  });

  it('update: reads by label, writes only what changed', async () => {
    const r = await counted([
      'k8s-configuration',
      'flux',
      'update',
      '-n',
      big.names[1]!,
      '--interval',
      '7m',
      '--no-validate',
      '-o',
      'none',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    // one real write (the source's interval) after the server-side dry run of the batch (all or nothing)
    const patches = r.requests.filter((q) => q.startsWith('PATCH '));
    expect(patches.filter((q) => !q.includes('dryRun=All'))).toHaveLength(1);
    expect(patches.filter((q) => q.includes('dryRun=All'))).toHaveLength(1);
    // the view it prints reads the configuration's own 2 HelmReleases, nothing of the other 49
    expect(inventoryGets(r.requests)).toHaveLength(2);
    expect(r.requests.length).toBeLessThanOrEqual(15); // 14 + the server-side dry run of the batch
  });

  it('delete: the same reads for a configuration among 5 and among 50', async () => {
    const del = (name: string) =>
      counted(['k8s-configuration', 'flux', 'delete', '-n', name, '--yes', '--force', 'true', '-o', 'none']);
    const a = await del(small.names[4]!);
    const b = await del(big.names[49]!);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
    expect(lists(b.requests)).toEqual(lists(a.requests).map((p) => p!.replace(small.ns, big.ns)));
    expect(inventoryGets(b.requests)).toEqual([]);
    expect(b.requests.filter((q) => q.startsWith('DELETE ')).length).toBe(
      a.requests.filter((q) => q.startsWith('DELETE ')).length,
    );
  });
});
