// migrate-from-v1 against a real kube-apiserver: Flux v1 seeded from the upstream manifests (and a Helm-chart style
// fluxd, an Arc-style namespace-scoped one), then plan, execute, an interrupted run resumed, rollback.
//
// This file starts its own API server (same binaries, same helper as the global setup): Flux v1 is cluster-wide
// state — fluxd Deployments in any namespace make every `flux create` and `k8s-extension create` of the other files
// refuse, and the HelmRelease v1 CRD is one cluster-scoped object — so it cannot share the suite's server with
// files running in parallel. The server starts without the Flux v2 CRDs (the first test interrupts a migration at
// its install step); they are installed when that test resumes.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verb as migrate } from '../../src/commands/k8s-configuration/flux/migrate-from-v1.js';
import type { Deps } from '../../src/deps.js';
import type { Exec } from '../../src/exec.js';
import type { KubeClient } from '../../src/k8s/client.js';
import { connect } from '../../src/k8s/index.js';
import type { KubeObject, ObjectRef } from '../../src/k8s/types.js';
import { backupFileName, STATE_FILE, type MigrationState } from '../../src/migrate/backup.js';
import { findKubeAssets, fluxCrds, startTestCluster, type TestCluster } from '../helpers/apiserver.js';
import { quietLogger, runCli } from '../helpers/cli.js';
import { cluster } from '../helpers/cluster.js';
import { fluxV1Fixture, testFixtures } from '../helpers/test-fixtures.js';
import { b64, helmReleaseFixture, releaseSecret } from '../unit/migrate/helpers.js';

const KEY = readFileSync(new URL('../unit/model/fixtures/id_test_ed25519', import.meta.url), 'utf8');
const KNOWN_HOSTS_FILE = new URL('../unit/model/fixtures/known_hosts', import.meta.url).pathname;
const HR_V1 = 'helm.fluxcd.io/v1';
const HR_V2 = 'helm.toolkit.fluxcd.io/v2';
const SRC = 'source.toolkit.fluxcd.io/v1';
const KS = 'kustomize.toolkit.fluxcd.io/v1';
const CRD = 'apiextensions.k8s.io/v1';
const HR_CRD: ObjectRef = { apiVersion: CRD, kind: 'CustomResourceDefinition', name: 'helmreleases.helm.fluxcd.io' };
const FINALIZER = 'helm.fluxcd.io';

/** No ssh-keyscan or git may run: every test passes --known-hosts-file and --no-validate. */
const noExec: Exec = async (file) => {
  throw new Error(`unexpected exec ${file}`);
};

const loadFixture = (rel: string): KubeObject[] =>
  (yaml.loadAll(readFileSync(fluxV1Fixture(rel), 'utf8')) as (KubeObject | null)[]).filter((o): o is KubeObject =>
    Boolean(o),
  );
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

/**
 * Upstream objects moved to `ns`; cluster-scoped RBAC renamed with `suffix` (bindings follow), the deploy key filled
 * in as fluxd does when it generates one.
 */
function relocate(objects: KubeObject[], ns: string, suffix: string): KubeObject[] {
  return objects
    .filter((o) => o.kind !== 'Namespace' && o.kind !== 'CustomResourceDefinition')
    .map((o) => {
      const c = structuredClone(o);
      if (!CLUSTER_SCOPED.has(c.kind)) c.metadata.namespace = ns;
      if (c.kind === 'ClusterRole' || c.kind === 'ClusterRoleBinding') c.metadata.name = `${c.metadata.name}-${suffix}`;
      if (c.kind === 'ClusterRoleBinding') {
        const b = c as KubeObject & { roleRef: { name: string }; subjects: { namespace?: string }[] };
        b.roleRef.name = `${b.roleRef.name}-${suffix}`;
        for (const s of b.subjects) if (s.namespace) s.namespace = ns;
      }
      if (c.kind === 'Secret' && c.metadata.name === 'flux-git-deploy') c.data = { identity: b64(KEY) };
      return withProtocol(c);
    });
}

/** The upstream fluxd (+ memcached, RBAC, deploy key) and helm-operator (+ RBAC) of deploy/, in one namespace. */
const upstreamV1 = (ns: string, suffix: string) =>
  relocate(
    [
      'flux/deploy/flux-account.yaml',
      'flux/deploy/flux-secret.yaml',
      'flux/deploy/flux-deployment.yaml',
      'flux/deploy/memcache-dep.yaml',
      'flux/deploy/memcache-svc.yaml',
      'helm-operator/deploy/rbac.yaml',
      'helm-operator/deploy/deployment.yaml',
    ].flatMap(loadFixture),
    ns,
    suffix,
  );

