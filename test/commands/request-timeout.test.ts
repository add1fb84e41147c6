import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRequestTimeoutMs } from '../../src/model/duration.js';
import { runCli } from '../helpers/cli.js';

/** A loopback server that accepts every connection and never says a word: a frozen API server. */
let frozen: net.Server;
const sockets: net.Socket[] = [];
let kubeconfig: string;
let server: string;

beforeAll(async () => {
  frozen = net.createServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
  server = `https://127.0.0.1:${(frozen.address() as net.AddressInfo).port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-frozen-'));
  kubeconfig = path.join(dir, 'config');
  writeFileSync(
    kubeconfig,
    yaml.dump({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'frozen', cluster: { server, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'frozen', context: { cluster: 'frozen', user: 'u' } }],
      'current-context': 'frozen',
    }),
  );
});
afterAll(() => {
  for (const s of sockets) s.destroy();
  frozen.close();
});

describe('--request-timeout', () => {
  it('parses kubectl syntax: 0 = none, bare seconds, durations', () => {
    expect(parseRequestTimeoutMs('0')).toBe(0);
    expect(parseRequestTimeoutMs('5')).toBe(5000);
    expect(parseRequestTimeoutMs('30s')).toBe(30_000);
    expect(parseRequestTimeoutMs('1m')).toBe(60_000);
    expect(parseRequestTimeoutMs('1h2m3s')).toBe(3_723_000);
    expect(parseRequestTimeoutMs('500ms')).toBe(500);
    for (const bad of ['', 'soon', '-1', '1d', '1.5s', '99999999999'])
      expect(() => parseRequestTimeoutMs(bad)).toThrow();
  });

  it('a bad value is a usage error before any request', async () => {
    const r = await runCli([
      'k8s-configuration',
      'flux',
      'list',
      '--request-timeout',
      'soon',
      '--kubeconfig',
      kubeconfig,
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: invalid --request-timeout value 'soon'\nhint: .*kubectl/);
    expect(sockets.length).toBe(0);
  });

  it('a frozen API server fails the request after the timeout, naming the server and the flag', async () => {
    const started = Date.now();
    const r = await runCli([
      'k8s-configuration',
      'flux',
      'list',
      '--request-timeout',
      '1s',
      '--kubeconfig',
      kubeconfig,
    ]);
    const took = Date.now() - started;
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: the Kubernetes API server ${server} (context "frozen") did not answer GET`);
    expect(r.stderr).toContain('within 1s (--request-timeout)');
    expect(r.stderr).toMatch(/\nhint: .*raise --request-timeout/);
    expect(r.stderr.match(/^error:/gm)).toHaveLength(1);
    expect(took).toBeLessThan(5000); // one request, not retried 4 times
    expect(sockets.length).toBeGreaterThan(0);
  });

  it('the default (30s) applies without the flag', async () => {
    const { DEFAULT_REQUEST_TIMEOUT_MS } = await import('../../src/k8s/transport.js');
    expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(30_000);
  });
});
