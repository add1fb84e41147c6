// Fleets: one command over many kubeconfig contexts (the suite's API server plus two started here, and a context
// whose server is a closed loopback port), and hub-and-spoke through a kubeconfig Secret on the hub.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Exec } from '../../src/exec.js';
import type { KubeClient } from '../../src/k8s/client.js';
import { connect } from '../../src/k8s/index.js';
import { findKubeAssets, fluxCrds, startTestCluster, type TestCluster } from '../helpers/apiserver.js';
import { quietLogger, runCli } from '../helpers/cli.js';
import { cluster, requireCluster, uniqueName } from '../helpers/cluster.js';
import { testFixtures } from '../helpers/test-fixtures.js';

const KS = 'kustomize.toolkit.fluxcd.io/v1';
const SRC = 'source.toolkit.fluxcd.io/v1';

const fakeKeyscan: Exec = async (file, args) => {
  if (file !== 'ssh-keyscan') throw new Error(`unexpected exec ${file}`);
  const host = args.at(-1);
  const key = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
  return { exitCode: 0, stdout: `${host} ssh-ed25519 ${key}\n`, stderr: '' };
};

/** A loopback port nothing listens on: connections are refused at once. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface KubeconfigDoc {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
}

/** The admin context of a test server's kubeconfig, renamed to `name`. */
function adminEntry(file: string, name: string) {
  const doc = yaml.load(readFileSync(file, 'utf8')) as KubeconfigDoc;
  return {
    cluster: { name, cluster: doc.clusters[0]!.cluster },
    user: { name, user: doc.users.find((u) => u.name === 'admin')!.user },
    context: { name, context: { cluster: name, user: name } },
  };
}

function kubeconfigOf(entries: ReturnType<typeof adminEntry>[]): string {
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map((e) => e.cluster),
    users: entries.map((e) => e.user),
    contexts: entries.map((e) => e.context),
    'current-context': entries[0]!.context.name,
  });
}

