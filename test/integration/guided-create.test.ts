// Guided create at a real terminal (tmux) against the test API server: the prompts, az's message for a bad answer,
// the summary and the equivalent command line (run again without a terminal, --export, and compared with what the
// guided run created), Ctrl-C (exit 130, no request), CI=true (no prompt, the usage error as without a terminal),
// and the extension's questions up to a declined confirmation.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/k8s/types.js';
import { buildCli, type BuiltCli } from '../helpers/built.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';
import { tmux, type TmuxSession } from '../helpers/tmux.js';

const URL = 'https://github.com/Azure/gitops-flux2-kustomize-helm-mt';
const TOKEN = 'tok-9f8e7d-very-secret';
/** A request logged by --debug (`GET /api/v1/... 200 3 ms`). */
const REQUEST = /\b(GET|POST|PUT|PATCH|DELETE) \/(api|apis)\//;

/** The equivalent command line on the screen: its lines as printed, and joined (continuations removed). */
function printedLine(screen: string): { lines: string[]; line: string } {
  const all = screen.split('\n');
  const start = all.findIndex((l) => l.startsWith('  fluxcfg '));
  expect(start, screen).toBeGreaterThanOrEqual(0);
  const lines = [all[start]!];
  while (lines.at(-1)!.endsWith(' \\')) lines.push(all[start + lines.length]!);
  return { lines, line: lines.map((l) => l.trim().replace(/ \\$/, '')).join(' ') };
}

