import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/k8s/client.js';
import type { KubeObject } from '../../src/k8s/types.js';
import { runCli } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';

const KS = 'kustomize.toolkit.fluxcd.io/v1';
const SRC = 'source.toolkit.fluxcd.io/v1';

describe.skipIf(!cluster)('flux write plans against kube-apiserver', () => {
  let kube: KubeClient;
  const cli = (args: string[]) => runCli([...args, '--kubeconfig', requireCluster().kubeconfig, '--context', 'admin']);
  const rows = (stdout: string) =>
    (JSON.parse(stdout) as { action: string; kind: string; name: string }[]).map(
      (r) => `${r.action} ${r.kind} ${r.name}`,
    );

  /** resourceVersion of every object a configuration has (its own, found by label, and the shared ones). */
  async function versions(ns: string, name: string): Promise<Record<string, string>> {
    const kinds: [string, string][] = [
      [KS, 'Kustomization'],
      [SRC, 'GitRepository'],
      ['v1', 'Secret'],
      ['v1', 'ServiceAccount'],
    ];
    const lists = await Promise.all(kinds.map(([a, k]) => kube.list(a, k, { namespace: ns })));
    const crbs = await kube.list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', {
      labelSelector: `fluxcfg.io/configuration=${name}`,
    });
    const nsObj = await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: ns });
    const all: KubeObject[] = [
      ...lists.flat().filter((o) => o.kind !== 'Secret' || o.metadata.name.includes(name)),
      ...crbs,
      nsObj!,
    ];
    return Object.fromEntries(
      all
        .filter((o) => o.kind !== 'ServiceAccount' || o.metadata.name === 'flux-applier')
        .map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.resourceVersion!]),
    );
  }

  beforeAll(async () => {
    kube = await client('admin');
  });
  afterAll(() => kube?.close());

  it('create --dry-run prints what would be created after the server validated it, and stores nothing', async () => {
    const ns = uniqueName('plan-new');
    const name = uniqueName('p');
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const dry = await cli([
      'k8s-configuration',
      'flux',
      'create',
      '-n',
      name,
      '--namespace',
      ns,
      '-u',
      'https://example.com/repo',
      '--branch',
      'main',
      '--https-user',
      'bob',
      '--https-key',
      'pw',
      '-k',
      'name=infra',
      'path=./infra',
      '--no-validate',
      '--dry-run',
      '-o',
      'json',
    ]);
    expect(dry.stderr).not.toMatch(/error:/);
    expect(dry.exitCode).toBe(0);
    expect(rows(dry.stdout)).toEqual([
      `create ServiceAccount flux-applier`,
      `create ClusterRoleBinding fluxcfg-${ns}-${name}-flux-applier`,
      `create Secret git-auth-${name}`,
      `create GitRepository ${name}`,
      `create Kustomization ${name}-infra`,
      // The namespace existed before: fluxcfg never writes a Namespace that exists (a namespace admin may not).
      `unchanged Namespace ${ns}`,
    ]);
    expect(await kube.get({ apiVersion: SRC, kind: 'GitRepository', namespace: ns, name })).toBeUndefined();
    const table = await cli([
      'k8s-configuration',
      'flux',
      'create',
      '-n',
      name,
      '--namespace',
      ns,
      '-u',
      'https://example.com/repo',
      '--branch',
      'main',
      '--no-validate',
      '--dry-run',
      '-o',
      'table',
    ]);
    expect(table.stdout.split('\n')[0]).toMatch(/^Action\s+Kind\s+Namespace\s+Name$/);
  });

  it('update --dry-run shows exactly what changes; the update writes only that; the same update again writes nothing', async () => {
    const ns = uniqueName('plan');
    const name = uniqueName('p');
    const created = await cli([
      'k8s-configuration',
      'flux',
      'create',
      '-n',
      name,
      '--namespace',
      ns,
      '-u',
      'https://example.com/repo',
      '--branch',
      'main',
      '--https-user',
      'bob',
      '--https-key',
      'pw',
      '-k',
      'name=infra',
      'path=./infra',
      '--no-validate',
    ]);
    expect(created.exitCode).toBe(0);
    const before = await versions(ns, name);
    expect(Object.keys(before).sort()).toEqual([
      `ClusterRoleBinding/fluxcfg-${ns}-${name}-flux-applier`,
      `GitRepository/${name}`,
      `Kustomization/${name}-infra`,
      `Namespace/${ns}`,
      `Secret/git-auth-${name}`,
      'ServiceAccount/flux-applier',
    ]);

    // Nothing asked: everything unchanged, the auth Secret included (its stringData is stored as data).
    const same = await cli([
      'k8s-configuration',
      'flux',
      'update',
      '-n',
      name,
      '--no-validate',
      '--dry-run',
      '-o',
      'json',
    ]);
    expect(same.exitCode).toBe(0);
    expect(rows(same.stdout).every((r) => r.startsWith('unchanged '))).toBe(true);
    expect(rows(same.stdout)).toHaveLength(6);

    const change = [
      'k8s-configuration',
      'flux',
      'update',
      '-n',
      name,
      '--local-auth-ref',
      'creds',
      '-k',
      'name=apps',
      'path=./apps',
      '--no-validate',
    ];
    expect(await versions(ns, name)).toEqual(before);
    const dry = await cli([...change, '--dry-run', '-o', 'json']);
    expect(dry.stderr).not.toMatch(/error:/);
    expect(dry.exitCode).toBe(0);
    expect(rows(dry.stdout)).toEqual([
      `create Kustomization ${name}-apps`,
      `update GitRepository ${name}`,
      `prune Secret git-auth-${name}`,
      `unchanged Namespace ${ns}`,
      'unchanged ServiceAccount flux-applier',
      `unchanged ClusterRoleBinding fluxcfg-${ns}-${name}-flux-applier`,
      `unchanged Kustomization ${name}-infra`,
    ]);
    expect(await versions(ns, name)).toEqual(before);

    const real = await cli(change);
    expect(real.exitCode).toBe(0);
    const after = await versions(ns, name);
    expect(after[`Secret/git-auth-${name}`]).toBeUndefined();
    expect(after[`Kustomization/${name}-apps`]).toBeDefined();
    expect(after[`GitRepository/${name}`]).not.toBe(before[`GitRepository/${name}`]);
    for (const key of [
      `Namespace/${ns}`,
      'ServiceAccount/flux-applier',
      `Kustomization/${name}-infra`,
      `ClusterRoleBinding/fluxcfg-${ns}-${name}-flux-applier`,
    ])
      expect(after[key]).toBe(before[key]);
    expect((await kube.get({ apiVersion: SRC, kind: 'GitRepository', namespace: ns, name }))?.spec).toMatchObject({
      secretRef: { name: 'creds' },
    });

    const again = await cli([...change, '--dry-run', '-o', 'json']);
    expect(rows(again.stdout)).toEqual([
      `unchanged Namespace ${ns}`,
      'unchanged ServiceAccount flux-applier',
      `unchanged ClusterRoleBinding fluxcfg-${ns}-${name}-flux-applier`,
      `unchanged GitRepository ${name}`,
      `unchanged Kustomization ${name}-infra`,
      `unchanged Kustomization ${name}-apps`,
    ]);
    const repeated = await cli(change);
    expect(repeated.exitCode).toBe(0);
    expect(JSON.parse(repeated.stdout)).toMatchObject({ name, gitRepository: { localAuthRef: 'creds' } });
    expect(await versions(ns, name)).toEqual(after);

    const kdry = await cli([
      'k8s-configuration',
      'flux',
      'kustomization',
      'delete',
      '-n',
      name,
      '-k',
      'apps',
      '--yes',
      '--dry-run',
      '-o',
      'json',
    ]);
    expect(kdry.exitCode).toBe(0);
    expect(rows(kdry.stdout).filter((r) => !r.startsWith('unchanged'))).toEqual([
      `update GitRepository ${name}`,
      `prune Kustomization ${name}-apps`,
    ]);
    expect(await versions(ns, name)).toEqual(after);
  });
});
