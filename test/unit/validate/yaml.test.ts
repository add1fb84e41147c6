import { describe, expect, it } from 'vitest';
import { lineOf, loadDocuments, MAX_EXPANDED_NODES, splitDocuments } from '../../../src/validate/yaml.js';

describe('loadDocuments', () => {
  it('gives every mapping, key and sequence item its line, per document of a stream', () => {
    const text = [
      '# leading comment', // 1
      'apiVersion: v1', // 2
      'kind: ConfigMap', // 3
      'metadata:', // 4
      '  name: a', // 5
      '---', // 6
      'apiVersion: helm.toolkit.fluxcd.io/v2', // 7
      'kind: HelmRelease', // 8
      'metadata: { name: b, namespace: x }', // 9
      'spec:', // 10
      '  dependsOn:', // 11
      '    - name: one', // 12
      '    -', // 13
      '      name: two', // 14
      '      namespace: other', // 15
    ].join('\n');
    const { documents, problems } = loadDocuments(text);
    expect(problems).toEqual([]);
    expect(documents.map((d) => d.line)).toEqual([2, 7]);
    const [first, second] = documents as [(typeof documents)[0], (typeof documents)[0]];
    expect(lineOf(first, first.value, ['metadata', 'name'])).toBe(5);
    expect(lineOf(second, second.value, ['metadata', 'namespace'])).toBe(9);
    expect(lineOf(second, second.value, ['spec', 'dependsOn', 0])).toBe(12);
    expect(lineOf(second, second.value, ['spec', 'dependsOn', 1, 'namespace'])).toBe(15);
    // a path that is not there: the deepest part found
    expect(lineOf(second, second.value, ['spec', 'chart', 'spec'])).toBe(10);
  });

  it('reports a syntax error with its line and still loads the other documents', () => {
    const text = ['a: 1', '---', 'b: [1, 2', '---', 'c: 3', ''].join('\n');
    const { documents, problems } = loadDocuments(text);
    expect(documents.map((d) => d.value)).toEqual([{ a: 1 }, { c: 3 }]);
    expect(problems).toEqual([
      { line: 3, kind: 'syntax', message: 'invalid YAML: unexpected end of the stream within a flow collection' },
    ]);
  });

  it('names the line of an indentation error', () => {
    const { problems } = loadDocuments(['a:', '  b: 1', ' c: 2', ''].join('\n'));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.line).toBe(3);
    expect(problems[0]!.message).toMatch(/^invalid YAML: /);
  });

  it('refuses an alias bomb without expanding it, and accepts ordinary aliases', () => {
    const levels = 'abcdefghi'.split('');
    const bomb = [
      `a: &a [${Array(9).fill('"lol"').join(', ')}]`,
      ...levels.slice(1).map((l, i) => `${l}: &${l} [${Array(9).fill(`*${levels[i]}`).join(', ')}]`),
    ].join('\n');
    const started = Date.now();
    const out = loadDocuments(bomb);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(out.documents).toEqual([]);
    expect(out.problems).toEqual([
      {
        line: 1,
        kind: 'alias-bomb',
        message: `refused: YAML aliases expand this document to more than ${MAX_EXPANDED_NODES} nodes (100 written); an alias bomb is not a manifest`,
      },
    ]);
    const ok = loadDocuments('labels: &l { app: x }\nannotations: *l\n');
    expect(ok.problems).toEqual([]);
    expect(ok.documents[0]!.value).toEqual({ labels: { app: 'x' }, annotations: { app: 'x' } });
  });

  it('skips empty documents and a leading document marker', () => {
    const { documents } = loadDocuments('---\n# only a comment\n---\na: 1\n---\n');
    expect(documents.map((d) => [d.value, d.line])).toEqual([[{ a: 1 }, 4]]);
  });
});

describe('splitDocuments', () => {
  it('splits at column-0 document markers only', () => {
    expect(splitDocuments('a: |\n  ---\n  x\n--- \nb: 1').map((c) => c.firstLine)).toEqual([0, 3]);
  });
});
