import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const importsOf = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^import [^;]*? from '([^']+)';/gms)].map((m) => m[1]!);
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));

describe('layers', () => {
  const index = join(src, 'commands/index.ts');
  const verbs = new Set(
    importsOf(index).filter((i) => i.startsWith('./k8s-')).map((i) => resolve(dirname(index), i.replace(/\.js$/, '.ts'))),
  );

  it('only commands/index.ts imports a verb file (shared logic lives in non-verb modules)', () => {
    expect(verbs.size).toBeGreaterThan(15);
    const crossings = walk(src)
      .filter((file) => file !== index && file.endsWith('.ts'))
      .flatMap((file) =>
        importsOf(file)
          .filter((i) => i.startsWith('.'))
          .map((i) => resolve(dirname(file), i.replace(/\.js$/, '.ts')))
          .filter((target) => verbs.has(target))
          .map((target) => `${file.slice(src.length)} → ${target.slice(src.length)}`),
      );
    expect(crossings).toEqual([]);
  });

  it('src/model imports neither commander nor the layers above it', () => {
    const bad = walk(join(src, 'model')).flatMap((file) =>
      importsOf(file)
        .filter((i) => i === 'commander' || /\/(commands|k8s|render|ui)\//.test(i))
        .map((i) => `${file.slice(src.length)} → ${i}`),
    );
    expect(bad).toEqual([]);
  });
});
