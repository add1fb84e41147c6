// Bundles src/main.ts into one CommonJS file, dist/main.cjs, with esbuild, then runs `--help` and a `create
// --export` once so that bin/fluxcfg.js writes their V8 code caches (dist/cache/; the cluster commands write theirs
// on their first successful run). One bundle starts ~3x faster than Node's loader walking node_modules
// (../shared/docs/performance-notes.md); with the code cache V8 skips compiling it, so the start-up is close to
// `node -e 0`. The big libraries only some paths need are bundles of their own under dist/vendor/, required on
// first use (the `vendor` table). FLUXCFG_BUILD_ROOT builds into another folder holding a copy of bin/
// (test/commands/bundle.test.ts).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repo = fileURLToPath(new URL('..', import.meta.url));
const root = process.env.FLUXCFG_BUILD_ROOT ?? repo;
const dist = path.join(root, 'dist');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
/**
 * The libraries only some paths need: dist/vendor/<file>.cjs re-exports only what src/ takes from each, so esbuild
 * drops the rest (a name missing here is undefined at run time: test/commands/bundle.test.ts runs a path through
 * each).
 */
const vendor = {
  '@kubernetes/client-node': { file: 'client-node', names: 'KubeConfig' }, // exec and auth-provider credentials
  '@inquirer/prompts': { file: 'inquirer', names: 'confirm, input, password, select, checkbox' }, // prompts
  execa: { file: 'execa', names: 'execa' }, // git, ssh-keyscan
  ora: { file: 'ora', names: 'default' }, // a spinner at a terminal
  '@jmespath-community/jmespath': { file: 'jmespath', names: 'search' }, // --query
};
/**
 * Builtins that cost milliseconds to load and that --help, --export and most requests never touch: commander
 * requires child_process, the API client http/https/tls (which pull in net and crypto), the extension cache crypto
 * and zlib, file reads fs/promises (streams, readline), chalk and the kubeconfig os, the terminal checks tty (net,
 * streams).
 */
const lazyBuiltins = ['crypto', 'child_process', 'zlib', 'http', 'https', 'net', 'tls', 'fs/promises', 'os', 'tty'];
/** A regular expression matching exactly these names. */
const exactly = (names, prefix = '') =>
  new RegExp(`^${prefix}(${names.map((n) => n.replace(/[/.@-]/g, (c) => `\\${c}`)).join('|')})$`);
/**
 * tty.isatty(fd) answered without loading tty when fd is plainly not a terminal: only a character device other than
 * /dev/null can be one. Output to a pipe or a file then never loads tty, net and the streams (~3 ms), though src/ui/io.ts
 * and chalk (when loaded) ask.
 */
const cheapIsatty = `const fs = require('node:fs');
Object.defineProperty(module.exports, 'isatty', {
  enumerable: true,
  get: () => (fd) => {
    let st;
    try {
      st = fs.fstatSync(fd);
    } catch {
      return false;
    }
    return st.isCharacterDevice() && st.rdev !== fs.statSync('/dev/null').rdev && load().isatty(fd);
  },
});`;
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'warning' };
rmSync(dist, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { main: path.join(repo, 'src/main.ts') },
  outfile: path.join(dist, 'main.cjs'),
  sourcemap: 'linked',
  minifyWhitespace: true,
  minifySyntax: true,
  define: { FLUXCFG_VERSION: JSON.stringify(pkg.version) },
  plugins: [
    {
      // The lazy builtins, loaded on first property access. The stand-in is a plain object with one getter per
      // export (listed here, at build time):
      // esbuild's ESM interop copies an imported module's properties as getters, so an import alone loads nothing
      // (a Proxy would be loaded by that copy's enumeration).
      name: 'lazy-builtins',
      setup(b) {
        b.onResolve({ filter: exactly(lazyBuiltins, '(?:node:)?') }, (args) =>
          args.namespace === 'lazy-builtin'
            ? { path: args.path, external: true }
            : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' },
        );
        b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
          loader: 'js',
          contents: `let real;
const load = () => (real ??= require('node:${args.path}'));
${args.path === 'tty' ? cheapIsatty : ''}
for (const key of ${JSON.stringify(Object.keys(require(`node:${args.path}`)))})
  if (!(key in module.exports)) Object.defineProperty(module.exports, key, { get: () => load()[key], enumerable: true });`,
        }));
      },
    },
    {
      // A vendor library is a stand-in module of the bundle that requires dist/vendor/<name>.cjs, so that src/'s
      // `await import(...)` becomes a require: the bundle runs in a vm.Script, where a real import() has no loader
      // ("A dynamic import callback was not specified").
      name: 'vendor',
      setup(b) {
        b.onResolve({ filter: exactly(Object.keys(vendor)) }, (args) => ({ path: args.path, namespace: 'vendor' }));
        b.onLoad({ filter: /.*/, namespace: 'vendor' }, (args) => ({
          loader: 'js',
          contents: `export { ${vendor[args.path].names} } from './vendor/${vendor[args.path].file}.cjs';`,
        }));
        b.onResolve({ filter: /^\.\/vendor\//, namespace: 'vendor' }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});
// bin/fluxcfg.js reads the bundle as latin1, which skips UTF-8 decoding (~1 ms): esbuild escapes non-ASCII text
// (charset ascii), but not in a regular expression literal, where src/ writes \u escapes.
const nonAscii = /[^\x00-\x7f]/.exec(readFileSync(path.join(dist, 'main.cjs'), 'latin1'));
if (nonAscii) throw new Error(`dist/main.cjs holds a non-ASCII character at ${nonAscii.index}: write it as \\u escape`);
for (const [from, { file, names }] of Object.entries(vendor))
  await build({
    ...common,
    stdin: { contents: `export { ${names} } from '${from}';`, resolveDir: repo, loader: 'js' },
    outfile: path.join(dist, 'vendor', `${file}.cjs`),
  });
const bin = path.join(root, 'bin', 'fluxcfg.js');
for (const args of [
  ['--help'],
  // a full one: the kustomization parsing and every rendered kind are compiled into its cache
  [
    'k8s-configuration', 'flux', 'create', '-n', 'x', '--namespace', 'x', '-u', 'https://example.com/r', '--branch',
    'main', '--https-user', 'u', '--https-key', 'k', '-k', 'name=infra', 'path=./infra', '-k', 'name=apps',
    'path=./apps', 'depends_on=infra', '--export',
  ], // prettier-ignore
])
  spawnSync(process.execPath, [bin, ...args], { stdio: 'ignore' });
