// Completion of names from the cluster, through the bash script in a real bash against the test API server.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionScript } from '../../src/commands/completion/scripts.js';
import { buildCli, type BuiltCli } from '../helpers/built.js';
import { runCli } from '../helpers/cli.js';
import { cluster, requireCluster, uniqueName } from '../helpers/cluster.js';

describe.skipIf(!cluster)('bash completion with names from kube-apiserver', () => {
  let cli: BuiltCli;
  let dir: string;
  const ns = uniqueName('complete');
  const name = uniqueName('cfg');

  beforeAll(async () => {
    cli = await buildCli('complete-it');
    dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-complete-'));
    writeFileSync(path.join(dir, 'bash'), completionScript('bash'));
    const r = await runCli([
      'k8s-configuration',
      'flux',
      'create',
      '-n',
      name,
      '--namespace',
      ns,
      '-u',
      'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
      '--branch',
      'main',
      '-k',
      'name=infra',
      'path=./infrastructure',
      '-k',
      'name=apps',
      'path=./apps/staging',
      '--no-validate',
      '--kubeconfig',
      requireCluster().kubeconfig,
      '--context',
      'admin',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
  }, 90_000);
  afterAll(() => {
    cli?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function bash(kubeconfig: string, ...words: string[]): { candidates: string[]; ms: number } {
    const all = ['fluxcfg', ...words];
    const q = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
    const script = `source ${q(path.join(dir, 'bash'))}
COMP_WORDS=(${all.map(q).join(' ')}); COMP_CWORD=${all.length - 1}
_fluxcfg_completion
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const started = Date.now();
    const r = spawnSync('bash', ['--norc', '-c', script], {
      env: { ...process.env, PATH: `${cli.binDir}:${process.env.PATH}`, KUBECONFIG: kubeconfig },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    return { candidates: r.stdout.split('\n').filter(Boolean), ms: Date.now() - started };
  }

  it('configuration names for -n, narrowed by --namespace, from the KUBECONFIG context', () => {
    const kc = requireCluster().kubeconfig;
    expect(bash(kc, 'k8s-configuration', 'flux', 'show', '--namespace', ns, '-n', '').candidates).toEqual([name]);
    expect(bash(kc, 'k8s-configuration', 'flux', 'delete', '-n', name.slice(0, -2)).candidates).toContain(name);
  });

  it('kustomization names of the configuration on the line, namespaces, and contexts', () => {
    const kc = requireCluster().kubeconfig;
    expect(
      bash(
        kc,
        'k8s-configuration',
        'flux',
        'kustomization',
        'show',
        '-n',
        name,
        '--namespace',
        ns,
        '--kustomization-name',
        '',
      ).candidates,
    ).toEqual(['apps', 'infra']);
    expect(bash(kc, 'k8s-configuration', 'flux', 'list', '--namespace', ns.slice(0, -1)).candidates).toEqual([ns]);
    expect(bash(kc, 'k8s-extension', 'list', '--context', '').candidates).toEqual(['admin', 'tenant']);
  });

  it('--kubeconfig and --context on the line choose the cluster: the tenant may see nothing, silently', () => {
    const kc = requireCluster().kubeconfig;
    expect(
      bash('/nonexistent', 'k8s-configuration', 'flux', 'show', '--kubeconfig', kc, '--namespace', ns, '-n', '')
        .candidates,
    ).toEqual([name]);
    expect(
      bash(kc, 'k8s-configuration', 'flux', 'show', '--context', 'tenant', '--namespace', ns, '-n', '').candidates,
    ).toEqual([]);
  });

  it('an unreachable or silent API server gives no candidates within about the timeout', async () => {
    const silent = net.createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const kubeconfig = path.join(dir, 'silent.yaml');
    const real = readFileSync(requireCluster().kubeconfig, 'utf8');
    writeFileSync(kubeconfig, real.replace(/server: \S+/, `server: https://127.0.0.1:${port}`));
    try {
      const r = bash(kubeconfig, 'k8s-configuration', 'flux', 'show', '-n', '');
      expect(r.candidates).toEqual([]);
      expect(r.ms).toBeLessThan(4000);
    } finally {
      silent.close();
    }
  });
});
