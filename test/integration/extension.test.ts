// k8s-extension against a SECOND kube-apiserver started by this file: installing and deleting Flux creates and
// removes the cluster-scoped Flux CRDs and flux-system, which the shared test server's other files rely on.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.js';
import { UserError } from '../../src/errors.js';
import { exec } from '../../src/exec.js';
import { findFluxV1 } from '../../src/extension/detect.js';
import { ensureFluxExtension } from '../../src/extension/ensure.js';
import type { KubeClient } from '../../src/k8s/client.js';
import { connect } from '../../src/k8s/index.js';
import type { KubeObject } from '../../src/k8s/types.js';
import type { Io } from '../../src/ui/io.js';
import { startProgress } from '../../src/ui/progress.js';
import { makePrompter } from '../../src/ui/prompt.js';
import { findKubeAssets, startTestCluster, stripCel, type TestCluster } from '../helpers/apiserver.js';
import { captureLogger, quietLogger, runCli } from '../helpers/cli.js';
import { cluster, uniqueName } from '../helpers/cluster.js';
import { fluxV1Fixture, testFixtures } from '../helpers/test-fixtures.js';

const NS = 'flux-system';
// The integration project runs only with fixtures (global setup provides no cluster without them).
const fixture = testFixtures()?.installManifest ?? '';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const crdRef = (name: string) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name });
const depRef = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: NS });
const argsOf = (d: KubeObject | undefined) =>
  (d?.spec as { template: { spec: { containers: { args: string[] }[] } } }).template.spec.containers[0]!.args;

