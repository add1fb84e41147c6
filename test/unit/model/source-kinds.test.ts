import { Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMON_FLAGS, attributeOf, flagName } from '../../../src/model/source-kinds/flag-spec.js';
import { SOURCE_FLAGS, SOURCE_KINDS } from '../../../src/model/source-kinds/index.js';

describe('the source kind table', () => {
  it('names each flag as commander stores it and as az messages quote it', () => {
    for (const spec of Object.values(SOURCE_FLAGS))
      expect(attributeOf(spec)).toBe(new Option(spec.flags).attributeName());
    expect(flagName(SOURCE_FLAGS.sp_client_cert_send_chain)).toBe('--sp-cert-send-chain');
  });

  it("keeps az's parameter order", () => {
    expect(Object.keys(SOURCE_FLAGS).slice(0, 5)).toEqual(['url', 'bucket_name', 'timeout', 'sync_interval', 'branch']);
  });

  it('allows each kind its own flags and the common ones it lists, required ones among them', () => {
    const owners = new Map<string, string>();
    for (const [kind, spec] of Object.entries(SOURCE_KINDS)) {
      for (const p of spec.params) expect(Object.keys(SOURCE_FLAGS)).toContain(p);
      for (const p of spec.required) expect(spec.params).toContain(p);
      for (const p of Object.keys(spec.flags)) {
        expect(spec.params, `${kind} declares ${p}`).toContain(p);
        expect(owners.get(p), `${p} declared by two kinds`).toBeUndefined();
        owners.set(p, kind);
      }
    }
    for (const p of Object.keys(SOURCE_FLAGS)) expect(owners.has(p) || p in COMMON_FLAGS).toBe(true);
  });
});
