// The confirmation prompt in a real terminal (a tmux pseudo-terminal): answering no is az's "Operation cancelled."
// with exit 1, Ctrl-C at the question the same message with exit 130; the configuration is left in place.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/k8s/client.js';
import { cliScript } from '../helpers/cli-process.js';
import { runCli } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe.skipIf(!cluster || !hasTmux)('confirmation prompt in a terminal', () => {
  let kube: KubeClient;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-tty-'));
  const ns = uniqueName('tty');
  const name = uniqueName('cfg');

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
      '--no-validate',
      '--kubeconfig',
      requireCluster().kubeconfig,
      '--context',
      'admin',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
  });
  afterAll(() => {
    kube?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `flux delete` in a detached tmux session, answers with `keys`, returns the exit code and the screen. */
  async function answer(session: string, keys: string[]): Promise<{ code: number; screen: string }> {
    const exitFile = path.join(dir, `${session}.exit`);
    const argv = [
      await cliScript(),
      'k8s-configuration',
      'flux',
      'delete',
      '-n',
      name,
      '--namespace',
      ns,
      '--kubeconfig',
      requireCluster().kubeconfig,
      '--context',
      'admin',
    ];
    const cmd = `env -u CI ${process.execPath} ${argv.join(' ')}; echo $? > ${exitFile}; sleep 60`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '120', '-y', '40', cmd]);
    try {
      const pane = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
      await until('the question', () => pane().includes('Are you sure you want to perform this operation?'));
      execFileSync('tmux', ['send-keys', '-t', session, ...keys]);
      const code = Number(
        await until(
          'the exit code',
          () => (existsSync(exitFile) ? readFileSync(exitFile, 'utf8').trim() : '') || undefined,
        ),
      );
      return { code, screen: pane() };
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  }

  it('answering n says "Operation cancelled." and exits 1; nothing is deleted', async () => {
    const { code, screen } = await answer(`fluxcfg-no-${process.pid}`, ['n', 'Enter']);
    expect(code).toBe(1);
    expect(screen).toContain('error: Operation cancelled.');
    expect(screen).toMatch(/hint: nothing was changed/);
    expect(screen).not.toContain('internal error');
    expect(
      await kube.get({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', namespace: ns, name }),
    ).toBeDefined();
  });

  it('Ctrl-C at the question says "Operation cancelled." and exits 130; nothing is deleted', async () => {
    const { code, screen } = await answer(`fluxcfg-cc-${process.pid}`, ['C-c']);
    expect(code).toBe(130);
    expect(screen).toContain('error: Operation cancelled.');
    expect(screen).not.toContain('internal error');
    expect(
      await kube.get({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', namespace: ns, name }),
    ).toBeDefined();
  });
});
