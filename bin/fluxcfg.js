#!/usr/bin/env node
// Start-up near Node's own: a lone --version is answered before anything is loaded; the CLI is one CommonJS bundle
// (dist/main.cjs) compiled with a V8 code cache kept next to it (dist/main.cjs.cache, written by the build and
// rewritten after a run whenever V8 rejects it, e.g. after a Node upgrade; silently skipped where dist/ is
// read-only). Works the same on Node 20 and 22.
import module from 'node:module';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  process.exitCode = await loadMain().main(argv);
}

function loadMain() {
  const dist = fileURLToPath(new URL('../dist/', import.meta.url));
  const file = path.join(dist, 'main.cjs');
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected)
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // a read-only install runs without the cache
      }
    });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, module.createRequire(file), mod, file, dist);
  return mod.exports;
}
