// migrate-from-v1 without a cluster: the plan from `az k8s-configuration list -o json` (--from-file), and flag errors
// before any cluster access.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const AZ_LIST = fileURLToPath(new URL('../fixtures/flux-v1/az/k8s-configuration-list.json', import.meta.url));
const migrate = (...args: string[]) =>
  runCli(['k8s-configuration', 'flux', 'migrate-from-v1', ...args, '--kubeconfig', '/nonexistent']);

describe('migrate-from-v1 without a cluster', () => {
  it('plans from az output: the Arc delete commands first, nothing read from a cluster', async () => {
    const r = await migrate('--from-file', AZ_LIST, '-o', 'table');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^2 fluxd, 1 helm-operator, 0 HelmRelease v1; \d+ warning\(s\), \d+ note\(s\)$/m);
    expect(r.stdout).toMatch(/^Operator +V1 +V2$/m);
    expect(r.stdout).toContain(
      'delete first: az k8s-configuration delete --name team-a --cluster-name aks-1 --resource-group aks-rg ' +
        '--cluster-type managedClusters --yes',
    );
    const json = await migrate('--from-file', AZ_LIST, '--namespace', 'team-a');
    expect(json.exitCode).toBe(0);
    const plan = JSON.parse(json.stdout);
    expect(plan).toMatchObject({ kind: 'FluxV1MigrationPlan', source: 'file' });
    expect(plan.fluxd.map((f: { v1: { name: string } }) => f.v1.name)).toEqual(['team-a-flux']);
  });

  it('--export prints the v2 objects without a Secret value', async () => {
    const r = await migrate('--from-file', AZ_LIST, '--export');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^kind: GitRepository$/m);
    expect(r.stdout).not.toMatch(/^kind: Secret$/m);
  });

  it.each([
    [['--rollback', 'dir', '--name', 'flux'], 'error: --rollback cannot be used with --name'],
    [['--from-file', '/nonexistent.json'], 'error: cannot read --from-file /nonexistent.json'],
    [['--known-hosts', 'bm90IGEga2V5'], 'error: Error! ssh known_hosts provided in wrong format'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await migrate(...args);
    expect(r.stderr).toContain(message);
    expect(r.exitCode).toBe(2);
  });
});
