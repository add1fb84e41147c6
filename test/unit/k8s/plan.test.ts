import { describe, expect, it } from 'vitest';
import { isSubset, isUnchanged, plan, planRows } from '../../../src/k8s/plan.js';
import type { KubeObject } from '../../../src/k8s/types.js';

const git = (spec: Record<string, unknown>, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  metadata: { name: 'cfg', namespace: 'ns', labels: { 'app.kubernetes.io/managed-by': 'fluxcfg' }, ...extra },
  spec,
});
const owned = (spec: Record<string, unknown>) => ({
  manager: 'fluxcfg',
  operation: 'Apply',
  fieldsV1: {
    'f:metadata': { 'f:labels': { 'f:app.kubernetes.io/managed-by': {} } },
    'f:spec': Object.fromEntries(Object.keys(spec).map((k) => [`f:${k}`, {}])),
  },
});
const live = (spec: Record<string, unknown>, ownedSpec = spec): KubeObject =>
  git({ ...spec, timeout: '60s' }, { resourceVersion: '7', managedFields: [owned(ownedSpec)] });

describe('isSubset', () => {
  it('ignores fields only the live object has, compares arrays item by item', () => {
    expect(isSubset({ a: 1, b: [{ x: 1 }] }, { a: 1, c: 2, b: [{ x: 1, y: 2 }] })).toBe(true);
    expect(isSubset({ b: [{ x: 1 }] }, { b: [{ x: 1 }, { x: 2 }] })).toBe(false);
    expect(isSubset({ a: '1' }, { a: 1 })).toBe(false);
  });
});

describe('plan', () => {
  it('creates what is not live, updates what differs, keeps what is the same, prunes what is gone', () => {
    const same = { url: 'https://x', interval: '10m' };
    const desired = [
      git(same),
      { ...git({ url: 'https://y' }), metadata: { name: 'other', namespace: 'ns' } },
      { ...git({ url: 'https://changed' }), metadata: { name: 'changed', namespace: 'ns' } },
    ];
    const liveObjects: KubeObject[] = [
      live(same),
      { ...live({ url: 'https://old' }), metadata: { ...live({ url: 'https://old' }).metadata, name: 'changed' } },
      { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'k', namespace: 'ns' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' } },
    ];
    const p = plan(desired, liveObjects);
    expect(planRows(p)).toEqual([
      { action: 'create', kind: 'GitRepository', namespace: 'ns', name: 'other' },
      { action: 'update', kind: 'GitRepository', namespace: 'ns', name: 'changed' },
      { action: 'prune', kind: 'Kustomization', namespace: 'ns', name: 'k' },
      { action: 'prune', kind: 'Secret', namespace: 'ns', name: 's' },
      { action: 'unchanged', kind: 'GitRepository', namespace: 'ns', name: 'cfg' },
    ]);
  });

  it('is an update when fluxcfg owns a field the desired object no longer sets', () => {
    const desired = git({ url: 'https://x' });
    expect(isUnchanged(desired, live({ url: 'https://x' }))).toBe(true);
    expect(isUnchanged(desired, live({ url: 'https://x' }, { url: 'https://x', ignore: '/x' }))).toBe(false);
  });

  it('is an update when the live object was never applied by fluxcfg', () => {
    const l = live({ url: 'https://x' });
    l.metadata.managedFields = [{ manager: 'kubectl', operation: 'Apply', fieldsV1: {} }];
    expect(isUnchanged(git({ url: 'https://x' }), l)).toBe(false);
  });

  it('applies unchanged objects too when asked, and honours keep', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } };
    const p = plan([git({ url: 'https://x' })], [live({ url: 'https://x' }), ns], {
      applyUnchanged: true,
      keep: (o) => o.kind === 'Namespace',
    });
    expect(p.apply.map((a) => a.action)).toEqual(['update']);
    expect(p.prune).toEqual([]);
  });

  it('warns about an object rendered twice', () => {
    expect(plan([git({}), git({})], []).warnings).toEqual([
      'GitRepository ns/cfg is rendered twice; the last one wins',
    ]);
  });
});

describe('isUnchanged of a Secret', () => {
  const secret = (extra: Record<string, unknown>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'ns' },
    type: 'Opaque',
    ...extra,
  });
  const applied = {
    manager: 'fluxcfg',
    operation: 'Apply',
    fieldsV1: { 'f:stringData': { 'f:password': {} }, 'f:type': {} },
  };
  const live = (data: Record<string, string>) =>
    ({ ...secret({ data }), metadata: { name: 's', namespace: 'ns', managedFields: [applied] } }) as KubeObject;

  it('compares stringData with the base64 data the server stores', () => {
    const desired = secret({ stringData: { password: 'pw' } });
    expect(isUnchanged(desired, live({ password: Buffer.from('pw').toString('base64') }))).toBe(true);
    expect(isUnchanged(desired, live({ password: Buffer.from('other').toString('base64') }))).toBe(false);
  });
});
