// Starts a real etcd + kube-apiserver on loopback for the integration tests (and the benchmarks).
// See ../shared/docs/test-cluster.md for where the binaries come from.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Fixtures } from './fixtures.js';

export interface TestCluster {
  readonly server: string;
  readonly kubeconfig: string;
  readonly adminToken: string;
  readonly tenantToken: string;
  /** Name of the tenant user (no rights until a test grants some). */
  readonly tenantUser: string;
  readonly version: string;
  readonly dir: string;
  /** Where the integration tests record that they ran, for the summary line. */
  readonly counterFile: string;
  stop(): Promise<void>;
  /** Kills (SIGKILL) or freezes (SIGSTOP) the kube-apiserver process; etcd and its data stay. For fault tests. */
  signalApiserver(signal: NodeJS.Signals): void;
  /** Starts the kube-apiserver again (same port, same etcd) after a kill, and waits until it is ready. */
  restartApiserver(): Promise<void>;
}

/** KUBEBUILDER_ASSETS if it holds both binaries, else the build cached by scripts/ensure-kube-binaries.sh. */
export function findKubeAssets(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const has = (dir: string) => existsSync(path.join(dir, 'kube-apiserver')) && existsSync(path.join(dir, 'etcd'));
  if (env.KUBEBUILDER_ASSETS && has(env.KUBEBUILDER_ASSETS)) return env.KUBEBUILDER_ASSETS;
  const cache = path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'fluxcfg');
  if (!existsSync(cache)) return undefined;
  return readdirSync(cache)
    .filter((d) => d.startsWith('kube-'))
    .map((d) => path.join(cache, d))
    .filter(has)
    .sort()
    .at(-1);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function get(url: string, token: string, ca?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      { headers: { Authorization: `Bearer ${token}` }, ca, rejectUnauthorized: Boolean(ca), timeout: 2000 },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

function stopProcess(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    const t = setTimeout(() => p.kill('SIGKILL'), 5000);
    p.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

/** Removes CEL rules (unknown to the v1.20 test server) from a CRD: a test-only step, never done by fluxcfg. */
export function stripCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripCel);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'x-kubernetes-validations')
        .map(([k, v]) => [k, stripCel(v)]),
    );
  return value;
}

/** The Flux CRDs of the test fixtures (test/helpers/fixtures.ts), CEL rules stripped. */
export function fluxCrds(fixtures: Fixtures): Record<string, unknown>[] {
  const dir = fixtures.crdDir;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => yaml.loadAll(readFileSync(path.join(dir, f), 'utf8')))
    .filter(
      (d): d is Record<string, unknown> => Boolean(d) && (d as { kind?: string }).kind === 'CustomResourceDefinition',
    )
    .map((d) => stripCel(d) as Record<string, unknown>);
}

export async function startTestCluster(assets: string): Promise<TestCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-apiserver-'));
  const [etcdPort, etcdPeerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const adminToken = randomBytes(16).toString('hex');
  const tenantToken = randomBytes(16).toString('hex');
  const tenantUser = 'tenant';
  writeFileSync(
    path.join(dir, 'tokens.csv'),
    `${adminToken},admin,admin-uid,"system:masters"\n${tenantToken},${tenantUser},tenant-uid,"tenants"\n`,
  );
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(path.join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(path.join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
  mkdirSync(path.join(dir, 'certs'));
  const logs: string[] = [];
  const spawnLogged = (bin: string, args: string[]) => {
    const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (c: Buffer) => {
      logs.push(c.toString());
      if (logs.length > 200) logs.shift();
    };
    p.stdout?.on('data', keep);
    p.stderr?.on('data', keep);
    return p;
  };
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const etcd = spawnLogged(path.join(assets, 'etcd'), [
    '--data-dir',
    path.join(dir, 'etcd'),
    '--listen-client-urls',
    etcdUrl,
    '--advertise-client-urls',
    etcdUrl,
    '--listen-peer-urls',
    `http://127.0.0.1:${etcdPeerPort}`,
    '--initial-advertise-peer-urls',
    `http://127.0.0.1:${etcdPeerPort}`,
    '--initial-cluster',
    `default=http://127.0.0.1:${etcdPeerPort}`,
    '--unsafe-no-fsync',
  ]);
  const apiserverArgs = [
    '--etcd-servers',
    etcdUrl,
    '--secure-port',
    String(apiPort),
    '--bind-address',
    '127.0.0.1',
    '--advertise-address',
    '127.0.0.1',
    '--cert-dir',
    path.join(dir, 'certs'),
    '--token-auth-file',
    path.join(dir, 'tokens.csv'),
    '--authorization-mode',
    'RBAC',
    '--service-account-key-file',
    path.join(dir, 'sa.pub'),
    '--service-account-signing-key-file',
    path.join(dir, 'sa.key'),
    '--service-account-issuer',
    'https://kubernetes.default.svc',
    '--service-cluster-ip-range',
    '10.0.0.0/24',
    '--disable-admission-plugins',
    'ServiceAccount',
    '--allow-privileged',
  ];
  let apiserver = spawnLogged(path.join(assets, 'kube-apiserver'), apiserverArgs);
  const stop = async () => {
    await stopProcess(apiserver);
    await stopProcess(etcd);
    rmSync(dir, { recursive: true, force: true });
  };
  const server = `https://127.0.0.1:${apiPort}`;
  const deadline = Date.now() + 60_000;
  let version: string;
  try {
    for (;;) {
      if (apiserver.exitCode !== null || etcd.exitCode !== null)
        throw new Error(`the test API server exited early:\n${logs.slice(-20).join('')}`);
      const ready = await get(`${server}/readyz`, adminToken).catch(() => undefined);
      if (ready?.status === 200) {
        version = (JSON.parse((await get(`${server}/version`, adminToken)).body) as { gitVersion: string }).gitVersion;
        break;
      }
      if (Date.now() > deadline)
        throw new Error(`the test API server was not ready within 60s:\n${logs.slice(-20).join('')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const ca = readFileSync(path.join(dir, 'certs', 'apiserver.crt')).toString('base64');
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    yaml.dump({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'test', cluster: { server, 'certificate-authority-data': ca } }],
      users: [
        { name: 'admin', user: { token: adminToken } },
        { name: tenantUser, user: { token: tenantToken } },
      ],
      contexts: [
        { name: 'admin', context: { cluster: 'test', user: 'admin' } },
        { name: 'tenant', context: { cluster: 'test', user: tenantUser } },
      ],
      'current-context': 'admin',
    }),
  );
  const counterFile = path.join(dir, 'integration-tests-ran');
  writeFileSync(counterFile, '');
  const signalApiserver = (signal: NodeJS.Signals) => {
    apiserver.kill(signal);
  };
  const restartApiserver = async () => {
    if (apiserver.exitCode === null && apiserver.signalCode === null) await stopProcess(apiserver);
    apiserver = spawnLogged(path.join(assets, 'kube-apiserver'), apiserverArgs);
    const until = Date.now() + 60_000;
    while ((await get(`${server}/readyz`, adminToken).catch(() => undefined))?.status !== 200) {
      if (Date.now() > until)
        throw new Error(`the test API server did not come back within 60s:\n${logs.slice(-20).join('')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  return {
    server,
    kubeconfig,
    adminToken,
    tenantToken,
    tenantUser,
    version,
    dir,
    counterFile,
    stop,
    signalApiserver,
    restartApiserver,
  };
}
