import { describe, expect, it } from 'vitest';
import type { Deps } from '../../../src/deps.js';
import { deleteExtension } from '../../../src/extension/uninstall.js';
import type { KubeClient } from '../../../src/k8s/client.js';
import type { ObjectRef } from '../../../src/k8s/types.js';
import { renderRecord, type ExtensionRecord } from '../../../src/model/extension/record.js';
import { quietLogger } from '../../helpers/cli.js';

const NS = 'flux-system';
const objects: ObjectRef[] = [
  { apiVersion: 'v1', kind: 'Namespace', name: NS },
  {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    name: 'gitrepositories.source.toolkit.fluxcd.io',
  },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'crd-controller-flux-system' },
  { apiVersion: 'v1', kind: 'ServiceAccount', name: 'source-controller', namespace: NS },
  { apiVersion: 'apps/v1', kind: 'Deployment', name: 'source-controller', namespace: NS },
  { apiVersion: 'v1', kind: 'Service', name: 'source-controller', namespace: NS },
  { apiVersion: 'apps/v1', kind: 'Deployment', name: 'kustomize-controller', namespace: NS },
];

function record(namespaceCreated: boolean): Omit<ExtensionRecord, 'createdAt'> {
  return {
    name: 'flux',
    extensionType: 'microsoft.flux',
    version: null,
    fluxVersion: 'v2.7.5',
    autoUpgradeMinorVersion: true,
    releaseTrain: 'Stable',
    releaseNamespace: NS,
    configurationSettings: {},
    configurationProtectedSettingKeys: [],
    provisioningState: 'Succeeded',
    namespaceCreated,
    manifestSource: 'test',
    manifestSha256: '0',
    objects,
    customResources: [],
    lastModifiedAt: '2026-01-01T00:00:00Z',
  };
}

/** A cluster that holds the record and answers every delete; the calls are recorded in order. */
function fakeKube(namespaceCreated: boolean) {
  const calls: string[] = [];
  const kube = {
    contextName: 'fake',
    get: async (ref: ObjectRef) => (ref.kind === 'ConfigMap' ? renderRecord(record(namespaceCreated), 'x') : undefined),
    hasResource: async () => false,
    list: async () => [],
    delete: async (ref: ObjectRef) => {
      calls.push(`delete ${ref.kind} ${ref.name}`);
      return true;
    },
    waitForGone: async (refs: ObjectRef[]) => {
      calls.push(`wait ${refs.map((r) => r.name).join(',')}`);
    },
  };
  return { kube: kube as unknown as KubeClient, calls };
}

function deps(kube: KubeClient): Deps {
  const progress = { update: () => {}, succeed: () => {}, fail: () => {}, stop: () => {} };
  return {
    kube: async () => kube,
    log: quietLogger(),
    prompt: { confirm: async () => true },
    progress: () => progress,
  } as unknown as Deps;
}

describe('deleteExtension', () => {
  it('deletes controllers, the rest, the CRDs (waited for), the record, then the namespace it created', async () => {
    const { kube, calls } = fakeKube(true);
    expect(await deleteExtension(deps(kube), { name: 'flux', force: false, wait: true, waitTimeoutMs: 1000 })).toBe(
      true,
    );
    expect(calls).toEqual([
      'delete Deployment source-controller',
      'delete Deployment kustomize-controller',
      'delete ClusterRole crd-controller-flux-system',
      'delete ServiceAccount source-controller',
      'delete Service source-controller',
      'delete CustomResourceDefinition gitrepositories.source.toolkit.fluxcd.io',
      'wait gitrepositories.source.toolkit.fluxcd.io',
      'delete Secret fluxcfg-extension-flux-protected',
      'delete ConfigMap fluxcfg-extension-flux',
      'delete Namespace flux-system',
    ]);
  });

  it('keeps a namespace that existed before; --no-wait does not wait for the CRDs', async () => {
    const { kube, calls } = fakeKube(false);
    await deleteExtension(deps(kube), { name: 'flux', force: false, wait: false, waitTimeoutMs: 1000 });
    expect(calls).not.toContain('delete Namespace flux-system');
    expect(calls.filter((c) => c.startsWith('wait'))).toEqual([]);
    expect(calls.at(-1)).toBe('delete ConfigMap fluxcfg-extension-flux');
  });
});
