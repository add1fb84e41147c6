// npm run bench: what users feel, as ratios against a reference measured in the same run (alternating runs,
// medians; ratios travel between machines, milliseconds do not), on a test kube-apiserver started here, with
// request counts (fluxcfg: FLUXCFG_COUNT_REQUESTS=1; kubectl: its -v=6 request lines) and peak memory.
//   startup    --help, --version, flux create --export      vs  node -e 0 (and kubectl version --client)
//   extension  k8s-extension create, then re-run            vs  kubectl apply --server-side of its --export
//   create     flux create (2 kustomizations), empty / 500  vs  kubectl apply --server-side of the same objects
//   show       flux show of one configuration among 500     vs  kubectl get of its objects (source, ks, HRs);
//              and a bare Node script sending the same requests over https (what Node alone costs) vs the same
//   list       flux list (json, table) of 500 with inventories vs kubectl get gitrepositories,ks,hr -A -o json
//   migrate    migrate-from-v1 --execute of 50 fluxd operators (one run, seconds; goal < 30 s)
//   fleet      flux create --contexts over 3 API servers  vs  three sequential runs (scripts/bench-fleet.ts)
// BENCH_RUNS (default 7) pairs per case; BENCH_CONFIGS (default 500) seeded configurations; BENCH_BIN another
// fluxcfg bin (e.g. a build of the base commit) to measure instead of this checkout's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { mapLimit, type KubeClient } from '../src/k8s/client.js';
import { connect } from '../src/k8s/index.js';
import type { KubeObject } from '../src/k8s/types.js';
import { findKubeAssets, startTestCluster, stripCel } from '../test/helpers/apiserver.js';
import { quietLogger, runCli } from '../test/helpers/cli.js';
import { resolveFixtures } from '../test/helpers/fixtures.js';
import { benchFleet } from './bench-fleet.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CONFIGS = Number(process.env.BENCH_CONFIGS ?? 500);
const repo = path.resolve(import.meta.dirname, '..');
const bin = process.env.BENCH_BIN ? path.resolve(process.env.BENCH_BIN) : path.join(repo, 'bin/fluxcfg.js');
const node = process.execPath;
const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true' };
delete env.NODE_OPTIONS; // vite-node's loader hooks must not reach the measured processes

interface Ran {
  ms: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], extraEnv: Record<string, string> = {}): Ran {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...env, ...extraEnv }, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)]!;
const quartiles = (xs: number[]) => [
  sorted(xs)[Math.floor((xs.length - 1) / 4)]!,
  sorted(xs)[Math.ceil(((xs.length - 1) * 3) / 4)]!,
];

/** fluxcfg's own count (FLUXCFG_COUNT_REQUESTS=1 on stderr). */
function oursRequests(stderr: string): string {
  return /fluxcfg: (\d+) requests/.exec(stderr)?.[1] ?? '?';
}

/** kubectl -v=6 logs one line per request: `GET https://... 200 OK in 3 milliseconds`. */
function kubectlRequests(args: string[]): string {
  const r = spawnSync('kubectl', [...args, '-v=6'], { encoding: 'utf8', env, maxBuffer: 1 << 30 });
  return String(r.stderr.split('\n').filter((l) => /\] (GET|POST|PUT|PATCH|DELETE) https?:/.test(l)).length);
}

/** Peak resident memory of one run, from /usr/bin/time (MiB), or '' without it. */
function peakMiB(cmd: string, args: string[]): string {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', env, maxBuffer: 1 << 30 });
  const kb = Number(r.stderr.trim().split('\n').at(-1));
  return r.status === 0 && Number.isFinite(kb) ? (kb / 1024).toFixed(0) : '';
}

const rows: string[] = [];
function row(cells: string[]): void {
  rows.push(`| ${cells.join(' | ')} |`);
  console.log(rows.at(-1));
}

interface Side {
  run: (i: number) => Ran;
  requests?: string;
}