/** The e2e HelmReleases (Helm repository and Git chart) with helm-operator's finalizer, and their release Secrets. */
function helmReleasesV1(ns: string): KubeObject[] {
  const hrs = ['releases/helm-repository.yaml', 'releases/git.yaml'].map((f): KubeObject => {
    const hr = helmReleaseFixture(f);
    return { ...hr, metadata: { ...hr.metadata, namespace: ns, finalizers: [FINALIZER] } };
  });
  const secrets = hrs.flatMap((hr) => {
    const name = (hr.spec as { releaseName: string }).releaseName;
    return [releaseSecret(name, ns, 1, 'superseded'), releaseSecret(name, ns, 2, 'deployed')];
  });
  return [...hrs, ...secrets];
}

/** Server-side apply on Kubernetes 1.20 needs the protocol of Service ports (the API default is not applied first). */
function withProtocol(o: KubeObject): KubeObject {
  if (o.kind !== 'Service') return o;
  const spec = o.spec as { ports?: { protocol?: string }[] };
  for (const p of spec.ports ?? []) p.protocol ??= 'TCP';
  return o;
}

const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const ref = (apiVersion: string, kind: string, ns: string | undefined, name: string): ObjectRef => ({
  apiVersion,
  kind,
  namespace: ns,
  name,
});
const refOf = (o: KubeObject): ObjectRef => ref(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name);

