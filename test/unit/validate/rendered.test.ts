import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/k8s/types.js';
import { validateRendered, type Finding, type TenancyContext } from '../../../src/validate/index.js';

const ns = 'team-a';
const nsCtx: TenancyContext = { namespace: ns, scope: 'namespace', multiTenancy: true };
const clusterCtx: TenancyContext = { ...nsCtx, scope: 'cluster' };

const gitRepo: KubeObject = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  metadata: { name: 'cfg', namespace: ns },
  spec: { url: 'https://example.com/repo.git', interval: '1m', ref: { branch: 'main' } },
};
const kustomization = (spec: Record<string, unknown> = {}, namespace = ns): KubeObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'cfg-apps', namespace },
  spec: { interval: '10m', prune: true, sourceRef: { kind: 'GitRepository', name: 'cfg' }, ...spec },
});
const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flux-applier', namespace: ns } };
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', subjectNs = ns): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind,
  metadata:
    kind === 'RoleBinding' ? { name: 'flux-applier-cfg', namespace: ns } : { name: `fluxcfg-${ns}-cfg-flux-applier` },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
  subjects: [{ kind: 'ServiceAccount', name: 'flux-applier', namespace: subjectNs }],
});

const cases: { name: string; objects: KubeObject[]; ctx: TenancyContext; expected: Finding[] }[] = [
  {
    name: 'a namespace-scoped configuration with a RoleBinding and targetNamespace passes',
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      gitRepo,
      kustomization({ targetNamespace: ns }),
      sa,
      binding('RoleBinding'),
    ],
    ctx: nsCtx,
    expected: [],
  },
  {
    name: 'a cluster-scoped configuration with a ClusterRoleBinding passes',
    objects: [gitRepo, kustomization(), sa, binding('ClusterRoleBinding')],
    ctx: clusterCtx,
    expected: [],
  },
  {
    name: 'rendered-cluster-rbac: scope namespace with a ClusterRoleBinding',
    objects: [binding('ClusterRoleBinding')],
    ctx: nsCtx,
    expected: [
      {
        rule: 'rendered-cluster-rbac',
        severity: 'error',
        object: 'ClusterRoleBinding fluxcfg-team-a-cfg-flux-applier',
        message:
          'a namespace-scoped configuration must not render a ClusterRoleBinding: flux-applier gets its rights in team-a from a RoleBinding',
        fix: 'render a RoleBinding in team-a for ServiceAccount team-a/flux-applier',
      },
    ],
  },
  {
    name: 'rendered-target-namespace: scope namespace without or with another targetNamespace',
    objects: [
      kustomization(),
      { ...kustomization({ targetNamespace: 'team-b' }), metadata: { name: 'cfg-other', namespace: ns } },
    ],
    ctx: nsCtx,
    expected: [
      {
        rule: 'rendered-target-namespace',
        severity: 'error',
        object: 'Kustomization team-a/cfg-apps',
        message: 'spec.targetNamespace is not set; a namespace-scoped configuration targets only team-a',
        fix: 'set spec.targetNamespace: team-a',
      },
      {
        rule: 'rendered-target-namespace',
        severity: 'error',
        object: 'Kustomization team-a/cfg-other',
        message: 'spec.targetNamespace is team-b; a namespace-scoped configuration targets only team-a',
        fix: 'set spec.targetNamespace: team-a',
      },
    ],
  },
  {
    name: 'rendered-namespace: an object outside the configuration namespace, another Namespace',
    objects: [kustomization({}, 'flux-system'), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-b' } }],
    ctx: clusterCtx,
    expected: [
      {
        rule: 'rendered-namespace',
        severity: 'error',
        object: 'Kustomization flux-system/cfg-apps',
        message:
          'rendered in namespace flux-system, but everything a configuration renders lives in its namespace team-a',
        fix: 'set metadata.namespace: team-a',
      },
      {
        rule: 'rendered-namespace',
        severity: 'error',
        object: 'Namespace team-b',
        message: 'renders Namespace team-b, but the configuration lives in team-a',
        fix: 'render only Namespace team-a',
      },
    ],
  },
  {
    name: 'rendered-cross-namespace-ref: sourceRef, dependsOn and a binding subject in another namespace',
    objects: [
      kustomization({
        sourceRef: { kind: 'GitRepository', name: 'cfg', namespace: 'flux-system' },
        dependsOn: [{ name: 'x', namespace: 'other' }],
      }),
      binding('ClusterRoleBinding', 'flux-system'),
    ],
    ctx: clusterCtx,
    expected: [
      {
        rule: 'rendered-cross-namespace-ref',
        severity: 'error',
        object: 'Kustomization team-a/cfg-apps',
        message: 'spec.sourceRef names GitRepository flux-system/cfg, outside the configuration namespace team-a',
        fix: 'reference objects of namespace team-a only',
      },
      {
        rule: 'rendered-cross-namespace-ref',
        severity: 'error',
        object: 'Kustomization team-a/cfg-apps',
        message: 'spec.dependsOn[0] names Kustomization other/x, outside the configuration namespace team-a',
        fix: 'reference objects of namespace team-a only',
      },
      {
        rule: 'rendered-cross-namespace-ref',
        severity: 'error',
        object: 'ClusterRoleBinding fluxcfg-team-a-cfg-flux-applier',
        message: 'binds ServiceAccount flux-system/flux-applier, outside the configuration namespace team-a',
        fix: 'bind ServiceAccount team-a/flux-applier',
      },
    ],
  },
];

describe('validateRendered (layer 1)', () => {
  it.each(cases)('$name', ({ objects, ctx, expected }) => {
    expect(validateRendered(objects, ctx)).toEqual(expected);
  });
});
