// Hostile review (issue #9, part A): tenancy. A namespace-scoped configuration never runs as cluster-admin, and a
// tenant holding only `admin` in its namespace can use namespace scope end to end.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/k8s/client.js';
import { runCli } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';

const KS = 'kustomize.toolkit.fluxcd.io/v1';
const SRC = 'source.toolkit.fluxcd.io/v1';
const RBAC = 'rbac.authorization.k8s.io/v1';
const ALL = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * The rules of Kubernetes' `admin` ClusterRole as the aggregation controller builds it (admin + edit + view, and
 * Flux's `flux-edit-flux-system`, which Flux's install aggregates into admin). The test server runs no
 * aggregation controller, so they are written out.
 */
const ADMIN_RULES = [
  {
    apiGroups: [''],
    resources: [
      'pods',
      'pods/attach',
      'pods/exec',
      'pods/portforward',
      'pods/proxy',
      'configmaps',
      'endpoints',
      'persistentvolumeclaims',
      'replicationcontrollers',
      'replicationcontrollers/scale',
      'secrets',
      'serviceaccounts',
      'services',
      'services/proxy',
    ],
    verbs: ALL,
  },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  {
    apiGroups: [''],
    resources: [
      'bindings',
      'events',
      'limitranges',
      'namespaces/status',
      'pods/log',
      'pods/status',
      'replicationcontrollers/status',
      'resourcequotas',
      'resourcequotas/status',
      'namespaces',
    ],
    verbs: ['get', 'list', 'watch'],
  },
  {
    apiGroups: ['apps'],
    resources: [
      'daemonsets',
      'deployments',
      'deployments/rollback',
      'deployments/scale',
      'replicasets',
      'replicasets/scale',
      'statefulsets',
      'statefulsets/scale',
    ],
    verbs: ALL,
  },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: ALL },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ALL },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: ALL },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ALL },
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ALL },
  {
    apiGroups: [
      'source.toolkit.fluxcd.io',
      'kustomize.toolkit.fluxcd.io',
      'helm.toolkit.fluxcd.io',
      'notification.toolkit.fluxcd.io',
    ],
    resources: ['*'],
    verbs: ALL,
  },
];

export const counts = { tenantTests: 0 };

