// A clean checkout stays clean: the README's test command is what CI runs, and package-lock.json agrees with
// package.json (else `npm ci` refuses and `npm install` rewrites the lockfile, leaving `git status` dirty).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');

describe('the checkout', () => {
  it('.ci/run runs exactly the README test command, which installs with npm ci', () => {
    const block = /Run the tests[^\n]*\n\n```sh\n([^\n]+)\n```/.exec(read('README.md'));
    expect(block?.[1]).toBe('bash scripts/setup-tests.sh && npm ci && npm test');
    const commands = read('.ci/run')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#') && !/^(set|cd|export) /.test(l));
    expect(commands).toEqual([block![1]]);
  });

  it('package-lock.json records the dependencies package.json declares', () => {
    const pkg = JSON.parse(read('package.json')) as Record<string, unknown>;
    const lock = JSON.parse(read('package-lock.json')) as {
      name: string;
      version: string;
      packages: Record<string, Record<string, unknown>>;
    };
    const root = lock.packages['']!;
    expect({ name: lock.name, version: lock.version }).toEqual({ name: pkg.name, version: pkg.version });
    for (const key of ['dependencies', 'devDependencies', 'engines', 'bin']) expect(root[key], key).toEqual(pkg[key]);
    // every declared package is locked at a version
    for (const name of Object.keys({ ...(pkg.dependencies as object), ...(pkg.devDependencies as object) }))
      expect(lock.packages[`node_modules/${name}`]?.version, name).toMatch(/^\d+\.\d+\.\d+/);
  });
});
