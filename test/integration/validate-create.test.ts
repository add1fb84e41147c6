// flux create validates the real source before applying: against a git repository served from loopback, the
// seeds' cross-namespace HelmRelease refuses the create and nothing is applied; --no-validate applies.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/k8s/client.js';
import { runCli } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';
import { startGitServer, type GitServer } from '../helpers/git-server.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/validate');
const read = (f: string) => readFileSync(path.join(fixtures, f), 'utf8');

describe.skipIf(!cluster)('flux create validates the source (loopback git repository)', () => {
  let kube: KubeClient;
  let bad: GitServer;
  let good: GitServer;
  const cli = (args: string[]) => runCli([...args, '--kubeconfig', requireCluster().kubeconfig, '--context', 'admin']);
  const create = (url: string, name: string, ns: string, ...extra: string[]) =>
    cli([
      'k8s-configuration',
      'flux',
      'create',
      '-n',
      name,
      '--namespace',
      ns,
      '--scope',
      'cluster',
      '-u',
      url,
      '--branch',
      'main',
      '-k',
      'name=apps',
      'path=./apps',
      '-k',
      'name=infra',
      'path=./infrastructure',
      '--no-wait',
      ...extra,
    ]);
  const repoOf = (ns: string, name: string) =>
    kube.get({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', namespace: ns, name });

  beforeAll(async () => {
    kube = await client('admin');
    bad = await startGitServer({
      'apps/nginx/helmrelease.yaml': read('seed-cross-namespace/helmrelease.yaml'),
      'infrastructure/helmrepository.yaml': read('seed-cross-namespace/helmrepository.yaml'),
    });
    good = await startGitServer({
      'apps/nginx/helmrelease.yaml': read('seed-corrected/helmrelease.yaml'),
      'infrastructure/helmrepository.yaml': read('seed-corrected/helmrepository.yaml'),
    });
  });
  afterAll(async () => {
    kube?.close();
    await bad?.stop();
    await good?.stop();
  });

  it('is refused with the finding, file and line, and nothing is applied', async () => {
    const ns = uniqueName('cluster-config');
    const name = uniqueName('mt');
    const r = await create(bad.url, name, ns);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'apps/nginx/helmrelease.yaml:14 HelmRelease nginx/nginx: spec.chart.spec.sourceRef names HelmRepository flux-system/bitnami in another namespace: cross-namespace references are blocked (multiTenancy.enforce=true) [cross-namespace-ref]',
    );
    expect(r.stderr).toContain(
      `fix: move HelmRelease nginx and HelmRepository bitnami into namespace ${ns} (the configuration's namespace), point spec.chart.spec.sourceRef at namespace ${ns} and set spec.targetNamespace: nginx`,
    );
    expect(r.stderr).toContain('apps/nginx/helmrelease.yaml:5 HelmRelease nginx/nginx: has no spec.serviceAccountName');
    expect(await repoOf(ns, name)).toBeUndefined();
    expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })).toBeUndefined();
  });

  it('with --no-validate it applies', async () => {
    const ns = uniqueName('cluster-config');
    const name = uniqueName('mt');
    const r = await create(bad.url, name, ns, '--no-validate');
    expect(r.stderr).not.toContain('cross-namespace-ref');
    expect(r.exitCode).toBe(0);
    expect((await repoOf(ns, name))?.spec).toMatchObject({ url: bad.url, ref: { branch: 'main' } });
  });

  it('the corrected layout validates and applies', async () => {
    const ns = 'cluster-config-' + uniqueName('ok').slice(3);
    const name = uniqueName('mt');
    // the corrected manifests name namespace cluster-config: serve them with this test's namespace instead
    const server = await startGitServer({
      'apps/nginx/helmrelease.yaml': read('seed-corrected/helmrelease.yaml').replaceAll('cluster-config', ns),
      'infrastructure/helmrepository.yaml': read('seed-corrected/helmrepository.yaml').replaceAll('cluster-config', ns),
    });
    try {
      const r = await create(server.url, name, ns);
      expect(r.stderr).not.toMatch(/not validated|rejected/);
      expect(r.exitCode).toBe(0);
      expect(await repoOf(ns, name)).toBeDefined();
    } finally {
      await server.stop();
    }
  });

  it('an unreachable source is a warning, and the configuration is applied', async () => {
    const ns = uniqueName('cluster-config');
    const name = uniqueName('mt');
    const gone = await startGitServer({ 'a.yaml': 'a: 1\n' });
    await gone.stop();
    const r = await create(gone.url, name, ns);
    expect(r.stderr).toMatch(/was not validated: cannot clone branch main/);
    expect(r.exitCode).toBe(0);
    expect(await repoOf(ns, name)).toBeDefined();
  });
});