describe.skipIf(!cluster)('hostile review: tenancy', () => {
  let kube: KubeClient;
  const cli = (args: string[], context: 'admin' | 'tenant' = 'admin', kubeconfig = requireCluster().kubeconfig) =>
    runCli([...args, '--kubeconfig', kubeconfig, '--context', context]);
  const get = (apiVersion: string, kind: string, namespace: string | undefined, name: string) =>
    kube.get({ apiVersion, kind, namespace, name });
  const create = (name: string, ns: string, scope: string) => [
    'k8s-configuration',
    'flux',
    'create',
    '-n',
    name,
    '--namespace',
    ns,
    '--scope',
    scope,
    '-u',
    'https://example.com/repo',
    '--branch',
    'main',
    '-k',
    'name=app',
    'path=./app',
    '--no-validate',
  ];

  /** What the API server says `system:serviceaccount:<ns>:flux-applier` may do (kubectl auth can-i --as ...). */
  async function applierCan(
    ns: string,
    verb: string,
    resource: string,
    namespace?: string,
    group = '',
  ): Promise<boolean> {
    const review = await kube.request<{ status?: { allowed?: boolean } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user: `system:serviceaccount:${ns}:flux-applier`,
            groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
            resourceAttributes: { verb, resource, group, namespace },
          },
        },
      },
    );
    return review.status?.allowed === true;
  }

  beforeAll(async () => {
    kube = await client('admin');
  });
  afterAll(() => kube?.close());

  it('a cluster-scoped configuration then a namespace-scoped one in the same namespace: refused, naming the other', async () => {
    const ns = uniqueName('mix1');
    const wide = uniqueName('wide');
    const team = uniqueName('team');
    expect((await cli(create(wide, ns, 'cluster'))).exitCode).toBe(0);
    const r = await cli(create(team, ns, 'namespace'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `error: Error! Namespace '${ns}' already holds the cluster-scoped Flux configuration '${wide}'`,
    );
    expect(r.stderr).toContain(`ServiceAccount ${ns}/flux-applier, which '${wide}' binds to cluster-admin`);
    expect(r.stderr).toMatch(/hint: use another --namespace/);
    expect(await get(SRC, 'GitRepository', ns, team)).toBeUndefined();
    expect(await get(KS, 'Kustomization', ns, `${team}-app`)).toBeUndefined();
    expect(await get(RBAC, 'RoleBinding', ns, `flux-applier-${team}`)).toBeUndefined();
  });

  it('a namespace-scoped configuration then a cluster-scoped one: refused, and flux-applier stays without cluster rights', async () => {
    const ns = uniqueName('mix2');
    const team = uniqueName('team');
    const wide = uniqueName('wide');
    expect((await cli(create(team, ns, 'namespace'))).exitCode).toBe(0);
    expect(await applierCan(ns, 'list', 'secrets', 'kube-system')).toBe(false);
    const r = await cli(create(wide, ns, 'cluster'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `error: Error! Namespace '${ns}' already holds the namespace-scoped Flux configuration '${team}'`,
    );
    expect(await kube.list(RBAC, 'ClusterRoleBinding', { labelSelector: `fluxcfg.io/configuration=${wide}` })).toEqual(
      [],
    );
    // kubectl auth can-i --as system:serviceaccount:<ns>:flux-applier: nothing outside its namespace
    expect(await applierCan(ns, 'list', 'secrets', 'kube-system')).toBe(false);
    expect(await applierCan(ns, 'create', 'clusterrolebindings', undefined, 'rbac.authorization.k8s.io')).toBe(false);
    expect(await applierCan(ns, 'create', 'namespaces')).toBe(false);
    // a half-applied cluster-scoped configuration (its source gone) still counts
    const ns3 = uniqueName('mix3');
    expect((await cli(create(wide, ns3, 'cluster'))).exitCode).toBe(0);
    await kube.delete({ apiVersion: SRC, kind: 'GitRepository', namespace: ns3, name: wide });
    await kube.waitForGone([{ apiVersion: SRC, kind: 'GitRepository', namespace: ns3, name: wide }], 10_000);
    const late = await cli(create(uniqueName('team'), ns3, 'namespace'));
    expect(late.exitCode).toBe(1);
    expect(late.stderr).toContain(`already holds the cluster-scoped Flux configuration '${wide}'`);
  });

  describe('a tenant holding only admin in its namespace', () => {
    const ns = uniqueName('tenant-admin');
    const role = uniqueName('fluxcfg-test-ns-admin');
    let tenantKubeconfig = '';

    beforeAll(async () => {
      // `admin` as a real cluster has it once aggregated; the tenant gets the same rules through its own role.
      await kube.apply(
        { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'admin' }, rules: ADMIN_RULES },
        { forceConflicts: true },
      );
      await kube.applyAll([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: role }, rules: ADMIN_RULES },
        {
          apiVersion: RBAC,
          kind: 'RoleBinding',
          metadata: { name: 'tenant-is-admin', namespace: ns },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
          subjects: [{ kind: 'User', name: requireCluster().tenantUser, apiGroup: 'rbac.authorization.k8s.io' }],
        },
      ]);
      // The tenant's kubeconfig context names its namespace, as `kubectl config set-context --namespace` does.
      const config = yaml.load(readFileSync(requireCluster().kubeconfig, 'utf8')) as {
        contexts: { name: string; context: Record<string, string> }[];
      };
      for (const c of config.contexts) if (c.name === 'tenant') c.context.namespace = ns;
      tenantKubeconfig = path.join(mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-tenant-')), 'kubeconfig');
      writeFileSync(tenantKubeconfig, yaml.dump(config));
    });

    it('creates, lists, shows, updates and deletes a namespace-scoped configuration; flux-applier gets admin in the namespace only', async () => {
      const name = uniqueName('team');
      const tenant = (args: string[]) => cli(args, 'tenant', tenantKubeconfig);
      const r = await tenant(create(name, ns, 'namespace'));
      expect(r.stderr).not.toMatch(/error:/);
      expect(r.exitCode).toBe(0);
      // the existing Namespace was not written (the tenant may not), flux-applier is bound to admin, not cluster-admin
      expect(
        (await get('v1', 'Namespace', undefined, ns))?.metadata.labels?.['app.kubernetes.io/managed-by'],
      ).toBeUndefined();
      expect(await get(RBAC, 'RoleBinding', ns, `flux-applier-${name}`)).toMatchObject({
        roleRef: { kind: 'ClusterRole', name: 'admin' },
      });
      expect(await applierCan(ns, 'create', 'deployments', ns, 'apps')).toBe(true);
      expect(await applierCan(ns, 'create', 'deployments', 'default', 'apps')).toBe(false);
      expect(await applierCan(ns, 'list', 'secrets', 'kube-system')).toBe(false);

      // list and show without --namespace: the context's namespace
      const list = await tenant(['k8s-configuration', 'flux', 'list']);
      expect(list.stderr).not.toMatch(/error:/);
      expect(JSON.parse(list.stdout).map((c: { name: string }) => c.name)).toEqual([name]);
      const show = await tenant(['k8s-configuration', 'flux', 'show', '-n', name]);
      expect(show.exitCode).toBe(0);
      expect(JSON.parse(show.stdout)).toMatchObject({ name, scope: 'namespace', namespace: ns });

      const upd = await tenant([
        'k8s-configuration',
        'flux',
        'update',
        '-n',
        name,
        '-k',
        'name=app',
        'path=./v2',
        '--no-validate',
      ]);
      expect(upd.stderr).not.toMatch(/error:/);
      expect((await get(KS, 'Kustomization', ns, `${name}-app`))?.spec).toMatchObject({
        path: './v2',
        targetNamespace: ns,
      });

      const del = await tenant(['k8s-configuration', 'flux', 'delete', '-n', name, '--yes']);
      expect(del.stderr).not.toMatch(/error:/);
      expect(del.exitCode).toBe(0);
      expect(await get(SRC, 'GitRepository', ns, name)).toBeUndefined();
      expect(await get(RBAC, 'RoleBinding', ns, `flux-applier-${name}`)).toBeUndefined();
      expect(await get('v1', 'ServiceAccount', ns, 'flux-applier')).toBeUndefined();
      expect(await get('v1', 'Namespace', undefined, ns)).toBeDefined();
    });

    it('a cluster-scoped configuration is refused (403) before anything is written: no ServiceAccount left behind', async () => {
      const name = uniqueName('wide');
      const r = await cli(create(name, ns, 'cluster'), 'tenant', tenantKubeconfig);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/403 Forbidden/);
      expect(r.stderr).toContain('cannot get resource "clusterrolebindings"');
      expect(await get('v1', 'ServiceAccount', ns, 'flux-applier')).toBeUndefined();
      expect(await get(SRC, 'GitRepository', ns, name)).toBeUndefined();
    });
  });
});
