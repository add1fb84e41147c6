// npm run bench: fluxcfg's speed as ratios against a reference measured in the same run, on a test
// kube-apiserver started here (never timed tests: machines differ, ratios travel).
//   startup   fluxcfg --version               vs  node -e 0
//   create    fluxcfg flux create (7 objects)  vs  kubectl apply --server-side of the same objects (its --export)
//   list      fluxcfg flux list (all configs)  vs  kubectl get of the same kinds, all namespaces
//   migrate   fluxcfg flux migrate-from-v1 --execute of 50 fluxd operators (one run, seconds; goal < 30 s)
//   fleet     fluxcfg flux create --contexts over 3 API servers  vs  three sequential runs (scripts/bench-fleet.ts)
// Wall times are medians of alternating runs. kubectl is optional: without it the create and list ratios are skipped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeClient } from '../src/k8s/client.js';
import { connect } from '../src/k8s/index.js';
import type { KubeObject } from '../src/k8s/types.js';
import { findKubeAssets, fluxCrds, startTestCluster } from '../test/helpers/apiserver.js';
import { quietLogger } from '../test/helpers/cli.js';
import { resolveFixtures } from '../test/helpers/fixtures.js';
import { benchFleet } from './bench-fleet.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const bin = path.resolve(import.meta.dirname, '../bin/fluxcfg.js');

function timed(cmd: string, args: string[], input?: string): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `ours` and `reference` alternately RUNS times; `setup(i)` prepares run i of each. */
function compare(label: string, ours: (i: number) => number, reference: (i: number) => number): void {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(ours(i));
    b.push(reference(i));
  }
  const [ma, mb] = [median(a), median(b)];
  console.log(`${label.padEnd(10)} fluxcfg ${ma.toFixed(0).padStart(5)} ms   reference ${mb.toFixed(0).padStart(5)} ms   ratio ${(ma / mb).toFixed(2)}`);
}

const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
spawnSync('npm', ['run', 'build'], { stdio: 'ignore' });

compare('startup', () => timed(process.execPath, [bin, '--version']), () => timed(process.execPath, ['-e', '0']));

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
  console.log('no kube-apiserver (run scripts/ensure-kube-binaries.sh): the create, list and migrate cases are skipped');
} else {
  const cluster = await startTestCluster(assets);
  try {
    const kube = await connect({ kubeconfig: cluster.kubeconfig, env: {} }, quietLogger());
    await kube.applyAll(fluxCrds(await resolveFixtures()) as never[]);
    const kc = ['--kubeconfig', cluster.kubeconfig];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-bench-'));
    if (!hasKubectl) console.log('kubectl not found: the create and list ratios need it as the reference');
    else {
      const createArgs = (name: string, ns: string) => [
        bin, 'k8s-configuration', 'flux', 'create', '-n', name, '--namespace', ns, '-u', 'https://example.com/org/repo',
        '--branch', 'main', '--https-user', 'u', '--https-key', 'k', '-k', 'name=infra', 'path=./infra',
        '-k', 'name=apps', 'path=./apps', 'depends_on=infra', '--no-validate', '-o', 'none', ...kc,
      ];
      compare(
        'create',
        (i) => timed(process.execPath, createArgs(`ours-${i}`, `bench-ours-${i}`)),
        (i) => {
          // --export honours -o: the YAML is printed under the default output, not under `-o none`
          const args = createArgs(`ref-${i}`, `bench-ref-${i}`).filter((a, j, all) => a !== 'none' && all[j + 1] !== 'none');
          const exported = spawnSync(process.execPath, [...args, '--export', '--export-secrets'], { encoding: 'utf8' }).stdout;
          const file = path.join(dir, `ref-${i}.yaml`);
          writeFileSync(file, exported);
          return timed('kubectl', ['apply', '--server-side', '--field-manager', 'bench', '-f', file, ...kc]);
        },
      );
      compare(
        'list',
        () => timed(process.execPath, [bin, 'k8s-configuration', 'flux', 'list', ...kc]),
        () =>
          timed('kubectl', [
            'get', 'gitrepositories,buckets,ocirepositories,kustomizations,secrets,rolebindings', '-A', '-l', 'app.kubernetes.io/managed-by=fluxcfg', '-o', 'json', ...kc,
          ]),
      );
    }
    const operators = 50;
    await seedFluxd(kube, operators);
    kube.close();
    const knownHosts = path.resolve(import.meta.dirname, '../test/unit/model/fixtures/known_hosts');
    const ms = timed(process.execPath, [
      bin, 'k8s-configuration', 'flux', 'migrate-from-v1', '--execute', '--yes', '--no-validate',
      '--known-hosts-file', knownHosts, '--backup-dir', path.join(dir, 'migrate-backup'), '-o', 'none', ...kc,
    ]);
    const check = await connect({ kubeconfig: cluster.kubeconfig, env: {} }, quietLogger());
    const mine = (o: KubeObject) => o.metadata.namespace?.startsWith('bench-v1-');
    const migrated = (await check.list('source.toolkit.fluxcd.io/v1', 'GitRepository')).filter(mine).length;
    const left = (await check.list('apps/v1', 'Deployment')).filter(mine);
    check.close();
    if (migrated !== operators || left.length) throw new Error(`migrate: ${migrated} GitRepositories, ${left.length} fluxd left`);
    console.log(`migrate    migrate-from-v1 of ${operators} fluxd operators: ${(ms / 1000).toFixed(1)} s (goal < 30 s)`);
  } finally {
    await cluster.stop();
  }
}

if (assets) await benchFleet(assets, bin, RUNS);
