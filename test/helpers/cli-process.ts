// The CLI as a real child process (signals, a terminal): src bundled once per test process with esbuild (ES modules,
// split) into .tmp/, so the tests never depend on a stale dist/. The shipped start-up path (scripts/build.mjs,
// bin/fluxcfg.js, dist/) is tested by test/commands/bundle.test.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../..');
let built: Promise<string> | undefined;

/** Path of a script that runs the CLI like bin/fluxcfg.js: `node <it> <argv...>`. */
export function cliScript(): Promise<string> {
  built ??= (async () => {
    const outdir = path.join(root, '.tmp', `cli-${process.pid}`);
    mkdirSync(outdir, { recursive: true });
    await build({
      entryPoints: { main: path.join(root, 'src/main.ts') },
      outdir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
      define: { FLUXCFG_VERSION: '"0.0.0-test"' },
      banner: {
        js: "import { createRequire as __fluxcfgRequire } from 'node:module'; const require = __fluxcfgRequire(import.meta.url);",
      },
    });
    const bin = path.join(outdir, 'fluxcfg.mjs');
    writeFileSync(bin, "import { main } from './main.js';\nprocess.exitCode = await main(process.argv.slice(2));\n");
    return bin;
  })();
  return built;
}
