import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatAzDuration,
  formatGoDuration,
  formatGoDurationNoHours,
  parseDuration,
} from '../../../src/model/duration.js';
import {
  checkPrivateKey,
  isKnownHostsLine,
  isOpenSshPrivateKey,
  validateKnownHostsText,
} from '../../../src/model/ssh.js';
import { expectUsage, fixture } from './helpers.js';

describe('durations', () => {
  it.each([
    ['10m', 600],
    ['1h30m', 5400],
    ['90s', 90],
    ['1h2m5s', 3725],
    ['1h', 3600],
    ['2h5s', 7205],
  ])('parses %s as %i seconds', (value, seconds) => {
    expect(parseDuration(value, '--timeout')).toBe(seconds);
  });

  it.each(['120', '1d', '1.5h', 'ms', '10m5', '5ms', '30s10m', '', 'h', '1m1h'])('rejects %j (full match)', (value) => {
    expectUsage(
      () => parseDuration(value, '--sync-interval'),
      'Error! Invalid --sync-interval.',
      'Specify a valid Go duration and try again (i.e. 1h2m5s)',
    );
  });

  it.each([
    [600, '10m0s'],
    [90, '1m30s'],
    [30, '30s'],
    [3600, '1h0m0s'],
    [3725, '1h2m5s'],
    [0, '0s'],
    [500, '8m20s'],
  ])('formatGoDuration(%i) = %s', (s, text) => expect(formatGoDuration(s)).toBe(text));

  it('source timeouts never use hours (CRD pattern)', () => {
    expect(formatGoDurationNoHours(3600)).toBe('60m0s');
    expect(formatGoDurationNoHours(3725)).toBe('62m5s');
    expect(formatGoDurationNoHours(45)).toBe('45s');
  });

  it.each([
    [3725, '1h2m5s'],
    [3600, '1h'],
    [600, '10m'],
    [65, '1m5s'],
    [0, ''],
    [null, null],
    [undefined, null],
  ])('formatAzDuration(%s) = %j', (s, text) => expect(formatAzDuration(s)).toBe(text));
});

describe('known hosts', () => {
  it('accepts real entries, hashed hosts, comments and blank lines', () => {
    const line = fixture('known_hosts').trim();
    expect(isKnownHostsLine(line)).toBe(true);
    expect(isKnownHostsLine(`|1|abc=|def= ${line.split(' ').slice(1).join(' ')}`)).toBe(true);
    expect(() => validateKnownHostsText(`# github\n\n${line}\n  \n`)).not.toThrow();
  });

  it.each([
    ['two fields', 'github.com ssh-ed25519'],
    ['unknown key type', 'github.com ssh-foo AAAA'],
    ['key of another type than announced', `github.com ssh-rsa ${fixture('known_hosts').trim().split(' ')[2]}`],
    ['key not base64', 'github.com ssh-ed25519 !!!'],
    ['marker', `@cert-authority ${fixture('known_hosts').trim()}`],
  ])('rejects %s', (_, line) => {
    expect(isKnownHostsLine(line)).toBe(false);
    expectUsage(() => validateKnownHostsText(line), 'Error! ssh known_hosts provided in wrong format');
  });
});

describe('private keys (§3.8)', () => {
  it('accepts OpenSSH, PKCS#1, PKCS#8, SEC1 PEM and DER', () => {
    expect(checkPrivateKey(Buffer.from(fixture('id_test_ed25519')))).toBe(fixture('id_test_ed25519'));
    expect(isOpenSshPrivateKey(fixture('id_test_ed25519'))).toBe(true);
    expect(checkPrivateKey(Buffer.from(fixture('id_test_rsa_pem')))).toBe(fixture('id_test_rsa_pem'));
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const sec1 = ec.export({ format: 'pem', type: 'sec1' }).toString();
    expect(checkPrivateKey(Buffer.from(sec1))).toBe(sec1);
    const pkcs8 = ec.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(checkPrivateKey(Buffer.from(pkcs8))).toBe(pkcs8);
    const der = ec.export({ format: 'der', type: 'pkcs8' });
    expect(checkPrivateKey(der)).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('rejects a public key, garbage and a truncated OpenSSH key', () => {
    const bad = 'Error! --ssh-private-key provided in invalid format';
    expectUsage(() => checkPrivateKey(Buffer.from(fixture('id_test_ed25519.pub'))), bad);
    expectUsage(() => checkPrivateKey(Buffer.from('hello')), bad);
    const lines = fixture('id_test_ed25519').split('\n');
    const truncated = [lines[0], lines[1], lines.at(-2)].join('\n');
    expectUsage(() => checkPrivateKey(Buffer.from(truncated)), bad);
  });
});
