import { Chalk } from 'chalk';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatResult, loadQuery, RawText } from '../../src/ui/output.js';
import type { OutputFormat } from '../../src/ui/formats.js';

const records = [
  {
    name: 'cluster-config',
    namespace: 'cluster-config',
    scope: 'cluster',
    suspend: false,
    kustomizations: { infra: {} },
    errorMessage: null,
  },
  {
    name: 'tenant-a',
    namespace: 'team-a',
    scope: 'namespace',
    suspend: true,
    kustomizations: {},
    errorMessage: 'boom',
  },
];
const plain = new Chalk({ level: 0 });
const fmt = (
  format: OutputFormat,
  data: unknown = records,
  extra: { query?: string; table?: (r: unknown) => unknown } = {},
) => formatResult(data, { format, color: plain, ...extra });

beforeAll(loadQuery);

describe('output formats', () => {
  it('json is az-style: two-space indent, keys sorted at every level, newline at the end', () => {
    expect(JSON.parse(fmt('json'))).toEqual(records);
    expect(fmt('json', { b: 1, a: { d: 2, c: [{ f: 1, e: 2 }] } })).toBe(
      '{\n  "a": {\n    "c": [\n      {\n        "e": 2,\n        "f": 1\n      }\n    ],\n    "d": 2\n  },\n  "b": 1\n}\n',
    );
  });

  it('yaml is block style without anchors', () => {
    const shared = { a: 1 };
    expect(fmt('yaml', { p: shared, q: shared })).toBe('p:\n  a: 1\nq:\n  a: 1\n');
    expect(fmt('yaml')).toContain('- errorMessage: null\n  kustomizations:\n    infra: {}\n  name: cluster-config\n');
  });

  it('table: headers capitalised, keys sorted per row; a null is left out (its column comes where first seen)', () => {
    expect(fmt('table')).toBe(
      [
        'Name            Namespace       Scope      Suspend  ErrorMessage',
        '--------------  --------------  ---------  -------  ------------',
        'cluster-config  cluster-config  cluster    False',
        'tenant-a        team-a          namespace  True     boom',
        '',
      ].join('\n'),
    );
    // knack skips id, type and etag, and a column that is null in every row
    expect(fmt('table', { id: '/x', type: 'T', etag: 'e', name: 'n', gone: null })).toBe('Name\n----\nn\n');
  });

  it('table uses the command transformer unless --query is given', () => {
    const table = (r: unknown) => (r as typeof records).map((x) => ({ name: x.name, state: 'ok' }));
    expect(fmt('table', records, { table })).toBe(
      'Name            State\n--------------  -----\ncluster-config  ok\ntenant-a        ok\n',
    );
    expect(fmt('table', records, { table, query: '[].scope' })).toBe('Result\n---------\ncluster\nnamespace\n');
  });

  it('tsv: whole objects in key order; None for null, True/False, a list as its length, "" for an object', () => {
    expect(fmt('tsv')).toBe(
      'None\t\tcluster-config\tcluster-config\tcluster\tFalse\nboom\t\ttenant-a\tteam-a\tnamespace\tTrue\n',
    );
    expect(fmt('tsv', { b: [1, 2, 3], a: { x: 1 }, c: null })).toBe('\t3\tNone\n');
    expect(fmt('tsv', 'x')).toBe('x\n');
    expect(fmt('tsv', true)).toBe('true\n');
    expect(fmt('tsv', [true, null])).toBe('true\nNone\n');
  });

  it('none prints nothing; RawText is printed as is whatever the format', () => {
    expect(fmt('none')).toBe('');
    expect(fmt('json', new RawText('---\nkind: X\n'))).toBe('---\nkind: X\n');
  });

  it('jsonc and yamlc color keys when color is on', () => {
    const color = new Chalk({ level: 1 });
    const out = formatResult({ a: 'b', n: 1, t: true }, { format: 'jsonc', color });
    expect(out).toContain('\u001b[');
    expect(out.replace(/\u001b\[\d+m/g, '')).toBe('{\n  "a": "b",\n  "n": 1,\n  "t": true\n}\n');
    const y = formatResult({ a: 'b' }, { format: 'yamlc', color });
    expect(y.replace(/\u001b\[\d+m/g, '')).toBe('a: b\n');
    expect(y).not.toBe('a: b\n');
  });
});

describe('--query', () => {
  it('applies JMESPath before formatting', () => {
    expect(JSON.parse(fmt('json', records, { query: "[?scope=='namespace'].name" }))).toEqual(['tenant-a']);
    expect(fmt('tsv', records, { query: '[0].name' })).toBe('cluster-config\n');
    expect(JSON.parse(fmt('json', records, { query: 'length(@)' }))).toBe(2);
  });

  const config = {
    name: 'cluster-config',
    provisioningState: 'Succeeded',
    complianceState: 'Non-Compliant',
    suspend: false,
    statuses: [{ kind: 'GitRepository' }],
  };

  it('tsv keeps the order of a multiselect hash (az evaluates queries with OrderedDict)', () => {
    const q = '{name:name,state:complianceState,prov:provisioningState}';
    expect(fmt('tsv', config, { query: q })).toBe('cluster-config\tNon-Compliant\tSucceeded\n');
    expect(fmt('tsv', config, { query: '{z:provisioningState,a:name,n:statuses,s:suspend}' })).toBe(
      'Succeeded\tcluster-config\t1\tFalse\n',
    );
    expect(fmt('tsv', [config, config], { query: '[].{p:provisioningState,n:name}' })).toBe(
      'Succeeded\tcluster-config\nSucceeded\tcluster-config\n',
    );
    // a whole object the query only selected prints sorted, as without --query
    expect(fmt('tsv', { wrap: config }, { query: 'wrap' })).toBe(
      'Non-Compliant\tcluster-config\tSucceeded\t1\tFalse\n',
    );
    expect(fmt('tsv', config, { query: '[name, provisioningState]' })).toBe('cluster-config\nSucceeded\n');
    expect(fmt('tsv', config, { query: 'suspend' })).toBe('false\n');
  });

  it('table keeps the order of a multiselect hash too; json and yaml sort its keys (knack: sort_keys)', () => {
    const q = '{name:name,state:complianceState,prov:provisioningState}';
    expect(fmt('table', config, { query: q })).toBe(
      'Name            State          Prov\n' +
        '--------------  -------------  ---------\n' +
        'cluster-config  Non-Compliant  Succeeded\n',
    );
    expect(fmt('json', config, { query: q })).toBe(
      '{\n  "name": "cluster-config",\n  "prov": "Succeeded",\n  "state": "Non-Compliant"\n}\n',
    );
    expect(fmt('yaml', config, { query: q })).toBe('name: cluster-config\nprov: Succeeded\nstate: Non-Compliant\n');
  });

  it('a query that yields null prints nothing, in every format', () => {
    for (const format of ['json', 'yaml', 'tsv', 'table'] as const)
      expect(fmt(format, config, { query: 'nope' })).toBe('');
  });

  it('an invalid expression is a usage error', () => {
    expect(() => fmt('json', records, { query: '[?' })).toThrow(UsageError);
  });
});
