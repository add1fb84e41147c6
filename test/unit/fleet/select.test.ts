import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetTable, type FleetEntry } from '../../../src/fleet/run.js';
import { globToRegExp, kubeconfigContexts, parseFleet } from '../../../src/fleet/select.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-fleet-unit-'));
const file = (name: string, contexts: string[]) => {
  const f = path.join(dir, name);
  writeFileSync(
    f,
    `apiVersion: v1\nkind: Config\ncontexts:\n${contexts.map((c) => `- name: ${c}\n  context: {}\n`).join('')}`,
  );
  return f;
};
const a = file('a', ['prod-eu', 'dev']);
const b = file('b', ['prod-us', 'dev']);
const env = { KUBECONFIG: `${a}${path.delimiter}${b}` };

describe('fleet selection', () => {
  it('globs match whole names, * and ? only', () => {
    expect(globToRegExp('prod-*').test('prod-eu')).toBe(true);
    expect(globToRegExp('prod-*').test('xprod-eu')).toBe(false);
    expect(globToRegExp('a.?').test('a.b')).toBe(true);
    expect(globToRegExp('a.?').test('axb')).toBe(false);
  });

  it('reads the contexts of the KUBECONFIG list, each once, in order', () => {
    expect(kubeconfigContexts(undefined, env)).toEqual(['prod-eu', 'dev', 'prod-us']);
    expect(kubeconfigContexts(b, env)).toEqual(['prod-us', 'dev']);
  });

  it('parses the fleet flags; conflicts and unknown contexts are usage errors', () => {
    expect(parseFleet({}, env)).toBeUndefined();
    expect(parseFleet({ contextSelector: 'prod-*' }, env)).toEqual({
      contexts: ['prod-eu', 'prod-us'],
      maxParallel: 8,
      failFast: false,
      connectTimeoutMs: 15_000,
    });
    expect(parseFleet({ contexts: ['dev,prod-us', 'dev'], maxParallel: '2', failFast: true }, env)).toMatchObject({
      contexts: ['dev', 'prod-us'],
      maxParallel: 2,
      failFast: true,
    });
    expect(parseFleet({ allContexts: true, requestTimeout: '3s' }, env)?.connectTimeoutMs).toBe(3000);
    expect(() => parseFleet({ allContexts: true, contexts: ['dev'] }, env)).toThrow(
      '--contexts and --all-contexts cannot be combined',
    );
    expect(() => parseFleet({ contexts: ['nope'] }, env)).toThrow('no kubeconfig context named "nope"');
    expect(() => parseFleet({ contextSelector: 'qa-*' }, env)).toThrow(
      '--context-selector selects no kubeconfig context',
    );
    expect(() => parseFleet({ allContexts: true, maxParallel: '0' }, env)).toThrow(
      "argument --max-parallel: invalid value: '0'",
    );
    expect(() => parseFleet({ failFast: true }, env)).toThrow(
      '--max-parallel and --fail-fast apply to a fleet run only',
    );
  });

  it('the fleet table: context, state, the verb columns, the error; failed rows blank in the verb columns', () => {
    const entries: FleetEntry[] = [
      { context: 'down', status: 'Failed', result: null, error: 'cannot reach' },
      { context: 'up', status: 'Succeeded', result: { name: 'x', when: null, nested: {} }, error: null },
    ];
    expect(fleetTable((r) => r)(entries)).toEqual([
      { context: 'down', state: 'Failed', name: '', error: 'cannot reach' },
      { context: 'up', state: 'Succeeded', name: 'x', error: '' },
    ]);
  });
});

describe('per-cluster options', () => {
  it('migrate-from-v1 --execute keeps one backup folder per cluster; other verbs share the options', async () => {
    const { optionsFor } = await import('../../../src/fleet/run.js');
    const p = 'k8s-configuration flux migrate-from-v1';
    expect(optionsFor(p, { mode: 'execute' }, 'prod/eu', '/b')).toEqual({ mode: 'execute', backupDir: '/b/prod_eu' });
    expect(optionsFor(p, { mode: 'execute', backupDir: 'x' }, 'a', '/b')).toEqual({
      mode: 'execute',
      backupDir: 'x/a',
    });
    expect(optionsFor(p, { mode: 'rollback', rollbackDir: 'x' }, 'a', '/b')).toEqual({
      mode: 'rollback',
      rollbackDir: 'x/a',
    });
    const plan = { mode: 'plan' };
    expect(optionsFor(p, plan, 'a', '/b')).toBe(plan);
    const create = { name: 'x' };
    expect(optionsFor('k8s-configuration flux create', create, 'a', '/b')).toBe(create);
  });
});