/** Alternates ours and the reference RUNS times (after one warm-up each); one row with medians and spread. */
function compare(label: string, ours: Side, reference: Side, refLabel: string, memory = ''): void {
  ours.run(-1);
  reference.run(-1);
  const a: number[] = [];
  const b: number[] = [];
  let lastOurs: Ran | undefined;
  for (let i = 0; i < RUNS; i++) {
    lastOurs = ours.run(i);
    a.push(lastOurs.ms);
    b.push(reference.run(i).ms);
  }
  const ratios = a.map((x, i) => x / b[i]!);
  const [q1, q3] = quartiles(ratios);
  const requests = ours.requests ?? oursRequests(lastOurs!.stderr);
  row([
    label,
    refLabel,
    median(a).toFixed(0),
    median(b).toFixed(0),
    `**${(median(a) / median(b)).toFixed(2)}×**`,
    `${q1!.toFixed(2)}–${q3!.toFixed(2)}`,
    `${requests} / ${reference.requests ?? '–'}`,
    memory,
  ]);
}

const counted = { FLUXCFG_COUNT_REQUESTS: '1' };
const ours = (args: string[]) => (): Ran => run(node, [bin, ...args], counted);
const kubectlSide = (args: string[], withCount = true): Side => ({
  run: () => run('kubectl', args),
  requests: withCount ? kubectlRequests(args) : undefined,
});

const ensured = spawnSync('bash', [path.join(repo, 'scripts/ensure-kubectl.sh')], { encoding: 'utf8' });
const hasKubectl = ensured.status === 0 && spawnSync('kubectl', ['version', '--client'], { env }).status === 0;
if (!process.env.BENCH_BIN) spawnSync('npm', ['run', 'build'], { stdio: 'ignore', cwd: repo });

