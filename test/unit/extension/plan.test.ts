import { describe, expect, it } from 'vitest';
import { installPlan, stubOf } from '../../../src/extension/install.js';
import { uninstallPlan } from '../../../src/extension/uninstall.js';
import { planRows } from '../../../src/k8s/plan.js';
import type { KubeObject, ObjectRef } from '../../../src/k8s/types.js';
import type { ExtensionRecord } from '../../../src/model/extension/record.js';

const NS = 'flux-system';
const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: namespace ? { name, namespace } : { name },
  spec: { x: 1 },
});
const ref = (o: KubeObject): ObjectRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
});

const namespace = obj('v1', 'Namespace', NS);
const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'gitrepositories.source.toolkit.fluxcd.io');
const role = obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'crd-controller-flux-system');
const helmSa = obj('v1', 'ServiceAccount', 'helm-controller', NS);
const helm = obj('apps/v1', 'Deployment', 'helm-controller', NS);
const source = obj('apps/v1', 'Deployment', 'source-controller', NS);
const installed = [namespace, crd, role, helmSa, helm, source];

describe('installPlan', () => {
  it('a first install creates everything, in the rendered order', () => {
    const p = installPlan(installed, []);
    const created = installed.map((o) => ['create', o.metadata.name]);
    expect(p.apply.map((a) => [a.action, a.object.metadata.name])).toEqual(created);
    expect(p.prune).toEqual([]);
  });

  it('an update re-applies what the record lists and prunes what is no longer rendered (a disabled controller)', () => {
    const p = installPlan([namespace, crd, role, source], installed.map(ref));
    expect(planRows(p)).toEqual([
      { action: 'update', kind: 'Namespace', namespace: undefined, name: NS },
      { action: 'update', kind: 'CustomResourceDefinition', namespace: undefined, name: crd.metadata.name },
      { action: 'update', kind: 'ClusterRole', namespace: undefined, name: role.metadata.name },
      { action: 'update', kind: 'Deployment', namespace: NS, name: 'source-controller' },
      { action: 'prune', kind: 'ServiceAccount', namespace: NS, name: 'helm-controller' },
      { action: 'prune', kind: 'Deployment', namespace: NS, name: 'helm-controller' },
    ]);
    expect(p.unchanged).toEqual([]);
  });

  it('never prunes the release namespace', () => {
    const p = installPlan([crd], [ref(namespace), ref(crd)]);
    expect(p.prune).toEqual([]);
  });

  it('stubs carry only the identity the record kept', () => {
    expect(stubOf(ref(helm))).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'helm-controller', namespace: NS },
    });
    expect(stubOf(ref(role)).metadata).toEqual({ name: role.metadata.name });
  });
});

describe('uninstallPlan', () => {
  const record = (namespaceCreated: boolean) =>
    ({ objects: installed.map(ref), namespaceCreated }) as unknown as ExtensionRecord;

  it('prunes everything the record lists: the rest before CRDs, the namespace last when fluxcfg created it', () => {
    const p = uninstallPlan(record(true));
    expect(p.apply).toEqual([]);
    const order = p.prune.map((o) => o.kind);
    expect(order.slice(-2)).toEqual(['CustomResourceDefinition', 'Namespace']);
    expect([...order].sort()).toEqual(installed.map((o) => o.kind).sort());
  });

  it('keeps a namespace that existed before the extension', () => {
    expect(uninstallPlan(record(false)).prune.map((o) => o.kind)).not.toContain('Namespace');
  });
});
