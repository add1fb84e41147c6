import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { KubeError, NotFoundError, UsageError, UserError } from '../../src/errors.js';
import { reportError } from '../../src/main.js';
import { Logger } from '../../src/ui/log.js';
import { runCli } from '../helpers/cli.js';

describe('the program', () => {
  it('--help lists both command groups on stdout and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/k8s-extension\s+Install and manage Flux/);
    expect(r.stdout).toMatch(/k8s-configuration\s+Manage GitOps configurations/);
    expect(r.stderr).toBe('');
  });

  it('registers every az verb', async () => {
    const flux = await runCli(['k8s-configuration', 'flux', '--help']);
    for (const verb of [
      'create',
      'update',
      'show',
      'list',
      'delete',
      'migrate-from-v1',
      'validate',
      'kustomization',
      'deployed-object',
    ])
      expect(flux.stdout).toMatch(new RegExp(`\\n  ${verb}\\b`));
    const kust = await runCli(['k8s-configuration', 'flux', 'kustomization', '--help']);
    for (const verb of ['create', 'update', 'show', 'list', 'delete'])
      expect(kust.stdout).toMatch(new RegExp(`\\n  ${verb}\\b`));
    const objs = await runCli(['k8s-configuration', 'flux', 'deployed-object', '--help']);
    for (const verb of ['list', 'show']) expect(objs.stdout).toMatch(new RegExp(`\\n  ${verb}\\b`));
    const ext = await runCli(['k8s-extension', '--help']);
    for (const verb of ['create', 'update', 'show', 'list', 'delete'])
      expect(ext.stdout).toMatch(new RegExp(`\\n  ${verb}\\b`));
  });

  it('--version prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown flag is a usage error (exit 2) with a hint', async () => {
    const r = await runCli(['k8s-extension', 'list', '--bogus']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/error: unknown option '--bogus'/);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stdout).toBe('');
  });

  it('a bad --output value is a usage error', async () => {
    const r = await runCli(['k8s-extension', 'list', '-o', 'xml']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /argument 'xml' is invalid. Allowed choices are json, jsonc, yaml, yamlc, table, tsv, none/,
    );
  });

  it('a missing kubeconfig is a clear error, exit 1, nothing on stdout', async () => {
    const r = await runCli(['k8s-configuration', 'flux', 'list', '--kubeconfig', '/nonexistent']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      'error: kubeconfig file /nonexistent (from --kubeconfig) does not exist\nhint: pass the path of an existing kubeconfig file, or leave --kubeconfig out to use KUBECONFIG or ~/.kube/config\n',
    );
    expect(r.stdout).toBe('');
  });

  it('no cluster configured at all names where it looked', async () => {
    const r = await runCli(['k8s-configuration', 'flux', 'show', '-n', 'x'], {
      env: { CI: 'true', HOME: '/nonexistent-home' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /^error: no Kubernetes cluster is configured; looked at: --kubeconfig \(not given\), KUBECONFIG \(not set\), \/nonexistent-home\/.kube\/config/,
    );
  });

  it('az cluster flags are accepted and said to be ignored under --verbose', async () => {
    const r = await runCli([
      'k8s-configuration',
      'flux',
      'list',
      '-g',
      'rg',
      '-t',
      'connectedClusters',
      '--verbose',
      '--kubeconfig',
      '/nonexistent',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/--resource-group rg: ignored/);
    expect(r.stderr).toMatch(/--cluster-type connectedClusters: ignored/);
  });

  it('migrate-from-v1 checks its flags before any cluster access (exit 2)', async () => {
    const r = await runCli(['k8s-configuration', 'flux', 'migrate-from-v1', '--export', '--execute']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: --export and --execute cannot be used together/);
  });

  it('an unknown command is a usage error', async () => {
    expect((await runCli(['k8s-nothing'])).exitCode).toBe(2);
  });
});

describe('reportError', () => {
  const run = (err: unknown, level: 'warn' | 'debug' = 'warn') => {
    let stderr = '';
    const io = {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      stdinIsTTY: false,
      env: {},
    };
    const code = reportError(err, new Logger(io.stderr, level, new Chalk({ level: 0 })), io);
    return { code, stderr };
  };

  it('maps error classes to az exit codes, with error: and hint: lines', () => {
    expect(run(new UsageError('bad flag', { hint: 'fix it' }))).toEqual({
      code: 2,
      stderr: 'error: bad flag\nhint: fix it\n',
    });
    expect(run(new UserError('no cluster')).code).toBe(1);
    expect(run(new NotFoundError('gone')).code).toBe(3);
    expect(run(new KubeError('x', { status: 404, method: 'GET', path: '/' })).code).toBe(3);
    expect(run(new KubeError('x', { status: 403, method: 'GET', path: '/' })).code).toBe(1);
  });

  it('prints stack traces only with --debug', () => {
    const quiet = run(new Error('kaboom'));
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toBe(
      'error: internal error: kaboom\nhint: this is a bug in fluxcfg: re-run with --debug and report the output\n',
    );
    expect(run(new Error('kaboom'), 'debug').stderr).toMatch(/at .*\.ts:\d+/);
    expect(run(new UserError('u'), 'warn').stderr).not.toMatch(/ at /);
  });
});
