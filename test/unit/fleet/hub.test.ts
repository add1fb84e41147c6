import { describe, expect, it } from 'vitest';
import { parseHubFlags, withForEachTable } from '../../../src/commands/k8s-configuration/flux/shared/hub.js';

describe('hub flags', () => {
  it('parses --kubeconfig-secret name[:key] and refuses what cannot work together', () => {
    expect(parseHubFlags({})).toEqual({ prune: false });
    expect(parseHubFlags({ kubeconfigSecret: 'edge-1-kubeconfig' }).secret).toEqual({ name: 'edge-1-kubeconfig' });
    expect(parseHubFlags({ kubeconfigSecret: 'e:value.yaml', spokeContext: 'edge' })).toMatchObject({
      secret: { name: 'e', key: 'value.yaml' },
      spokeContext: 'edge',
    });
    for (const bad of ['', 'a:', 'A_b', 'a:b:c'])
      expect(() => parseHubFlags({ kubeconfigSecret: bad })).toThrow(
        `argument --kubeconfig-secret: invalid value: '${bad}'`,
      );
    expect(() => parseHubFlags({ spokeContext: 'x' })).toThrow('--spoke-context needs --kubeconfig-secret');
    expect(() => parseHubFlags({ prune: true })).toThrow('--prune needs --for-each-kubeconfig-secret');
    expect(() => parseHubFlags({ kubeconfigSecret: 'a', forEachKubeconfigSecret: 'x=y' })).toThrow(
      '--kubeconfig-secret and --for-each-kubeconfig-secret cannot be combined',
    );
    expect(parseHubFlags({ forEachKubeconfigSecret: 'fleet=edge', prune: true })).toMatchObject({
      forEach: 'fleet=edge',
      prune: true,
    });
  });

  it('-o table: for-each rows as they are, a dry-run plan (which has an action too) through the verb table', () => {
    const table = withForEachTable(() => 'verb table');
    const row = { cluster: 'a', configuration: 'x-a', kubeConfigSecret: 'a-kubeconfig', action: 'created', result: {} };
    expect(table([row])).toEqual([
      { cluster: 'a', configuration: 'x-a', kubeConfigSecret: 'a-kubeconfig', action: 'created' },
    ]);
    expect(table([{ action: 'create', kind: 'Secret', namespace: 'n', name: 's' }])).toBe('verb table');
    expect(table({ name: 'x' })).toBe('verb table');
  });
});