console.log(
  `fluxcfg ${bin}, Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model}), load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(
  `${RUNS} alternating pairs per case; ratio = median(fluxcfg) / median(reference); ` +
    'spread = quartiles of the pairwise ratios; requests = fluxcfg / reference\n',
);
row(['case', 'reference', 'ours ms', 'ref ms', 'ratio', 'spread', 'req.', 'MiB']);
row(['---', '---', '---:', '---:', '---:', '---', '---', '---:']);

const nodeFloor: Side = { run: () => run(node, ['-e', '0']) };
const exportArgs = [
  'k8s-configuration',
  'flux',
  'create',
  '-n',
  'x',
  '--namespace',
  'x',
  '-u',
  'https://example.com/org/repo',
  '--branch',
  'main',
  '-k',
  'name=infra',
  'path=./infra',
  '--export',
];
compare('`--help`', { run: ours(['--help']), requests: '0' }, nodeFloor, '`node -e 0`', peakMiB(node, [bin, '--help']));
compare(
  '`--version`',
  { run: ours(['--version']), requests: '0' },
  nodeFloor,
  '`node -e 0`',
  peakMiB(node, [bin, '--version']),
);
compare(
  '`create --export`',
  { run: ours(exportArgs), requests: '0' },
  nodeFloor,
  '`node -e 0`',
  peakMiB(node, [bin, ...exportArgs]),
);
// Every Node process of this run pays for NODE_EXTRA_CA_CERTS at start-up (Node 20 parses the file, and builds its
// root store, before any script runs); kubectl never does. Shown when the environment sets it.
if (process.env.NODE_EXTRA_CA_CERTS)
  compare(
    '`node -e 0` with NODE_EXTRA_CA_CERTS',
    { run: () => run('env', [node, '-e', '0']), requests: '–' },
    { run: () => run('env', ['-u', 'NODE_EXTRA_CA_CERTS', node, '-e', '0']) },
    'the same without it',
  );
if (hasKubectl) {
  compare(
    '`--version`',
    { run: ours(['--version']), requests: '0' },
    { run: () => run('kubectl', ['version', '--client']) },
    '`kubectl version`',
  );
}

/**
 * A bare Node script: GETs FLOOR_WAVES (a JSON list of waves of paths) on FLOOR_SERVER as fluxcfg's transport does
 * (node:tls, keep-alive connections opened as a wave needs them, one request at a time on each, HTTP/1.1 written
 * and read by hand) and parses the JSON answers: nothing else.
 */
const showFloorScript = `'use strict';
const tls = require('node:tls');
const { FLOOR_SERVER, FLOOR_CA, FLOOR_TOKEN, FLOOR_WAVES } = process.env;
const base = new URL(FLOOR_SERVER);
const secureContext = tls.createSecureContext({ ca: Buffer.from(FLOOR_CA, 'base64') });
const idle = [];
/** The body of one answer in buf (Content-Length or chunked), or undefined while incomplete. */
function body(buf) {
  const end = buf.indexOf('\\r\\n\\r\\n');
  if (end < 0) return undefined;
  const head = buf.toString('latin1', 0, end);
  let i = end + 4;
  const length = /\\r\\ncontent-length: *(\\d+)/i.exec(head);
  if (length) return buf.length >= i + Number(length[1]) ? buf.subarray(i, i + Number(length[1])) : undefined;
  const parts = [];
  for (;;) {
    const eol = buf.indexOf('\\r\\n', i);
    if (eol < 0) return undefined;
    const size = parseInt(buf.toString('latin1', i, eol), 16);
    if (size === 0) return buf.indexOf('\\r\\n\\r\\n', eol) === eol ? Buffer.concat(parts) : undefined;
    if (buf.length < eol + 4 + size) return undefined;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    i = eol + 4 + size;
  }
}
const get = (p) =>
  new Promise((resolve, reject) => {
    const s = idle.pop() ?? tls.connect({ host: base.hostname, port: Number(base.port), secureContext });
    let buf = Buffer.alloc(0);
    const onData = (d) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      const b = body(buf);
      if (!b) return;
      s.off('data', onData);
      s.off('error', reject);
      idle.push(s);
      resolve(JSON.parse(b.toString('utf8')));
    };
    s.on('data', onData);
    s.on('error', reject);
    s.write('GET ' + p + ' HTTP/1.1\\r\\nHost: ' + base.host + '\\r\\nAccept: application/json\\r\\nAuthorization: Bearer ' + FLOOR_TOKEN + '\\r\\n\\r\\n');
  });
