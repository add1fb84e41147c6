// --wait shows one live line per Flux object (issue #12 §5): redrawn in place on a terminal (tmux), one plain line
// per change of state otherwise; a failed wait names the failing object's message and the kubectl command to look
// closer. No controllers run: the test writes the Ready conditions while the CLI waits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/k8s/client.js';
import { buildCli, type BuiltCli } from '../helpers/built.js';
import { runCli } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';
import { tmux } from '../helpers/tmux.js';

const KS = 'kustomize.toolkit.fluxcd.io/v1';
const SRC = 'source.toolkit.fluxcd.io/v1';
const REVISION = 'main@sha1:0123abcd';

const condition = (status: 'True' | 'False' | 'Unknown', reason: string, message: string) => ({
  conditions: [{ type: 'Ready', status, reason, message, lastTransitionTime: '2026-11-01T10:00:00Z' }],
});

describe.skipIf(!cluster)('--wait live status', () => {
  let kube: KubeClient;
  let cli: BuiltCli;
  const create = (ns: string, name: string) => [
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
  ];
  const repo = (ns: string, name: string) => ({ apiVersion: SRC, kind: 'GitRepository', namespace: ns, name });
  const ks = (ns: string, name: string) => ({
    apiVersion: KS,
    kind: 'Kustomization',
    namespace: ns,
    name: `${name}-infra`,
  });

  async function until(ok: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`never: ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const fetched = (ns: string, name: string) =>
    kube.mergePatch(
      repo(ns, name),
      {
        status: {
          ...condition('True', 'Succeeded', 'stored artifact'),
          observedGeneration: 1,
          artifact: {
            revision: REVISION,
            path: 'x',
            url: 'http://x',
            digest: 'sha256:00',
            lastUpdateTime: '2026-11-01T10:00:00Z',
          },
        },
      },
      'status',
    );
  const applied = (ns: string, name: string) =>
    kube.mergePatch(
      ks(ns, name),
      {
        status: {
          ...condition('True', 'ReconciliationSucceeded', 'Applied revision'),
          observedGeneration: 1,
          lastAppliedRevision: REVISION,
        },
      },
      'status',
    );

  beforeAll(async () => {
    kube = await client('admin');
    cli = await buildCli('live-status');
  }, 90_000);
  afterAll(() => {
    kube?.close();
    cli?.remove();
  });

  it('on a terminal: one line per object, redrawn in place, ending Ready', { timeout: 60_000 }, async () => {
    const ns = uniqueName('live');
    const name = uniqueName('l');
    const t = await tmux('sh', {
      env: { PATH: `${cli.binDir}:${process.env.PATH}`, KUBECONFIG: requireCluster().kubeconfig, PS1: '$ ' },
    });
    try {
      await t.send(`fluxcfg ${create(ns, name).join(' ')} --wait --wait-timeout 40s -o none; echo EXIT=$?`, 'Enter');
      await t.waitFor(new RegExp(`Kustomization ${ns}/${name}-infra +waiting for the controller`));
      await kube.mergePatch(
        repo(ns, name),
        { status: condition('Unknown', 'Progressing', 'building artifact') },
        'status',
      );
      await t.waitFor(/GitRepository \S+ +Progressing: building artifact/);
      await fetched(ns, name);
      await t.waitFor(new RegExp(`✔ GitRepository ${ns}/${name} +fetched ${REVISION}`));
      await applied(ns, name);
      const screen = await t.waitFor(/^EXIT=\d+$/m);
      expect(screen).toContain('EXIT=0');
      expect(screen).toMatch(/✔ 2 Flux objects are Ready/);
      expect(screen).toMatch(new RegExp(`✔ Kustomization ${ns}/${name}-infra +applied ${REVISION}`));
      // Redrawn in place: each object has one line on the screen, and the spinner title is gone.
      expect(screen.split('\n').filter((l) => l.includes(`GitRepository ${ns}/${name}`))).toHaveLength(1);
      expect(screen.split('\n').filter((l) => l.includes(`Kustomization ${ns}/${name}-infra`))).toHaveLength(1);
      expect(screen).not.toContain('waiting for 2 Flux objects');
    } finally {
      await t.kill();
    }
  });

  it('without a terminal: a plain line whenever an object changes state', async () => {
    const ns = uniqueName('plain');
    const name = uniqueName('p');
    const run = runCli([
      ...create(ns, name),
      '--wait',
      '--wait-timeout',
      '40s',
      '-o',
      'none',
      '--kubeconfig',
      requireCluster().kubeconfig,
    ]);
    await until(async () => Boolean(await kube.get(ks(ns, name))), 'the Kustomization exists');
    await new Promise((r) => setTimeout(r, 1500));
    await fetched(ns, name);
    await new Promise((r) => setTimeout(r, 1500));
    await applied(ns, name);
    const r = await run;
    expect(r.stderr).not.toContain('error:');
    expect(r.exitCode).toBe(0);
    const lines = r.stderr.split('\n');
    const of = (id: string) => lines.filter((l) => l.startsWith(`${id}: `));
    expect(of(`GitRepository ${ns}/${name}`)).toEqual([
      `GitRepository ${ns}/${name}: Pending, waiting for the controller (no Ready condition yet)`,
      `GitRepository ${ns}/${name}: Ready, fetched ${REVISION}`,
    ]);
    expect(of(`Kustomization ${ns}/${name}-infra`)).toEqual([
      `Kustomization ${ns}/${name}-infra: Pending, waiting for the controller (no Ready condition yet)`,
      `Kustomization ${ns}/${name}-infra: Ready, applied ${REVISION}`,
    ]);
    expect(lines).toContain('2 Flux objects are Ready');
    expect(r.stderr).not.toMatch(/\x1b\[/);
  });

  it("a failed wait prints the failing object's condition message and the kubectl describe hint", async () => {
    const ns = uniqueName('fail');
    const name = uniqueName('f');
    expect((await runCli([...create(ns, name), '--kubeconfig', requireCluster().kubeconfig])).exitCode).toBe(0);
    await fetched(ns, name);
    await kube.mergePatch(
      ks(ns, name),
      {
        status: condition('False', 'BuildFailed', 'kustomize build failed: accumulating resources: missing.yaml'),
      },
      'status',
    );
    const r = await runCli([
      'k8s-configuration',
      'flux',
      'update',
      '-n',
      name,
      '--no-validate',
      '--wait',
      '--wait-timeout',
      '2s',
      '--kubeconfig',
      requireCluster().kubeconfig,
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `  Kustomization ${ns}/${name}-infra: BuildFailed: kustomize build failed: accumulating resources: missing.yaml\n` +
        `  hint: kubectl -n ${ns} describe kustomization ${name}-infra\n`,
    );
    expect(r.stderr).not.toContain(`hint: kubectl -n ${ns} describe gitrepository`);
    expect(r.stderr).toContain('error: ');
  });
});