describe.skipIf(!cluster)('migrate-from-v1 against kube-apiserver', () => {
  let server: TestCluster;
  let kube: KubeClient;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-migrate-'));
  const cli = (args: string[], context: 'admin' | 'tenant' = 'admin') =>
    runCli(
      [
        'k8s-configuration',
        'flux',
        'migrate-from-v1',
        ...args,
        '--kubeconfig',
        server.kubeconfig,
        '--context',
        context,
      ],
      {
        exec: noExec,
      },
    );
  const get = (r: ObjectRef) => kube.get(r);
  const releaseSecrets = async (ns: string) =>
    (await kube.list('v1', 'Secret', { namespace: ns, labelSelector: 'owner=helm' })).sort((a, b) =>
      a.metadata.name.localeCompare(b.metadata.name),
    );
  const seed = async (given: KubeObject[]) => {
    const objects = given.map(({ status: _status, ...o }) => o);
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
    if (crds.length) await kube.applyAll(crds);
    await kube.applyAll(objects.filter((o) => o.kind !== 'CustomResourceDefinition'));
  };
  const hrCrd = () => loadFixture('helm-operator/deploy/crds.yaml');

  beforeAll(async () => {
    server = await startTestCluster(findKubeAssets()!);
    kube = await connect({ kubeconfig: server.kubeconfig, context: 'admin', env: {} }, quietLogger());
  });
  afterAll(async () => {
    kube?.close();
    await server?.stop();
  });

  it('an interrupted migration (Flux v2 missing at step 4) resumes to the same end state, and runs again as a no-op', async () => {
    const ns = 'resume';
    const dir = path.join(tmp, 'resume-backup');
    await seed([namespace(ns), ...hrCrd(), ...upstreamV1(ns, 'resume'), ...helmReleasesV1(ns)]);
    const releasesBefore = await releaseSecrets(ns);
    expect(releasesBefore).toHaveLength(4);
    const args = ['--execute', '--yes', '--no-validate', '--namespace', ns, '--backup-dir', dir];
    const argsFull = [...args, '--known-hosts-file', KNOWN_HOSTS_FILE, '--no-install-extension'];

    const first = await cli(argsFull);
    expect(first.stderr).toContain(
      "error: 'Microsoft.Flux' extension not found on the cluster, and --no-install-extension was given",
    );
    expect(first.stderr).toContain('then run the same migrate-from-v1 command again: it resumes');
    expect(first.exitCode).toBe(1);
    // Steps 1-3 are done: v1 stopped, HelmRelease v1 objects gone, releases untouched, nothing of v2.
    expect(await get(ref('apps/v1', 'Deployment', ns, 'flux'))).toBeUndefined();
    expect(await get(ref('apps/v1', 'Deployment', ns, 'helm-operator'))).toBeUndefined();
    expect(await get(ref('apps/v1', 'Deployment', ns, 'memcached'))).toBeUndefined();
    expect(await kube.list(HR_V1, 'HelmRelease', { namespace: ns })).toEqual([]);
    expect(await releaseSecrets(ns)).toEqual(releasesBefore);
    const state = JSON.parse(readFileSync(path.join(dir, STATE_FILE), 'utf8')) as MigrationState;
    expect(state).toMatchObject({ steps: ['backup', 'stop-v1', 'helm-releases-v1'], completed: false });
    expect(await get(HR_CRD)).toBeDefined(); // --namespace: a partial migration keeps the shared CRD

    await kube.applyAll(fluxCrds(testFixtures()!) as never[]);
    const second = await cli(argsFull);
    expect(second.stderr).not.toContain('error:');
    expect(second.exitCode).toBe(0);
    const result = JSON.parse(second.stdout);
    expect(result).toMatchObject({ kind: 'FluxV1MigrationResult', resumed: true, backupDir: dir, stopped: [] });
    expect(result.configurations).toEqual([{ name: 'flux', namespace: ns, scope: 'cluster' }]);
    const repo = await get(ref(SRC, 'GitRepository', ns, 'flux'));
    expect(repo?.spec).toMatchObject({
      url: 'ssh://git@github.com/fluxcd/flux-get-started',
      ref: { branch: 'master' },
    });
    expect(await get(ref(KS, 'Kustomization', ns, 'flux-kustomization-1'))).toBeDefined();
    const auth = await get(ref('v1', 'Secret', ns, (repo!.spec as { secretRef: { name: string } }).secretRef.name));
    expect(Buffer.from((auth!.data as { identity: string }).identity, 'base64').toString()).toBe(KEY);
    expect(Buffer.from((auth!.data as { known_hosts: string }).known_hosts, 'base64').toString()).toBe(
      readFileSync(KNOWN_HOSTS_FILE, 'utf8'),
    );
    const hr = await get(ref(HR_V2, 'HelmRelease', ns, 'podinfo-helm-repository'));
    expect(hr?.spec).toMatchObject({ releaseName: 'podinfo-helm-repository' });
    expect(await get(ref(HR_V2, 'HelmRelease', ns, 'podinfo-git'))).toBeDefined();
    expect(await releaseSecrets(ns)).toEqual(releasesBefore);

    // A third run changes nothing: every v2 object is unchanged, no resourceVersion moves.
    const objects = [repo!, hr!];
    const third = await cli(argsFull);
    expect(third.exitCode).toBe(0);
    expect(JSON.parse(third.stdout).applied.every((r: { action: string }) => r.action === 'unchanged')).toBe(true);
    for (const o of objects) expect((await get(refOf(o)))?.metadata.resourceVersion).toBe(o.metadata.resourceVersion);
    const table = await cli([...argsFull, '-o', 'table']);
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/^Step +Object$/m);
    expect(table.stdout).toMatch(new RegExp(`^backup +${dir}$`, 'm'));
    expect(table.stdout).toMatch(new RegExp(`^unchanged v2 +GitRepository ${ns}/flux$`, 'm'));
  });

  describe('the upstream Flux v1 install: plan, execute, rollback', () => {
    const dir = path.join(tmp, 'upstream-backup');
    let seeded: KubeObject[];
    let releasesBefore: KubeObject[];

    beforeAll(async () => {
      await seed([
        namespace('flux'),
        namespace('demo'),
        ...hrCrd(),
        ...upstreamV1('flux', 'up'),
        ...helmReleasesV1('demo'),
      ]);
      seeded = await Promise.all(
        [...upstreamV1('flux', 'up'), ...helmReleasesV1('demo')].map(async (o) => (await get(refOf(o)))!),
      );
      releasesBefore = await releaseSecrets('demo');
    });

    it('plans (-o json, -o table, --export) without writing anything', async () => {
      const plan = await cli(['--known-hosts-file', KNOWN_HOSTS_FILE]);
      expect(plan.exitCode).toBe(0);
      expect(plan.stderr).toMatch(/^1 fluxd, 1 helm-operator, 2 HelmRelease v1; \d+ warning\(s\), \d+ note\(s\)$/m);
      await expect(plan.stdout).toMatchFileSnapshot('golden/migrate-plan-upstream.json');
      const parsed = JSON.parse(plan.stdout);
      expect(parsed.kind).toBe('FluxV1MigrationPlan');
      expect(plan.stdout).not.toContain(b64(KEY));
      const table = await cli(['-o', 'table']);
      expect(table.exitCode).toBe(0);
      await expect(table.stdout).toMatchFileSnapshot('golden/migrate-table-upstream.txt');
      const exported = await cli(['--export']);
      expect(exported.exitCode).toBe(0);
      await expect(exported.stdout).toMatchFileSnapshot('golden/migrate-export-upstream.yaml');
      expect(exported.stdout).not.toContain(b64(KEY));
      // Nothing was written: every seeded object keeps its resourceVersion, nothing of v2 exists.
      for (const o of seeded) expect((await get(refOf(o)))?.metadata.resourceVersion).toBe(o.metadata.resourceVersion);
      expect(await kube.list(SRC, 'GitRepository', { namespace: 'flux' })).toEqual([]);
    });

    it('asks for confirmation: declined, nothing changes (and without a terminal --yes is required)', async () => {
      const noTty = await cli(['--execute', '--no-validate', '--known-hosts-file', KNOWN_HOSTS_FILE]);
      expect(noTty.exitCode).toBe(2);
      expect(noTty.stderr).toContain('pass --yes to confirm');
      const progress = { update: () => {}, succeed: () => {}, fail: () => {}, stop: () => {} };
      const deps = {
        kube: async () => kube,
        log: quietLogger(),
        prompt: { confirm: async () => false },
        progress: () => progress,
        exec: noExec,
      } as unknown as Deps;
      const options = migrate.parse({
        execute: true,
        validate: false,
        knownHostsFile: KNOWN_HOSTS_FILE,
        backupDir: path.join(tmp, 'declined'),
      });
      await expect(migrate.run(options, deps)).rejects.toThrow('Operation cancelled.');
      for (const o of seeded) expect((await get(refOf(o)))?.metadata.resourceVersion).toBe(o.metadata.resourceVersion);
      expect(() => readdirSync(path.join(tmp, 'declined'))).toThrow(); // no backup folder either
    });

    it('stops before any change when a host key cannot be scanned', async () => {
      const failingScan: Exec = async (file) => {
        if (file !== 'ssh-keyscan') throw new Error(`unexpected exec ${file}`);
        return { exitCode: 1, stdout: '', stderr: 'getaddrinfo github.com: Name or service not known\n' };
      };
      const backup = path.join(tmp, 'scan-failed');
      const r = await runCli(
        [
          ...['k8s-configuration', 'flux', 'migrate-from-v1', '--execute', '--yes', '--no-validate'],
          ...['--backup-dir', backup, '--kubeconfig', server.kubeconfig, '--context', 'admin'],
        ],
        { exec: failingScan },
      );
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('error: SSH key scan for host github.com:22 failed, error: getaddrinfo github.com');
      expect(r.stderr).toContain('nothing was changed');
      expect(r.stderr).toContain('hint: pass the host keys with --known-hosts-file');
      for (const o of seeded) expect((await get(refOf(o)))?.metadata.resourceVersion).toBe(o.metadata.resourceVersion);
      expect(() => readdirSync(backup)).toThrow();
    });

    it('executes: backup first, v1 gone, releases untouched, v2 objects created', async () => {
      const r = await cli([
        '--execute',
        '--yes',
        '--no-validate',
        '--known-hosts-file',
        KNOWN_HOSTS_FILE,
        '--backup-dir',
        dir,
      ]);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain(`(it holds deploy keys: keep it private): ${dir}`);
      const result = JSON.parse(r.stdout);
      expect(result).toMatchObject({ kind: 'FluxV1MigrationResult', resumed: false, fluxInstalled: false });
      expect(result.stopped).toEqual(
        expect.arrayContaining([
          'Deployment flux/helm-operator',
          'Deployment flux/flux',
          'Deployment flux/memcached',
          'Service flux/memcached',
          'ClusterRoleBinding flux-up',
          'ClusterRole flux-up',
          'ServiceAccount flux/flux',
        ]),
      );
      expect(result.stopped.indexOf('Deployment flux/helm-operator')).toBeLessThan(
        result.stopped.indexOf('ClusterRoleBinding flux-up'),
      );
      expect(result.helmReleasesV1Removed.sort()).toEqual([
        'HelmRelease demo/podinfo-git',
        'HelmRelease demo/podinfo-helm-repository',
      ]);
      expect(result.crdsRemoved).toEqual(['CustomResourceDefinition helmreleases.helm.fluxcd.io']);

      // No v1 object left.
      for (const o of seeded.filter((x) => x.kind !== 'Secret' && x.metadata.name !== 'flux-git-deploy'))
        expect(await get(refOf(o)), `${o.kind} ${o.metadata.name}`).toBeUndefined();
      expect(await get(HR_CRD)).toBeUndefined();
      // Helm's release Secrets: byte for byte as they were (same data, same resourceVersion).
      expect(await releaseSecrets('demo')).toEqual(releasesBefore);
      // The deploy key Secret stays (it is backed up, never deleted).
      expect(await get(ref('v1', 'Secret', 'flux', 'flux-git-deploy'))).toBeDefined();
      // The v2 objects.
      expect((await get(ref(SRC, 'GitRepository', 'flux', 'flux')))?.spec).toMatchObject({
        url: 'ssh://git@github.com/fluxcd/flux-get-started',
      });
      expect((await get(ref(KS, 'Kustomization', 'flux', 'flux-kustomization-1')))?.spec).toMatchObject({
        prune: false,
        sourceRef: { kind: 'GitRepository', name: 'flux' },
      });
      expect(await kube.list(HR_V2, 'HelmRelease', { namespace: 'demo' })).toHaveLength(2);
      expect(await kube.list(SRC, 'HelmRepository', { namespace: 'demo' })).toHaveLength(1);

      // The backup: every touched object's YAML, 0600 files in a 0700 folder.
      const state = JSON.parse(readFileSync(path.join(dir, STATE_FILE), 'utf8')) as MigrationState;
      expect(state.completed).toBe(true);
      const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
      const expected = seeded.filter((o) => !(o.kind === 'Secret' && o.metadata.labels?.owner === 'helm')).map(refOf);
      for (const e of [...expected, HR_CRD]) expect(files).toContain(backupFileName(e));
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      for (const f of readdirSync(dir)) expect(statSync(path.join(dir, f)).mode & 0o777, f).toBe(0o600);
      const key = yaml.load(
        readFileSync(path.join(dir, backupFileName(ref('v1', 'Secret', 'flux', 'flux-git-deploy'))), 'utf8'),
      ) as KubeObject;
      expect((key.data as { identity: string }).identity).toBe(b64(KEY));
      const hrBackup = yaml.load(
        readFileSync(path.join(dir, backupFileName(ref(HR_V1, 'HelmRelease', 'demo', 'podinfo-git'))), 'utf8'),
      ) as KubeObject;
      expect(hrBackup.metadata.finalizers).toEqual([FINALIZER]); // saved before the finalizer was dropped
    });

    it('rolls back: v2 objects removed, v1 objects back (with their finalizers), releases untouched', async () => {
      const r = await cli(['--rollback', dir, '--yes']);
      expect(r.exitCode).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.kind).toBe('FluxV1RollbackResult');
      expect(result.deleted).toEqual(
        expect.arrayContaining(['GitRepository flux/flux', 'HelmRelease demo/podinfo-git']),
      );
      expect(await get(ref(SRC, 'GitRepository', 'flux', 'flux'))).toBeUndefined();
      expect(await kube.list(HR_V2, 'HelmRelease', { namespace: 'demo' })).toEqual([]);
      expect(await get(HR_CRD)).toBeDefined();
      for (const o of seeded) {
        const back = await get(refOf(o));
        expect(back, `${o.kind} ${o.metadata.name}`).toBeDefined();
        if (o.kind === 'Deployment') expect(back!.spec).toEqual(o.spec);
      }
      const hr = await get(ref(HR_V1, 'HelmRelease', 'demo', 'podinfo-helm-repository'));
      expect(hr?.metadata.finalizers).toEqual([FINALIZER]);
      expect(await releaseSecrets('demo')).toEqual(releasesBefore);
      // Rolling back again changes nothing.
      const again = await cli(['--rollback', dir, '--yes']);
      expect(again.exitCode).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ deleted: [], restored: [] });
    });
  });

  describe('a Helm-chart style fluxd and an Arc-style namespace-scoped operator', () => {
    const chartFluxd = (ns: string): KubeObject[] => [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'flux', namespace: ns, labels: { app: 'flux', chart: 'flux-1.13.3', release: 'flux' } },
        spec: {
          selector: { matchLabels: { app: 'flux', release: 'flux' } },
          template: {
            metadata: { labels: { app: 'flux', release: 'flux' } },
            spec: {
              serviceAccountName: 'flux',
              volumes: [
                { name: 'kubedir', configMap: { name: 'flux-kube-config' } },
                { name: 'sshdir', configMap: { name: 'flux-ssh-config', defaultMode: 0o600 } },
                { name: 'git-key', secret: { secretName: 'flux-git-deploy', defaultMode: 0o400 } },
              ],
              containers: [
                {
                  name: 'flux',
                  image: 'registry.example.com/mirror/fluxcd/flux:1.21.1',
                  volumeMounts: [
                    { name: 'kubedir', mountPath: '/root/.kubectl' },
                    { name: 'sshdir', mountPath: '/root/.ssh', readOnly: true },
                    { name: 'git-key', mountPath: '/etc/fluxd/ssh', readOnly: true },
                  ],
                  args: [
                    '--log-format=fmt',
                    '--ssh-keygen-dir=/var/fluxd/keygen',
                    '--k8s-secret-name=flux-git-deploy',
                    '--memcached-hostname=flux-memcached',
                    '--sync-state=git',
                    '--memcached-service=',
                    '--git-url=git@github.com:org/fleet',
                    '--git-branch=main',
                    '--git-path=clusters/prod,infra',
                    '--git-readonly=true',
                    '--git-poll-interval=1m',
                    '--sync-garbage-collection=true',
                    '--registry-disable-scanning=true',
                  ],
                },
              ],
            },
          },
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'flux-memcached', namespace: ns },
        spec: {
          selector: { matchLabels: { app: 'flux-memcached', release: 'flux' } },
          template: {
            metadata: { labels: { app: 'flux-memcached', release: 'flux' } },
            spec: { containers: [{ name: 'memcached', image: 'memcached:1.5.20' }] },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'flux-memcached', namespace: ns },
        spec: { ports: [{ port: 11211, protocol: 'TCP' }], selector: { app: 'flux-memcached', release: 'flux' } },
      },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flux', namespace: ns } },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'flux-git-deploy', namespace: ns },
        type: 'Opaque',
        data: { identity: b64(KEY) },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'flux-ssh-config', namespace: ns },
        data: { known_hosts: readFileSync(KNOWN_HOSTS_FILE, 'utf8') },
      },
    ];

    it('migrates a Helm-chart fluxd (mirror registry, two paths, gc, known_hosts from its ConfigMap)', async () => {
      const ns = 'chart';
      await seed([namespace(ns), ...chartFluxd(ns)]);
      const dir = path.join(tmp, 'chart-backup');
      const r = await cli(['--execute', '--yes', '--no-validate', '--namespace', ns, '--backup-dir', dir]);
      expect(r.exitCode).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.stopped).toEqual(
        expect.arrayContaining([
          `Deployment ${ns}/flux`,
          `Deployment ${ns}/flux-memcached`,
          `Service ${ns}/flux-memcached`,
          `ServiceAccount ${ns}/flux`,
        ]),
      );
      expect((await get(ref(SRC, 'GitRepository', ns, 'flux')))?.spec).toMatchObject({
        url: 'ssh://git@github.com/org/fleet',
        ref: { branch: 'main' },
        interval: '1m0s',
      });
      const ks = await kube.list(KS, 'Kustomization', { namespace: ns });
      expect(ks.map((k) => [k.metadata.name, (k.spec as { path: string; prune: boolean }).path]).sort()).toEqual([
        ['flux-clusters-prod', './clusters/prod'],
        ['flux-infra', './infra'],
      ]);
      expect(ks.every((k) => (k.spec as { prune: boolean }).prune)).toBe(true);
      expect(await get(ref('apps/v1', 'Deployment', ns, 'flux'))).toBeUndefined();
    });

    it('refuses while the Arc GitConfig exists (its agent would recreate fluxd), then migrates it namespace-scoped', async () => {
      const ns = 'team-a';
      await seed([
        {
          apiVersion: CRD,
          kind: 'CustomResourceDefinition',
          metadata: { name: 'gitconfigs.clusterconfig.azure.com' },
          spec: {
            group: 'clusterconfig.azure.com',
            scope: 'Namespaced',
            names: { kind: 'GitConfig', plural: 'gitconfigs', singular: 'gitconfig', listKind: 'GitConfigList' },
            versions: [
              {
                name: 'v1beta1',
                served: true,
                storage: true,
                schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
              },
            ],
          },
        },
        namespace(ns),
        ...arcObjects(ns),
      ]);
      const dir = path.join(tmp, 'arc-backup');
      const args = ['--execute', '--yes', '--no-validate', '--namespace', ns, '--backup-dir', dir];
      const refused = await cli(args);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(
        "error: Azure Arc Flux v1 configuration(s) team-a-config still exist: Azure's config-agent would recreate fluxd",
      );
      expect(refused.stderr).toContain('hint: run az k8s-configuration delete --name team-a-config');
      expect(await get(ref('apps/v1', 'Deployment', ns, 'team-a-config'))).toBeDefined();
      expect(() => readdirSync(dir)).toThrow();

      await kube.delete(ref('clusterconfig.azure.com/v1beta1', 'GitConfig', ns, 'team-a-config'));
      const r = await cli(args);
      expect(r.stderr).not.toContain('error:');
      expect(r.exitCode).toBe(0);
      expect(JSON.parse(r.stdout).configurations).toEqual([
        { name: 'team-a-config', namespace: ns, scope: 'namespace' },
      ]);
      expect(await get(ref('apps/v1', 'Deployment', ns, 'team-a-config'))).toBeUndefined();
      const rb = await kube.list('rbac.authorization.k8s.io/v1', 'RoleBinding', {
        namespace: ns,
        labelSelector: 'fluxcfg.io/configuration=team-a-config',
      });
      expect(rb).toHaveLength(1);
      expect(await get(ref(SRC, 'GitRepository', ns, 'team-a-config'))).toBeDefined();
    });
  });

  it('a user who may only read one namespace plans that namespace', async () => {
    const ns = 'tenant-a';
    await seed([
      namespace(ns),
      ...arcObjects(ns).filter((o) => o.kind !== 'GitConfig'),
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'reader', namespace: ns },
        rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'tenant-reader', namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: server.tenantUser }],
      },
    ]);
    const r = await cli(['--namespace', ns], 'tenant');
    expect(r.stderr).toContain('Warning! no cluster-wide read rights for');
    expect(r.stderr).toContain(`Deployment (namespace ${ns} only)`);
    expect(r.exitCode).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(
      plan.fluxd.map((f: { v1: { namespace: string; name: string } }) => `${f.v1.namespace}/${f.v1.name}`),
    ).toEqual([`${ns}/team-a-config`]);
    expect(plan.fluxd[0].configuration.scope).toBe('namespace');
  });
});