(async () => {
  for (const wave of JSON.parse(FLOOR_WAVES)) await Promise.all(wave.map(get));
  for (const s of idle) s.destroy();
})();
`;

/** 50 fluxd Deployments (upstream shape: deploy key Secret, ServiceAccount), one namespace each. */
async function seedFluxd(kube: KubeClient, count: number): Promise<void> {
  const key = readFileSync(path.resolve(import.meta.dirname, '../test/unit/model/fixtures/id_test_ed25519'), 'utf8');
  const objects: KubeObject[] = [];
  for (let i = 0; i < count; i++) {
    const ns = `bench-v1-${i}`;
    objects.push(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'flux', namespace: ns } },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'flux-git-deploy', namespace: ns },
        data: { identity: Buffer.from(key).toString('base64') },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'flux', namespace: ns },
        spec: {
          selector: { matchLabels: { name: 'flux' } },
          template: {
            metadata: { labels: { name: 'flux' } },
            spec: {
              serviceAccountName: 'flux',
              volumes: [{ name: 'git-key', secret: { secretName: 'flux-git-deploy', defaultMode: 0o400 } }],
              containers: [
                {
                  name: 'flux',
                  image: 'docker.io/fluxcd/flux:1.25.4',
                  volumeMounts: [{ name: 'git-key', mountPath: '/etc/fluxd/ssh', readOnly: true }],
                  args: [
                    '--memcached-service=',
                    `--git-url=git@github.com:org/team-${i}`,
                    '--git-branch=main',
                    '--git-path=apps,infra',
                    '--git-readonly',
                    '--sync-garbage-collection',
                  ],
                },
              ],
            },
          },
        },
      },
    );
  }
  await kube.applyAll(objects.filter((o) => o.kind === 'Namespace'));
  await kube.applyAll(objects.filter((o) => o.kind !== 'Namespace'));
}

const assets = findKubeAssets();
if (!assets) {
  console.log('\nno kube-apiserver (run scripts/ensure-kube-binaries.sh): the cluster cases are skipped');
} else {
  const cluster = await startTestCluster(assets);
  try {
    const kube = await connect({ kubeconfig: cluster.kubeconfig, env: {} }, quietLogger());
    const fixtures = await resolveFixtures();
    const kc = ['--kubeconfig', cluster.kubeconfig];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-bench-'));
    // The test server (v1.20) does not know the CRDs' CEL rules: the install manifest without them.
    const manifest = path.join(dir, 'install.yaml');
    writeFileSync(
      manifest,
      yaml
        .loadAll(readFileSync(fixtures.installManifest, 'utf8'))
        .filter(Boolean)
        .map((d) => `---\n${yaml.dump(stripCel(d), { lineWidth: -1 })}`)
        .join(''),
    );
    const ext = [
      'k8s-extension',
      'create',
      '-n',
      'flux',
      '--extension-type',
      'microsoft.flux',
      '--manifests',
      manifest,
      '--skip-preflight',
      '--no-wait',
      '-o',
      'none',
      ...kc,
    ];
    const first = run(node, [bin, ...ext], counted);
    row([
      '`k8s-extension create` (1st)',
      '–',
      first.ms.toFixed(0),
      '',
      '',
      '',
      `${oursRequests(first.stderr)} / –`,
      '',
    ]);
    if (!hasKubectl)
      console.log('kubectl not found (scripts/ensure-kubectl.sh could not install it): the ratios need it');
    else {
      const exported = path.join(dir, 'extension.yaml');
      writeFileSync(exported, run(node, [bin, ...ext.filter((a) => a !== '-o' && a !== 'none'), '--export']).stdout);
      // Same field manager and values as fluxcfg's own apply: the reference is a no-op re-apply too.
      const refExt = ['apply', '--server-side', '--field-manager', 'fluxcfg', '-f', exported, ...kc];
      compare('`k8s-extension create` re-run', { run: ours(ext) }, kubectlSide(refExt), 'kubectl SSA');

      const createArgs = (name: string, ns: string) => [
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        name,
        '--namespace',
        ns,
        '-u',
        'https://example.com/org/repo',
        '--branch',
        'main',
        '--https-user',
        'u',
        '--https-key',
        'k',
        '-k',
        'name=infra',
        'path=./infra',
        '-k',
        'name=apps',
        'path=./apps',
        'depends_on=infra',
        '--no-validate',
        ...kc,
      ];
      const createCase = (label: string, tag: string) => {
        // The reference applies what fluxcfg would (its --export, Secrets included), prepared outside the timing.
        const refFile = (i: number) => {
          const file = path.join(dir, `ref-${tag}-${i}.yaml`);
          writeFileSync(
            file,
            run(node, [
              bin,
              ...createArgs(`ref-${tag}-${i + 1}`, `bench-ref-${tag}-${i + 1}`),
              '--export',
              '--export-secrets',
            ]).stdout,
          );
          return file;
        };
        const files = Array.from({ length: RUNS + 2 }, (_, i) => refFile(i - 1));
        const refArgs = (i: number) => [
          'apply',
          '--server-side',
          '--field-manager',
          'bench',
          '-f',
          files[i + 1]!,
          ...kc,
        ];
        compare(
          label,
          {
            run: (i) =>
              run(
                node,
                [bin, ...createArgs(`ours-${tag}-${i + 1}`, `bench-ours-${tag}-${i + 1}`), '-o', 'none'],
                counted,
              ),
          },
          { run: (i) => run('kubectl', refArgs(i)), requests: kubectlRequests(refArgs(RUNS)) },
          'kubectl SSA',
        );
      };
      createCase('`flux create`, empty', 'e');

      const seeded = await seed(kube, CONFIGS);
      console.error(
        `(seeded ${CONFIGS} configurations in ${(seeded / 1000).toFixed(1)} s: 2 Kustomizations each, ` +
          'inventories of 2 HelmReleases and 10 Deployments)',
      );
      createCase(`\`flux create\`, ${CONFIGS} configs`, 'f');

      const target = Math.floor(CONFIGS / 2);
      const ns = `bench-full-${Math.floor(target / 10)}`;
      const name = `full-${target}`;
      const showRef = [
        'get',
        '-n',
        ns,
        `gitrepository/${name}`,
        `kustomization/${name}-infra`,
        `kustomization/${name}-apps`,
        `helmrelease/${name}-hr-0`,
        `helmrelease/${name}-hr-1`,
        '-o',
        'json',
        ...kc,
      ];
      compare(
        '`flux show`',
        { run: ours(['k8s-configuration', 'flux', 'show', '-n', name, ...kc]) },
        kubectlSide(showRef),
        '`kubectl get` 5 objects',
      );
      compare(
        '`flux show --namespace`',
        { run: ours(['k8s-configuration', 'flux', 'show', '-n', name, '--namespace', ns, ...kc]) },
        kubectlSide(showRef),
        '`kubectl get` 5 objects',
      );
      // What Node itself costs for the same reads: a bare script sending show's requests (its --debug log), in the
      // same waves, the way fluxcfg's transport sends them, and nothing else: the floor under fluxcfg's show.
      const showDebug = run(node, [bin, 'k8s-configuration', 'flux', 'show', '-n', name, ...kc, '--debug']).stderr;
      const showPaths = [...showDebug.matchAll(/DEBUG: GET (\S+) \d{3} /g)].map((m) => m[1]!);
      const floor = path.join(dir, 'show-floor.cjs');
      writeFileSync(floor, showFloorScript);
      const doc = yaml.load(readFileSync(cluster.kubeconfig, 'utf8')) as {
        clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
        users: { name: string; user: { token: string } }[];
      };
      compare(
        'Node floor of `flux show`',
        {
          run: () =>
            run(node, [floor], {
              FLOOR_SERVER: doc.clusters[0]!.cluster.server,
              FLOOR_CA: doc.clusters[0]!.cluster['certificate-authority-data'],
              FLOOR_TOKEN: doc.users.find((u) => u.name === 'admin')!.user.token,
              FLOOR_WAVES: JSON.stringify([
                showPaths.filter((p) => /[?&]limit=/.test(p)),
                showPaths.filter((p) => !/[?&]limit=/.test(p)),
              ]),
            }),
          requests: String(showPaths.length),
        },
        kubectlSide(showRef),
        '`kubectl get` 5 objects',
      );
      const listRef = ['get', 'gitrepositories,kustomizations,helmreleases', '-A', '-o', 'json', ...kc];
      const list = ['k8s-configuration', 'flux', 'list', ...kc];
      compare(
        '`flux list` (json)',
        { run: ours(list) },
        kubectlSide(listRef),
        '`kubectl get` 3 kinds -A',
        peakMiB(node, [bin, ...list]),
      );
      compare(
        '`flux list -o table`',
        { run: ours([...list, '-o', 'table']) },
        kubectlSide(listRef),
        'the same',
        peakMiB(node, [bin, ...list, '-o', 'table']),
      );
    }
    const operators = 50;
    await seedFluxd(kube, operators);
    kube.close();
    const knownHosts = path.resolve(import.meta.dirname, '../test/unit/model/fixtures/known_hosts');
    const migrate = run(
      node,
      [
        bin,
        'k8s-configuration',
        'flux',
        'migrate-from-v1',
        '--execute',
        '--yes',
        '--no-validate',
        '--known-hosts-file',
        knownHosts,
        '--backup-dir',
        path.join(dir, 'migrate-backup'),
        '-o',
        'none',
        ...kc,
      ],
      counted,
    );
    const check = await connect({ kubeconfig: cluster.kubeconfig, env: {} }, quietLogger());
    const mine = (o: KubeObject) => o.metadata.namespace?.startsWith('bench-v1-');
    const migrated = (await check.list('source.toolkit.fluxcd.io/v1', 'GitRepository')).filter(mine).length;
    const left = (await check.list('apps/v1', 'Deployment')).filter(mine);
    check.close();
    if (migrated !== operators || left.length)
      throw new Error(`migrate: ${migrated} GitRepositories, ${left.length} fluxd left`);
    row([
      `\`migrate-from-v1 --execute\`, ${operators} fluxd (one run, goal < 30 s)`,
      '–',
      migrate.ms.toFixed(0),
      '',
      '',
      '',
      `${oursRequests(migrate.stderr)} / –`,
      '',
    ]);
  } finally {
    await cluster.stop();
  }
  await benchFleet(assets, bin, RUNS);
}

