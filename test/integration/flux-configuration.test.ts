import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exec } from '../../src/exec.js';
import type { KubeClient } from '../../src/k8s/client.js';
import { runCli } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';

const KS = 'kustomize.toolkit.fluxcd.io/v1';
const SRC = 'source.toolkit.fluxcd.io/v1';
// A controller records the generation it reconciled (observedGeneration); the objects here are at generation 1.
const ready = (status: 'True' | 'False', message = 'ok', time = '2026-11-01T10:00:00Z') => ({
  observedGeneration: 1,
  conditions: [
    {
      type: 'Ready',
      status,
      reason: status === 'True' ? 'ReconciliationSucceeded' : 'ReconciliationFailed',
      message,
      lastTransitionTime: time,
    },
  ],
});

/** Stands in for ssh-keyscan, and for git against a host that cannot be reached (source validation warns). */
const fakeKeyscan: Exec = async (file, args) => {
  if (file === 'git')
    return { exitCode: 128, stdout: '', stderr: 'fatal: unable to access: Could not resolve host: git.example.com\n' };
  if (file !== 'ssh-keyscan') throw new Error(`unexpected exec ${file}`);
  const host = args.at(-1);
  return {
    exitCode: 0,
    stdout: `${host} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`,
    stderr: '',
  };
};

