import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/commands/index.js';
import { complete, FILE_DIRECTIVE, type CompletionSources } from '../../src/commands/completion/complete.js';
import { clusterSources, withTimeout } from '../../src/commands/completion/sources.js';
import { completionScript, shells } from '../../src/commands/completion/scripts.js';
import type { KubeClient } from '../../src/k8s/client.js';
import { runCli } from '../helpers/cli.js';

const asked: string[] = [];
const sources: CompletionSources = {
  configurations: async (ns) => {
    asked.push(`configurations ${ns ?? '*'}`);
    return ns === 'team-a' ? ['team-a'] : ['cluster-config', 'team-a'];
  },
  kustomizations: async (c, ns) => (asked.push(`kustomizations ${c} ${ns ?? '*'}`), ['apps', 'infra']),
  namespaces: async () => ['cluster-config', 'default', 'team-a'],
  extensions: async () => ['flux'],
  contexts: async () => ['admin', 'tenant'],
};
const program = await buildProgram(async () => undefined, 'all');
const c = (line: string, s: CompletionSources = sources) => complete(program, line.split(' '), s);

describe('__complete', () => {
  it('groups, verbs and subgroups, by prefix', async () => {
    expect(await c('')).toEqual(['k8s-extension', 'k8s-configuration', 'completion']);
    expect(await c('k8s-c')).toEqual(['k8s-configuration']);
    expect(await c('k8s-configuration ')).toEqual(['flux']);
    expect(await c('k8s-configuration flux ')).toEqual([
      'create',
      'update',
      'show',
      'list',
      'delete',
      'migrate-from-v1',
      'validate',
      'kustomization',
      'deployed-object',
    ]);
    expect(await c('k8s-configuration flux kustomization u')).toEqual(['update']);
    expect(await c('k8s-extension d')).toEqual(['delete']);
    expect(await c('completion ')).toEqual(['bash', 'zsh', 'fish', 'powershell']);
    expect(await c('completion bash ')).toEqual([]);
  });

  it('flags of the verb and the global ones, both long names, hidden aliases left out', async () => {
    const flags = await c('k8s-configuration flux create --');
    expect(flags).toEqual(
      expect.arrayContaining([
        '--name',
        '--kind',
        '--interval',
        '--sync-interval',
        '--kustomization',
        '--output',
        '--kubeconfig',
        '--context',
        '--help',
      ]),
    );
    expect(await c('k8s-configuration flux create --sync')).toEqual(['--sync-interval']);
    // --config-settings is a hidden alias
    expect(await c('k8s-extension create --config-s')).toEqual(['--config-settings-file']);
    const short = await c('k8s-extension list -');
    expect(short).toEqual(expect.arrayContaining(['--output', '-o', '-y', '-c']));
    expect(short.indexOf('--output')).toBeLessThan(short.indexOf('-o'));
    // a flag given once is not offered again; a repeatable one is
    expect(await c('k8s-configuration flux create --kind git --ki')).toEqual([]);
    expect(await c('k8s-configuration flux create -k name=a --kustom')).toEqual(['--kustomization']);
  });

  it('enum values from .choices(), the table of values checked in parse, and booleans', async () => {
    expect(await c('k8s-configuration flux create --kind ')).toEqual(['git', 'bucket', 'azblob', 'oci']);
    expect(await c('k8s-configuration flux create -n x --kind o')).toEqual(['oci']);
    expect(await c('k8s-configuration flux create --kind=b')).toEqual(['--kind=bucket']);
    expect(await c('k8s-configuration flux create --scope ')).toEqual(['cluster', 'namespace']);
    expect(await c('k8s-extension list -o t')).toEqual(['table', 'tsv']);
    expect(await c('k8s-extension list --output y')).toEqual(['yaml', 'yamlc']);
    expect(await c('k8s-configuration flux deployed-object show --object-kind Helm')).toEqual([
      'HelmRepository',
      'HelmChart',
      'HelmRelease',
    ]);
    expect(await c('k8s-configuration flux validate --multi-tenancy ')).toEqual(['enforce', 'off', 'auto']);
    expect(await c('k8s-extension create --extension-type ')).toEqual(['microsoft.flux']);
    expect(await c('k8s-extension list -t m')).toEqual(['managedClusters']);
    expect(await c('k8s-configuration flux kustomization update --prune ')).toEqual(['true', 'false']);
    expect(await c('k8s-configuration flux create -k name=a pa')).toEqual(['path=']);
    expect(await c('k8s-configuration flux create --kubeconfig ')).toEqual([FILE_DIRECTIVE]);
    expect(await c('k8s-extension create --config-file ')).toEqual([FILE_DIRECTIVE]);
  });

  it('a value already given is skipped: the next word is a flag or nothing', async () => {
    expect(await c('k8s-configuration flux create --kind git ')).toEqual([]);
    expect(await c('k8s-configuration flux create --scope cluster --sco')).toEqual([]);
    expect(await c('k8s-configuration flux create --bucket-insecure --kind ')).toEqual([
      'git',
      'bucket',
      'azblob',
      'oci',
    ]);
  });

  it('names from the cluster and the kubeconfig, narrowed by the flags on the line', async () => {
    asked.length = 0;
    expect(await c('k8s-configuration flux show -n ')).toEqual(['cluster-config', 'team-a']);
    expect(await c('k8s-configuration flux show --namespace team-a -n t')).toEqual(['team-a']);
    expect(await c('k8s-configuration flux create -n ')).toEqual([]); // a new name
    expect(await c('k8s-configuration flux kustomization show -n cluster-config -k ')).toEqual(['apps', 'infra']);
    expect(await c('k8s-configuration flux kustomization delete --kustomization-name i')).toEqual([]); // no -n yet
    expect(await c('k8s-configuration flux list --namespace ')).toEqual(['cluster-config', 'default', 'team-a']);
    expect(await c('k8s-extension show -n ')).toEqual(['flux']);
    expect(await c('k8s-extension list --context ')).toEqual(['admin', 'tenant']);
    expect(await c('k8s-extension list -c t')).toEqual(['tenant']);
    expect(asked).toEqual(['configurations *', 'configurations team-a', 'kustomizations cluster-config *']);
  });

  it('a failing source gives no candidates, not an error', async () => {
    const failing: CompletionSources = {
      ...sources,
      configurations: async () => {
        throw new Error('boom');
      },
    };
    expect(await c('k8s-configuration flux show -n ', failing)).toEqual([]);
  });

  it('cluster lookups give up at the deadline', async () => {
    const never = () => new Promise<KubeClient>(() => undefined);
    const started = Date.now();
    const s = clusterSources(never, { env: {} }, 100);
    await expect(s.configurations()).rejects.toThrow(/no answer within/);
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(withTimeout(Promise.resolve(1), 10)).resolves.toBe(1);
  });

  it('through the program: candidates one per line on stdout, exit 0, nothing on stderr even when the cluster fails', async () => {
    const r = await runCli(['__complete', 'k8s-configuration', 'flux', 'create', '--kind', '']);
    expect(r).toEqual({ exitCode: 0, stdout: 'git\nbucket\nazblob\noci\n', stderr: '' });
    const down = await runCli(['__complete', 'k8s-configuration', 'flux', 'show', '-n', ''], {
      connect: async () => {
        throw new Error('connection refused');
      },
    });
    expect(down).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    const hung = await runCli(['__complete', 'k8s-configuration', 'flux', 'show', '-n', ''], {
      connect: () => new Promise(() => undefined),
      env: { FLUXCFG_COMPLETION_TIMEOUT_MS: '100' },
    });
    expect(hung).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('completion <shell> prints a script that calls __complete; an unknown shell is a usage error', async () => {
    for (const shell of shells) {
      const r = await runCli(['completion', shell]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(completionScript(shell));
      expect(r.stdout).toContain('fluxcfg __complete');
    }
    const bad = await runCli(['completion', 'tcsh']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(
      /value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish, powershell/,
    );
  });
});