describe.skipIf(!cluster)('fleet: one command over many clusters', () => {
  const servers: TestCluster[] = [];
  const kubes: Record<string, KubeClient> = {};
  let tmp: string;
  let kubeconfig: string;
  const cli = (args: string[], extra: { stdinIsTTY?: boolean } = {}) =>
    runCli([...args, '--kubeconfig', kubeconfig], { exec: fakeKeyscan, ...extra });
  const get = (ctx: string, apiVersion: string, kind: string, namespace: string, name: string) =>
    kubes[ctx]!.get({ apiVersion, kind, namespace, name });

  beforeAll(async () => {
    const assets = findKubeAssets()!;
    servers.push(...(await Promise.all([startTestCluster(assets), startTestCluster(assets)])));
    tmp = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-fleet-'));
    const entries = [
      adminEntry(requireCluster().kubeconfig, 'one'),
      adminEntry(servers[0]!.kubeconfig, 'two'),
      adminEntry(servers[1]!.kubeconfig, 'three'),
    ];
    const down = adminEntry(servers[0]!.kubeconfig, 'down');
    down.cluster.cluster = { ...down.cluster.cluster, server: `https://127.0.0.1:${await closedPort()}` };
    kubeconfig = path.join(tmp, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigOf([...entries, down]));
    for (const ctx of ['one', 'two', 'three'])
      kubes[ctx] = await connect({ kubeconfig, context: ctx, env: {} }, quietLogger());
    const crds = fluxCrds(testFixtures()!);
    await Promise.all([kubes.two!.applyAll(crds as never[]), kubes.three!.applyAll(crds as never[])]);
  });
  afterAll(async () => {
    for (const k of Object.values(kubes)) k.close();
    await Promise.all(servers.map((s) => s.stop()));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const createArgs = (name: string, ns: string) => [
    'k8s-configuration',
    'flux',
    'create',
    '-n',
    name,
    '--namespace',
    ns,
    '-u',
    'ssh://git@github.com/example/fleet',
    '--branch',
    'main',
    '-k',
    'name=apps',
    'path=./apps',
    '--no-validate',
  ];

  it('creates on every reachable cluster, fails the unreachable one alone, prints one row each and exits 1', async () => {
    const ns = uniqueName('fleet');
    const name = uniqueName('cfg');
    const started = Date.now();
    const r = await cli([...createArgs(name, ns), '--contexts', 'one,two', '--contexts', 'down', '-o', 'table']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^Context\s+State\s+Namespace\s+Name\s+Scope\s+ProvisioningState\s+ComplianceState.*Error$/,
    );
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(new RegExp(`^one\\s+Succeeded\\s+${ns}\\s+${name}\\s+cluster\\s+Succeeded\\s+Pending`));
    expect(lines[3]).toMatch(new RegExp(`^two\\s+Succeeded\\s+${ns}\\s+${name}\\s+cluster\\s+Succeeded`));
    expect(lines[4]).toMatch(/^down\s+Failed\s+.*cannot reach the Kubernetes API server https:\/\/127\.0\.0\.1:\d+/);
    expect(r.stderr).toMatch(/\[down\] error: cannot reach the Kubernetes API server/);
    expect(r.stderr).toContain('1 of 3 clusters failed: down');
    for (const ctx of ['one', 'two']) {
      expect((await get(ctx, KS, 'Kustomization', ns, `${name}-apps`))?.spec).toMatchObject({ path: './apps' });
      expect(await get(ctx, SRC, 'GitRepository', ns, name)).toBeDefined();
    }
    expect(await get('three', SRC, 'GitRepository', ns, name)).toBeUndefined();

    // -o json: one entry per cluster; a generated deploy key per cluster, each public key reported
    const shown = await cli(['k8s-configuration', 'flux', 'show', '-n', name, '--contexts', 'one,two,down']);
    expect(shown.exitCode).toBe(1);
    const entries = JSON.parse(shown.stdout) as {
      context: string;
      status: string;
      result: { repositoryPublicKey: string } | null;
      error: string | null;
    }[];
    expect(entries.map((e) => [e.context, e.status])).toEqual([
      ['one', 'Succeeded'],
      ['two', 'Succeeded'],
      ['down', 'Failed'],
    ]);
    expect(entries[2]!.error).toMatch(/cannot reach the Kubernetes API server/);
    const keys = entries.slice(0, 2).map((e) => e.result!.repositoryPublicKey);
    expect(keys[0]).toMatch(/^ssh-rsa /);
    expect(keys[1]).toMatch(/^ssh-rsa /);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('--fail-fast starts no cluster after the first failure; --context-selector picks by glob', async () => {
    const ns = uniqueName('ff');
    const name = uniqueName('cfg');
    const r = await cli([
      ...createArgs(name, ns),
      '--contexts',
      'down,one,two',
      '--max-parallel',
      '1',
      '--fail-fast',
      '-o',
      'json',
    ]);
    expect(r.exitCode).toBe(1);
    const entries = JSON.parse(r.stdout) as { context: string; status: string; error: string }[];
    expect(entries.map((e) => e.status)).toEqual(['Failed', 'Failed', 'Failed']);
    expect(entries[1]!.error).toBe('not started: --fail-fast stopped the fleet after "down" failed');
    expect(await get('one', SRC, 'GitRepository', ns, name)).toBeUndefined();

    const sel = await cli([...createArgs(name, ns), '--context-selector', 't*', '-o', 'json']);
    expect(sel.exitCode).toBe(0);
    expect((JSON.parse(sel.stdout) as { context: string }[]).map((e) => e.context)).toEqual(['two', 'three']);
    expect(await get('three', SRC, 'GitRepository', ns, name)).toBeDefined();
  });

  it('on a terminal: one live line per cluster on stderr, redrawn in place', async () => {
    const r = await runCli(
      ['k8s-configuration', 'flux', 'list', '--contexts', 'one,down', '--kubeconfig', kubeconfig],
      {
        tty: true,
        env: {},
      },
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('\x1b[2F\x1b[0J');
    expect(r.stderr).toMatch(/one\s+done/);
    expect(r.stderr).toMatch(/down\s+failed\s+cannot reach the Kubernetes API server/);
  });

  it('flag errors exit 2 before any cluster is contacted', async () => {
    const bad = await cli([
      'k8s-configuration',
      'flux',
      'create',
      '-n',
      'x',
      '-u',
      'https://e.com/x',
      '--branch',
      'main',
      '--interval',
      'soon',
      '--contexts',
      'down',
    ]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).not.toContain('cannot reach');
    const both = await cli(['k8s-configuration', 'flux', 'list', '--contexts', 'one', '--context', 'two']);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('error: --context selects one cluster and cannot be combined with --contexts');
    const c = await cli(['k8s-configuration', 'flux', 'list', '--all-contexts', '-c', 'two']);
    expect(c.exitCode).toBe(2);
    expect(c.stderr).toContain('-c/--cluster-name selects one cluster');
    const unknown = await cli(['k8s-configuration', 'flux', 'list', '--contexts', 'one,nope']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('error: argument --contexts: no kubeconfig context named "nope"');
  });

  it('delete over the fleet asks once: without a terminal and without --yes a usage error naming --yes', async () => {
    const ns = uniqueName('del');
    const name = uniqueName('cfg');
    const created = await cli([...createArgs(name, ns), '--contexts', 'two,three']);
    expect(created.exitCode).toBe(0);
    const refused = await cli([
      'k8s-configuration',
      'flux',
      'delete',
      '-n',
      name,
      '--contexts',
      'two,three',
      '--force',
    ]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      `error: confirmation required: 'fluxcfg k8s-configuration flux delete' on 2 clusters (two, three)`,
    );
    expect(refused.stderr).toContain('pass --yes to confirm');
    expect(await get('two', SRC, 'GitRepository', ns, name)).toBeDefined();

    const r = await cli([
      'k8s-configuration',
      'flux',
      'delete',
      '-n',
      name,
      '--contexts',
      'two,three',
      '--force',
      '--yes',
    ]);
    expect(r.exitCode).toBe(0);
    expect((JSON.parse(r.stdout) as { status: string }[]).map((e) => e.status)).toEqual(['Succeeded', 'Succeeded']);
    for (const ctx of ['two', 'three']) expect(await get(ctx, SRC, 'GitRepository', ns, name)).toBeUndefined();
  });

  describe('hub and spoke: the hub applies through a kubeconfig Secret', () => {
    const secret = async (ns: string, name: string, value: string, labels: Record<string, string> = {}) => {
      await kubes.one!.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      await kubes.one!.apply({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace: ns, labels },
        stringData: { value },
      });
    };
    const spokeKubeconfig = () => kubeconfigOf([adminEntry(servers[0]!.kubeconfig, 'two')]);
    const hubCreate = (name: string, ns: string, ...extra: string[]) =>
      cli([
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        name,
        '--namespace',
        ns,
        '-u',
        'https://github.com/example/fleet',
        '--branch',
        'main',
        '-k',
        'name=apps',
        'path=./apps',
        '-k',
        'name=infra',
        'path=./infra',
        '--no-validate',
        '--context',
        'one',
        ...extra,
      ]);

    it('the Secret is checked on the hub: missing, no kubeconfig in it', async () => {
      const ns = uniqueName('hub');
      const missing = await hubCreate(uniqueName('cfg'), ns, '--kubeconfig-secret', 'spoke-kubeconfig');
      expect(missing.exitCode).toBe(1);
      expect(missing.stderr).toContain(
        `error: Secret ${ns}/spoke-kubeconfig (--kubeconfig-secret) does not exist on the hub cluster`,
      );
      await secret(ns, 'junk-kubeconfig', 'not: [a kubeconfig');
      const junk = await hubCreate(uniqueName('cfg'), ns, '--kubeconfig-secret', 'junk-kubeconfig:value');
      expect(junk.exitCode).toBe(1);
      expect(junk.stderr).toContain(`error: Secret ${ns}/junk-kubeconfig key value does not hold a kubeconfig`);
      const key = await hubCreate(uniqueName('cfg'), ns, '--kubeconfig-secret', 'junk-kubeconfig:value.yaml');
      expect(key.exitCode).toBe(1);
      expect(key.stderr).toContain(`error: Secret ${ns}/junk-kubeconfig has no key value.yaml`);
      const bad = await hubCreate(uniqueName('cfg'), ns, '--kubeconfig-secret', 'a:b:c');
      expect(bad.exitCode).toBe(2);
      expect(await kubes.one!.list(KS, 'Kustomization', { namespace: ns })).toEqual([]);
    });

    it('renders the secretRef on every Kustomization, creates the spoke applier with --spoke-context, shows the target', async () => {
      const ns = uniqueName('hub');
      const name = uniqueName('cfg');
      await secret(ns, 'spoke-kubeconfig', spokeKubeconfig());
      const r = await hubCreate(name, ns, '--kubeconfig-secret', 'spoke-kubeconfig', '--spoke-context', 'two');
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toContain(`created on the spoke (context "two"): ServiceAccount ${ns}/flux-applier`);
      for (const k of ['apps', 'infra'])
        expect((await get('one', KS, 'Kustomization', ns, `${name}-${k}`))?.spec).toMatchObject({
          kubeConfig: { secretRef: { name: 'spoke-kubeconfig' } },
          serviceAccountName: 'flux-applier',
        });
      expect(await get('two', 'v1', 'ServiceAccount', ns, 'flux-applier')).toBeDefined();
      const crbs = await kubes.two!.list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', {
        labelSelector: `fluxcfg.io/configuration=${name}`,
      });
      expect(crbs).toHaveLength(1);
      expect(await get('one', 'v1', 'ServiceAccount', ns, 'flux-applier')).toBeUndefined();
      expect(await get('two', SRC, 'GitRepository', ns, name)).toBeUndefined();
      const shown = await cli(['k8s-configuration', 'flux', 'show', '-n', name, '--context', 'one']);
      expect(JSON.parse(shown.stdout)).toMatchObject({ name, kubeConfigSecret: { name: 'spoke-kubeconfig' } });

      // a Kustomization added later targets the spoke too
      const k = await cli([
        'k8s-configuration',
        'flux',
        'kustomization',
        'create',
        '-n',
        name,
        '--kustomization-name',
        'extra',
        '--path',
        './extra',
        '--no-validate',
        '--context',
        'one',
      ]);
      expect(k.exitCode).toBe(0);
      expect((await get('one', KS, 'Kustomization', ns, `${name}-extra`))?.spec).toMatchObject({
        kubeConfig: { secretRef: { name: 'spoke-kubeconfig' } },
      });

      // without --spoke-context it says what the spoke must hold
      const other = uniqueName('cfg');
      const said = await hubCreate(other, ns, '--kubeconfig-secret', 'spoke-kubeconfig:value');
      expect(said.exitCode).toBe(0);
      expect(said.stderr).toContain(`that cluster must hold ServiceAccount ${ns}/flux-applier`);
      expect((await get('one', KS, 'Kustomization', ns, `${other}-apps`))?.spec).toMatchObject({
        kubeConfig: { secretRef: { name: 'spoke-kubeconfig', key: 'value' } },
      });
    });

    it('update --kubeconfig-secret moves a configuration to the spoke: secretRef everywhere, its binding leaves the hub', async () => {
      const ns = uniqueName('hub');
      const name = uniqueName('cfg');
      expect((await hubCreate(name, ns)).exitCode).toBe(0);
      const crbs = () =>
        kubes.one!.list('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', {
          labelSelector: `fluxcfg.io/configuration=${name}`,
        });
      expect(await crbs()).toHaveLength(1);
      const update = (...extra: string[]) =>
        cli(['k8s-configuration', 'flux', 'update', '-n', name, '--no-validate', '--context', 'one', ...extra]);
      const missing = await update('--kubeconfig-secret', 'spoke-kubeconfig');
      expect(missing.exitCode).toBe(1);
      expect(missing.stderr).toContain(
        `error: Secret ${ns}/spoke-kubeconfig (--kubeconfig-secret) does not exist on the hub cluster`,
      );
      await secret(ns, 'spoke-kubeconfig', spokeKubeconfig());
      const r = await update('--kubeconfig-secret', 'spoke-kubeconfig');
      expect(r.exitCode).toBe(0);
      for (const k of ['apps', 'infra'])
        expect((await get('one', KS, 'Kustomization', ns, `${name}-${k}`))?.spec).toMatchObject({
          kubeConfig: { secretRef: { name: 'spoke-kubeconfig' } },
        });
      expect(await crbs()).toEqual([]);
    });

    it('--for-each-kubeconfig-secret adds one configuration per Secret, lists the orphans and removes them with --prune', async () => {
      const ns = uniqueName('hub');
      const fleet = uniqueName('fleet');
      const label = { fleet };
      await secret(ns, 'a-kubeconfig', spokeKubeconfig(), label);
      await secret(ns, 'b-kubeconfig', spokeKubeconfig(), label);
      await secret(ns, 'other-kubeconfig', spokeKubeconfig());
      const each = (...extra: string[]) =>
        cli([
          'k8s-configuration',
          'flux',
          'create',
          '-n',
          'base',
          '--namespace',
          ns,
          '-u',
          'https://github.com/example/fleet',
          '--branch',
          'main',
          '-k',
          'name=apps',
          'path=./apps',
          '--no-validate',
          '--context',
          'one',
          '--for-each-kubeconfig-secret',
          `fleet=${fleet}`,
          ...extra,
        ]);
      const rows = (r: { stdout: string }) =>
        (JSON.parse(r.stdout) as { configuration: string; action: string }[]).map((x) => [x.configuration, x.action]);
      const first = await each();
      expect(first.exitCode).toBe(0);
      expect(rows(first)).toEqual([
        ['base-a', 'created'],
        ['base-b', 'created'],
      ]);
      expect((await get('one', KS, 'Kustomization', ns, 'base-b-apps'))?.spec).toMatchObject({
        kubeConfig: { secretRef: { name: 'b-kubeconfig' } },
      });

      await kubes.one!.delete({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: 'b-kubeconfig' });
      await secret(ns, 'c-kubeconfig', spokeKubeconfig(), label);
      const again = await each();
      expect(again.exitCode).toBe(0);
      expect(rows(again)).toEqual([
        ['base-a', 'kept'],
        ['base-c', 'created'],
        ['base-b', 'orphaned'],
      ]);
      expect(again.stderr).toContain('configuration base-b: its Secret b-kubeconfig is gone (--prune deletes it)');
      expect(await get('one', SRC, 'GitRepository', ns, 'base-b')).toBeDefined();

      const pruned = await each('--prune', '-o', 'table');
      expect(pruned.exitCode).toBe(0);
      expect(pruned.stdout).toMatch(/base-b\s+b-kubeconfig\s+pruned/);
      expect(await get('one', SRC, 'GitRepository', ns, 'base-b')).toBeUndefined();
      expect(await get('one', KS, 'Kustomization', ns, 'base-b-apps')).toBeUndefined();
      expect(await get('one', SRC, 'GitRepository', ns, 'base-a')).toBeDefined();
    });
  });
});
