import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { loadManifestArg, loadReleaseManifest } from '../../../src/extension/source.js';
import { captureLogger } from '../../helpers/cli.js';

const good = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n';
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A loopback stand-in for github.com/fluxcd/flux2/releases/download: path → body, counts requests. */
function releaseServer() {
  const files = new Map<string, string>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url!);
    const body = files.get(req.url!);
    if (body === undefined) res.writeHead(404).end('not found');
    else res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(body);
  });
  return { server, files, requests };
}

describe('the release install.yaml download', () => {
  const srv = releaseServer();
  let base = '';
  let cache = '';
  const env = () => ({ FLUXCFG_FLUX_RELEASE_BASE_URL: base, XDG_CACHE_HOME: cache });

  beforeAll(async () => {
    await new Promise<void>((r) => srv.server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(srv.server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => srv.server.close(() => r())));
  beforeEach(() => {
    cache = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-cache-'));
    srv.files.clear();
    srv.requests.length = 0;
  });

  it('downloads, verifies against the published checksum, caches, and uses the cache next time', async () => {
    srv.files.set('/v2.7.5/install.yaml', good);
    srv.files.set(
      '/v2.7.5/flux_2.7.5_checksums.txt',
      `${sha('other')}  flux_2.7.5_linux_amd64.tar.gz\n${sha(good)}  install.yaml\n`,
    );
    const { log, text } = captureLogger('info');
    const first = await loadReleaseManifest('v2.7.5', env(), log);
    expect(first).toEqual({ text: good, source: 'Flux v2.7.5 release install.yaml', sha256: sha(good) });
    expect(text()).toContain(`install.yaml matches the published sha256 ${sha(good)}`);
    const cached = path.join(cache, 'fluxcfg', 'flux', 'v2.7.5', 'install.yaml');
    expect(readFileSync(cached, 'utf8')).toBe(good);
    expect(srv.requests).toEqual(['/v2.7.5/install.yaml', '/v2.7.5/flux_2.7.5_checksums.txt']);
    const again = await loadReleaseManifest('v2.7.5', env(), log);
    expect(again.text).toBe(good);
    expect(srv.requests).toHaveLength(2);
    rmSync(cache, { recursive: true, force: true });
  });

  it('a corrupted download is refused with both hashes and nothing is cached', async () => {
    const corrupted = good.replace('flux-system', 'flux-systen');
    srv.files.set('/v2.7.5/install.yaml', corrupted);
    srv.files.set('/v2.7.5/flux_2.7.5_checksums.txt', `${sha(good)}  install.yaml\n`);
    const err = await loadReleaseManifest('v2.7.5', env(), captureLogger().log).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(
      `checksum mismatch for Flux v2.7.5 install.yaml from ${base}/v2.7.5/install.yaml: expected sha256 ${sha(good)}, got ${sha(corrupted)}`,
    );
    expect((err as UserError).hint).toMatch(/nothing was installed or cached/);
    expect(existsSync(path.join(cache, 'fluxcfg', 'flux', 'v2.7.5', 'install.yaml'))).toBe(false);
  });

  it('a cache file that no longer matches its hash is downloaded again', async () => {
    srv.files.set('/v2.7.5/install.yaml', good);
    srv.files.set('/v2.7.5/flux_2.7.5_checksums.txt', `${sha(good)}  install.yaml\n`);
    await loadReleaseManifest('v2.7.5', env(), captureLogger().log);
    writeFileSync(path.join(cache, 'fluxcfg', 'flux', 'v2.7.5', 'install.yaml'), 'tampered');
    const { log, text } = captureLogger('warn');
    expect((await loadReleaseManifest('v2.7.5', env(), log)).text).toBe(good);
    expect(text()).toMatch(/does not match its checksum: downloading it again/);
    expect(srv.requests).toHaveLength(4);
  });

  it('without a published checksum it warns that install.yaml is not verified', async () => {
    srv.files.set('/v2.6.4/install.yaml', good);
    const { log, text } = captureLogger('warn');
    expect((await loadReleaseManifest('v2.6.4', env(), log)).text).toBe(good);
    expect(text()).toBe('Flux v2.6.4 publishes no flux_2.6.4_checksums.txt: install.yaml is not checksum-verified\n');
  });

  it('a version that does not exist is a clear error', async () => {
    const err = await loadReleaseManifest('v2.99.0', env(), captureLogger().log).catch((e: unknown) => e);
    expect((err as UserError).message).toBe(
      `cannot download Flux v2.99.0 install.yaml from ${base}/v2.99.0/install.yaml: HTTP 404`,
    );
    expect((err as UserError).hint).toMatch(/--manifests/);
  });

  it('--manifests takes a URL or a file', async () => {
    srv.files.set('/custom/install.yaml', good);
    expect((await loadManifestArg(`${base}/custom/install.yaml`)).text).toBe(good);
    const file = path.join(cache, 'install.yaml');
    writeFileSync(file, good);
    expect(await loadManifestArg(file)).toEqual({ text: good, source: file, sha256: sha(good) });
    const missing = await loadManifestArg(path.join(cache, 'nope.yaml')).catch((e: unknown) => e);
    expect((missing as UserError).message).toBe(`cannot read --manifests ${path.join(cache, 'nope.yaml')}: ENOENT`);
  });
});
