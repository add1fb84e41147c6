// -o table at a real terminal (tmux) against the test API server: states coloured on the TTY, plain through a
// pipe and with NO_COLOR / --no-color.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from '../helpers/built.js';
import { runCli } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';
import { tmux } from '../helpers/tmux.js';

describe.skipIf(!cluster)('-o table colours at a terminal', () => {
  let cli: BuiltCli;
  const ns = uniqueName('color');
  const good = uniqueName('good');
  const bad = uniqueName('bad');

  beforeAll(async () => {
    cli = await buildCli('color-it');
    for (const name of [good, bad]) {
      const r = await runCli([
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        name,
        '--namespace',
        ns,
        '-u',
        'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
        '--branch',
        'main',
        '-k',
        'name=apps',
        'path=./apps',
        '--no-validate',
        '--kubeconfig',
        requireCluster().kubeconfig,
      ]);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    // No controllers run: write the Ready conditions the way source- and kustomize-controller would, with the
    // generation they reconciled (the objects are at generation 1; an older one reads as Pending).
    const kube = await client('admin');
    const ready = (status: 'True' | 'False') => ({
      status: {
        observedGeneration: 1,
        conditions: [
          {
            type: 'Ready',
            status,
            reason: status === 'True' ? 'Succeeded' : 'Failed',
            message: status === 'True' ? 'ok' : 'kustomize build failed',
            lastTransitionTime: '2026-11-01T10:00:00Z',
          },
        ],
      },
    });
    for (const [name, status] of [
      [good, 'True'],
      [bad, 'False'],
    ] as const) {
      await kube.mergePatch(
        { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', namespace: ns, name },
        ready(status),
        'status',
      );
      await kube.mergePatch(
        { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: ns, name: `${name}-apps` },
        ready(status),
        'status',
      );
    }
    kube.close();
  }, 90_000);
  afterAll(() => cli?.remove());

  const list = `fluxcfg k8s-configuration flux list --namespace ${ns} -o table`;
  const session = () =>
    tmux('sh', {
      env: { PATH: `${cli.binDir}:${process.env.PATH}`, KUBECONFIG: requireCluster().kubeconfig, PS1: '$ ' },
    });

  it('on the TTY: Compliant green, Non-Compliant red, Succeeded/Failed too', { timeout: 60_000 }, async () => {
    const t = await session();
    try {
      await t.send(`${list}; echo END`, 'Enter');
      const screen = await t.waitFor(/^END$/m, { escapes: true });
      const row = (name: string) => screen.split('\n').find((l) => l.includes(name))!;
      expect(row(good)).toContain('\x1b[32mCompliant\x1b[39m');
      expect(row(good)).toContain('\x1b[32mSucceeded\x1b[39m');
      expect(row(bad)).toContain('\x1b[31mNon-Compliant\x1b[39m');
      expect(screen).toMatch(/Namespace +Name +Scope +ProvisioningState +ComplianceState/);
    } finally {
      await t.kill();
    }
  });

  it('plain through a pipe, with NO_COLOR and with --no-color', { timeout: 60_000 }, async () => {
    const t = await session();
    try {
      await t.send(`${list} | cat; NO_COLOR=1 ${list}; ${list} --no-color; echo END`, 'Enter');
      const screen = await t.waitFor(/^END$/m, { escapes: true });
      expect(screen.split('\n').filter((l) => l.includes(good))).toHaveLength(3);
      expect(screen.split('\n').filter((l) => l.includes(bad))).toHaveLength(3);
      // tmux reports the pane's own attributes as escapes too; none may come from the table rows
      const rows = screen.split('\n').filter((x) => x.includes(good) || x.includes(bad));
      for (const l of rows) expect(l).not.toMatch(/\x1b\[3[123]m/);
    } finally {
      await t.kill();
    }
  });
});
