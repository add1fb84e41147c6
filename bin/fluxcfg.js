#!/usr/bin/env node
// Start-up near Node's own: a lone --version is answered before anything is loaded; the CLI is one CommonJS bundle
// (dist/main.cjs) compiled with a V8 code cache kept next to it (dist/main.cjs.cache, written by the build and
// rewritten after a run whenever V8 rejects it, e.g. after a Node upgrade; silently skipped where dist/ is
// read-only). Works the same on Node 20 and 22. This file is CommonJS (bin/package.json): an ES module entry would
// start Node's ESM loader (module jobs, streams, fs/promises), a few milliseconds the CLI never uses.
'use strict';
const module_ = require('node:module');
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version}\n`);
} else {
  loadMain()
    .main(argv)
    .then((code) => {
      process.exitCode = code;
    });
}

function loadMain() {
  const dist = path.join(__dirname, '..', 'dist');
  const file = path.join(dist, 'main.cjs');
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(module_.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
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
  script.runInThisContext()(mod.exports, module_.createRequire(file), mod, file, dist);
  return mod.exports;
}
