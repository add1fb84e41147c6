// Hostile review (issue #9, part A): the API server really killed in the middle of a create, on a SECOND
// kube-apiserver this file starts (killing the shared one would break the other files). The same create, run again
// once the server is back, completes the configuration; list and delete find it meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/k8s/client.js';
import { connect } from '../../src/k8s/index.js';
import { findKubeAssets, fluxCrds, startTestCluster, type TestCluster } from '../helpers/apiserver.js';
import { quietLogger, runCli, type RunOptions } from '../helpers/cli.js';
import { cluster, uniqueName } from '../helpers/cluster.js';
import { faultyConnect, isRealWrite } from '../helpers/faults.js';
import { testFixtures } from '../helpers/test-fixtures.js';

const KS = 'kustomize.toolkit.fluxcd.io/v1';
const SRC = 'source.toolkit.fluxcd.io/v1';

describe.skipIf(!cluster)('hostile review: the API server killed mid-write (own kube-apiserver)', () => {
  let server: TestCluster;
  let kube: KubeClient;
  const cli = (args: string[], options: RunOptions = {}) =>
    runCli([...args, '--kubeconfig', server.kubeconfig], options);
  const create = (name: string, ns: string) => [
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
    '-k',
    'name=apps',
    'path=./apps',
    'depends_on=[infra]',
    '--no-validate',
  ];

  beforeAll(async () => {
    server = await startTestCluster(findKubeAssets()!);
    kube = await connect({ kubeconfig: server.kubeconfig, context: 'admin', env: {} }, quietLogger());
    await kube.applyAll(fluxCrds(testFixtures()!) as never[]);
  });
  afterAll(async () => {
    kube?.close();
    await server?.stop();
  });

  it('killed before the Kustomizations: the error says what was applied, and the same create completes it', async () => {
    const ns = uniqueName('killed');
    const name = uniqueName('c');
    let killed = false;
    const r = await cli(create(name, ns), {
      connect: faultyConnect((req) => {
        if (!killed && isRealWrite(req, 'kustomizations')) {
          killed = true;
          server.signalApiserver('SIGKILL');
        }
        return undefined;
      }),
    });
    expect(killed).toBe(true);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: cannot reach the Kubernetes API server');
    const applied = r.stderr.split('\n').find((l) => l.startsWith('applied: '));
    expect(applied).toContain(`GitRepository ${ns}/${name}`);
    expect(applied).toContain(`Secret ${ns}/git-auth-${name}`);
    expect(r.stderr).toMatch(new RegExp(`not applied: .*Kustomization ${ns}/${name}-infra`));

    await server.restartApiserver();
    const list = JSON.parse((await cli(['k8s-configuration', 'flux', 'list'])).stdout);
    expect(list.find((c: { name: string }) => c.name === name)).toMatchObject({ provisioningState: 'Failed' });
    const again = await cli(create(name, ns));
    expect(again.stderr).not.toMatch(/error:/);
    expect(again.exitCode).toBe(0);
    for (const k of ['infra', 'apps'])
      expect(
        await kube.get({ apiVersion: KS, kind: 'Kustomization', namespace: ns, name: `${name}-${k}` }),
      ).toBeDefined();
    expect(JSON.parse(again.stdout)).toMatchObject({ provisioningState: 'Succeeded' });
  });

  it('frozen (SIGSTOP) during a delete, then thawed: the delete finishes and nothing of the configuration stays', async () => {
    const ns = uniqueName('frozen');
    const name = uniqueName('c');
    expect((await cli(create(name, ns))).exitCode).toBe(0);
    let frozen = false;
    const pending = cli(['k8s-configuration', 'flux', 'delete', '-n', name, '--yes'], {
      connect: faultyConnect((req) => {
        if (!frozen && req.method === 'DELETE' && /\/gitrepositories\//.test(req.path)) {
          frozen = true;
          server.signalApiserver('SIGSTOP');
          setTimeout(() => server.signalApiserver('SIGCONT'), 3000);
        }
        return undefined;
      }),
    });
    const r = await pending;
    expect(frozen).toBe(true);
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.exitCode).toBe(0);
    expect(await kube.get({ apiVersion: SRC, kind: 'GitRepository', namespace: ns, name })).toBeUndefined();
    expect(
      await kube.list('v1', 'Secret', { namespace: ns, labelSelector: `fluxcfg.io/configuration=${name}` }),
    ).toEqual([]);
    expect(
      await kube.list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', {
        labelSelector: `fluxcfg.io/configuration=${name}`,
      }),
    ).toEqual([]);
  });
});