describe.skipIf(!cluster)('k8s-extension on its own kube-apiserver', () => {
  let server: TestCluster;
  let kube: KubeClient;
  let tmp: string;
  let manifestFile: string;
  let manifestText: string;
  let release: http.Server;
  let releaseFiles: Map<string, string>;
  let baseUrl: string;

  const env = () => ({ CI: 'true', XDG_CACHE_HOME: path.join(tmp, 'cache'), FLUXCFG_FLUX_RELEASE_BASE_URL: baseUrl });
  const ext = (args: string[]) => runCli(['k8s-extension', ...args, '--kubeconfig', server.kubeconfig], { env: env() });
  const create = (...extra: string[]) =>
    ext([
      'create',
      '-n',
      'flux',
      '--extension-type',
      'microsoft.flux',
      '--manifests',
      manifestFile,
      '--skip-preflight',
      '--no-wait',
      ...extra,
    ]);

  /** What a controller would do: report every Deployment of flux-system available at its current generation. */
  async function markAvailable(): Promise<void> {
    const deps = await kube.list('apps/v1', 'Deployment', { namespace: NS });
    await Promise.all(
      deps
        .filter(
          (d) =>
            (d.status as { observedGeneration?: number } | undefined)?.observedGeneration !== d.metadata.generation,
        )
        .map((d) =>
          kube.mergePatch(
            depRef(d.metadata.name),
            {
              status: {
                observedGeneration: d.metadata.generation,
                replicas: 1,
                updatedReplicas: 1,
                readyReplicas: 1,
                availableReplicas: 1,
                conditions: [
                  {
                    type: 'Available',
                    status: 'True',
                    reason: 'MinimumReplicasAvailable',
                    message: 'Deployment has minimum availability.',
                    lastTransitionTime: '2026-01-01T00:00:00Z',
                    lastUpdateTime: '2026-01-01T00:00:00Z',
                  },
                ],
              },
            },
            'status',
          ),
        ),
    );
  }

  /** Runs markAvailable in a loop until `work` finishes (a --wait command waiting for the rollout). */
  async function whileControllersRollOut<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const loop = (async () => {
      while (!done) {
        await markAvailable().catch(() => undefined);
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    try {
      return await work;
    } finally {
      done = true;
      await loop;
    }
  }

  /** No namespace controller runs here: finish a Terminating flux-system as kube-controller-manager would. */
  async function finalizeNamespace(): Promise<void> {
    const ns = await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS });
    if (!ns) return;
    await kube.request('PUT', `/api/v1/namespaces/${NS}/finalize`, {
      body: { ...ns, spec: { finalizers: [] } },
    });
    await kube.waitForGone([{ apiVersion: 'v1', kind: 'Namespace', name: NS }], 10_000, 100);
  }

  /** Runs `work` while acting as the namespace controller: a Terminating flux-system is finalized. */
  async function whileNamespaceTerminates<T>(work: Promise<T>): Promise<T> {
    let done = false;
    const loop = (async () => {
      while (!done) {
        const ns = await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS }).catch(() => undefined);
        if (ns?.metadata.deletionTimestamp)
          await kube
            .request('PUT', `/api/v1/namespaces/${NS}/finalize`, { body: { ...ns, spec: { finalizers: [] } } })
            .catch(() => undefined);
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    try {
      return await work;
    } finally {
      done = true;
      await loop;
    }
  }

  beforeAll(async () => {
    server = await startTestCluster(findKubeAssets()!);
    kube = await connect({ kubeconfig: server.kubeconfig, context: 'admin', env: {} }, quietLogger());
    tmp = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-ext-'));
    // The v1.20 test server does not know CEL rules: strip them from a copy (a test-only step).
    manifestText = yaml
      .loadAll(readFileSync(fixture, 'utf8'))
      .filter(Boolean)
      .map((d) => `---\n${yaml.dump(stripCel(d), { lineWidth: -1 })}`)
      .join('');
    manifestFile = path.join(tmp, 'install.yaml');
    writeFileSync(manifestFile, manifestText);
    releaseFiles = new Map();
    release = http.createServer((req, res) => {
      const body = releaseFiles.get(req.url!);
      if (body === undefined) res.writeHead(404).end();
      else res.writeHead(200).end(body);
    });
    await new Promise<void>((r) => release.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(release.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    kube?.close();
    await new Promise<void>((r) => (release ? release.close(() => r()) : r()));
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses namespace scope and other extension types before any API call', async () => {
    const scoped = await create('--scope', 'namespace');
    expect(scoped.exitCode).toBe(2);
    expect(scoped.stderr).toContain(
      'error: The microsoft.flux extension can only be installed at cluster scope; --scope namespace is not supported',
    );
    const other = await ext(['create', '-n', 'mon', '--extension-type', 'microsoft.azuremonitor.containers']);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain(
      "error: extension type 'microsoft.azuremonitor.containers' is not supported by fluxcfg",
    );
    const ns = await ext(['create', '-n', 'flux', '--extension-type', 'microsoft.flux', '--release-namespace', 'flux']);
    expect(ns.exitCode).toBe(2);
    expect(ns.stderr).toContain(
      "error: --release-namespace 'flux' is not supported: microsoft.flux is always installed in flux-system",
    );
    expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS })).toBeUndefined();
  });

  it('refuses a Kubernetes older than the minimum of the Flux release (preflight)', async () => {
    const r = await ext([
      'create',
      '-n',
      'flux',
      '--extension-type',
      'microsoft.flux',
      '--manifests',
      manifestFile,
      '--no-wait',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `error: Kubernetes ${server.version} is older than 1.32.0, the minimum Flux v2.7.5 supports`,
    );
    expect(r.stderr).toContain('--skip-preflight');
    expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS })).toBeUndefined();
  });

  it('refuses while Flux v1 runs, pointing at migrate-from-v1', async () => {
    const v1ns = uniqueName('flux-v1');
    const [fluxd] = yaml.loadAll(
      readFileSync(fluxV1Fixture('flux/deploy/flux-deployment.yaml'), 'utf8'),
    ) as KubeObject[];
    const [hrCrd] = (
      yaml.loadAll(readFileSync(fluxV1Fixture('helm-operator/deploy/crds.yaml'), 'utf8')) as KubeObject[]
    ).filter(Boolean);
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: v1ns } });
    await kube.applyAll([{ ...fluxd!, metadata: { ...fluxd!.metadata, namespace: v1ns } }, hrCrd!]);
    try {
      expect((await findFluxV1(kube)).sort()).toEqual(
        [
          `Deployment ${v1ns}/flux (fluxd)`,
          'CustomResourceDefinition helmreleases.helm.fluxcd.io (helm-operator)',
        ].sort(),
      );
      const r = await create();
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(`error: Flux v1 is running in the cluster: Deployment ${v1ns}/flux (fluxd)`);
      expect(r.stderr).toContain('hint: migrate first: fluxcfg k8s-configuration flux migrate-from-v1');
      expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS })).toBeUndefined();
    } finally {
      await kube.delete({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'flux', namespace: v1ns });
      await kube.delete(crdRef('helmreleases.helm.fluxcd.io'));
      await kube.waitForGone([crdRef('helmreleases.helm.fluxcd.io')], 30_000, 100);
    }
    expect(await findFluxV1(kube)).toEqual([]);
  });

  it('refuses to take over a Flux installed by something else unless --force', async () => {
    const crd = (yaml.loadAll(manifestText) as KubeObject[]).find(
      (o) => o?.metadata?.name === 'gitrepositories.source.toolkit.fluxcd.io',
    )!;
    await kube.request('PATCH', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`, {
      query: { fieldManager: 'kubectl' },
      body: crd,
      contentType: 'application/apply-patch+yaml',
    });
    try {
      const r = await create();
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        'error: Flux is already installed in the cluster by something else: CustomResourceDefinition gitrepositories.source.toolkit.fluxcd.io',
      );
      expect(r.stderr).toContain('pass --force to take it over');
      expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS })).toBeUndefined();
    } finally {
      await kube.delete(crdRef(crd.metadata.name));
      await kube.waitForGone([crdRef(crd.metadata.name)], 30_000, 100);
    }
  });

  it('refuses a corrupted release download: nothing is written', async () => {
    releaseFiles.set('/v2.7.5/install.yaml', manifestText.replace('--log-level=info', '--log-level=debug'));
    releaseFiles.set('/v2.7.5/flux_2.7.5_checksums.txt', `${sha(manifestText)}  install.yaml\n`);
    const r = await ext([
      'create',
      '-n',
      'flux',
      '--extension-type',
      'microsoft.flux',
      '--skip-preflight',
      '--no-wait',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `error: checksum mismatch for Flux v2.7.5 install.yaml from ${baseUrl}/v2.7.5/install.yaml: expected sha256 ${sha(manifestText)}`,
    );
    expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS })).toBeUndefined();
  });

  it('create --dry-run prints the plan after a server-side dry run; nothing is stored', async () => {
    const r = await create('--dry-run', '-o', 'json');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('Warning! namespace flux-system does not exist yet: the dry run validates the');
    const rows = JSON.parse(r.stdout) as { action: string; kind: string; namespace?: string; name: string }[];
    expect(new Set(rows.map((x) => x.action))).toEqual(new Set(['create']));
    expect(rows).toContainEqual({ action: 'create', kind: 'Deployment', namespace: NS, name: 'helm-controller' });
    const gitRepositories = 'gitrepositories.source.toolkit.fluxcd.io';
    expect(rows).toContainEqual({ action: 'create', kind: 'CustomResourceDefinition', name: gitRepositories });
    expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS })).toBeUndefined();
    expect(await kube.get(crdRef('gitrepositories.source.toolkit.fluxcd.io'))).toBeUndefined();
    const both = await create('--dry-run', '--export');
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('error: --export and --dry-run cannot be used together');
  });

  it('creates Flux from --manifests: namespace, CRDs, RBAC, controllers with the multi-tenancy flags, the record', async () => {
    const r = await create(
      '--config',
      'kustomize-controller.concurrent=8',
      '--config-protected',
      'workloadIdentity.azureClientId=abc',
    );
    expect(r.stderr).not.toContain('error:');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    for (const name of ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'])
      expect(await kube.get(depRef(name))).toBeDefined();
    expect(argsOf(await kube.get(depRef('kustomize-controller')))).toEqual(
      expect.arrayContaining([
        '--no-cross-namespace-refs=true',
        '--default-service-account=flux-applier',
        '--concurrent=8',
      ]),
    );
    expect(argsOf(await kube.get(depRef('helm-controller')))).toContain('--no-cross-namespace-refs=true');
    expect(await kube.get(crdRef('kustomizations.kustomize.toolkit.fluxcd.io'))).toBeDefined();
    expect(
      await kube.get({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        name: 'cluster-reconciler-flux-system',
      }),
    ).toBeDefined();
    const ns = await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS });
    expect(ns?.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'fluxcfg',
      'fluxcfg.io/extension': 'flux',
    });
    const record = await kube.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'fluxcfg-extension-flux',
      namespace: NS,
    });
    const data = JSON.parse((record!.data as Record<string, string>)['extension.json']!);
    expect(data).toMatchObject({
      name: 'flux',
      fluxVersion: 'v2.7.5',
      configurationSettings: { 'kustomize-controller.concurrent': '8' },
      configurationProtectedSettingKeys: ['workloadIdentity.azureClientId'],
      provisioningState: 'Creating',
      namespaceCreated: true,
    });
    expect(JSON.stringify(record)).not.toContain('"abc"');
    const secret = await kube.get({
      apiVersion: 'v1',
      kind: 'Secret',
      name: 'fluxcfg-extension-flux-protected',
      namespace: NS,
    });
    expect(
      Buffer.from((secret!.data as Record<string, string>)['workloadIdentity.azureClientId']!, 'base64').toString(),
    ).toBe('abc');
  });

  it('show and list in az shape; provisioningState follows the controllers; a missing extension exits 3', async () => {
    const before = await ext(['show', '-n', 'flux']);
    expect(before.exitCode).toBe(0);
    const view = JSON.parse(before.stdout);
    expect(view).toMatchObject({
      name: 'flux',
      extensionType: 'microsoft.flux',
      version: null,
      currentVersion: '1.23.0',
      fluxVersion: 'v2.7.5',
      scope: { cluster: { releaseNamespace: 'flux-system' }, namespace: null },
      configurationSettings: { 'kustomize-controller.concurrent': '8' },
      configurationProtectedSettings: { 'workloadIdentity.azureClientId': null },
      provisioningState: 'Creating',
      autoUpgradeMinorVersion: true,
      releaseTrain: 'Stable',
    });
    expect(view.statuses.map((s: { displayStatus: string }) => s.displayStatus)).toEqual([
      'source-controller: NotAvailable',
      'kustomize-controller: NotAvailable',
      'helm-controller: NotAvailable',
      'notification-controller: NotAvailable',
    ]);
    await markAvailable();
    const after = JSON.parse((await ext(['show', '-n', 'flux'])).stdout);
    expect(after.provisioningState).toBe('Succeeded');
    // az lists no status for a healthy extension
    expect(after.statuses).toEqual([]);
    const list = await ext(['list']);
    expect(
      JSON.parse(list.stdout).map((e: { name: string; provisioningState: string }) => [e.name, e.provisioningState]),
    ).toEqual([['flux', 'Succeeded']]);
    const table = await ext(['list', '-o', 'table']);
    // az's transformer shows the version pin, null here, and knack leaves a column out when it is null in every row
    const header = /^Name\s+ExtensionType\s+ProvisioningState\s+LastModifiedAt\s+IsSystemExtension$/;
    expect(table.stdout.split('\n')[0]).toMatch(header);
    expect(table.stdout).toMatch(
      /\nflux\s+microsoft\.flux\s+Succeeded\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00\s+False/,
    );
    const missing = await ext(['show', '-n', 'nope']);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain(
      'error: (ExtensionNotFound) The Resource Microsoft.KubernetesConfiguration/extensions/nope could not be found!',
    );
  });

  it('re-create with the same name re-applies the settings; a second extension is refused', async () => {
    const second = await ext([
      'create',
      '-n',
      'flux2',
      '--extension-type',
      'microsoft.flux',
      '--manifests',
      manifestFile,
      '--skip-preflight',
      '--no-wait',
    ]);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain(
      "error: the microsoft.flux extension 'flux' is already installed in the cluster; only one can be installed",
    );
    const again = await create('--config', 'helm-controller.log-level=debug');
    expect(again.exitCode).toBe(0);
    expect(argsOf(await kube.get(depRef('helm-controller')))).toContain('--log-level=debug');
    // PUT semantics: the settings are those given now
    expect(argsOf(await kube.get(depRef('kustomize-controller')))).not.toContain('--concurrent=8');
    expect(
      await kube.get({ apiVersion: 'v1', kind: 'Secret', name: 'fluxcfg-extension-flux-protected', namespace: NS }),
    ).toBeUndefined();
  });

  it('update --dry-run prints the diff of a setting change: only the Deployment it changes; --exit-code', async () => {
    const r = await ext([
      'update',
      '-n',
      'flux',
      '--config',
      'kustomize-controller.concurrent=9',
      '--dry-run',
      '--exit-code',
    ]);
    expect(r.stderr).not.toContain('error:');
    expect(r.exitCode).toBe(1);
    const headers = r.stdout.split('\n').filter((l) => l.startsWith('+++ ') || l.startsWith('--- '));
    expect(headers).toEqual([
      `--- live/Deployment/${NS}/kustomize-controller`,
      `+++ dry-run/Deployment/${NS}/kustomize-controller`,
    ]);
    expect(r.stdout.split('\n').filter((l) => /^[-+] /.test(l) || /^[-+]\s+-/.test(l))).toEqual([
      "+            - '--concurrent=9'",
    ]);
    expect(r.stderr).toMatch(/dry run: 0 to create, \d+ to update, 0 to prune, 0 unchanged/);
    expect(argsOf(await kube.get(depRef('kustomize-controller')))).not.toContain('--concurrent=9');
    const same = await ext(['update', '-n', 'flux', '--dry-run', '--exit-code']);
    expect(same.stderr).not.toContain('error:');
    expect(same.stdout).toBe('');
    expect(same.exitCode).toBe(0);
  });

  it('update --dry-run lists the prune of a disabled controller, changes nothing, needs no --yes', async () => {
    const helmOff = ['update', '-n', 'flux', '--config', 'helm-controller.enabled=false', '--dry-run'];
    const r = await ext([...helmOff, '--no-wait', '-o', 'json']);
    expect(r.stderr).not.toContain('error:');
    expect(r.exitCode).toBe(0);
    const rows = JSON.parse(r.stdout) as { action: string; kind: string; namespace?: string; name: string }[];
    expect(rows.filter((x) => x.action === 'prune')).toEqual([
      { action: 'prune', kind: 'ServiceAccount', namespace: NS, name: 'helm-controller' },
      { action: 'prune', kind: 'Deployment', namespace: NS, name: 'helm-controller' },
    ]);
    expect(rows).toContainEqual({ action: 'update', kind: 'Deployment', namespace: NS, name: 'source-controller' });
    expect(await kube.get(depRef('helm-controller'))).toBeDefined();
    const view = JSON.parse((await ext(['show', '-n', 'flux'])).stdout);
    expect(view.configurationSettings).toEqual({ 'helm-controller.log-level': 'debug' });
    const table = await ext([...helmOff, '-o', 'table']);
    expect(table.stdout).toMatch(/^Action\s+Kind\s+Namespace\s+Name\n/);
    expect(table.stdout).toMatch(/\nprune\s+Deployment\s+flux-system\s+helm-controller\n/);
  });

  it('update asks before changing settings; helm-controller off removes its Deployment; enforce=false drops the flags', async () => {
    const unconfirmed = await ext(['update', '-n', 'flux', '--config', 'helm-controller.enabled=false', '--no-wait']);
    expect(unconfirmed.exitCode).toBe(2);
    expect(unconfirmed.stderr).toContain(
      'error: confirmation required: Updating properties in --configuration-settings',
    );
    expect(await kube.get(depRef('helm-controller'))).toBeDefined();

    const off = await ext(['update', '-n', 'flux', '--config', 'helm-controller.enabled=false', '--yes', '--no-wait']);
    expect(off.exitCode).toBe(0);
    expect(await kube.get(depRef('helm-controller'))).toBeUndefined();
    expect(
      await kube.get({ apiVersion: 'v1', kind: 'ServiceAccount', name: 'helm-controller', namespace: NS }),
    ).toBeUndefined();
    expect(await kube.get(crdRef('helmreleases.helm.toolkit.fluxcd.io'))).toBeDefined();
    // settings are merged per key: the earlier log level stays
    const record = JSON.parse((await ext(['show', '-n', 'flux'])).stdout);
    expect(record.configurationSettings).toEqual({
      'helm-controller.log-level': 'debug',
      'helm-controller.enabled': 'false',
    });

    // --wait (the default): the command waits until the controllers report available
    const result = await whileControllersRollOut(
      ext(['update', '-n', 'flux', '--config', 'multiTenancy.enforce=false', '--yes', '--wait-timeout', '60s']),
    );
    expect(result.stderr).not.toContain('error:');
    expect(result.exitCode).toBe(0);
    const view = JSON.parse(result.stdout);
    expect(view.provisioningState).toBe('Succeeded');
    expect(view.statuses).toEqual([]);
    for (const name of ['kustomize-controller', 'notification-controller'])
      expect(argsOf(await kube.get(depRef(name))).join(' ')).not.toMatch(
        /no-cross-namespace-refs|default-service-account/,
      );
  });

  it('a --wait that times out records Failed and says which controllers are not available', async () => {
    const r = await ext([
      'update',
      '-n',
      'flux',
      '--config',
      'source-controller.log-level=debug',
      '--yes',
      '--wait-timeout',
      '1s',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      'error: timed out after 1s waiting for the Flux controllers to become available: source-controller',
    );
    const view = JSON.parse((await ext(['show', '-n', 'flux'])).stdout);
    expect(view.provisioningState).toBe('Failed');
    expect(view.errorInfo.message).toMatch(/^source-controller: NotAvailable/);
  });

  it('update --version upgrades Flux from a newer manifest (the record keeps the pin)', async () => {
    const newer = path.join(tmp, 'install-v2.7.6.yaml');
    writeFileSync(
      newer,
      manifestText.replaceAll('app.kubernetes.io/version: v2.7.5', 'app.kubernetes.io/version: v2.7.6'),
    );
    const r = await ext([
      'update',
      '-n',
      'flux',
      '--version',
      '2.7.6',
      '--auto-upgrade',
      'false',
      '--manifests',
      newer,
      '--skip-preflight',
      '--no-wait',
    ]);
    expect(r.stderr).not.toContain('error:');
    expect(r.exitCode).toBe(0);
    expect((await kube.get(depRef('source-controller')))?.metadata.labels?.['app.kubernetes.io/version']).toBe(
      'v2.7.6',
    );
    expect(
      (await kube.get(crdRef('gitrepositories.source.toolkit.fluxcd.io')))?.metadata.labels?.[
        'app.kubernetes.io/version'
      ],
    ).toBe('v2.7.6');
    const view = JSON.parse((await ext(['show', '-n', 'flux'])).stdout);
    // a Flux release no microsoft.flux version ships: no extension version to report
    expect(view).toMatchObject({
      version: '2.7.6',
      currentVersion: null,
      fluxVersion: 'v2.7.6',
      autoUpgradeMinorVersion: false,
    });
    expect(view.configurationSettings).toMatchObject({
      'helm-controller.enabled': 'false',
      'multiTenancy.enforce': 'false',
    });
  });

  it('delete is refused while Flux configurations exist; --force removes them with their finalizers', async () => {
    const tenant = uniqueName('cfg');
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: tenant } });
    await kube.apply({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: {
        name: 'cluster-config',
        namespace: tenant,
        labels: { 'fluxcfg.io/configuration': 'cluster-config' },
        finalizers: ['finalizers.fluxcd.io'],
      },
      spec: { url: 'https://github.com/Azure/gitops-flux2-kustomize-helm-mt', interval: '1m', ref: { branch: 'main' } },
    });
    const refused = await ext(['delete', '-n', 'flux', '--yes']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      `error: cannot delete extension 'flux': 1 Flux object (GitRepository ${tenant}/cluster-config), among them the Flux configuration ${tenant}/cluster-config still exist`,
    );
    expect(await kube.get(depRef('source-controller'))).toBeDefined();

    const noYes = await ext(['delete', '-n', 'flux', '--force']);
    expect(noYes.exitCode).toBe(2);
    expect(noYes.stderr).toContain('error: confirmation required: Are you sure you want to perform this operation?');

    // a whole fluxcfg configuration too: its cluster-admin binding, flux-applier and auth Secret must not stay
    const cfgNs = uniqueName('cfgns');
    const made = await runCli(
      [
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        'web',
        '--namespace',
        cfgNs,
        '-u',
        'https://example.com/repo',
        '--branch',
        'main',
        '--https-user',
        'bob',
        '--https-key',
        'pw',
        '--no-validate',
        '--kubeconfig',
        server.kubeconfig,
      ],
      { env: env() },
    );
    expect(made.stderr).not.toContain('error:');
    expect(made.exitCode).toBe(0);
    const leftovers = async () => [
      ...(await kube.list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', {
        labelSelector: 'fluxcfg.io/configuration=web',
      })),
      ...(await kube.list('v1', 'Secret', { namespace: cfgNs, labelSelector: 'fluxcfg.io/configuration' })),
      ...[await kube.get({ apiVersion: 'v1', kind: 'ServiceAccount', name: 'flux-applier', namespace: cfgNs })].filter(
        Boolean,
      ),
    ];
    expect(await leftovers()).toHaveLength(3);

    const forced = await whileNamespaceTerminates(ext(['delete', '-n', 'flux', '--force', '--yes']));
    expect(forced.stderr).not.toContain('error:');
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toContain('Warning: --force: deleting 3 Flux objects');
    expect(forced.stderr).toContain(`Warning: --force: deleting what fluxcfg created for those configurations: `);
    expect(await leftovers()).toEqual([]);
    // it returned only once flux-system was gone: Flux can be installed again at once
    expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS })).toBeUndefined();
    expect(await kube.get(depRef('source-controller'))).toBeUndefined();
    expect(await kube.get(crdRef('gitrepositories.source.toolkit.fluxcd.io'))).toBeUndefined();
    expect(
      await kube.get({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        name: 'crd-controller-flux-system',
      }),
    ).toBeUndefined();
    expect(
      await kube.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'fluxcfg-extension-flux', namespace: NS }),
    ).toBeUndefined();

    const gone = await ext(['delete', '-n', 'flux', '--yes']);
    expect(gone.exitCode).toBe(0);
    expect(gone.stderr).toBe("No extension with name 'flux' found on cluster 'admin', so nothing to delete\n");
  });

  it('ensureFluxExtension: refuses with install false, installs the defaults from the release download, then is a no-op', async () => {
    releaseFiles.set('/v2.7.5/install.yaml', manifestText);
    releaseFiles.set('/v2.7.5/flux_2.7.5_checksums.txt', `${sha(manifestText)}  install.yaml\n`);
    const { log, text } = captureLogger('warn');
    const io: Io = { stdout: { write: () => true }, stderr: { write: () => true }, stdinIsTTY: false, env: env() };
    const deps: Deps = {
      io,
      log,
      prompt: makePrompter(io, false),
      globals: { output: 'json', onlyShowErrors: false, verbose: false, debug: false, color: false, yes: false },
      exec,
      kube: async () => kube,
      progress: (t) => startProgress(io, log, t),
    };
    const refused = await ensureFluxExtension(deps, { install: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).message).toBe(
      "'Microsoft.Flux' extension not found on the cluster, and --no-install-extension was given",
    );
    expect((refused as UserError).hint).toBe(
      'run fluxcfg k8s-extension create --extension-type microsoft.flux -n flux',
    );

    await whileControllersRollOut(
      ensureFluxExtension(deps, { install: true, skipPreflight: true, waitTimeoutMs: 60_000 }),
    );
    const out = text();
    expect(
      out.startsWith(
        "'Microsoft.Flux' extension not found on the cluster, installing it now. This may take a few minutes...\n",
      ),
    ).toBe(true);
    expect(out.endsWith("'Microsoft.Flux' extension was successfully installed on the cluster\n")).toBe(true);
    const view = JSON.parse((await ext(['show', '-n', 'flux'])).stdout);
    expect(view).toMatchObject({
      name: 'flux',
      provisioningState: 'Succeeded',
      currentVersion: '1.23.0',
      configurationSettings: {},
    });
    expect(readFileSync(path.join(tmp, 'cache', 'fluxcfg', 'flux', 'v2.7.5', 'install.yaml'), 'utf8')).toBe(
      manifestText,
    );

    const quiet = captureLogger('warn');
    await ensureFluxExtension({ ...deps, log: quiet.log }, { install: true });
    expect(quiet.text()).toBe('');
  });

  it('delete without Flux objects: controllers, CRDs, record and the namespace it created are removed', async () => {
    // no namespace controller finishes flux-system here: the delete says so instead of reporting success
    const r = await ext(['delete', '-n', 'flux', '--yes', '--wait-timeout', '2s']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: Flux was removed, but namespace ${NS} is still terminating after 2s`);
    expect(r.stderr).toMatch(/hint: .*Flux cannot be installed again until namespace flux-system is gone/);
    expect(r.stdout).toBe('');
    expect(await kube.get(crdRef('gitrepositories.source.toolkit.fluxcd.io'))).toBeUndefined();
    expect(await kube.get(crdRef('kustomizations.kustomize.toolkit.fluxcd.io'))).toBeUndefined();
    expect(await kube.get(depRef('kustomize-controller'))).toBeUndefined();
    expect(
      await kube.get({ apiVersion: 'v1', kind: 'ServiceAccount', name: 'kustomize-controller', namespace: NS }),
    ).toBeUndefined();
    expect(
      (await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: NS }))?.metadata.deletionTimestamp,
    ).toBeTruthy();
    await finalizeNamespace();
  });
});
