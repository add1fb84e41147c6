// The --dry-run diff of a plan (issue #12 §4): server-only fields left out, creates all +, prunes all -, one diff per
// changed object; what is printed under the default output and under an explicit -o.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { planSummary } from '../../src/commands/dry-run.js';
import { diffChanges, planChanges, withoutServerFields } from '../../src/k8s/plan-diff.js';
import { plan } from '../../src/k8s/plan.js';
import type { KubeObject } from '../../src/k8s/types.js';
import { toYaml } from '../../src/render/yaml.js';
import { formatResult, RawText } from '../../src/ui/output.js';

const serialize = (docs: Record<string, unknown>[]) => toYaml(docs).replace(/^---\n/, '');
const color = new Chalk({ level: 0 });
const cm = (name: string, data: Record<string, string>, server = false): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name,
    namespace: 'ns',
    ...(server ? { uid: 'u', resourceVersion: '7', creationTimestamp: 'now', generation: 1, managedFields: [{}] } : {}),
  },
  data,
  ...(server ? { status: { x: 1 } } : {}),
});

describe('plan diff', () => {
  it('leaves out status and server-only metadata', () => {
    expect(withoutServerFields(cm('a', { k: 'v' }, true))).toEqual(cm('a', { k: 'v' }));
  });

  it('an update shows the changed line, a create is all +, a prune all -, an unchanged object nothing', () => {
    const live = [cm('changed', { k: 'old' }, true), cm('gone', { k: 'v' }, true), cm('same', { k: 'v' }, true)];
    const desired = [cm('changed', { k: 'new' }), cm('added', { k: 'v' }), cm('same', { k: 'v' })];
    const p = plan(desired, live);
    const answers = desired.map((o) => ({ ...o, metadata: { ...o.metadata, uid: 'x', resourceVersion: '8' } }));
    const d = diffChanges(planChanges(p, answers), { color, serialize });
    expect(d.changed).toBe(3);
    const lines = d.text.split('\n');
    expect(lines).toContain('--- live/ConfigMap/ns/changed');
    expect(lines.filter((l) => /^[-+] +k:/.test(l))).toEqual(['-  k: old', '+  k: new', '+  k: v', '-  k: v']);
    expect(lines).toContain('+++ dry-run/ConfigMap/ns/added');
    expect(lines.filter((l) => l === '--- /dev/null' || l === '+++ /dev/null')).toHaveLength(2);
    expect(d.text).not.toContain('same');
    expect(d.text).not.toMatch(/uid|resourceVersion|status/);
  });

  it('the plan rows as a short list for stderr', () => {
    expect(
      planSummary([
        { action: 'create', kind: 'Kustomization', namespace: 'ns', name: 'a' },
        { action: 'prune', kind: 'ClusterRoleBinding', name: 'b' },
        { action: 'unchanged', kind: 'Namespace', name: 'ns' },
      ]),
    ).toEqual([
      'dry run: 1 to create, 0 to update, 1 to prune, 1 unchanged',
      '  + create Kustomization ns/a',
      '  - prune ClusterRoleBinding b',
    ]);
  });

  it('a diff prints as text by default; an explicit -o json|yaml prints the rows', () => {
    const r = new RawText('--- live/x\n', [{ action: 'create' }], false);
    expect(formatResult(r, { format: 'json', color })).toBe('--- live/x\n');
    expect(formatResult(r, { format: 'yaml', color, formatGiven: true })).toBe('- action: create\n');
    expect(formatResult(r, { format: 'json', color, formatGiven: true })).toContain('"action": "create"');
    // --export's YAML text stays the text under -o yaml
    expect(formatResult(new RawText('a: 1\n', [{ a: 1 }]), { format: 'yaml', color, formatGiven: true })).toBe(
      'a: 1\n',
    );
  });
});
