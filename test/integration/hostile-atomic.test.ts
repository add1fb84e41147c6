// Hostile review (issue #9, part A): writes are all or nothing, concurrent writers cannot lose a change, --wait
// fails fast and trusts only an up-to-date status. Against the real API server; faults are injected between
// fluxcfg and the server (test/helpers/faults.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/k8s/client.js';
import { runCli, type RunOptions } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';
import { faultyConnect, isRealWrite, isWrite, serverGoneFrom, statusResponse, type Fault } from '../helpers/faults.js';

const KS = 'kustomize.toolkit.fluxcd.io/v1';
const SRC = 'source.toolkit.fluxcd.io/v1';
const RBAC = 'rbac.authorization.k8s.io/v1';

describe.skipIf(!cluster)('hostile review: all or nothing, concurrency, wait', () => {
  let kube: KubeClient;
  const cli = (args: string[], options: RunOptions = {}) =>
    runCli([...args, '--kubeconfig', requireCluster().kubeconfig, '--context', 'admin'], options);
  const faulty = (args: string[], fault: Fault) => cli(args, { connect: faultyConnect(fault) });
  const get = (apiVersion: string, kind: string, namespace: string | undefined, name: string) =>
    kube.get({ apiVersion, kind, namespace, name });
  const create = (name: string, ns: string, extra: string[] = []) => [
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
    '--https-user',
    'bob',
    '--https-key',
    'pw1',
    '-k',
    'name=app',
    'path=./app',
    '--no-validate',
    ...extra,
  ];

  beforeAll(async () => {
    kube = await client('admin');
  });
  afterAll(() => kube?.close());

  it('a 422 on the source is caught by the dry run: no Secret, no ClusterRoleBinding, nothing applied', async () => {
    const ns = uniqueName('a422');
    const name = uniqueName('c');
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const r = await faulty(create(name, ns), (req) =>
      isWrite(req, 'gitrepositories')
        ? statusResponse(
            422,
            'Invalid',
            `GitRepository.source.toolkit.fluxcd.io "${name}" is invalid: spec.url: Invalid value`,
          )
        : undefined,
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: Kubernetes API 422 Invalid');
    expect(r.stderr).toMatch(/hint: .*the server-side dry run rejected it: nothing was applied/);
    expect(await get('v1', 'Secret', ns, `git-auth-${name}`)).toBeUndefined();
    expect(await kube.list(RBAC, 'ClusterRoleBinding', { labelSelector: `fluxcfg.io/configuration=${name}` })).toEqual(
      [],
    );
    expect(await get('v1', 'ServiceAccount', ns, 'flux-applier')).toBeUndefined();
  });

  it('a 409 on the source of an update leaves the auth Secret as it was (not rotated)', async () => {
    const ns = uniqueName('a409');
    const name = uniqueName('c');
    expect((await cli(create(name, ns))).exitCode).toBe(0);
    const before = (await get('v1', 'Secret', ns, `git-auth-${name}`))?.data as Record<string, string>;
    const update = ['k8s-configuration', 'flux', 'update', '-n', name, '--https-key', 'pw2', '--no-validate'];
    const r = await faulty(update, (req) =>
      isRealWrite(req, 'gitrepositories')
        ? statusResponse(
            409,
            'Conflict',
            `Operation cannot be fulfilled on gitrepositories.source.toolkit.fluxcd.io "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          )
        : undefined,
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(
      `error: GitRepository ${ns}/${name} was changed by someone else since it was read; re-run`,
    );
    const after = (await get('v1', 'Secret', ns, `git-auth-${name}`))?.data as Record<string, string>;
    expect(after.password).toBe(before.password);
    expect(Buffer.from(after.password!, 'base64').toString()).toBe('pw1');
    // the re-run goes through
    const again = await cli(update);
    expect(again.exitCode).toBe(0);
    expect(
      Buffer.from(
        ((await get('v1', 'Secret', ns, `git-auth-${name}`))?.data as Record<string, string>).password!,
        'base64',
      ).toString(),
    ).toBe('pw2');
  });

  it('the API server gone before the Kustomizations: the error lists what was applied; list shows it; the same create completes it', async () => {
    const ns = uniqueName('agone');
    const name = uniqueName('c');
    const gone = serverGoneFrom((req) => isRealWrite(req, 'kustomizations'));
    const r = await faulty(create(name, ns), gone);
    expect(gone.fired()).toBe(true);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('cannot reach the Kubernetes API server');
    expect(r.stderr).toMatch(new RegExp(`applied: .*GitRepository ${ns}/${name}`));
    expect(r.stderr).toContain(`not applied: Kustomization ${ns}/${name}-app`);
    expect(r.stderr).toMatch(/hint: .*re-run the same command to complete the change/);
    expect(await get(KS, 'Kustomization', ns, `${name}-app`)).toBeUndefined();

    const list = JSON.parse((await cli(['k8s-configuration', 'flux', 'list', '--namespace', ns])).stdout);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      name,
      provisioningState: 'Failed',
      errorMessage: 'Kustomization object(s) missing from the cluster: app',
    });

    const rerun = await cli(create(name, ns));
    expect(rerun.stderr).not.toMatch(/error:/);
    expect(rerun.stderr).toContain(`Flux configuration '${name}' was only partly applied: completing it`);
    expect(rerun.exitCode).toBe(0);
    expect((await get(KS, 'Kustomization', ns, `${name}-app`))?.spec).toMatchObject({ path: './app' });
    expect(JSON.parse(rerun.stdout)).toMatchObject({ provisioningState: 'Succeeded', errorMessage: '' });
    // complete now: a third create is "already exists" again
    const third = await cli(create(name, ns));
    expect(third.exitCode).toBe(1);
    expect(third.stderr).toContain(`Error! Flux configuration '${name}' already exists in namespace '${ns}'`);
  });

  it('a configuration whose source is gone is listed, shown as Failed, completed by create and removed by delete', async () => {
    const ns = uniqueName('aorphan');
    const name = uniqueName('c');
    expect((await cli(create(name, ns))).exitCode).toBe(0);
    await kube.delete({ apiVersion: SRC, kind: 'GitRepository', namespace: ns, name });
    await kube.waitForGone([{ apiVersion: SRC, kind: 'GitRepository', namespace: ns, name }], 10_000);

    const list = JSON.parse((await cli(['k8s-configuration', 'flux', 'list'])).stdout);
    const mine = list.find((c: { name: string }) => c.name === name);
    expect(mine).toMatchObject({ namespace: ns, scope: 'cluster', provisioningState: 'Failed' });
    expect(mine.errorMessage).toContain(`GitRepository ${ns}/${name} is missing from the cluster`);
    const show = await cli(['k8s-configuration', 'flux', 'show', '-n', name]);
    expect(show.exitCode).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ namespace: ns, scope: 'cluster', provisioningState: 'Failed' });
    const upd = await cli(['k8s-configuration', 'flux', 'update', '-n', name, '--branch', 'dev', '--no-validate']);
    expect(upd.exitCode).toBe(1);
    expect(upd.stderr).toContain('was only partly applied');
    expect(upd.stderr).toMatch(/hint: re-run the same 'fluxcfg k8s-configuration flux create/);

    const rerun = await cli(create(name, ns));
    expect(rerun.exitCode).toBe(0);
    expect(await get(SRC, 'GitRepository', ns, name)).toBeDefined();

    await kube.delete({ apiVersion: SRC, kind: 'GitRepository', namespace: ns, name });
    await kube.waitForGone([{ apiVersion: SRC, kind: 'GitRepository', namespace: ns, name }], 10_000);
    const del = await cli(['k8s-configuration', 'flux', 'delete', '-n', name, '--yes']);
    expect(del.stderr).not.toMatch(/error:/);
    expect(del.exitCode).toBe(0);
    expect(await get(KS, 'Kustomization', ns, `${name}-app`)).toBeUndefined();
    expect(await get('v1', 'Secret', ns, `git-auth-${name}`)).toBeUndefined();
    expect(await kube.list(RBAC, 'ClusterRoleBinding', { labelSelector: `fluxcfg.io/configuration=${name}` })).toEqual(
      [],
    );
    expect(await get('v1', 'ServiceAccount', ns, 'flux-applier')).toBeUndefined();
  });

  it('show of a half-applied namespace-scoped configuration: the scope from its RoleBinding, even when nothing else is left', async () => {
    const ns = uniqueName('aorphns');
    const name = uniqueName('c');
    expect((await cli(create(name, ns, ['--scope', 'namespace']))).exitCode).toBe(0);
    const complete = await cli(['k8s-configuration', 'flux', 'show', '-n', name]);
    expect(JSON.parse(complete.stdout)).toMatchObject({ name, namespace: ns, scope: 'namespace' });
    await kube.delete({ apiVersion: SRC, kind: 'GitRepository', namespace: ns, name });
    await kube.delete({ apiVersion: KS, kind: 'Kustomization', namespace: ns, name: `${name}-app` });
    await kube.delete({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: `git-auth-${name}` });
    await kube.waitForGone(
      [
        { apiVersion: SRC, kind: 'GitRepository', namespace: ns, name },
        { apiVersion: KS, kind: 'Kustomization', namespace: ns, name: `${name}-app` },
        { apiVersion: 'v1', kind: 'Secret', namespace: ns, name: `git-auth-${name}` },
      ],
      10_000,
    );
    const show = await cli(['k8s-configuration', 'flux', 'show', '-n', name]);
    expect(show.exitCode, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({
      name,
      namespace: ns,
      scope: 'namespace',
      provisioningState: 'Failed',
    });
  });

  it('two concurrent updates of one configuration: each run that exits 0 has its change in the cluster', async () => {
    const ns = uniqueName('arace');
    const name = uniqueName('c');
    expect((await cli(create(name, ns, ['-k', 'name=other', 'path=./other']))).exitCode).toBe(0);
    let conflicts = 0;
    for (let round = 0; round < 4; round++) {
      const a = `./app-${round}`;
      const b = `./other-${round}`;
      const [ra, rb] = await Promise.all([
        cli(['k8s-configuration', 'flux', 'update', '-n', name, '-k', 'name=app', `path=${a}`, '--no-validate']),
        cli(['k8s-configuration', 'flux', 'update', '-n', name, '-k', 'name=other', `path=${b}`, '--no-validate']),
      ]);
      for (const r of [ra, rb])
        if (r.exitCode !== 0) {
          expect(r.exitCode).toBe(1);
          expect(r.stderr).toMatch(/was changed by someone else since it was read; re-run/);
          conflicts++;
        }
      const show = JSON.parse((await cli(['k8s-configuration', 'flux', 'show', '-n', name])).stdout);
      const apps = await get(KS, 'Kustomization', ns, `${name}-app`);
      const other = await get(KS, 'Kustomization', ns, `${name}-other`);
      if (ra.exitCode === 0) {
        expect(show.kustomizations.app.path).toBe(a);
        expect(apps?.spec).toMatchObject({ path: a });
      }
      if (rb.exitCode === 0) {
        expect(show.kustomizations.other.path).toBe(b);
        expect(other?.spec).toMatchObject({ path: b });
      }
    }
    expect(conflicts).toBeLessThanOrEqual(4);
  });

  it('two concurrent updates of the same Kustomization (different fields): no run that exits 0 loses its field', async () => {
    const ns = uniqueName('arace2');
    const name = uniqueName('c');
    expect((await cli(create(name, ns))).exitCode).toBe(0);
    for (let round = 0; round < 4; round++) {
      const path = `./p-${round}`;
      const prune = round % 2 === 0;
      const [ra, rb] = await Promise.all([
        cli(['k8s-configuration', 'flux', 'update', '-n', name, '-k', 'name=app', `path=${path}`, '--no-validate']),
        cli(['k8s-configuration', 'flux', 'update', '-n', name, '-k', 'name=app', `prune=${prune}`, '--no-validate']),
      ]);
      for (const r of [ra, rb])
        if (r.exitCode !== 0) expect(r.stderr).toMatch(/was changed by someone else since it was read; re-run/);
      const app = await get(KS, 'Kustomization', ns, `${name}-app`);
      const view = JSON.parse((await cli(['k8s-configuration', 'flux', 'show', '-n', name])).stdout);
      if (ra.exitCode === 0) expect(app?.spec).toMatchObject({ path });
      if (rb.exitCode === 0) expect(app?.spec).toMatchObject({ prune });
      if (ra.exitCode === 0) expect(view.kustomizations.app.path).toBe(path);
      if (rb.exitCode === 0) expect(view.kustomizations.app.prune).toBe(prune);
    }
  });

  it('a writer that read an older state cannot undo a newer change of the same Kustomization (held write)', async () => {
    const ns = uniqueName('ahold');
    const name = uniqueName('c');
    expect((await cli(create(name, ns))).exitCode).toBe(0);
    // W writes its record, then its Kustomization write is held until L (which read W's record) has finished.
    let other: Promise<Awaited<ReturnType<typeof cli>>> | undefined;
    const w = await faulty(
      ['k8s-configuration', 'flux', 'update', '-n', name, '-k', 'name=app', 'path=./w', '--no-validate'],
      async (req) => {
        if (!other && isRealWrite(req, 'kustomizations')) {
          other = cli([
            'k8s-configuration',
            'flux',
            'update',
            '-n',
            name,
            '-k',
            'name=app',
            'prune=true',
            '--no-validate',
          ]);
          await other;
        }
        return undefined;
      },
    );
    const l = await other!;
    expect(l.stderr).not.toMatch(/error:/);
    expect(l.exitCode).toBe(0);
    expect(w.exitCode).toBe(1);
    expect(w.stderr).toContain(
      `error: Kustomization ${ns}/${name}-app was changed by someone else since it was read; re-run`,
    );
    // L's change stays, and it carries W's (L read W's record)
    expect((await get(KS, 'Kustomization', ns, `${name}-app`))?.spec).toMatchObject({ path: './w', prune: true });
  });

  it('two concurrent creates of one name: exactly one wins, the other says "already exists", nothing mixes', async () => {
    for (let round = 0; round < 3; round++) {
      const ns = uniqueName('acreate');
      const name = uniqueName('c');
      const args = (who: string) => [
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        name,
        '--namespace',
        ns,
        '-u',
        `https://example.com/${who}`,
        '--branch',
        'main',
        '-k',
        'name=app',
        `path=./${who}`,
        '--no-validate',
      ];
      const [ra, rb] = await Promise.all([cli(args('alice')), cli(args('bob'))]);
      const codes = [ra.exitCode, rb.exitCode].sort();
      expect(codes).toEqual([0, 1]);
      const loser = ra.exitCode === 0 ? rb : ra;
      const winner = ra.exitCode === 0 ? 'alice' : 'bob';
      expect(loser.stderr).toContain(`Error! Flux configuration '${name}' already exists in namespace '${ns}'`);
      const source = await get(SRC, 'GitRepository', ns, name);
      expect(source?.spec).toMatchObject({ url: `https://example.com/${winner}` });
      // created by POST (create-only), then owned by fluxcfg's server-side apply alone
      expect(source?.metadata.managedFields?.filter((m) => m.manager === 'fluxcfg').map((m) => m.operation)).toEqual([
        'Apply',
      ]);
      expect((await get(KS, 'Kustomization', ns, `${name}-app`))?.spec).toMatchObject({ path: `./${winner}` });
      const show = JSON.parse((await cli(['k8s-configuration', 'flux', 'show', '-n', name])).stdout);
      expect(show.gitRepository.url).toBe(`https://example.com/${winner}`);
    }
  });

  it('show and list are built from the live objects and name the fields that drifted from the record', async () => {
    const ns = uniqueName('adrift');
    const name = uniqueName('c');
    expect((await cli(create(name, ns))).exitCode).toBe(0);
    const clean = await cli(['k8s-configuration', 'flux', 'show', '-n', name]);
    expect(clean.stderr).not.toMatch(/Warning/);
    // someone edits the live objects (kubectl edit)
    const edit = (plural: string, obj: object, apiVersion: string, kind: string, objName: string) =>
      kube.request('PATCH', `/apis/${apiVersion}/namespaces/${ns}/${plural}/${objName}`, {
        query: { fieldManager: 'kubectl-edit', force: 'true' },
        body: { apiVersion, kind, metadata: { name: objName, namespace: ns }, spec: obj },
        contentType: 'application/apply-patch+yaml',
      });
    await edit('gitrepositories', { ref: { branch: 'hotfix' } }, SRC, 'GitRepository', name);
    await edit('kustomizations', { path: './hotfix', interval: '1m0s' }, KS, 'Kustomization', `${name}-app`);
    const show = await cli(['k8s-configuration', 'flux', 'show', '-n', name]);
    expect(show.exitCode).toBe(0);
    const view = JSON.parse(show.stdout);
    expect(view.gitRepository.repositoryRef).toEqual({ branch: 'hotfix', tag: null, semver: null, commit: null });
    expect(view.kustomizations.app).toMatchObject({ path: './hotfix', syncIntervalInSeconds: 60 });
    expect(show.stderr).toContain(
      `Warning! Flux configuration '${name}': the live objects differ from what was last applied by fluxcfg ` +
        '(changed outside fluxcfg, or a write that failed halfway) in gitRepository.repositoryRef.branch, ' +
        'kustomizations.app.path, kustomizations.app.syncIntervalInSeconds',
    );
    const list = await cli(['k8s-configuration', 'flux', 'list', '--namespace', ns]);
    expect(JSON.parse(list.stdout)[0].kustomizations.app.path).toBe('./hotfix');
    expect(list.stderr).toContain('kustomizations.app.path');
  });

  it('after an update that failed halfway, show prints what the cluster holds and warns', async () => {
    const ns = uniqueName('ahalf');
    const name = uniqueName('c');
    expect((await cli(create(name, ns))).exitCode).toBe(0);
    const gone = serverGoneFrom((req) => isRealWrite(req, 'kustomizations'));
    const update = [
      'k8s-configuration',
      'flux',
      'update',
      '-n',
      name,
      '-k',
      'name=app',
      'path=./v2',
      '--branch',
      'dev',
      '--no-validate',
    ];
    const r = await faulty(update, gone);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`not applied: Kustomization ${ns}/${name}-app`);
    const show = await cli(['k8s-configuration', 'flux', 'show', '-n', name]);
    const view = JSON.parse(show.stdout);
    expect(view.kustomizations.app.path).toBe('./app');
    expect(view.gitRepository.repositoryRef.branch).toBe('dev');
    expect(show.stderr).toMatch(/differ from what was last applied .* in kustomizations\.app\.path;/);
    // the re-run settles it
    const again = await cli(update);
    expect(again.exitCode).toBe(0);
    const settled = await cli(['k8s-configuration', 'flux', 'show', '-n', name]);
    expect(settled.stderr).not.toMatch(/Warning/);
    expect(JSON.parse(settled.stdout).kustomizations.app.path).toBe('./v2');
  });

  it('a namespace being deleted is named as such, not as a missing RBAC right, and nothing is applied', async () => {
    const ns = uniqueName('aterm');
    const name = uniqueName('c');
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    // no namespace controller runs here: the namespace stays Terminating
    await kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: ns });
    const r = await cli(create(name, ns));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`because it is being terminated`);
    expect(r.stderr).toContain(
      `hint: namespace ${ns} is being deleted: wait until it is gone, then re-run (this is not a missing RBAC right)`,
    );
    expect(r.stderr).not.toMatch(/lacks this permission/);
    expect(await kube.list(RBAC, 'ClusterRoleBinding', { labelSelector: `fluxcfg.io/configuration=${name}` })).toEqual(
      [],
    );
  });

  describe('--wait and compliance', () => {
    const readyTrue = (generation: number) => ({
      observedGeneration: generation,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Succeeded',
          message: 'ok',
          lastTransitionTime: '2026-11-01T10:00:00Z',
          observedGeneration: generation,
        },
      ],
    });

    it('fails at once on a Kustomization that Flux stalled (terminal), not after the whole timeout', async () => {
      const ns = uniqueName('await');
      const name = uniqueName('c');
      const started = Date.now();
      const pending = cli([...create(name, ns), '--wait', '--wait-timeout', '60s']);
      for (let i = 0; i < 100 && !(await get(KS, 'Kustomization', ns, `${name}-app`)); i++)
        await new Promise((r) => setTimeout(r, 100));
      await kube.mergePatch(
        { apiVersion: SRC, kind: 'GitRepository', namespace: ns, name },
        { status: readyTrue(1) },
        'status',
      );
      await kube.mergePatch(
        { apiVersion: KS, kind: 'Kustomization', namespace: ns, name: `${name}-app` },
        {
          status: {
            observedGeneration: 1,
            conditions: [
              {
                type: 'Ready',
                status: 'False',
                reason: 'InvalidPath',
                message: 'path ./app not found',
                lastTransitionTime: '2026-11-01T10:00:00Z',
              },
              {
                type: 'Stalled',
                status: 'True',
                reason: 'InvalidPath',
                message: 'path ./app not found',
                lastTransitionTime: '2026-11-01T10:00:00Z',
              },
            ],
          },
        },
        'status',
      );
      const r = await pending;
      expect(r.exitCode).toBe(1);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(r.stderr).toContain(
        `error: Flux reports a failure that waiting will not fix: Kustomization ${ns}/${name}-app (Stalled: InvalidPath path ./app not found)`,
      );
    });

    it('a status about an older generation is Pending in show and list, and --wait does not accept it', async () => {
      const ns = uniqueName('astale');
      const name = uniqueName('c');
      expect((await cli(create(name, ns))).exitCode).toBe(0);
      await kube.mergePatch(
        { apiVersion: SRC, kind: 'GitRepository', namespace: ns, name },
        { status: readyTrue(1) },
        'status',
      );
      await kube.mergePatch(
        { apiVersion: KS, kind: 'Kustomization', namespace: ns, name: `${name}-app` },
        { status: readyTrue(1) },
        'status',
      );
      expect(JSON.parse((await cli(['k8s-configuration', 'flux', 'show', '-n', name])).stdout).complianceState).toBe(
        'Compliant',
      );
      // the spec changes (generation 2); the controller has not looked at it yet
      const r = await cli([
        'k8s-configuration',
        'flux',
        'update',
        '-n',
        name,
        '-k',
        'name=app',
        'path=./v2',
        '--no-validate',
        '--wait',
        '--wait-timeout',
        '2s',
      ]);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain(
        `Kustomization ${ns}/${name}-app (not yet reconciled by its controller (observedGeneration behind))`,
      );
      const show = JSON.parse((await cli(['k8s-configuration', 'flux', 'show', '-n', name])).stdout);
      expect(show.complianceState).toBe('Pending');
      expect(show.statuses.find((s: { kind: string }) => s.kind === 'Kustomization').complianceState).toBe('Pending');
      const list = JSON.parse((await cli(['k8s-configuration', 'flux', 'list', '--namespace', ns])).stdout);
      expect(list[0].complianceState).toBe('Pending');
    });
  });
});
