// flux validate against the real API server: cluster-scope from discovery, --multi-tenancy auto from the
// kustomize-controller args, and flux-applier namespaces of other fluxcfg configurations.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/k8s/client.js';
import type { KubeObject } from '../../src/k8s/types.js';
import { configurationLabels } from '../../src/model/naming.js';
import { readClusterTenancy, resolveMultiTenancy } from '../../src/validate/index.js';
import { runCli } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';
import { writeTree } from '../unit/validate/helpers.js';

const seed = path.resolve(import.meta.dirname, '../fixtures/validate/seed-cross-namespace');

const kustomizeController = (namespace: string, args: string[]): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'kustomize-controller', namespace },
  spec: {
    replicas: 0,
    selector: { matchLabels: { app: 'kustomize-controller' } },
    template: {
      metadata: { labels: { app: 'kustomize-controller' } },
      spec: { containers: [{ name: 'manager', image: 'ghcr.io/fluxcd/kustomize-controller:v1.7.3', args }] },
    },
  },
});

describe.skipIf(!cluster)('flux validate with the cluster', () => {
  let kube: KubeClient;
  const validate = (args: string[], context: 'admin' | 'tenant' = 'admin') =>
    runCli([
      'k8s-configuration',
      'flux',
      'validate',
      ...args,
      '--kubeconfig',
      requireCluster().kubeconfig,
      '--context',
      context,
    ]);

  beforeAll(async () => {
    kube = await client('admin');
  });
  afterAll(() => kube?.close());

  it('uses API discovery for cluster-scoped kinds: a cluster-scoped CRD kind unknown to the built-in list', async () => {
    const group = `${uniqueName('scope')}.example.com`;
    await kube.applyAll([
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `gadgets.${group}` },
        spec: {
          group,
          scope: 'Cluster',
          names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      },
    ]);
    const dir = writeTree({
      'gadget.yaml': `apiVersion: ${group}/v1\nkind: Gadget\nmetadata:\n  name: g\n`,
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n',
    });
    const offline = await runCli([
      'k8s-configuration',
      'flux',
      'validate',
      '--path',
      dir,
      '--namespace',
      'team-a',
      '--scope',
      'namespace',
    ]);
    expect(offline).toMatchObject({ exitCode: 0, stdout: '[]\n' });

    const r = await validate(['--path', dir, '--namespace', 'team-a', '--scope', 'namespace', '--use-cluster']);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        rule: 'cluster-scoped-kind',
        severity: 'error',
        file: 'gadget.yaml',
        line: 1,
        object: 'Gadget g',
        message:
          'Gadget is cluster-scoped: a namespace-scoped configuration may only create objects in namespace team-a',
        fix: 'remove it from this path and apply it from a cluster-scoped configuration',
      },
    ]);
  });

  it('--multi-tenancy auto reads --no-cross-namespace-refs and --no-remote-bases from kustomize-controller', async () => {
    const fluxNs = uniqueName('flux');
    await kube.applyAll([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: fluxNs } },
      kustomizeController(fluxNs, [
        '--watch-all-namespaces',
        '--no-cross-namespace-refs=true',
        '--no-remote-bases=true',
        '--default-service-account=flux-applier',
      ]),
    ]);
    const enforced = await validate([
      '--path',
      seed,
      '--namespace',
      'cluster-config',
      '--multi-tenancy',
      'auto',
      '--flux-namespace',
      fluxNs,
      '--verbose',
    ]);
    expect(enforced.exitCode).toBe(1);
    expect(JSON.parse(enforced.stdout).map((f: { rule: string }) => f.rule)).toEqual([
      'no-flux-applier',
      'cross-namespace-ref',
    ]);
    expect(enforced.stderr).toContain(
      `multi-tenancy enforced, remote bases refused (from ${fluxNs}/kustomize-controller args)`,
    );

    const remote = writeTree({ 'kustomization.yaml': 'resources:\n  - https://github.com/org/repo//base?ref=v1\n' });
    const refused = await validate(['--path', remote, '--multi-tenancy', 'auto', '--flux-namespace', fluxNs]);
    expect(refused.exitCode).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject([{ rule: 'remote-base', severity: 'error' }]);

    await kube.apply(kustomizeController(fluxNs, ['--watch-all-namespaces']));
    expect(await readClusterTenancy(kube, fluxNs)).toEqual({
      enforce: false,
      noRemoteBases: false,
      source: `${fluxNs}/kustomize-controller args`,
    });
    const off = await validate([
      '--path',
      seed,
      '--namespace',
      'cluster-config',
      '--multi-tenancy',
      'auto',
      '--flux-namespace',
      fluxNs,
    ]);
    expect(off).toMatchObject({ exitCode: 0, stdout: '[]\n' });
    expect(off.stderr).toContain('multi-tenancy off');
  });

  it('--multi-tenancy auto without Flux installed is an error with a hint; create/update default to enforced', async () => {
    const empty = uniqueName('no-flux');
    const r = await validate(['--path', seed, '--multi-tenancy', 'auto', '--flux-namespace', empty]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `error: cannot tell whether multi-tenancy is enforced: there is no kustomize-controller Deployment in ${empty} (context "admin")`,
    );
    expect(r.stderr).toContain(
      'hint: install Flux with fluxcfg k8s-extension create --extension-type microsoft.flux -n flux, or pass --multi-tenancy enforce|off',
    );
    expect(await readClusterTenancy(kube, empty)).toBeUndefined();
    expect(typeof (await resolveMultiTenancy(kube))).toBe('boolean');
  });

  it("a namespace with another configuration's flux-applier needs no serviceAccountName", async () => {
    const tenant = uniqueName('tenant');
    const dir = writeTree({
      'hr.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: ${tenant}\nspec:\n  interval: 1h\n  chart: { spec: { chart: web, sourceRef: { kind: HelmRepository, name: charts } } }\n`,
    });
    const before = await validate(['--path', dir, '--namespace', 'cluster-config', '--use-cluster']);
    expect(before.exitCode).toBe(1);
    expect(JSON.parse(before.stdout)).toMatchObject([{ rule: 'no-flux-applier', object: `HelmRelease ${tenant}/web` }]);

    await kube.applyAll([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: tenant } },
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'flux-applier', namespace: tenant, labels: configurationLabels(tenant, 'other-cfg') },
      },
    ]);
    const after = await validate(['--path', dir, '--namespace', 'cluster-config', '--use-cluster']);
    expect(after).toMatchObject({ exitCode: 0, stdout: '[]\n' });
    // offline, the cluster's flux-applier is unknown
    const offline = await runCli([
      'k8s-configuration',
      'flux',
      'validate',
      '--path',
      dir,
      '--namespace',
      'cluster-config',
    ]);
    expect(offline.exitCode).toBe(1);
  });

  it('a user who cannot list ServiceAccounts gets a warning and the findings', async () => {
    const r = await validate(['--path', seed, '--namespace', 'cluster-config', '--use-cluster'], 'tenant');
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).map((f: { rule: string }) => f.rule)).toEqual([
      'no-flux-applier',
      'cross-namespace-ref',
    ]);
    expect(r.stderr).toMatch(
      /Warning! cannot list ServiceAccounts across namespaces \(Kubernetes API 403 Forbidden: .*\); assuming only cluster-config has a flux-applier/,
    );
  });
});
