// SIGINT/SIGTERM to the CLI process while `flux create` clones its source over SSH from a server that never answers:
// the deploy key in /tmp/fluxcfg-validate-*/auth/identity is removed, ssh is killed, one line says nothing was
// applied, exit 130/143. Real signals to a real child process, against the test API server.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliScript } from '../helpers/cli-process.js';
import { cluster, requireCluster, uniqueName } from '../helpers/cluster.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Processes whose command line mentions `needle` (the run's private TMPDIR). */
function processesMentioning(needle: string): string[] {
  const ps = spawnSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).stdout.split('\n');
  return ps.filter((l) => l.includes(needle) && !l.includes('ps -eo'));
}

describe.skipIf(!cluster)('a signal during the clone of flux create', () => {
  let frozen: net.Server;
  const sockets: net.Socket[] = [];
  let port: number;
  let keyDir: string;

  beforeAll(async () => {
    frozen = net.createServer((s) => void sockets.push(s)); // accepts, never sends the SSH banner
    await new Promise<void>((r) => frozen.listen(0, '127.0.0.1', r));
    port = (frozen.address() as net.AddressInfo).port;
    keyDir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-sigkey-'));
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(keyDir, 'id')]);
  });
  afterAll(() => {
    for (const s of sockets) s.destroy();
    frozen.close();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: kills ssh, removes the deploy key, says nothing was applied, exits %i', async (signal, code) => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-sigtmp-'));
    const pub = readFileSync(path.join(keyDir, 'id.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const knownHosts = path.join(keyDir, 'known_hosts');
    spawnSync('sh', ['-c', `echo '[127.0.0.1]:${port} ${pub}' > ${knownHosts}`]);
    const name = uniqueName('sig');
    const child: ChildProcess = spawn(
      process.execPath,
      [
        await cliScript(),
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        name,
        '--namespace',
        uniqueName('sig-ns'),
        '-u',
        `ssh://git@127.0.0.1:${port}/org/repo.git`,
        '--branch',
        'main',
        '-k',
        'name=apps',
        'path=./apps',
        '--ssh-private-key-file',
        path.join(keyDir, 'id'),
        '--known-hosts-file',
        knownHosts,
        '--kubeconfig',
        requireCluster().kubeconfig,
        '--context',
        'admin',
      ],
      { env: { ...process.env, TMPDIR: tmp, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    const identity = await until('the deploy key written for git', () => {
      const dir = readdirSync(tmp).find((d) => d.startsWith('fluxcfg-validate-'));
      const f = dir && path.join(tmp, dir, 'auth', 'identity');
      return f && existsSync(f) ? f : undefined;
    });
    await until(
      'ssh connected to the frozen server',
      () => sockets.length > 0 && processesMentioning(tmp).some((l) => /\bssh\b/.test(l)),
    );
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(existsSync(identity)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
    await sleep(200);
    expect(processesMentioning(tmp)).toEqual([]);
    expect(stderr.trim().split('\n').at(-1)).toBe(
      `error: interrupted by ${signal}: nothing was applied to the cluster; stopped 1 child process; removed the temporary files`,
    );
    rmSync(tmp, { recursive: true, force: true });
  });
});

describe.skipIf(!cluster)('a signal during --wait', () => {
  it('says how many writes had reached the cluster and exits 130 (not silently)', async () => {
    const child = spawn(
      process.execPath,
      [
        await cliScript(),
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        uniqueName('wait'),
        '--namespace',
        uniqueName('wait-ns'),
        '-u',
        'https://example.com/repo',
        '--branch',
        'main',
        '--no-validate',
        '--wait',
        '--kubeconfig',
        requireCluster().kubeconfig,
        '--context',
        'admin',
      ],
      { env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    await until('the wait', () => /waiting for \d+ Flux objects to become Ready/.test(stderr));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr.trim().split('\n').at(-1)).toMatch(
      /^error: interrupted by SIGINT: \d+ writes had reached the cluster \(it may be partly applied: check with show\)$/,
    );
  });
});
