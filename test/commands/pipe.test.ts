// `fluxcfg ... | head`: a reader that goes away early ends the output quietly (no EPIPE stack trace).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, type BuiltCli } from '../helpers/built.js';

describe('a closed stdout pipe', () => {
  let cli: BuiltCli;
  beforeAll(async () => {
    cli = await buildCli('pipe');
  }, 60_000);
  afterAll(() => cli?.remove());

  it('ends the output without an error, exit 0', () => {
    // `true` exits before fluxcfg writes: every write meets a closed pipe
    const line = `'${cli.bin}' k8s-configuration flux create --help | true; echo "\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', line], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0\n');
  });
});
