// How the tests find their Flux fixtures (test/helpers/fixtures.ts): the setting wins, ../shared/fixtures is the
// default, else the pinned release install.yaml is downloaded (verified, cached) and the layout derived from it,
// else one line says what to set (a failure in CI).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogger } from '../helpers/cli.js';
import { FixturesUnavailable, fixturesForRun, resolveFixtures } from '../helpers/fixtures.js';

const V = 'v2.7.5'; // src/model/extension/versions.ts DEFAULT_FLUX_VERSION, asserted below through the requests made
const crd = (group: string, plural: string, kind: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    names: { kind, plural },
    scope: 'Namespaced',
    versions: [{ name: 'v1', served: true, storage: true }],
  },
});
const installYaml = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flux-system' } },
  crd('source.toolkit.fluxcd.io', 'gitrepositories', 'GitRepository'),
  crd('kustomize.toolkit.fluxcd.io', 'kustomizations', 'Kustomization'),
]
  .map((d) => `---\n${yaml.dump(d)}`)
  .join('');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

let tmp: string;
let server: http.Server;
let baseUrl: string;
let requests: string[] = [];
let checksum = sha(installYaml);

/** A checkout at <tmp>/<name>/fluxcfg, with or without <tmp>/<name>/shared/fixtures beside it. */
function checkout(name: string): string {
  const root = path.join(tmp, name, 'fluxcfg');
  mkdirSync(root, { recursive: true });
  return root;
}
/** A fixture directory in the documented layout. */
function layout(dir: string): string {
  mkdirSync(path.join(dir, 'flux'), { recursive: true });
  mkdirSync(path.join(dir, 'flux-install'), { recursive: true });
  writeFileSync(
    path.join(dir, 'flux', 'source.toolkit.fluxcd.io_gitrepositories.yaml'),
    yaml.dump(crd('source.toolkit.fluxcd.io', 'gitrepositories', 'GitRepository')),
  );
  writeFileSync(path.join(dir, 'flux-install', `gotk-components-${V}.yaml`), installYaml);
  return dir;
}
const downloadEnv = (cache: string, extra: NodeJS.ProcessEnv = {}) => ({
  XDG_CACHE_HOME: cache,
  FLUXCFG_FLUX_RELEASE_BASE_URL: baseUrl,
  ...extra,
});

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-fixtures-'));
  server = http.createServer((req, res) => {
    requests.push(req.url!);
    const files: Record<string, string> = {
      [`/${V}/install.yaml`]: installYaml,
      [`/${V}/flux_${V.slice(1)}_checksums.txt`]: `${checksum}  install.yaml\n`,
    };
    const body = files[req.url!];
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(tmp, { recursive: true, force: true });
});