describe.skipIf(!cluster)('guided create at a terminal', () => {
  let cli: BuiltCli;
  beforeAll(async () => {
    cli = await buildCli('guided-it');
  }, 90_000);
  afterAll(() => cli?.remove());

  const env = () => ({ PATH: `${cli.binDir}:${process.env.PATH}`, PS1: '$ ', HOME: process.env.HOME });
  const session = (width = 200) => tmux('sh', { env: env(), width, height: 70 });
  /** Types an answer and presses Enter, once the prompt is on the screen. */
  const answer = async (t: TmuxSession, prompt: RegExp, text: string, key = 'Enter') => {
    await t.waitFor(prompt);
    await t.send(text, key);
  };

  it(
    'asks, re-asks a bad URL with az message, prints the summary and a command line that creates the same objects',
    { timeout: 120_000 },
    async () => {
      const kubeconfig = requireCluster().kubeconfig;
      const ns = uniqueName('guided');
      const name = uniqueName('gc');
      const t = await session();
      try {
        await t.send(
          `fluxcfg k8s-configuration flux create --no-validate --kubeconfig ${kubeconfig}; echo EXIT=$?`,
          'Enter',
        );
        await answer(t, /\? Name of the configuration \(--name\):/, 'Bad_Name');
        await t.waitFor(/Error! Invalid --name Parameter --name can only contain lowercase alphanumeric/);
        await t.send('', 'C-u');
        await t.send(name, 'Enter');
        await answer(t, /\? Namespace \(--namespace\): \(default\)/, ns);
        await answer(t, /\? Scope \(--scope\)/, ''); // cluster
        await answer(t, /\? Source kind \(--kind\)/, ''); // git
        await answer(t, /\? URL of the source \(--url\):/, 'ftp://example.com/repo');
        await t.waitFor(
          /Error! Invalid --url\. Url must begin with one of \['http:\/\/', 'https:\/\/', 'git@', 'ssh:\/\/'\]/,
        );
        expect(t.screen()).toMatch(/\? URL of the source \(--url\): ftp:\/\/example.com\/repo/); // asked again
        await t.send('', 'C-u');
        await t.send(URL, 'Enter');
        await answer(t, /\? Reference to reconcile \(--branch\/--tag\/--semver\/--commit\)/, ''); // branch
        await answer(t, /\? branch: \(main\)/, '');
        await answer(t, /\? Authentication/, '', 'Down');
        await t.send('', 'Enter'); // HTTPS user and token
        await answer(t, /\? HTTPS user \(--https-user\):/, 'git');
        await answer(t, /\? HTTPS token or password \(--https-key, not shown\):/, TOKEN);
        await answer(t, /\? Add a kustomization \(-k\)\? \(Y\/n\)/, '');
        await answer(t, /\? Kustomization name:/, 'infra');
        await answer(t, /\? Path in the source: \(\.\/\)/, './infrastructure');
        await answer(t, /\? Prune .*\(Y\/n\)/, '');
        await answer(t, /\? Add another kustomization\? \(y\/N\)/, 'y');
        await answer(t, /\? Kustomization name:(?! infra)/, 'apps');
        await answer(t, /\? Path in the source: \(\.\/\)/, './apps/staging');
        await answer(t, /\? Prune .*\(Y\/n\)\s*$/m, 'n');
        await answer(t, /\? Depends on/, '', 'Down');
        await t.send('', 'Enter'); // infra
        await answer(t, /\? Add another kustomization\? \(y\/N\)\s*$/m, 'n');
        const screen = await t.waitFor(/\? Create this configuration\? \(Y\/n\)/);

        expect(screen).toContain(`  name           ${name}\n  namespace      ${ns}\n  scope          cluster\n`);
        expect(screen).toContain(`  url            ${URL}\n  branch         main\n`);
        expect(screen).toContain("  auth           HTTPS user 'git' and a token (hidden)");
        expect(screen).toContain('  kustomization  name=infra path=./infrastructure prune=true');
        expect(screen).toContain('  kustomization  name=apps path=./apps/staging prune=false dependsOn=infra');
        expect(screen).toContain('The same without questions (set FLUXCFG_HTTPS_KEY to the secret first):');
        const { lines, line } = printedLine(screen);
        expect(line).toBe(
          `fluxcfg k8s-configuration flux create --no-validate --kubeconfig ${kubeconfig} --name ${name} ` +
            `--namespace ${ns} --scope cluster --kind git --url ${URL} --branch main --https-user git ` +
            '--https-key "$FLUXCFG_HTTPS_KEY" -k name=infra path=./infrastructure prune=true ' +
            '-k name=apps path=./apps/staging prune=false dependsOn=infra',
        );
        for (const l of lines) expect(l.length).toBeLessThanOrEqual(120);
        expect(lines.length).toBeGreaterThan(1);

        await t.send('', 'Enter'); // Create this configuration? yes
        const done = await t.waitFor(/^EXIT=\d+$/m, { timeoutMs: 60_000 });
        expect(done).toMatch(/^EXIT=0$/m);
        expect(done).not.toContain(TOKEN);

        // What the guided run created
        const kube = await client('admin');
        const repo = await kube.get({
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          namespace: ns,
          name,
        });
        expect(repo?.spec).toMatchObject({
          url: URL,
          ref: { branch: 'main' },
          secretRef: { name: `git-auth-${name}` },
        });
        const secret = await kube.get({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: `git-auth-${name}` });
        const data = (secret as KubeObject & { data: Record<string, string> }).data;
        expect(Buffer.from(data.password!, 'base64').toString()).toBe(TOKEN); // typed at the prompt, passed in-process
        expect(Buffer.from(data.username!, 'base64').toString()).toBe('git');

        // The printed line, run without a terminal: the same objects
        const exported = spawnSync('sh', ['-c', `${line} --export -o json`], {
          env: { ...env(), CI: 'true', FLUXCFG_HTTPS_KEY: 'placeholder' },
          encoding: 'utf8',
        });
        expect(exported.status, exported.stderr).toBe(0);
        const objects = JSON.parse(exported.stdout) as KubeObject[];
        expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
          expect.arrayContaining([
            `GitRepository/${name}`,
            `Kustomization/${name}-infra`,
            `Kustomization/${name}-apps`,
          ]),
        );
        for (const o of objects) {
          const live = await kube.get({
            apiVersion: o.apiVersion,
            kind: o.kind,
            namespace: o.metadata.namespace,
            name: o.metadata.name,
          });
          expect(live, `${o.kind}/${o.metadata.name}`).toBeDefined();
          const spec = (o as KubeObject & { spec?: unknown }).spec;
          if (spec) expect((live as KubeObject & { spec?: unknown }).spec).toEqual(spec);
          expect(live!.metadata.labels).toMatchObject(o.metadata.labels ?? {});
        }
        kube.close();
      } finally {
        await t.kill();
      }
    },
  );

  it('Ctrl-C at a prompt: exit 130, no API request, nothing written', { timeout: 60_000 }, async () => {
    const kubeconfig = requireCluster().kubeconfig;
    const ns = uniqueName('guided-cc');
    const t = await session();
    try {
      await t.send(`fluxcfg k8s-configuration flux create --debug --kubeconfig ${kubeconfig}; echo EXIT=$?`, 'Enter');
      await answer(t, /\? Name of the configuration \(--name\):/, uniqueName('cc'));
      await answer(t, /\? Namespace \(--namespace\):/, ns);
      await t.waitFor(/\? Scope \(--scope\)/);
      await t.send('', 'C-c');
      const screen = await t.waitFor(/^EXIT=\d+$/m);
      expect(screen).toMatch(/^EXIT=130$/m);
      expect(screen).toContain('error: Operation cancelled.');
      expect(screen).not.toMatch(REQUEST);
      const kube = await client('admin');
      expect(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: ns })).toBeUndefined();
      kube.close();
    } finally {
      await t.kill();
    }
  });

  it('CI=true at a terminal: no prompt, the usage error names the missing flag', { timeout: 60_000 }, async () => {
    const t = await session();
    try {
      await t.send(
        `CI=true fluxcfg k8s-configuration flux create --kubeconfig ${requireCluster().kubeconfig}; echo EXIT=$?`,
        'Enter',
      );
      const screen = await t.waitFor(/^EXIT=\d+$/m);
      expect(screen).toMatch(/^EXIT=2$/m);
      expect(screen).toContain("error: required option '-n, --name <name>' not specified");
      expect(screen).not.toContain('? Name');
      await t.send('CI=true fluxcfg k8s-extension create -n flux; echo EXIT2=$?', 'Enter');
      const ext = await t.waitFor(/^EXIT2=\d+$/m);
      expect(ext).toMatch(/^EXIT2=2$/m);
      expect(ext).toContain("error: required option '--extension-type <type>' not specified");
    } finally {
      await t.kill();
    }
  });

  it(
    'k8s-extension create: components and multi-tenancy asked; declined → no request, nothing written',
    {
      timeout: 60_000,
    },
    async () => {
      const kubeconfig = requireCluster().kubeconfig;
      const name = uniqueName('ext').slice(0, 40);
      const t = await session();
      try {
        await t.send(`fluxcfg k8s-extension create --debug --kubeconfig ${kubeconfig}; echo EXIT=$?`, 'Enter');
        await answer(t, /\? Name of the extension \(--name\): \(flux\)/, name);
        await t.waitFor(/\? Flux components to install/);
        expect(t.screen()).toMatch(/◉ source-controller[\s\S]*◉ kustomize-controller[\s\S]*◉ helm-controller/);
        expect(t.screen()).toMatch(/◯ image-automation-controller/);
        await t.send('', 'Down');
        await t.send('', 'Down');
        await t.send('', 'Space'); // helm-controller off
        await t.send('', 'Enter');
        await answer(t, /\? Enforce multi-tenancy .*\(Y\/n\)/, 'n');
        const screen = await t.waitFor(/\? Install Flux with these settings\? \(Y\/n\)/);
        expect(screen).toContain(`  name           ${name}\n  extension type microsoft.flux\n`);
        expect(screen).toContain('  components     source-controller, kustomize-controller, notification-controller');
        expect(screen).toContain('  multi-tenancy  off');
        const printed = printedLine(screen).line;
        expect(printed).toBe(
          `fluxcfg k8s-extension create --debug --kubeconfig ${kubeconfig} --name ${name} ` +
            '--extension-type microsoft.flux --config source-controller.enabled=true kustomize-controller.enabled=true ' +
            'helm-controller.enabled=false notification-controller.enabled=true ' +
            'image-automation-controller.enabled=false image-reflector-controller.enabled=false ' +
            'source-watcher.enabled=false multiTenancy.enforce=false',
        );
        await t.send('n', 'Enter');
        const done = await t.waitFor(/^EXIT=\d+$/m);
        expect(done).toMatch(/^EXIT=1$/m);
        expect(done).toContain('error: Operation cancelled.');
        expect(done).not.toMatch(REQUEST);
        const kube = await client('admin');
        expect(
          await kube.get({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace: 'flux-system',
            name: `fluxcfg-extension-${name}`,
          }),
        ).toBeUndefined();
        kube.close();
      } finally {
        await t.kill();
      }
    },
  );
});
