import { Chalk } from 'chalk';
import { beforeAll, describe, expect, it } from 'vitest';
import { configurationTable } from '../../src/commands/k8s-configuration/flux/table.js';
import { formatResult, loadQuery } from '../../src/ui/output.js';
import { loadColor, makeColor } from '../../src/ui/color.js';
import type { Io } from '../../src/ui/io.js';

const on = new Chalk({ level: 1 });
const off = new Chalk({ level: 0 });
const G = (s: string) => `\x1b[32m${s}\x1b[39m`;
const Y = (s: string) => `\x1b[33m${s}\x1b[39m`;
const R = (s: string) => `\x1b[31m${s}\x1b[39m`;

const configs = [
  { name: 'a', namespace: 'ns', scope: 'cluster', provisioningState: 'Succeeded', complianceState: 'Compliant' },
  { name: 'b', namespace: 'ns', scope: 'cluster', provisioningState: 'Succeeded', complianceState: 'Pending' },
  { name: 'c', namespace: 'ns', scope: 'cluster', provisioningState: 'Failed', complianceState: 'Non-Compliant' },
  { name: 'd', namespace: 'ns', scope: 'cluster', provisioningState: 'Succeeded', complianceState: 'Suspended' },
];
const extensions = ['Succeeded', 'Failed', 'Creating', 'Updating'].map((provisioningState, i) => ({
  name: `e${i}`,
  extensionType: 'microsoft.flux',
  provisioningState,
  isSystemExtension: false,
}));

beforeAll(loadQuery);

describe('-o table colours states when colour is on', () => {
  it('complianceState: Compliant green, Pending yellow, Non-Compliant red, others plain; padding uncoloured', () => {
    const text = formatResult(configs, { format: 'table', table: configurationTable, color: on });
    expect(text.split('\n')).toEqual([
      'Namespace  Name  Scope    ProvisioningState  ComplianceState',
      '---------  ----  -------  -----------------  ---------------',
      `ns         a     cluster  ${G('Succeeded')}          ${G('Compliant')}`,
      `ns         b     cluster  ${G('Succeeded')}          ${Y('Pending')}`,
      `ns         c     cluster  ${R('Failed')}             ${R('Non-Compliant')}`,
      `ns         d     cluster  ${G('Succeeded')}          Suspended`,
      '',
    ]);
  });

  it('extension provisioningState: Succeeded green, Failed red, others yellow', () => {
    const query = '[].{name:name, state:provisioningState}';
    const text = formatResult(extensions, { format: 'table', color: on, query });
    expect(text).not.toContain('\x1b'); // header State: only the az column names are coloured
    const colored = formatResult(extensions, { format: 'table', color: on });
    expect(colored.split('\n').slice(2, 6)).toEqual([
      `microsoft.flux  False              e0    ${G('Succeeded')}`,
      `microsoft.flux  False              e1    ${R('Failed')}`,
      `microsoft.flux  False              e2    ${Y('Creating')}`,
      `microsoft.flux  False              e3    ${Y('Updating')}`,
    ]);
  });

  it('plain without colour: the same text with no escape codes', () => {
    const colored = formatResult(configs, { format: 'table', table: configurationTable, color: on });
    const plain = formatResult(configs, { format: 'table', table: configurationTable, color: off });
    expect(plain).not.toContain('\x1b');
    expect(plain).toBe(colored.replace(/\x1b\[\d+m/g, ''));
    // json, tsv stay plain whatever the colour
    expect(formatResult(configs, { format: 'tsv', color: on })).not.toContain('\x1b');
  });

  it('without colour, styles give the text back (chalk is not loaded for a pipe or a file)', () => {
    const io: Io = { stdout: { write: () => true }, stderr: { write: () => true }, stdinIsTTY: false, env: {} };
    const c = makeColor(io, 'stdout', false);
    expect(c.level).toBe(0);
    expect(c.red.bold('a', 'b')).toBe('a b');
    expect(c.dim('x')).toBe(off.dim('x'));
  });

  it('colour is on only for a terminal, without NO_COLOR, --no-color or TERM=dumb', async () => {
    await loadColor();
    const io = (isTTY: boolean, env: NodeJS.ProcessEnv = {}): Io => ({
      stdout: { write: () => true, isTTY },
      stderr: { write: () => true, isTTY },
      stdinIsTTY: isTTY,
      env,
    });
    expect(makeColor(io(true), 'stdout', false).level).toBeGreaterThan(0);
    expect(makeColor(io(false), 'stdout', false).level).toBe(0);
    expect(makeColor(io(true, { NO_COLOR: '1' }), 'stdout', false).level).toBe(0);
    expect(makeColor(io(true), 'stdout', true).level).toBe(0);
    expect(makeColor(io(true, { TERM: 'dumb' }), 'stdout', false).level).toBe(0);
  });
});