/** The Arc-style namespace-scoped fluxd of the unit tests (GitConfig included), with a real deploy key. */
function arcObjects(ns: string): KubeObject[] {
  const args = [`--git-url=git@github.com:org/team-a`, `--k8s-allow-namespace=${ns}`, '--git-readonly'];
  const name = 'team-a-config';
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: {
        selector: { matchLabels: { instanceName: name, name: 'flux' } },
        template: {
          metadata: { labels: { instanceName: name, name: 'flux' } },
          spec: {
            serviceAccountName: name,
            volumes: [
              { name: 'git-key', secret: { secretName: `${name}-git-deploy` } },
              { name: 'ssh-config', configMap: { name: `${name}-ssh-config` } },
            ],
            containers: [
              {
                name: 'flux',
                image: 'mcr.microsoft.com/oss/fluxcd/flux:1.21.0',
                args,
                volumeMounts: [
                  { name: 'git-key', mountPath: '/etc/fluxd/ssh', readOnly: true },
                  { name: 'ssh-config', mountPath: '/root/.ssh' },
                ],
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${name}-git-deploy`, namespace: ns },
      data: { identity: b64(KEY) },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${name}-ssh-config`, namespace: ns },
      data: { known_hosts: readFileSync(KNOWN_HOSTS_FILE, 'utf8') },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } },
    {
      apiVersion: 'clusterconfig.azure.com/v1beta1',
      kind: 'GitConfig',
      metadata: { name, namespace: ns },
      spec: {
        giturl: 'git@github.com:org/team-a',
        operatorInstanceName: name,
        operatorParams: args.join(' '),
        operatorScope: 'namespace',
        operatorType: 'Flux',
        enableHelmOperator: 'false',
      },
    },
  ];
}
