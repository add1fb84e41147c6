// The fleet case of npm run bench: `flux create` over 3 contexts in one command (--contexts) against three
// sequential runs (--context each), on three test kube-apiservers started here. Reports the ratio of wall times
// (goal ≤ 0.5).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { connect } from '../src/k8s/index.js';
import { fluxCrds, startTestCluster } from '../test/helpers/apiserver.js';
import { quietLogger } from '../test/helpers/cli.js';
import { resolveFixtures } from '../test/helpers/fixtures.js';

interface Doc {
  clusters: { cluster: unknown }[];
  users: { name: string; user: unknown }[];
}

function wall(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (r.status !== 0) throw new Error(`fluxcfg ${args.slice(1).join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function benchFleet(assets: string, bin: string, runs: number): Promise<number> {
  const servers = await Promise.all([0, 1, 2].map(() => startTestCluster(assets)));
  try {
    const crds = fluxCrds(await resolveFixtures());
    const names = servers.map((_, i) => `c${i}`);
    const docs = servers.map((s) => yaml.load(readFileSync(s.kubeconfig, 'utf8')) as Doc);
    const kubeconfig = path.join(mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-bench-fleet-')), 'kubeconfig');
    writeFileSync(
      kubeconfig,
      yaml.dump({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: docs.map((d, i) => ({ name: names[i], cluster: d.clusters[0]!.cluster })),
        users: docs.map((d, i) => ({ name: names[i], user: d.users.find((u) => u.name === 'admin')!.user })),
        contexts: names.map((n) => ({ name: n, context: { cluster: n, user: n } })),
        'current-context': 'c0',
      }),
    );
    for (const context of names) {
      const kube = await connect({ kubeconfig, context, env: {} }, quietLogger());
      await kube.applyAll(crds as never[]);
      kube.close();
    }
    const create = (name: string) => [
      bin,
      'k8s-configuration',
      'flux',
      'create',
      '-n',
      name,
      '--namespace',
      `bench-${name}`,
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
      '--no-validate',
      '-o',
      'none',
      '--kubeconfig',
      kubeconfig,
    ];
    const fleet: number[] = [];
    const sequential: number[] = [];
    for (let i = 0; i < runs; i++) {
      fleet.push(wall([...create(`fleet-${i}`), '--contexts', names.join(',')]));
      sequential.push(names.reduce((sum, c) => sum + wall([...create(`seq-${i}`), '--context', c]), 0));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [f, s] = [median(fleet), median(sequential)];
    const ratio = f / s;
    console.log(
      `fleet      create on 3 contexts ${f.toFixed(0).padStart(5)} ms   ` +
        `3 sequential runs ${s.toFixed(0).padStart(5)} ms   ` +
        `ratio ${ratio.toFixed(2)} (goal ≤ 0.5)`,
    );
    return ratio;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