describe.skipIf(!cluster)('flux configuration verbs against kube-apiserver', () => {
  let kube: KubeClient;
  const cli = (args: string[], context: 'admin' | 'tenant' = 'admin') =>
    runCli([...args, '--kubeconfig', requireCluster().kubeconfig, '--context', context], { exec: fakeKeyscan });
  const get = (apiVersion: string, kind: string, namespace: string | undefined, name: string) =>
    kube.get({ apiVersion, kind, namespace, name });

  beforeAll(async () => {
    kube = await client('admin');
  });
  afterAll(() => kube?.close());

  it('the az tutorial command creates the objects Azure would', async () => {
    const ns = uniqueName('cluster-config');
    const name = uniqueName('tut');
    const r = await cli([
      'k8s-configuration',
      'flux',
      'create',
      '-g',
      'my-rg',
      '-c',
      'my-cluster',
      '-t',
      'connectedClusters',
      '-n',
      name,
      '--namespace',
      ns,
      '--scope',
      'cluster',
      '-u',
      'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
      '--branch',
      'main',
      '--kustomization',
      'name=infra',
      'path=./infrastructure',
      'prune=true',
      '--kustomization',
      'name=apps',
      'path=./apps/staging',
      'prune=true',
      'dependsOn=["infra"]',
      '--no-validate',
    ]);
    expect(r.stderr).toMatch(/Creating the flux configuration/);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({
      name,
      namespace: ns,
      scope: 'cluster',
      sourceKind: 'GitRepository',
      provisioningState: 'Succeeded',
      complianceState: 'Pending',
    });
    // -g/-c/-t place it where az would (no --subscription: the zero-GUID stand-in)
    expect(out).toMatchObject({
      id:
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg/providers/Microsoft.Kubernetes/' +
        `connectedClusters/my-cluster/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/${name}`,
      type: 'Microsoft.KubernetesConfiguration/fluxConfigurations',
      resourceGroup: 'my-rg',
      repositoryPublicKey: '',
      errorMessage: '',
    });
    expect(Object.keys(out.kustomizations).sort()).toEqual(['apps', 'infra']);

    const repo = await get(SRC, 'GitRepository', ns, name);
    expect(repo?.spec).toMatchObject({
      url: 'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
      ref: { branch: 'main' },
    });
    const infra = await get(KS, 'Kustomization', ns, `${name}-infra`);
    const apps = await get(KS, 'Kustomization', ns, `${name}-apps`);
    expect(infra?.spec).toMatchObject({
      path: './infrastructure',
      prune: true,
      sourceRef: { kind: 'GitRepository', name },
      serviceAccountName: 'flux-applier',
    });
    expect(apps?.spec).toMatchObject({
      path: './apps/staging',
      prune: true,
      sourceRef: { kind: 'GitRepository', name },
      dependsOn: [{ name: `${name}-infra` }],
    });
    expect(await get('v1', 'ServiceAccount', ns, 'flux-applier')).toBeDefined();
    const crbs = await kube.list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', {
      labelSelector: `fluxcfg.io/configuration=${name}`,
    });
    expect(crbs).toHaveLength(1);
    expect(crbs[0]).toMatchObject({
      roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'flux-applier', namespace: ns }],
    });
    for (const o of [repo, infra, apps, crbs[0]])
      expect(o?.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('fluxcfg');

    const again = await cli([
      'k8s-configuration',
      'flux',
      'create',
      '-n',
      name,
      '--namespace',
      ns,
      '-u',
      'https://example.com/x',
      '--branch',
      'main',
      '--no-validate',
    ]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(`error: Error! Flux configuration '${name}' already exists in namespace '${ns}'`);
  });

  describe('one configuration through its lifecycle', () => {
    const ns = uniqueName('life');
    const name = uniqueName('cfg');
    const ref = (kind: string, n: string) => ({
      apiVersion: kind === 'GitRepository' ? SRC : KS,
      kind,
      namespace: ns,
      name: n,
    });

    beforeAll(async () => {
      const r = await cli([
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        name,
        '--namespace',
        ns,
        '-u',
        'ssh://git@git.example.com/org/repo',
        '--branch',
        'main',
        '-k',
        'name=infra',
        'path=./infra',
        'prune=true',
        '-k',
        'name=apps',
        'path=./apps',
        'depends_on=[infra]',
        '--no-validate',
      ]);
      expect(r.stderr).toMatch(/Generated an SSH deploy key/);
      expect(r.exitCode).toBe(0);
    });

    it('an SSH URL without a key gets a generated deploy key and the scanned host key', async () => {
      const secret = await get('v1', 'Secret', ns, `git-auth-${name}`);
      const data = Object.fromEntries(
        Object.entries(secret?.data as Record<string, string>).map(([k, v]) => [
          k,
          Buffer.from(v, 'base64').toString(),
        ]),
      );
      expect(data.identity).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
      expect(data['identity.pub']).toMatch(/^ssh-rsa AAAA/);
      expect(data.known_hosts).toBe(
        'git.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n',
      );
      const repo = await get(SRC, 'GitRepository', ns, name);
      expect(repo?.spec).toMatchObject({ secretRef: { name: `git-auth-${name}` } });
      const show = JSON.parse((await cli(['k8s-configuration', 'flux', 'show', '-n', name])).stdout);
      expect(show.repositoryPublicKey).toBe(data['identity.pub']!.trim());
      expect(JSON.stringify(show)).not.toContain('PRIVATE KEY');
    });

    it('show and list report the compliance written by a controller', async () => {
      await kube.mergePatch(
        ref('GitRepository', name),
        {
          status: {
            ...ready('True', 'stored artifact', '2026-11-01T10:00:00Z'),
            artifact: {
              revision: 'main@sha1:0123abcd',
              lastUpdateTime: '2026-11-01T10:00:00Z',
              path: 'x',
              url: 'http://x',
              digest: 'sha256:00',
            },
          },
        },
        'status',
      );
      await kube.mergePatch(
        ref('Kustomization', `${name}-infra`),
        { status: ready('True', 'Applied revision', '2026-11-01T10:01:00Z') },
        'status',
      );
      await kube.mergePatch(
        ref('Kustomization', `${name}-apps`),
        { status: ready('True', 'Applied revision', '2026-11-01T10:02:00Z') },
        'status',
      );
      const show = JSON.parse((await cli(['k8s-configuration', 'flux', 'show', '-n', name])).stdout);
      expect(show).toMatchObject({
        complianceState: 'Compliant',
        provisioningState: 'Succeeded',
        sourceSyncedCommitId: 'main/0123abcd',
        sourceUpdatedAt: '2026-11-01T10:00:00+00:00',
        statusUpdatedAt: '2026-11-01T10:02:00+00:00',
        errorMessage: '',
        repositoryPublicKey: expect.stringMatching(/^ssh-rsa AAAA/),
        type: 'Microsoft.KubernetesConfiguration/fluxConfigurations',
      });
      // Flux's own revision stays available under --verbose
      const verbose = await cli(['k8s-configuration', 'flux', 'show', '-n', name, '--verbose']);
      expect(verbose.stderr).toContain('source artifact revision (Flux): main@sha1:0123abcd');
      // az's cluster flags place the configuration in Azure's resource tree
      const placed = await cli([
        'k8s-configuration',
        'flux',
        'show',
        '-n',
        name,
        '-g',
        'my-rg',
        '-c',
        'admin',
        '-t',
        'managedClusters',
        '--subscription',
        '11111111-2222-3333-4444-555555555555',
        '--query',
        '{id:id,rg:resourceGroup,commit:sourceSyncedCommitId,state:complianceState}',
        '-o',
        'tsv',
      ]);
      expect(placed.stdout).toBe(
        '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/my-rg/' +
          'providers/Microsoft.ContainerService/managedClusters/admin/' +
          `providers/Microsoft.KubernetesConfiguration/fluxConfigurations/${name}\tmy-rg\t` +
          'main/0123abcd\tCompliant\n',
      );
      expect(show.statuses.map((s: { kind: string; name: string }) => `${s.kind}/${s.name}`).sort()).toEqual(
        [`GitRepository/${name}`, `Kustomization/${name}-apps`, `Kustomization/${name}-infra`].sort(),
      );

      await kube.mergePatch(
        ref('Kustomization', `${name}-apps`),
        { status: ready('False', 'kustomize build failed: missing resource') },
        'status',
      );
      const table = await cli(['k8s-configuration', 'flux', 'show', '-n', name, '-o', 'table']);
      expect(table.stdout.split('\n')[0]).toMatch(
        /^Namespace\s+Name\s+Scope\s+ProvisioningState\s+ComplianceState\s+StatusUpdatedAt\s+SourceUpdatedAt$/,
      );
      expect(table.stdout).toMatch(new RegExp(`${ns}\\s+${name}\\s+cluster\\s+Succeeded\\s+Non-Compliant`));
      const list = JSON.parse((await cli(['k8s-configuration', 'flux', 'list'])).stdout);
      const mine = list.find((c: { name: string }) => c.name === name);
      // az's errorMessage is the service's error; a Non-Compliant configuration shows its failures in statuses
      expect(mine.errorMessage).toBe('');
      const apps = mine.statuses.find((st: { name: string }) => st.name === `${name}-apps`);
      expect(apps).toMatchObject({ complianceState: 'Non-Compliant', appliedBy: null, helmReleaseProperties: null });
      expect(apps.statusConditions[0].message).toBe('kustomize build failed: missing resource');
    });

    it('deployed-object reads the Kustomizations inventory and the Flux objects in it', async () => {
      await kube.apply({
        apiVersion: SRC,
        kind: 'HelmRepository',
        metadata: { name: 'bitnami', namespace: ns },
        spec: { url: 'https://charts.bitnami.com/bitnami', interval: '10m' },
      });
      await kube.apply({
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'nginx', namespace: ns },
        spec: {
          interval: '10m',
          chart: { spec: { chart: 'nginx', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } } },
        },
      });
      await kube.mergePatch(
        { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: ns, name: 'nginx' },
        {
          status: {
            ...ready(
              'False',
              'install retries exhausted because the chart could not be pulled from the repository at all',
            ),
            installFailures: 2,
            failures: 3,
          },
        },
        'status',
      );
      await kube.mergePatch(
        ref('Kustomization', `${name}-apps`),
        {
          status: {
            inventory: {
              entries: [
                { id: `${ns}_nginx_helm.toolkit.fluxcd.io_HelmRelease`, v: 'v2' },
                { id: `${ns}_bitnami_source.toolkit.fluxcd.io_HelmRepository`, v: 'v1' },
                { id: `${ns}_web_apps_Deployment`, v: 'v1' },
              ],
            },
          },
        },
        'status',
      );
      const list = await cli(['k8s-configuration', 'flux', 'deployed-object', 'list', '-n', name, '-o', 'table']);
      expect(list.exitCode).toBe(0);
      expect(list.stdout).toMatch(
        new RegExp(
          `HelmRelease\\s+${ns}\\s+nginx\\s+Non-Compliant\\s+install retries exhausted because the chart could not be pul\\.\\.\\.`,
        ),
      );
      expect(list.stdout).toMatch(new RegExp(`HelmRepository\\s+${ns}\\s+bitnami\\s+Pending\\s+None`));
      expect(list.stdout).not.toMatch(/Deployment/);
      const show = await cli([
        'k8s-configuration',
        'flux',
        'deployed-object',
        'show',
        '-n',
        name,
        '--object-name',
        'nginx',
        '--object-namespace',
        ns,
        '--object-kind',
        'HelmRelease',
      ]);
      expect(JSON.parse(show.stdout)).toMatchObject({
        kind: 'HelmRelease',
        appliedBy: { name: `${name}-apps`, namespace: ns },
        helmReleaseProperties: { lastRevisionApplied: 0, helmChartRef: null, installFailureCount: 2, failureCount: 3 },
      });
      const missing = await cli([
        'k8s-configuration',
        'flux',
        'deployed-object',
        'show',
        '-n',
        name,
        '--object-name',
        'nope',
        '--object-namespace',
        ns,
        '--object-kind',
        'HelmRelease',
      ]);
      expect(missing.exitCode).toBe(3);
      expect(missing.stderr).toContain(
        `Error! Deployed object with name 'nope', namespace '${ns}', and kind 'HelmRelease' does not exist on configuration '${name}'.`,
      );
    });

    it('update merges kustomizations field by field and never rotates the deploy key', async () => {
      const before = (await get('v1', 'Secret', ns, `git-auth-${name}`))?.data as Record<string, string>;
      const r = await cli([
        'k8s-configuration',
        'flux',
        'update',
        '-n',
        name,
        '-k',
        'name=apps',
        'prune=true',
        '-k',
        'name=extra',
        'path=./extra',
      ]);
      expect(r.stderr).not.toMatch(/error:/);
      expect(r.stderr).toMatch(/Warning! .*not validated.*Could not resolve host/);
      expect(r.exitCode).toBe(0);
      const apps = await get(KS, 'Kustomization', ns, `${name}-apps`);
      expect(apps?.spec).toMatchObject({ path: './apps', prune: true, dependsOn: [{ name: `${name}-infra` }] });
      expect(await get(KS, 'Kustomization', ns, `${name}-extra`)).toBeDefined();
      const after = (await get('v1', 'Secret', ns, `git-auth-${name}`))?.data as Record<string, string>;
      expect(after.identity).toBe(before.identity);
      expect(after['identity.pub']).toBe(before['identity.pub']);
    });

    it('kustomization verbs create, update, show, list and delete (pruning the object)', async () => {
      const base = ['k8s-configuration', 'flux', 'kustomization'];
      const dup = await cli([...base, 'create', '-n', name, '-k', 'apps', '--path', './x']);
      expect(dup.exitCode).toBe(1);
      expect(dup.stderr).toContain(
        `Error! Cannot create a kustomization that already exists. Kustomization name 'apps' already exists on configuration '${name}'`,
      );
      const created = await cli([
        ...base,
        'create',
        '-n',
        name,
        '-k',
        'late',
        '--path',
        './late',
        '--depends-on',
        'infra',
        '--interval',
        '5m',
      ]);
      expect(created.stderr).not.toMatch(/error:/);
      expect(created.exitCode).toBe(0);
      expect((await get(KS, 'Kustomization', ns, `${name}-late`))?.spec).toMatchObject({
        path: './late',
        interval: '5m0s',
        dependsOn: [{ name: `${name}-infra` }],
      });
      const upd = await cli([...base, 'update', '-n', name, '-k', 'late', '--prune', 'true']);
      expect(upd.exitCode).toBe(0);
      expect((await get(KS, 'Kustomization', ns, `${name}-late`))?.spec).toMatchObject({
        path: './late',
        prune: true,
        interval: '5m0s',
      });
      const missing = await cli([...base, 'update', '-n', name, '-k', 'ghost', '--path', './g']);
      expect(missing.exitCode).toBe(3); // not found, as show and delete of a missing kustomization
      expect(missing.stderr).toContain("Error! Cannot update a kustomization that doesn't exist.");
      const missingShow = await cli([...base, 'show', '-n', name, '-k', 'ghost']);
      expect(missingShow.exitCode).toBe(3);
      const missingDelete = await cli([...base, 'delete', '-n', name, '-k', 'ghost', '--yes']);
      expect(missingDelete.exitCode).toBe(3);
      expect(missingDelete.stderr).toContain("Error! Cannot delete a kustomization that doesn't exist.");
      const show = JSON.parse((await cli([...base, 'show', '-n', name, '-k', 'late'])).stdout);
      expect(show).toEqual({
        late: expect.objectContaining({ name: 'late', path: './late', prune: true, syncIntervalInSeconds: 300 }),
      });
      const table = await cli([...base, 'list', '-n', name, '-o', 'table']);
      expect(table.stdout.split('\n')[0]).toMatch(/^Name\s+Path\s+DependsOn\s+SyncInterval\s+Timeout\s+Prune\s+Force/);
      expect(table.stdout).toMatch(/late\s+\.\/late\s+infra\s+5m\s+/);
      const noTty = await cli([...base, 'delete', '-n', name, '-k', 'late']);
      expect(noTty.exitCode).toBe(2);
      expect(noTty.stderr).toMatch(/--yes/);
      const del = await cli([...base, 'delete', '-n', name, '-k', 'late', '--yes']);
      expect(del.exitCode).toBe(0);
      expect(del.stderr).toContain('Prune is enabled on this kustomization.');
      expect(await get(KS, 'Kustomization', ns, `${name}-late`)).toBeUndefined();
      expect(Object.keys(JSON.parse((await cli([...base, 'list', '-n', name])).stdout)).sort()).toEqual([
        'apps',
        'extra',
        'infra',
      ]);
    });

    it('delete waits for finalizers, and --force removes them with a warning', async () => {
      await kube.mergePatch(ref('Kustomization', `${name}-infra`), {
        metadata: { finalizers: ['finalizers.fluxcd.io'] },
      });
      const stuck = await cli(['k8s-configuration', 'flux', 'delete', '-n', name, '--yes', '--timeout', '2s']);
      expect(stuck.exitCode).toBe(1);
      expect(stuck.stderr).toMatch(/timed out after 2s waiting for deletion of Kustomization .*-infra/);
      expect(stuck.stderr).toMatch(/--force/);
      const forced = await cli(['k8s-configuration', 'flux', 'delete', '-n', name, '--yes', '--force']);
      expect(forced.exitCode).toBe(0);
      expect(forced.stderr).toMatch(/left in place/);
      for (const k of ['infra', 'apps', 'extra'])
        expect(await get(KS, 'Kustomization', ns, `${name}-${k}`)).toBeUndefined();
      expect(await get(SRC, 'GitRepository', ns, name)).toBeUndefined();
      expect(await get('v1', 'Secret', ns, `git-auth-${name}`)).toBeUndefined();
      expect(await get('v1', 'ServiceAccount', ns, 'flux-applier')).toBeUndefined();
      const gone = await cli(['k8s-configuration', 'flux', 'show', '-n', name]);
      expect(gone.exitCode).toBe(3);
    });
  });

  it('a tenant with rights in one namespace creates, reads and deletes a namespace-scoped configuration', async () => {
    const ns = uniqueName('tenant');
    const name = uniqueName('team');
    await kube.applyAll([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'tenant-admin', namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ kind: 'User', name: requireCluster().tenantUser, apiGroup: 'rbac.authorization.k8s.io' }],
      },
    ]);
    const denied = await cli(
      [
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        name,
        '--namespace',
        `${ns}-other`,
        '--scope',
        'namespace',
        '-u',
        'https://example.com/repo',
        '--branch',
        'main',
        '--no-validate',
      ],
      'tenant',
    );
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toMatch(/403 Forbidden/);

    const r = await cli(
      [
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        name,
        '--namespace',
        ns,
        '--scope',
        'namespace',
        '-u',
        'https://example.com/repo',
        '--branch',
        'main',
        '-k',
        'name=app',
        'path=./app',
        '--no-validate',
      ],
      'tenant',
    );
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.exitCode).toBe(0);
    const k = await get(KS, 'Kustomization', ns, `${name}-app`);
    expect(k?.spec).toMatchObject({ targetNamespace: ns, serviceAccountName: 'flux-applier' });
    expect(await get('rbac.authorization.k8s.io/v1', 'RoleBinding', ns, `flux-applier-${name}`)).toBeDefined();
    const show = await cli(['k8s-configuration', 'flux', 'show', '-n', name, '--namespace', ns], 'tenant');
    expect(JSON.parse(show.stdout)).toMatchObject({ scope: 'namespace', namespace: ns });
    const del = await cli(['k8s-configuration', 'flux', 'delete', '-n', name, '--namespace', ns, '--yes'], 'tenant');
    expect(del.exitCode).toBe(0);
    expect(await get(KS, 'Kustomization', ns, `${name}-app`)).toBeUndefined();
  });

  it('--dry-run validates on the server and stores nothing; --export prints YAML without touching the cluster', async () => {
    const ns = uniqueName('dry');
    const name = uniqueName('dry');
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
      '--dry-run',
      '--no-validate',
    ]);
    expect(dry.stderr).not.toMatch(/error:/);
    expect(dry.exitCode).toBe(0);
    expect(await get(SRC, 'GitRepository', ns, name)).toBeUndefined();
    const exportArgs = [
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
      'hunter2',
      '--export',
    ];
    const exp = await runCli([...exportArgs, '--kubeconfig', '/nonexistent']);
    expect(exp.exitCode).toBe(0);
    expect(exp.stdout).toMatch(/^---\napiVersion: v1\nkind: Namespace\n/);
    expect(exp.stdout).toContain('kind: GitRepository');
    expect(exp.stdout).not.toContain('kind: Secret');
    expect(exp.stdout).not.toContain('hunter2');
    const withSecrets = await runCli([...exportArgs, '--export-secrets']);
    expect(withSecrets.stdout).toContain('kind: Secret');
    expect(withSecrets.stdout).toContain('password: hunter2');
  });

  it('refuses to take over an object of the same name that fluxcfg does not manage', async () => {
    const ns = uniqueName('foreign');
    const name = uniqueName('taken');
    await kube.applyAll([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      {
        apiVersion: SRC,
        kind: 'GitRepository',
        metadata: { name, namespace: ns },
        spec: { url: 'https://example.com/other', interval: '1m', ref: { branch: 'main' } },
      },
    ]);
    const r = await cli([
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
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`GitRepository ${ns}/${name} already exist(s) and is not managed by fluxcfg`);
    expect((await get(SRC, 'GitRepository', ns, name))?.spec).toMatchObject({ url: 'https://example.com/other' });
    expect(await get(KS, 'Kustomization', ns, `${name}-kustomization-1`)).toBeUndefined();
  });

  it('--wait waits until the source and Kustomizations are Ready', async () => {
    const ns = uniqueName('wait');
    const name = uniqueName('w');
    const pending = cli([
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
      '--wait',
      '--wait-timeout',
      '30s',
    ]);
    const markReady = async () => {
      for (let i = 0; i < 100; i++) {
        const k = await get(KS, 'Kustomization', ns, `${name}-kustomization-1`);
        if (k) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await kube.mergePatch(
        { apiVersion: SRC, kind: 'GitRepository', namespace: ns, name },
        { status: ready('True') },
        'status',
      );
      await kube.mergePatch(
        { apiVersion: KS, kind: 'Kustomization', namespace: ns, name: `${name}-kustomization-1` },
        { status: ready('True') },
        'status',
      );
    };
    const [r] = await Promise.all([pending, markReady()]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/2 Flux objects are Ready/);
    expect(JSON.parse(r.stdout).complianceState).toBe('Compliant');
  });

  it('creates bucket, azblob and oci sources the CRDs accept, and a kind change needs confirmation', async () => {
    const ns = uniqueName('kinds');
    const bucket = uniqueName('bkt');
    const blob = uniqueName('blob');
    const oci = uniqueName('oci');
    const create = (args: string[]) =>
      cli(['k8s-configuration', 'flux', 'create', '--namespace', ns, '--no-validate', ...args]);
    const b = await create([
      '-n',
      bucket,
      '--kind',
      'bucket',
      '-u',
      'https://minio.example.com:9000',
      '--bucket-name',
      'manifests',
      '--bucket-access-key',
      'AK',
      '--bucket-secret-key',
      'SK',
    ]);
    expect(b.stderr).not.toMatch(/error:/);
    expect((await get(SRC, 'Bucket', ns, bucket))?.spec).toMatchObject({
      provider: 'generic',
      bucketName: 'manifests',
      endpoint: 'minio.example.com:9000',
      secretRef: { name: `bucket-auth-${bucket}` },
    });
    const z = await create([
      '-n',
      blob,
      '--kind',
      'azblob',
      '-u',
      'https://acct.blob.core.windows.net',
      '--container-name',
      'cfg',
      '--account-key',
      'c2VjcmV0',
    ]);
    expect(z.stderr).not.toMatch(/error:/);
    expect((await get(SRC, 'Bucket', ns, blob))?.spec).toMatchObject({ provider: 'azure', bucketName: 'cfg' });
    expect(JSON.parse(z.stdout)).toMatchObject({ sourceKind: 'AzureBlob', azureBlob: { containerName: 'cfg' } });
    expect(z.stdout).not.toContain('c2VjcmV0');
    const o = await create(['-n', oci, '--kind', 'oci', '-u', 'oci://ghcr.io/org/manifests', '--tag', 'v1.0.0']);
    expect(o.stderr).not.toMatch(/error:/);
    expect((await get(SRC, 'OCIRepository', ns, oci))?.spec).toMatchObject({
      url: 'oci://ghcr.io/org/manifests',
      ref: { tag: 'v1.0.0' },
    });
    expect((await get(KS, 'Kustomization', ns, `${oci}-kustomization-1`))?.spec).toMatchObject({
      sourceRef: { kind: 'OCIRepository', name: oci },
    });

    const change = [
      'k8s-configuration',
      'flux',
      'update',
      '-n',
      bucket,
      '--kind',
      'git',
      '-u',
      'https://example.com/repo',
      '--branch',
      'main',
      '--no-validate',
    ];
    const refused = await cli(change);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(
      /You are choosing to migrate from source kind 'Bucket' to source kind 'GitRepository'/,
    );
    expect(await get(SRC, 'Bucket', ns, bucket)).toBeDefined();
    const changed = await cli([...change, '--yes']);
    expect(changed.exitCode).toBe(0);
    expect(await get(SRC, 'GitRepository', ns, bucket)).toBeDefined();
    expect(await get(SRC, 'Bucket', ns, bucket)).toBeUndefined();
    expect(await get('v1', 'Secret', ns, `bucket-auth-${bucket}`)).toBeUndefined();
  });

  it('a field another manager took over is a 409 with a hint; --force-conflicts takes it back', async () => {
    const ns = uniqueName('conflict');
    const name = uniqueName('c');
    expect(
      (
        await cli([
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
          '-k',
          'name=app',
          'path=./app',
          '--no-validate',
        ])
      ).exitCode,
    ).toBe(0);
    await kube.request('PATCH', `/apis/${KS}/namespaces/${ns}/kustomizations/${name}-app`, {
      query: { fieldManager: 'kubectl-edit', force: 'true' },
      body: {
        apiVersion: KS,
        kind: 'Kustomization',
        metadata: { name: `${name}-app`, namespace: ns },
        spec: { path: './hotfix' },
      },
      contentType: 'application/apply-patch+yaml',
    });
    const update = [
      'k8s-configuration',
      'flux',
      'update',
      '-n',
      name,
      '-k',
      'name=app',
      'path=./app-v2',
      '--no-validate',
    ];
    const conflict = await cli(update);
    expect(conflict.exitCode).toBe(1);
    expect(conflict.stderr).toMatch(/error: Kubernetes API 409 Conflict: .*kubectl-edit/);
    expect(conflict.stderr).toMatch(/hint: .*--force-conflicts/);
    expect((await get(KS, 'Kustomization', ns, `${name}-app`))?.spec).toMatchObject({ path: './hotfix' });
    const forced = await cli([...update, '--force-conflicts']);
    expect(forced.exitCode).toBe(0);
    expect((await get(KS, 'Kustomization', ns, `${name}-app`))?.spec).toMatchObject({ path: './app-v2' });
  });
});