/**
 * `count` configurations as fluxcfg creates them (its own --export, rendered in-process), 10 per namespace, with
 * what a controller writes: status.inventory on the first Kustomization (2 HelmReleases, which exist, Ready, and
 * 10 Deployments). Returns the milliseconds it took.
 */
async function seed(kube: KubeClient, count: number): Promise<number> {
  const started = Date.now();
  const objects: KubeObject[] = [];
  for (let i = 0; i < count; i++) {
    const ns = `bench-full-${Math.floor(i / 10)}`;
    const r = await runCli([
      'k8s-configuration',
      'flux',
      'create',
      '-n',
      `full-${i}`,
      '--namespace',
      ns,
      '-u',
      'https://example.com/org/repo',
      '--branch',
      'main',
      '-k',
      'name=infra',
      'path=./infra',
      '-k',
      'name=apps',
      'path=./apps',
      'depends_on=infra',
      '--export',
      '-o',
      'json',
    ]);
    if (r.exitCode !== 0) throw new Error(`seed export: ${r.stderr}`);
    const exported = JSON.parse(r.stdout) as KubeObject[];
    for (const o of exported) if (o.kind !== 'Namespace' || i % 10 === 0) objects.push(o);
    for (let j = 0; j < 2; j++)
      objects.push({
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: `full-${i}-hr-${j}`, namespace: ns },
        spec: {
          interval: '10m',
          chart: { spec: { chart: 'app', sourceRef: { kind: 'HelmRepository', name: 'charts' } } },
        },
      });
  }
  const seen = new Set<string>();
  const unique = objects.filter((o) => {
    const k = `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`;
    return !seen.has(k) && (seen.add(k), true);
  });
  await kube.applyAll(unique, { concurrency: 16 });
  const ready = {
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'ReconciliationSucceeded',
        message: 'ok',
        lastTransitionTime: '2026-11-01T10:00:00Z',
      },
    ],
  };
  await mapLimit(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const ns = `bench-full-${Math.floor(i / 10)}`;
      const entries = [
        ...[0, 1].map((j) => ({ id: `${ns}_full-${i}-hr-${j}_helm.toolkit.fluxcd.io_HelmRelease`, v: 'v2' })),
        ...Array.from({ length: 10 }, (_, j) => ({ id: `${ns}_app-${i}-${j}_apps_Deployment`, v: 'v1' })),
      ];
      await kube.mergePatch(
        { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: ns, name: `full-${i}-infra` },
        { status: { ...ready, inventory: { entries } } },
        'status',
      );
      for (const j of [0, 1])
        await kube.mergePatch(
          { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', namespace: ns, name: `full-${i}-hr-${j}` },
          { status: ready },
          'status',
        );
    },
  );
  return Date.now() - started;
}
