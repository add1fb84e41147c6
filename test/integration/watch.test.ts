// `flux show --watch` / `list --watch` (issue #12 §5) as a real child process without a terminal: the view printed
// once, again (after a blank line) when the test changes a status, then SIGINT ends it with 130 and no error line.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/k8s/client.js';
import { buildCli } from '../helpers/built.js';
import { runCli } from '../helpers/cli.js';
import { tmux } from '../helpers/tmux.js';
import { cliScript } from '../helpers/cli-process.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe.skipIf(!cluster)('show --watch / list --watch', () => {
  let kube: KubeClient;
  const ns = uniqueName('watch');
  const name = uniqueName('w');

  beforeAll(async () => {
    kube = await client('admin');
    const r = await runCli([
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
      '-k',
      'name=infra',
      'path=./infra',
      '--no-validate',
      '--kubeconfig',
      requireCluster().kubeconfig,
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
  }, 60_000);
  afterAll(() => kube?.close());

  async function watch(args: string[], change: () => Promise<void>, views: (out: string) => number) {
    const child = spawn(
      process.execPath,
      [
        await cliScript(),
        'k8s-configuration',
        'flux',
        ...args,
        '--watch',
        '--watch-interval',
        '1s',
        '--kubeconfig',
        requireCluster().kubeconfig,
      ],
      { env: { ...process.env, CI: 'true' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await until('the first view', () => views(stdout) === 1);
      await sleep(2500);
      expect(views(stdout), 'an unchanged view is not printed again').toBe(1);
      await change();
      await until('the second view', () => views(stdout) === 2);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
    } finally {
      child.kill('SIGKILL');
    }
    return { stdout, stderr };
  }

  it(
    'show --watch -o json prints the view again when a status changes; Ctrl-C exits 130',
    { timeout: 60_000 },
    async () => {
      const ks = {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        namespace: ns,
        name: `${name}-infra`,
      };
      const { stdout, stderr } = await watch(
        ['show', '-n', name],
        async () => {
          await kube.mergePatch(
            ks,
            {
              status: {
                observedGeneration: 1,
                conditions: [
                  {
                    type: 'Ready',
                    status: 'False',
                    reason: 'BuildFailed',
                    message: 'kustomize build failed',
                    lastTransitionTime: '2026-11-01T10:00:00Z',
                  },
                ],
              },
            },
            'status',
          );
        },
        (out) => out.split(/^\{$/m).length - 1,
      );
      const [first, second] = stdout.split('\n\n').map((v) => JSON.parse(v) as { complianceState: string });
      expect(stdout.split('\n\n')).toHaveLength(2);
      expect(first!.complianceState).toBe('Pending');
      expect(second!.complianceState).toBe('Non-Compliant');
      expect(stderr).toBe('');
    },
  );

  it('list --watch -o table: one table per change, separated by a blank line', { timeout: 60_000 }, async () => {
    const repo = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', namespace: ns, name };
    const { stdout } = await watch(
      ['list', '--namespace', ns, '-o', 'table'],
      async () => {
        await kube.mergePatch(
          repo,
          {
            status: {
              observedGeneration: 1,
              conditions: [
                {
                  type: 'Ready',
                  status: 'True',
                  reason: 'Succeeded',
                  message: 'stored artifact',
                  lastTransitionTime: '2026-11-01T10:00:00Z',
                },
              ],
            },
          },
          'status',
        );
        await kube.mergePatch(
          { ...repo, kind: 'Kustomization', apiVersion: 'kustomize.toolkit.fluxcd.io/v1', name: `${name}-infra` },
          {
            status: {
              observedGeneration: 1,
              conditions: [
                {
                  type: 'Ready',
                  status: 'True',
                  reason: 'ReconciliationSucceeded',
                  message: 'ok',
                  lastTransitionTime: '2026-11-01T10:00:00Z',
                },
              ],
            },
          },
          'status',
        );
      },
      (out) => out.split('\n').filter((l) => /^Namespace\s+Name/.test(l)).length,
    );
    const tables = stdout.split('\n\n');
    expect(tables).toHaveLength(2);
    expect(tables[0]).toMatch(/Non-Compliant/);
    expect(tables[1]).toMatch(/ Compliant/);
    expect(stdout).not.toMatch(/\x1b\[/);
  });

  it('on a terminal: the screen is cleared and the table redrawn; Ctrl-C exits 130', { timeout: 90_000 }, async () => {
    const built = await buildCli('watch-tty');
    const t = await tmux('sh', {
      env: { PATH: `${built.binDir}:${process.env.PATH}`, KUBECONFIG: requireCluster().kubeconfig, PS1: '$ ' },
    });
    const ks = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      namespace: ns,
      name: `${name}-infra`,
    };
    const state = (status: 'True' | 'False') =>
      kube.mergePatch(
        ks,
        {
          status: {
            observedGeneration: 1,
            conditions: [
              {
                type: 'Ready',
                status,
                reason: status === 'True' ? 'Ok' : 'Failed',
                message: 'x',
                lastTransitionTime: '2026-11-01T10:00:00Z',
              },
            ],
          },
        },
        'status',
      );
    try {
      await state('False');
      await t.send(
        `fluxcfg k8s-configuration flux show -n ${name} -o table --watch --watch-interval 1s; echo EXIT=$?`,
        'Enter',
      );
      await t.waitFor(/Non-Compliant/);
      await state('True');
      await kube.mergePatch(
        { ...ks, apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', name },
        {
          status: {
            observedGeneration: 1,
            conditions: [
              { type: 'Ready', status: 'True', reason: 'Ok', message: 'x', lastTransitionTime: '2026-11-01T10:00:00Z' },
            ],
          },
        },
        'status',
      );
      const screen = await t.waitFor(/ Compliant/);
      // Cleared, not appended: one header, and the command line scrolled away.
      expect(screen.split('\n').filter((l) => /^Namespace\s+Name/.test(l))).toHaveLength(1);
      expect(screen).not.toContain('Non-Compliant');
      await t.send('', 'C-c');
      const end = await t.waitFor(/^EXIT=\d+$/m);
      expect(end).toContain('EXIT=130');
      expect(end).not.toContain('error:');
    } finally {
      await t.kill();
      built.remove();
    }
  });
});
