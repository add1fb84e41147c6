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

  it('--version answers from package.json without loading the bundle', () => {
    const r = bin(['--version']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.modules).not.toContain('NativeModule vm');
  });
});
