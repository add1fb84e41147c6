// Bundles src/main.ts into dist/ with esbuild. One bundle starts ~3x faster than Node's loader walking
// node_modules (../shared/docs/performance-notes.md); @kubernetes/client-node lands in a chunk of its own that
// only commands talking to a cluster load.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { FLUXCFG_VERSION: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __fluxcfgRequire } from 'node:module'; const require = __fluxcfgRequire(import.meta.url);",
  },
});
