// --dry-run prints a unified diff of every object between the cluster and the server's dry-run answer (issue #12
// §4): the fields that change, whole objects created (all +) and pruned (all -), Secret values masked; --exit-code
// gates CI as `kubectl diff` does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/k8s/client.js';
import { runCli } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';

/** The diff of one object (from its `--- live/...` or `--- /dev/null` header to the next header). */
function objectDiff(text: string, path: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex(
    (l, i) => (l.startsWith('---') && lines[i + 1]?.includes(path)) || l.includes(`live/${path}`),
  );
  expect(start, `no diff of ${path} in:\n${text}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start + 1 && l.startsWith('--- '));
  return lines.slice(start, end < 0 ? undefined : end).filter((l) => l !== '');
}
const changed = (lines: string[]) => lines.slice(2).filter((l) => /^[-+]/.test(l));

describe.skipIf(!cluster)('--dry-run diff against kube-apiserver', () => {
  let kube: KubeClient;
  const cli = (args: string[]) => runCli([...args, '--kubeconfig', requireCluster().kubeconfig, '--context', 'admin']);

  beforeAll(async () => {
    kube = await client('admin');
  });
  afterAll(() => kube?.close());

  it('update --dry-run: the changed field, an added Kustomization (all +), a pruned Secret (all -, masked)', async () => {
    const ns = uniqueName('diff');
    const name = uniqueName('d');
    const created = await cli([
      'k8s-configuration',
      'flux',
      'create',
      '-n',
      name,
      '--namespace',
      ns,
      '-u',
      'https://example.com/repo',
      '--branch',
      'main',
      '--https-user',
      'bob',
      '--https-key',
      'hunter2',
      '-k',
      'name=infra',
      'path=./infra',
      '--no-validate',
    ]);
    expect(created.exitCode).toBe(0);
    const change = [
      'k8s-configuration',
      'flux',
      'update',
      '-n',
      name,
      '--branch',
      'dev',
      '--local-auth-ref',
      'creds',
      '-k',
      'name=apps',
      'path=./apps',
      '--no-validate',
    ];
    const dry = await cli([...change, '--dry-run', '--exit-code']);
    expect(dry.stderr).not.toMatch(/error:/);
    expect(dry.exitCode).toBe(1);
    const out = dry.stdout;
    // Only the three objects that change have a diff.
    expect(
      out
        .split('\n')
        .filter((l) => l.startsWith('+++ '))
        .sort(),
    ).toEqual(
      [
        `+++ dry-run/GitRepository/${ns}/${name}`,
        `+++ dry-run/Kustomization/${ns}/${name}-apps`,
        '+++ /dev/null',
      ].sort(),
    );
    const repo = objectDiff(out, `GitRepository/${ns}/${name}`);
    expect(repo.slice(0, 2)).toEqual([
      `--- live/GitRepository/${ns}/${name}`,
      `+++ dry-run/GitRepository/${ns}/${name}`,
    ]);
    // fluxcfg's record of the configuration (an annotation) changes with it.
    expect(
      changed(repo)
        .filter((l) => l.includes('fluxcfg.io/configuration:'))
        .map((l) => l[0]),
    ).toEqual(['-', '+']);
    expect(changed(repo).filter((l) => !l.includes('fluxcfg.io/configuration:'))).toEqual([
      '-    branch: main',
      '+    branch: dev',
      `-    name: git-auth-${name}`,
      '+    name: creds',
    ]);
    const apps = objectDiff(out, `Kustomization/${ns}/${name}-apps`);
    expect(apps[0]).toBe('--- /dev/null');
    expect(apps.slice(3).every((l) => l.startsWith('+'))).toBe(true);
    expect(apps).toContain(`+  name: ${name}-apps`);
    expect(apps).toContain('+  path: ./apps');
    const secret = objectDiff(out, `Secret/${ns}/git-auth-${name}`);
    expect(secret.slice(0, 2)).toEqual([`--- live/Secret/${ns}/git-auth-${name}`, '+++ /dev/null']);
    expect(secret.slice(3).every((l) => l.startsWith('-'))).toBe(true);
    expect(secret).toContain("-  password: '***'");
    expect(secret).toContain("-  username: '***'");
    expect(out).not.toContain(Buffer.from('hunter2').toString('base64'));
    // Server-only fields never show.
    for (const field of ['managedFields', 'resourceVersion', 'uid:', 'creationTimestamp', 'generation:', 'status:'])
      expect(out).not.toContain(field);
    // The plan rows go to stderr as a short list.
    expect(dry.stderr).toContain('dry run: 1 to create, 1 to update, 1 to prune, 4 unchanged');
    expect(dry.stderr).toContain(`  + create Kustomization ${ns}/${name}-apps`);
    expect(dry.stderr).toContain(`  - prune Secret ${ns}/git-auth-${name}`);
    // An explicit -o prints the rows for scripts.
    const json = await cli([...change, '--dry-run', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toContainEqual({
      action: 'prune',
      kind: 'Secret',
      namespace: ns,
      name: `git-auth-${name}`,
    });
    const yaml = await cli([...change, '--dry-run', '-o', 'yaml']);
    expect(yaml.stdout).toContain('action: prune');
    expect(yaml.stdout).not.toContain('+++');

    expect((await cli(change)).exitCode).toBe(0);
    const again = await cli([...change, '--dry-run', '--exit-code']);
    expect(again.stderr).not.toMatch(/error:/);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('no differences');

    // The kustomization verbs: a Kustomization deleted is all -.
    const kdel = await cli([
      'k8s-configuration',
      'flux',
      'kustomization',
      'delete',
      '-n',
      name,
      '-k',
      'infra',
      '--yes',
      '--dry-run',
    ]);
    expect(kdel.exitCode).toBe(0);
    const infra = objectDiff(kdel.stdout, `Kustomization/${ns}/${name}-infra`);
    expect(infra.slice(0, 2)).toEqual([`--- live/Kustomization/${ns}/${name}-infra`, '+++ /dev/null']);
    expect(infra.slice(3).every((l) => l.startsWith('-'))).toBe(true);
    expect(infra).toContain('-  path: ./infra');
  });

  it('coloured on a terminal (removed red, added green), plain with --no-color', async () => {
    const ns = uniqueName('diffc');
    const name = uniqueName('c');
    const base = [
      'k8s-configuration',
      'flux',
      'create',
      '-n',
      name,
      '--namespace',
      ns,
      '-u',
      'https://example.com/repo',
      '--branch',
      'main',
      '--no-validate',
      '--kubeconfig',
      requireCluster().kubeconfig,
      '--context',
      'admin',
    ];
    expect((await runCli(base)).exitCode).toBe(0);
    const update = [
      'k8s-configuration',
      'flux',
      'update',
      '-n',
      name,
      '--branch',
      'dev',
      '--no-validate',
      '--dry-run',
      '--kubeconfig',
      requireCluster().kubeconfig,
      '--context',
      'admin',
    ];
    const tty = await runCli(update, { tty: true, env: { CI: 'true', TERM: 'xterm' } });
    expect(tty.exitCode).toBe(0);
    expect(tty.stdout).toContain('\x1b[31m-    branch: main\x1b[39m');
    expect(tty.stdout).toContain('\x1b[32m+    branch: dev\x1b[39m');
    const plain = await runCli([...update, '--no-color'], { tty: true, env: { CI: 'true', TERM: 'xterm' } });
    expect(plain.stdout).toContain('\n-    branch: main\n');
    expect(plain.stdout).not.toMatch(/\x1b\[/);
  });

  it('--exit-code without --dry-run is a usage error', async () => {
    const r = await cli(['k8s-configuration', 'flux', 'update', '-n', 'x', '--exit-code']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: --exit-code needs --dry-run');
  });
});