describe('test fixture resolution', () => {
  it('FLUXCFG_TEST_FIXTURES wins over ../shared/fixtures, and an incomplete one is refused', async () => {
    const root = checkout('both');
    layout(path.join(root, '..', 'shared', 'fixtures'));
    const mine = layout(path.join(tmp, 'mine'));
    const fx = await resolveFixtures({ root, env: { FLUXCFG_TEST_FIXTURES: mine } });
    expect(fx).toEqual({
      dir: mine,
      from: `FLUXCFG_TEST_FIXTURES=${mine}`,
      crdDir: path.join(mine, 'flux'),
      installManifest: path.join(mine, 'flux-install', `gotk-components-${V}.yaml`),
    });
    const empty = path.join(tmp, 'empty');
    mkdirSync(empty);
    await expect(resolveFixtures({ root, env: { FLUXCFG_TEST_FIXTURES: empty } })).rejects.toThrow(
      `the Flux test fixtures of FLUXCFG_TEST_FIXTURES=${empty} are incomplete (missing ${empty}/flux/*.yaml, ${empty}/flux-install/gotk-components-${V}.yaml)`,
    );
  });

  it('defaults to ../shared/fixtures beside the checkout, downloading nothing', async () => {
    const root = checkout('shared');
    const shared = layout(path.join(root, '..', 'shared', 'fixtures'));
    requests = [];
    const fx = await resolveFixtures({ root, env: downloadEnv(path.join(tmp, 'shared-cache')) });
    expect(fx.dir).toBe(shared);
    expect(fx.crdDir).toBe(path.join(shared, 'flux'));
    expect(requests).toEqual([]);
  });

  it('otherwise downloads the pinned release install.yaml once, verified, and derives the layout from it', async () => {
    const root = checkout('alone');
    const cache = path.join(tmp, 'alone-cache');
    const { log, text } = captureLogger('warn');
    requests = [];
    const fx = await resolveFixtures({ root, env: downloadEnv(cache), log });
    expect(requests).toEqual([`/${V}/install.yaml`, `/${V}/flux_2.7.5_checksums.txt`]);
    expect(text()).toBe('');
    const dir = path.join(cache, 'fluxcfg', 'test-fixtures', `flux-${V}`);
    expect(fx.dir).toBe(dir);
    expect(readFileSync(fx.installManifest, 'utf8')).toBe(installYaml);
    expect(readdirSync(fx.crdDir).sort()).toEqual([
      'kustomize.toolkit.fluxcd.io_kustomizations.yaml',
      'source.toolkit.fluxcd.io_gitrepositories.yaml',
    ]);
    expect(
      yaml.load(readFileSync(path.join(fx.crdDir, 'kustomize.toolkit.fluxcd.io_kustomizations.yaml'), 'utf8')),
    ).toEqual(crd('kustomize.toolkit.fluxcd.io', 'kustomizations', 'Kustomization'));
    // the verified download sits in the extension's own cache; a second run uses it, downloading nothing
    expect(readFileSync(path.join(cache, 'fluxcfg', 'flux', V, 'install.yaml'), 'utf8')).toBe(installYaml);
    requests = [];
    expect(await resolveFixtures({ root, env: downloadEnv(cache), log })).toEqual(fx);
    expect(requests).toEqual([]);
  });

  it('a download that does not match the published checksum yields no fixtures and caches nothing', async () => {
    const root = checkout('tampered');
    const cache = path.join(tmp, 'tampered-cache');
    checksum = sha('something else');
    try {
      const err = await resolveFixtures({ root, env: downloadEnv(cache), log: captureLogger().log }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(FixturesUnavailable);
      expect((err as Error).message).toContain(`checksum mismatch for Flux ${V} install.yaml`);
      expect(existsSync(path.join(cache, 'fluxcfg'))).toBe(false);
    } finally {
      checksum = sha(installYaml);
    }
  });

  it('with neither fixtures nor network: one line saying what to set; a failure in CI, a loud skip locally', async () => {
    const root = checkout('offline');
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const env = { XDG_CACHE_HOME: path.join(tmp, 'offline-cache'), FLUXCFG_FLUX_RELEASE_BASE_URL: deadUrl };
    const shared = path.resolve(root, '../shared/fixtures');
    const line =
      `no Flux test fixtures: ${shared} does not exist and the Flux ${V} install.yaml could not be downloaded ` +
      `(cannot download Flux ${V} install.yaml from ${deadUrl}/${V}/install.yaml: ECONNREFUSED): ` +
      `set FLUXCFG_TEST_FIXTURES=<a directory holding flux/*.yaml (the Flux CRDs) and flux-install/gotk-components-${V}.yaml>`;
    await expect(resolveFixtures({ root, env, log: captureLogger().log })).rejects.toThrow(line);

    const ci = captureLogger('warn');
    await expect(fixturesForRun({ root, env: { ...env, CI: 'true' }, log: ci.log })).rejects.toThrow(
      `the tests need the Flux fixtures in CI: ${line}`,
    );
    const local = captureLogger('warn');
    expect(await fixturesForRun({ root, env, log: local.log })).toBeNull();
    expect(local.text()).toBe(`!!! SKIPPING the tests that need Flux fixtures: ${line} !!!\n`);
  });
});
