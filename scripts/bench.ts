// npm run bench: fluxcfg's speed as ratios against a reference measured in the same run, on a test
// kube-apiserver started here (never timed tests: machines differ, ratios travel).
//   startup   fluxcfg --version               vs  node -e 0
//   create    fluxcfg flux create (7 objects)  vs  kubectl apply --server-side of the same objects (its --export)
//   list      fluxcfg flux list (all configs)  vs  kubectl get of the same kinds, all namespaces
// Wall times are medians of alternating runs. kubectl is optional: without it only the startup ratio is printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../src/k8s/index.js';
import { findKubeAssets, fluxCrds, startTestCluster } from '../test/helpers/apiserver.js';
import { quietLogger } from '../test/helpers/cli.js';
import { resolveFixtures } from '../test/helpers/fixtures.js';

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

if (!hasKubectl) {
  console.log('kubectl not found: the create and list ratios need it as the reference');
} else {
  const assets = findKubeAssets();
  if (!assets) throw new Error('no kube-apiserver: run scripts/ensure-kube-binaries.sh');
  const cluster = await startTestCluster(assets);
  try {
    const kube = await connect({ kubeconfig: cluster.kubeconfig, env: {} }, quietLogger());
    await kube.applyAll(fluxCrds(await resolveFixtures()) as never[]);
    kube.close();
    const kc = ['--kubeconfig', cluster.kubeconfig];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-bench-'));
    const createArgs = (name: string, ns: string) => [
      bin, 'k8s-configuration', 'flux', 'create', '-n', name, '--namespace', ns, '-u', 'https://example.com/org/repo',
      '--branch', 'main', '--https-user', 'u', '--https-key', 'k', '-k', 'name=infra', 'path=./infra',
      '-k', 'name=apps', 'path=./apps', 'depends_on=infra', '--no-validate', '-o', 'none', ...kc,
    ];
    compare(
      'create',
      (i) => timed(process.execPath, createArgs(`ours-${i}`, `bench-ours-${i}`)),
      (i) => {
        const exported = spawnSync(process.execPath, [...createArgs(`ref-${i}`, `bench-ref-${i}`), '--export', '--export-secrets'], { encoding: 'utf8' }).stdout;
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
  } finally {
    await cluster.stop();
  }
}
