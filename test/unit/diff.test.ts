import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Chalk } from 'chalk';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../../src/render/yaml.js';
import { diffLines, diffYaml } from '../../src/ui/diff.js';

const serialize = (docs: Record<string, unknown>[]) => toYaml(docs);

const plain = new Chalk({ level: 0 });
const on = new Chalk({ level: 1 });

const live = `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: cluster-config
  namespace: cluster-config
spec:
  interval: 10m
  ref:
    branch: main
  url: https://github.com/Azure/gitops-flux2-kustomize-helm-mt
---
apiVersion: v1
kind: Secret
metadata:
  name: git-auth-cluster-config
  namespace: cluster-config
data:
  password: c2VjcmV0LW9sZA==
  username: Z2l0
`;
const rendered = live
  .replace('branch: main', 'branch: release')
  .replace('c2VjcmV0LW9sZA==', 'c2VjcmV0LW5ldw==')
  .replace('  username: Z2l0\n', '  username: Z2l0\n  ca.crt: LS0tLS1CRUdJTg==\n');

/** The shortest edit script's length by dynamic programming, to check Myers' is minimal. */
function editCount(a: string[], b: string[]): number {
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  return a.length + b.length - 2 * lcs[0]![0]!;
}

describe('diffYaml', () => {
  it('a unified diff with Secret values masked: changed ones marked before/after, unchanged and new ones ***', () => {
    const text = diffYaml(live, rendered, { color: plain, serialize });
    expect(text).toContain('--- live\n+++ rendered\n');
    expect(text).toContain('-    branch: main\n+    branch: release\n');
    expect(text).toContain(`-  password: '*** (before)'\n`);
    expect(text).toContain(`+  password: '*** (after)'\n`);
    expect(text).toContain(`+  ca.crt: '***'\n`);
    expect(text).toContain(`\n   username: '***'`);
    for (const secret of ['c2VjcmV0', 'Z2l0', 'LS0tLS1C', 'secret-old', 'secret-new'])
      expect(text).not.toContain(secret);
  });

  it('stringData is masked too, and a Secret only on one side', () => {
    const created = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: hunter2\n';
    const text = diffYaml('', created, { color: plain, serialize });
    expect(text).toContain(`+  token: '***'`);
    expect(text).not.toContain('hunter2');
    expect(text).toMatch(/^@@ -0,0 \+1,7 @@$/m);
  });

  it("'' for the same objects, also when only formatting differs", () => {
    expect(diffYaml(live, live, { color: plain, serialize })).toBe('');
    const reformatted = yaml
      .loadAll(live)
      .map((d) => `---\n${JSON.stringify(d)}\n`)
      .join('');
    expect(diffYaml(live, reformatted, { color: plain, serialize })).toBe('');
  });

  it('colours: removed red, added green, hunk headers cyan, file headers bold; plain without colour', () => {
    const text = diffYaml(live, rendered, { color: on, serialize });
    expect(text).toContain('\x1b[31m-    branch: main\x1b[39m');
    expect(text).toContain('\x1b[32m+    branch: release\x1b[39m');
    expect(text).toMatch(/\x1b\[36m@@ -\d+,\d+ \+\d+,\d+ @@\x1b\[39m/);
    expect(text).toContain('\x1b[1m--- live\x1b[22m');
    expect(diffYaml(live, rendered, { color: plain, serialize })).not.toContain('\x1b');
  });

  const hasPatch = spawnSync('sh', ['-c', 'command -v patch']).status === 0;
  it.skipIf(!hasPatch)('the output is a patch that GNU patch applies to the (masked) before text', () => {
    const a = Array.from({ length: 40 }, (_, i) => ({
      kind: 'ConfigMap',
      metadata: { name: `cm${i}` },
      data: { v: String(i) },
    }));
    const b = a.filter((_, i) => i !== 3 && i !== 20).map((d, i) => (i === 30 ? { ...d, data: { v: 'changed' } } : d));
    b.splice(10, 0, { kind: 'ConfigMap', metadata: { name: 'new' }, data: { v: 'x' } });
    const dump = (list: object[]) => toYaml(list);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-diff-'));
    try {
      writeFileSync(path.join(dir, 'file'), dump(a));
      writeFileSync(path.join(dir, 'p.diff'), diffYaml(dump(a), dump(b), { color: plain, serialize }));
      const r = spawnSync('patch', ['-s', path.join(dir, 'file'), path.join(dir, 'p.diff')], { encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(readFileSync(path.join(dir, 'file'), 'utf8')).toBe(dump(b));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('diffLines', () => {
  it('is a shortest edit script that turns a into b (random inputs checked against DP)', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: rand(12) }, () => 'abcd'[rand(4)]!);
      const b = Array.from({ length: rand(12) }, () => 'abcd'[rand(4)]!);
      const ops = diffLines(a, b);
      expect(ops.filter((o) => o.op !== '+').map((o) => o.line)).toEqual(a);
      expect(ops.filter((o) => o.op !== '-').map((o) => o.line)).toEqual(b);
      expect(ops.filter((o) => o.op !== ' ').length).toBe(editCount(a, b));
    }
  });
});
