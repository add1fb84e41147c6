// The shipped start-up path, as `npm run build` makes it: bin/fluxcfg.js loading dist/main.cjs with a V8 code cache
// per command. Built here into a temporary folder (FLUXCFG_BUILD_ROOT). What it loads is checked from the Node
// modules list, not timed: --help and --export load no net, tls, http or streams when stdout is a pipe, and print
// what the in-process CLI prints.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/fixtures.js';

let root: string;
const exportArgs = [
  'k8s-configuration', 'flux', 'create', '-n', 'x', '--namespace', 'x', '-u', 'https://example.com/org/repo',
  '--branch', 'main', '-k', 'name=infra', 'path=./infra', '--export',
]; // prettier-ignore

/** Runs the built bin with stdout and stderr on pipes; `modules` lists the Node built-ins it loaded. */
function bin(args: string[]): { status: number | null; stdout: string; stderr: string; modules: string[] } {
  const list = path.join(root, `modules-${process.hrtime.bigint()}.txt`);
  const preload = path.join(root, 'modules.cjs');
  const r = spawnSync(process.execPath, ['-r', preload, path.join(root, 'bin', 'fluxcfg.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', FLUXCFG_MODULES_LIST: list },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const modules = existsSync(list) ? spawnSync('cat', [list], { encoding: 'utf8' }).stdout.split('\n') : [];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, modules };
}

const caches = () => readdirSync(path.join(root, 'dist', 'cache')).sort();

describe('the built CLI (bin/fluxcfg.js + dist/main.cjs)', () => {
  beforeAll(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-bundle-'));
    cpSync(path.join(repoRoot, 'bin'), path.join(root, 'bin'), { recursive: true });
    cpSync(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'));
    // the built-in modules loaded, written (without loading a stream) when the process exits
    writeFileSync(
      path.join(root, 'modules.cjs'),
      "process.on('exit', () => require('fs').writeFileSync(process.env.FLUXCFG_MODULES_LIST, " +
        "process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).join('\\n')));\n",
    );
    const built = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, FLUXCFG_BUILD_ROOT: root },
    });
    expect(built.status, built.stderr).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the build writes the code caches of --help and of create --export', () => {
    expect(caches()).toEqual(['help.cache', 'k8s-configuration.flux.create.export.cache']);
  });

  it('--help and create --export load no net, tls, http, streams or child_process, and print what main prints', async () => {
    const help = bin(['--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: fluxcfg [options] [command]');
    const exported = bin(exportArgs);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toBe((await runCli(exportArgs)).stdout);
    for (const r of [help, exported]) {
      expect(r.modules.length).toBeGreaterThan(0);
      const heavy = r.modules.filter((m) => /^NativeModule (net|tls|https?|stream|tty|child_process|zlib)$/.test(m));
      expect(heavy).toEqual([]);
    }
  });

  it('a command writes its own cache after its first successful run; a failed run writes none', () => {
    expect(bin(['k8s-configuration', 'flux', 'show', '--help']).status).toBe(0);
    expect(caches()).toContain('k8s-configuration.flux.show.help.cache');
    expect(bin(['k8s-configuration', 'flux', 'craete']).status).toBe(2);
    expect(caches().some((f) => f.includes('craete'))).toBe(false);
    expect(caches().filter((f) => !f.endsWith('.cache'))).toEqual([]); // no temp file left
  });

  it('a cache V8 rejects (corrupt, another Node) is replaced, and the run is unaffected', () => {
    const file = path.join(root, 'dist', 'cache', 'help.cache');
    writeFileSync(file, 'not a code cache');
    const r = bin(['--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage: fluxcfg');
    expect(spawnSync('stat', ['-c', '%s', file], { encoding: 'utf8' }).stdout.trim()).not.toBe('16');
  });

  it('the libraries bundled apart (dist/vendor) load from the bundle: --query, ssh-keyscan, a credential plugin, a prompt, a spinner', () => {
    const queried = bin([...exportArgs, '--query', '[].kind', '-o', 'tsv']); // JMESPath
    expect(queried.status, queried.stderr).toBe(0);
    expect(queried.stdout.split('\n')).toContain('GitRepository');
    const key = path.join(repoRoot, 'test/unit/model/fixtures/id_test_ed25519');
    const sshArgs = [...exportArgs.slice(0, 8), 'ssh://git@127.0.0.1:1/org/repo', '--ssh-private-key-file', key];
    const scanned = bin([...sshArgs, ...exportArgs.slice(9)]); // execa runs ssh-keyscan
    expect(scanned.status).toBe(1);
    expect(scanned.stderr).toMatch(/ssh-keyscan|SSH key scan/i);
    expect(scanned.stderr).not.toContain('internal error');
    // a kubeconfig whose user runs a credential plugin is read by @kubernetes/client-node
    const plugin = path.join(root, 'cred.sh');
    writeFileSync(
      plugin,
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'\n`,
      { mode: 0o755 },
    );
    const kubeconfig = path.join(root, 'kubeconfig');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: x',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]',
      `users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, interactiveMode: Never}}}]`,
      'contexts: [{name: x, context: {cluster: c, user: u}}]',
    ].join('\n')); // prettier-ignore
    const listed = bin(['k8s-configuration', 'flux', 'list', '--kubeconfig', kubeconfig, '--request-timeout', '2s']);
    expect(listed.status).toBe(1);
    expect(listed.stderr).toContain('cannot reach the Kubernetes API server https://127.0.0.1:1');
    // On a terminal (util-linux script): the guided create asks (@inquirer/prompts), validate spins (ora).
    const onTerminal = (args: string[], size = 'stty cols 100 rows 30; ', timeout = 8000) => {
      const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
      delete env.CI;
      const command = `${size}${[process.execPath, path.join(root, 'bin', 'fluxcfg.js'), ...args].join(' ')}`;
      return spawnSync('script', ['-qfec', command, '/dev/null'], { encoding: 'utf8', env, timeout });
    };
    // the guided create waits for an answer: killed after its first question
    const asked = onTerminal(['k8s-configuration', 'flux', 'create'], undefined, 2500);
    expect(asked.stdout).toContain('Name of the configuration');
    writeFileSync(path.join(root, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n');
    const validate = ['k8s-configuration', 'flux', 'validate', '--path', root, '--multi-tenancy', 'enforce'];
    const spun = onTerminal(validate);
    expect(spun.status, spun.stdout).toBe(0);
    expect(spun.stdout).toMatch(/\x1b\[36m\S+\x1b\[39m validating/); // ora's cyan frame
    expect(spun.stdout).not.toMatch(/Error|internal error/);
    // a terminal nobody sized (0 columns): plain progress lines, not a spinner that clears lines forever
    const unsized = onTerminal(validate, '');
    expect(unsized.status, unsized.stdout.slice(-300)).toBe(0);
    expect(unsized.stdout).toContain('validating');
    expect(unsized.stdout).not.toContain('\x1b[1A');
  }, 30_000);

  it('--version answers from package.json without loading the bundle', () => {
    const r = bin(['--version']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.modules).not.toContain('NativeModule vm');
  });
});
