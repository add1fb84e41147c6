import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadKubeConfig } from '../../src/k8s/kubeconfig.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-kc-'));
function kubeconfig(file: string, contexts: string[], current?: string, server = 'https://127.0.0.1:6443'): string {
  const p = path.join(dir, file);
  writeFileSync(
    p,
    yaml.dump({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: contexts.map((c) => ({ name: c, cluster: { server: `${server}/${file}/${c}` } })),
      users: contexts.map((c) => ({ name: c, user: { token: 't' } })),
      contexts: contexts.map((c) => ({ name: c, context: { cluster: c, user: c } })),
      'current-context': current,
    }),
  );
  return p;
}
const emptyHome = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-home-'));

describe('loadKubeConfig', () => {
  it('with nothing configured names every place it looked, and never falls back to localhost:8080', () => {
    const err = (() => {
      try {
        loadKubeConfig({ env: { HOME: emptyHome } });
      } catch (e) {
        return e;
      }
    })() as UserError;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      `no Kubernetes cluster is configured; looked at: --kubeconfig (not given), KUBECONFIG (not set), ${emptyHome}/.kube/config (does not exist), in-cluster service account (not running in a pod)`,
    );
    expect(err.hint).toMatch(/--kubeconfig/);
  });

  it('--kubeconfig pointing nowhere is a clear error', () => {
    expect(() => loadKubeConfig({ kubeconfig: '/nonexistent', env: {} })).toThrow(
      'kubeconfig file /nonexistent (from --kubeconfig) does not exist',
    );
  });

  it('uses the current context, or --context, and rejects an unknown one', () => {
    const f = kubeconfig('a.yaml', ['one', 'two'], 'one');
    expect(loadKubeConfig({ kubeconfig: f, env: {} }).contextName).toBe('one');
    const two = loadKubeConfig({ kubeconfig: f, context: 'two', env: {} });
    expect(two.kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443/a.yaml/two');
    expect(() => loadKubeConfig({ kubeconfig: f, context: 'three', env: {} })).toThrow('context "three" is not in');
  });

  it('-c/--cluster-name selects a context of that name', () => {
    const f = kubeconfig('b.yaml', ['one', 'aks-prod'], 'one');
    const picked = loadKubeConfig({ kubeconfig: f, clusterName: 'aks-prod', env: {} });
    expect(picked.contextName).toBe('aks-prod');
  });

  it('-c naming no context is refused with the contexts and the two ways out, never the current context', () => {
    const f = kubeconfig('b2.yaml', ['one', 'aks-prod'], 'one');
    let err: UserError | undefined;
    try {
      loadKubeConfig({ kubeconfig: f, clusterName: 'prod', env: {} });
    } catch (e) {
      err = e as UserError;
    }
    expect(err).toBeInstanceOf(UserError);
    expect(err!.message).toBe(`--cluster-name prod names no context in ${f}`);
    expect(err!.hint).toContain('available contexts: one, aks-prod');
    expect(err!.hint).toContain('kubectl config rename-context <context> prod');
    expect(err!.hint).toContain('--context <name>');
    // --context wins: -c then only names the resource in the output's id
    expect(loadKubeConfig({ kubeconfig: f, clusterName: 'prod', context: 'one', env: {} }).contextName).toBe('one');
  });

  it('merges the KUBECONFIG list, the first file to define a name or current context winning', () => {
    const a = kubeconfig('m1.yaml', ['shared', 'only-a'], 'only-a');
    const b = kubeconfig('m2.yaml', ['shared', 'only-b'], 'only-b');
    const loaded = loadKubeConfig({ env: { KUBECONFIG: [a, '/missing', b].join(path.delimiter), HOME: emptyHome } });
    expect(loaded.contextName).toBe('only-a');
    expect(
      loaded.kc
        .getContexts()
        .map((c) => c.name)
        .sort(),
    ).toEqual(['only-a', 'only-b', 'shared']);
    expect(loaded.kc.getCluster('shared')?.server).toMatch(/m1\.yaml/);
  });

  it('a kubeconfig without a current context asks for --context', () => {
    const f = kubeconfig('c.yaml', ['x']);
    expect(() => loadKubeConfig({ kubeconfig: f, env: {} })).toThrow(/no current context is set/);
  });
});
