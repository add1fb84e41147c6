// The layering of docs/CONVENTIONS.md, checked on every import of src/**/*.ts: imports point down only, the pure
// layers (model, render) import no commander and nothing that does I/O, and a verb never imports another verb.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../src');

type Layer =
  | 'main'
  | 'fleet'
  | 'commands'
  | 'migrate'
  | 'extension'
  | 'validate'
  | 'render'
  | 'model'
  | 'k8s'
  | 'ui'
  | 'exec'
  | 'errors'
  | 'deps';

/** The layer of a file, from its path under src/. */
function layerOf(file: string): Layer {
  const top = file.split('/')[0]!;
  if (['fleet', 'commands', 'migrate', 'extension', 'validate', 'render', 'model', 'k8s', 'ui'].includes(top))
    return top as Layer;
  const single: Record<string, Layer> = {
    'main.ts': 'main',
    'exec.ts': 'exec',
    'errors.ts': 'errors',
    'deps.ts': 'deps',
  };
  const layer = single[file];
  if (!layer) throw new Error(`src/${file} belongs to no layer: add it to test/unit/layers.test.ts and CONVENTIONS.md`);
  return layer;
}

/** What each layer may import (besides itself). `deps` only with `import type`. */
const allowed: Record<Layer, readonly Layer[]> = {
  main: [
    'fleet',
    'commands',
    'migrate',
    'extension',
    'validate',
    'render',
    'model',
    'k8s',
    'ui',
    'exec',
    'errors',
    'deps',
  ],
  // one verb over many clusters: runs a parsed verb per context (main hands it over)
  fleet: ['commands', 'migrate', 'extension', 'validate', 'render', 'model', 'k8s', 'ui', 'exec', 'errors', 'deps'],
  commands: ['migrate', 'extension', 'validate', 'render', 'model', 'k8s', 'ui', 'exec', 'errors', 'deps'],
  // a feature's cluster I/O (migrate-from-v1): may use the extension install path
  migrate: ['extension', 'validate', 'render', 'model', 'k8s', 'ui', 'exec', 'errors', 'deps'],
  extension: ['validate', 'render', 'model', 'k8s', 'ui', 'exec', 'errors', 'deps'],
  validate: ['render', 'model', 'k8s', 'ui', 'exec', 'errors', 'deps'],
  // pure: from k8s only the object types (checked below), no deps, ui or exec
  render: ['model', 'k8s', 'errors'],
  model: ['k8s', 'errors'],
  k8s: ['ui', 'errors'],
  ui: ['errors'],
  exec: ['errors'],
  errors: [],
  deps: ['k8s', 'ui', 'exec'],
};
const PURE: readonly Layer[] = ['model', 'render'];
/** What a pure layer may take from src/k8s: plain object types, no client. */
const PURE_K8S = ['k8s/types.ts'];
/** Packages a pure layer must not load. */
const IMPURE_PACKAGES = ['commander', '@kubernetes/client-node', 'execa', 'ora', 'chalk', '@inquirer/prompts'];

/**
 * Known violations, to be fixed by the developer who owns these files (then this list is emptied):
 * the flux flag parsers still declare commander options in src/model, and the flux write verbs share helpers by
 * importing each other. Entries are `from -> to` (paths under src/, or a package name).
 */
const KNOWN_EXCEPTIONS: readonly string[] = [];

