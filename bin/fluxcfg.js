#!/usr/bin/env node
// Start-up near Node's own: a lone --version is answered before anything is loaded; the CLI is one CommonJS bundle
// (dist/main.cjs), compiled with a V8 code cache of the command being run. A code cache holds what one run
// compiled, so each command has its own (dist/cache/<command words>.cache; --help and --export runs apart from the
// command's others): written after the first run of that command that succeeds, rewritten whenever V8 rejects it
// (after a Node upgrade, say), silently skipped where dist/ is read-only; the build writes those of `--help` and
// `create --export`. The process exits as soon as main returns its code: every write is done by then (pipes and
// files are written with write(2), terminals synchronously), and the event loop would only add a scheduled GC and
// the closing of idle sockets (~1 ms).
// Works the same on Node 20 and 22. This file is CommonJS (bin/package.json): an ES module entry would start
// Node's ESM loader (module jobs, streams, fs/promises), a few milliseconds the CLI never uses.
'use strict';
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version}\n`);
} else {
  loadMain()
    .main(argv)
    .then((code) => process.exit(code));
}

/**
 * `k8s-configuration.flux.show`: the leading command words (at most 4), then `.help`, `.export` or `.fleet` (a fleet
 * flag) when given.
 */
function cacheKey() {
  const words = [];
  for (const word of argv) {
    if (words.length === 4 || !/^[a-z][a-z0-9-]*$/.test(word)) break;
    words.push(word);
  }
  const given = (flag) => argv.some((a) => a === flag || a.startsWith(`${flag}=`));
  if (given('--help') || given('-h')) words.push('help');
  else if (given('--export')) words.push('export');
  else if (given('--contexts') || given('--all-contexts') || given('--context-selector')) words.push('fleet');
  return words.join('.') || 'main';
}

function loadMain() {
  const module_ = require('node:module');
  const vm = require('node:vm');
  const dist = path.join(__dirname, '..', 'dist');
  const file = path.join(dist, 'main.cjs');
  const cacheFile = path.join(dist, 'cache', `${cacheKey()}.cache`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // latin1: the bundle is ASCII (scripts/build.mjs checks), and latin1 skips the UTF-8 decoding
  const script = new vm.Script(module_.wrap(readFileSync(file, 'latin1')), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected)
    process.once('exit', (code) => {
      if (code !== 0) return; // a failed run (a misspelt command, say) leaves no cache
      try {
        mkdirSync(path.dirname(cacheFile), { recursive: true });
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
