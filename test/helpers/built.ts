// A fresh bundle of the CLI for tests that run it as a process (shells, tmux, the sandbox): src/ bundled with esbuild
// (ES modules, split) into .tmp/<tag>/, so parallel test files never share or race on dist/. The shipped start-up
// path (scripts/build.mjs, bin/fluxcfg.js, dist/) is tested by test/commands/bundle.test.ts.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './fixtures.js';

export interface BuiltCli {
  /** A directory holding an executable `fluxcfg`, to put first on PATH. */
  readonly binDir: string;
  /** The `fluxcfg` executable. */
  readonly bin: string;
  /** Removes the bundle. */
  remove(): void;
}

export async function buildCli(tag: string): Promise<BuiltCli> {
  const dir = path.join(repoRoot, '.tmp', `cli-${tag}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  await build({
    entryPoints: { main: path.join(repoRoot, 'src/main.ts') },
    outdir: path.join(dir, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    define: { FLUXCFG_VERSION: JSON.stringify('0.0.0-test') },
    banner: {
      js:
        "import { createRequire as __fluxcfgRequire } from 'node:module'; " +
        'const require = __fluxcfgRequire(import.meta.url);',
    },
  });
  const entry = path.join(dir, 'dist', 'fluxcfg.mjs');
  writeFileSync(entry, "import { main } from './main.js';\nprocess.exitCode = await main(process.argv.slice(2));\n");
  const bin = path.join(dir, 'bin', 'fluxcfg');
  writeFileSync(bin, `#!/bin/sh\nexec '${process.execPath}' '${entry}' "$@"\n`);
  chmodSync(bin, 0o755);
  return { binDir: path.join(dir, 'bin'), bin, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