interface Import {
  readonly from: string;
  /** A path under src/ (`k8s/types.ts`) or a package name. */
  readonly to: string;
  readonly typeOnly: boolean;
}

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Static imports, re-exports and dynamic import() of one file, resolved to src/ paths. */
export function importsOf(file: string, text: string): Import[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Import[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (spec.startsWith('node:')) return;
    const to = spec.startsWith('.')
      ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts')
      : packageName(spec);
    out.push({ from: file, to, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : undefined;
      const typeOnly = Boolean(
        clause?.isTypeOnly || (clause && !clause.name && named && named.elements.every((e) => e.isTypeOnly)),
      );
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** Modules the registry imports that are not verbs: the verb helpers and the help examples table. */
const REGISTRY_HELPERS = new Set(['commands/verb.ts', 'commands/examples.ts']);

/** The verb files: what the registry (commands/index.ts) imports, besides its helpers. */
function verbFiles(imports: readonly Import[]): Set<string> {
  return new Set(
    imports
      .filter((i) => i.from === 'commands/index.ts' && i.to.startsWith('commands/') && !REGISTRY_HELPERS.has(i.to))
      .map((i) => i.to),
  );
}

/** Every edge that breaks a rule, as `from -> to: why`. */
export function violations(imports: readonly Import[]): string[] {
  const verbs = verbFiles(imports);
  const out: string[] = [];
  for (const i of imports) {
    const edge = `${i.from} -> ${i.to}`;
    const from = layerOf(i.from);
    if (!i.to.endsWith('.ts')) {
      if (PURE.includes(from) && IMPURE_PACKAGES.includes(i.to)) out.push(`${edge}: ${from} is pure (no ${i.to})`);
      continue;
    }
    const to = layerOf(i.to);
    if (to !== from && !allowed[from].includes(to)) out.push(`${edge}: ${from} must not import ${to}`);
    else if (to === 'deps' && !i.typeOnly) out.push(`${edge}: deps.ts is imported with import type only`);
    else if (PURE.includes(from) && to === 'k8s' && !PURE_K8S.includes(i.to))
      out.push(`${edge}: ${from} is pure (from k8s only ${PURE_K8S.join(', ')})`);
    if (verbs.has(i.to) && i.from !== 'commands/index.ts')
      out.push(`${edge}: a verb file is imported only by the registry`);
  }
  return out;
}

const all = sourceFiles().flatMap((f) => importsOf(f, readFileSync(path.join(SRC, f), 'utf8')));

describe('layers', () => {
  it('reads the imports of every source file', () => {
    expect(all.length).toBeGreaterThan(200);
    expect(all).toContainEqual({ from: 'main.ts', to: 'k8s/index.ts', typeOnly: false }); // dynamic import()
    expect(all).toContainEqual({ from: 'commands/verb.ts', to: 'deps.ts', typeOnly: true });
  });

  it('imports point down only, pure layers stay pure, verbs do not import verbs (known exceptions aside)', () => {
    const found = violations(all);
    const unexpected = found.filter((v) => !KNOWN_EXCEPTIONS.includes(v.slice(0, v.indexOf(': '))));
    expect(unexpected).toEqual([]);
  });

  it('every known exception still exists (remove the fixed ones from the list)', () => {
    const edges = new Set(violations(all).map((v) => v.slice(0, v.indexOf(': '))));
    expect(KNOWN_EXCEPTIONS.filter((e) => !edges.has(e))).toEqual([]);
  });

  it('catches each kind of violation', () => {
    const imp = (from: string, to: string, typeOnly = false): Import => ({ from, to, typeOnly });
    const registry = imp('commands/index.ts', 'commands/k8s-extension/show.ts');
    expect(
      violations([
        registry,
        imp('k8s/client.ts', 'model/naming.ts'),
        imp('model/x.ts', 'commander'),
        imp('render/x.ts', 'k8s/client.ts', true),
        imp('extension/x.ts', 'deps.ts'),
        imp('extension/x.ts', 'commands/verb.ts'),
        imp('commands/k8s-extension/list.ts', 'commands/k8s-extension/show.ts'),
        imp('extension/x.ts', 'deps.ts', true),
        imp('render/x.ts', 'k8s/types.ts', true),
      ]).map((v) => v.slice(v.indexOf(': ') + 2)),
    ).toEqual([
      'k8s must not import model',
      'model is pure (no commander)',
      'render is pure (from k8s only k8s/types.ts)',
      'deps.ts is imported with import type only',
      'extension must not import commands',
      'a verb file is imported only by the registry',
    ]);
  });
});
