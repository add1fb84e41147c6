#!/usr/bin/env node
// A lone --version is answered before the bundle is loaded (Node's start-up is all it costs); Node >= 22.1 keeps
// a V8 code cache of the bundle between runs (module.enableCompileCache).
import module from 'node:module';
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  module.enableCompileCache?.();
  const { main } = await import('../dist/main.js');
  process.exitCode = await main(argv);
}
