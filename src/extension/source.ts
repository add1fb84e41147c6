// Where Flux's install manifest comes from: the release install.yaml (downloaded once, cached, checksum-verified)
// or --manifests <file|url>.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { Logger } from '../ui/log.js';

export const RELEASE_BASE_URL_ENV = 'FLUXCFG_FLUX_RELEASE_BASE_URL';
export const DEFAULT_RELEASE_BASE_URL = 'https://github.com/fluxcd/flux2/releases/download';

export interface LoadedManifest {
  readonly text: string;
  /** For messages and the extension record: `Flux v2.7.5 release`, a path or a URL. */
  readonly source: string;
  readonly sha256: string;
}

export const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

export function cacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'fluxcfg');
}

async function httpGet(url: string, what: string): Promise<{ status: number; body: Buffer }> {
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(120_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new UserError(
      `cannot download ${what} from ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      {
        hint: 'check the network (or proxy); in an air-gapped cluster download install.yaml elsewhere and pass --manifests <file>',
        cause: err,
      },
    );
  }
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

/** The sha256 the release publishes for install.yaml (goreleaser's checksums file), undefined when it has none. */
async function publishedChecksum(baseUrl: string, version: string, log: Logger): Promise<string | undefined> {
  const file = `flux_${version.replace(/^v/, '')}_checksums.txt`;
  const url = `${baseUrl}/${version}/${file}`;
  const res = await httpGet(url, `the checksums of Flux ${version}`);
  if (res.status === 404) {
    log.warn(`Flux ${version} publishes no ${file}: install.yaml is not checksum-verified`);
    return undefined;
  }
  if (res.status !== 200)
    throw new UserError(`cannot download the checksums of Flux ${version} from ${url}: HTTP ${res.status}`, {
      hint: 'retry later, or pass --manifests <file> with an install.yaml you verified',
    });
  for (const line of res.body.toString('utf8').split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(\S+)$/.exec(line.trim());
    if (m && m[2] === 'install.yaml') return m[1];
  }
  log.warn(`${file} of Flux ${version} lists no install.yaml: install.yaml is not checksum-verified`);
  return undefined;
}

/**
 * The release install.yaml of a Flux version: from the cache (~/.cache/fluxcfg/flux/<version>/install.yaml, its
 * hash re-checked) or downloaded from the release (base URL overridable with FLUXCFG_FLUX_RELEASE_BASE_URL),
 * verified against the published checksum when there is one, then cached.
 */
export async function loadReleaseManifest(
  version: string,
  env: NodeJS.ProcessEnv,
  log: Logger,
): Promise<LoadedManifest> {
  const dir = path.join(cacheDir(env), 'flux', version);
  const file = path.join(dir, 'install.yaml');
  const hashFile = `${file}.sha256`;
  const source = `Flux ${version} release install.yaml`;
  if (existsSync(file) && existsSync(hashFile)) {
    const text = readFileSync(file);
    const expected = readFileSync(hashFile, 'utf8').trim();
    if (sha256(text) === expected) {
      log.info(`using the cached ${file}`);
      return { text: text.toString('utf8'), source, sha256: expected };
    }
    log.warn(`the cached ${file} does not match its checksum: downloading it again`);
    rmSync(file, { force: true });
  }
  const baseUrl = (env[RELEASE_BASE_URL_ENV] || DEFAULT_RELEASE_BASE_URL).replace(/\/+$/, '');
  const url = `${baseUrl}/${version}/install.yaml`;
  log.info(`downloading ${url}`);
  const res = await httpGet(url, `Flux ${version} install.yaml`);
  if (res.status !== 200)
    throw new UserError(`cannot download Flux ${version} install.yaml from ${url}: HTTP ${res.status}`, {
      hint:
        res.status === 404
          ? 'check --version (is it a released Flux version?), or pass --manifests <file|url>'
          : 'retry later, or pass --manifests <file|url>',
    });
  const actual = sha256(res.body);
  const expected = await publishedChecksum(baseUrl, version, log);
  if (expected && expected !== actual)
    throw new UserError(
      `checksum mismatch for Flux ${version} install.yaml from ${url}: expected sha256 ${expected}, got ${actual}`,
      {
        hint: 'the download is corrupted or was tampered with: nothing was installed or cached; retry, or pass --manifests <file>',
      },
    );
  if (expected) log.info(`install.yaml matches the published sha256 ${expected}`);
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, res.body);
  renameSync(tmp, file);
  writeFileSync(hashFile, `${actual}\n`);
  return { text: res.body.toString('utf8'), source, sha256: actual };
}

/** --manifests <file|url>: read as given, no cache. */
export async function loadManifestArg(location: string): Promise<LoadedManifest> {
  if (/^https?:\/\//i.test(location)) {
    const res = await httpGet(location, 'the Flux install manifest');
    if (res.status !== 200)
      throw new UserError(`cannot download the Flux install manifest from ${location}: HTTP ${res.status}`, {
        hint: 'check the --manifests URL',
      });
    return { text: res.body.toString('utf8'), source: location, sha256: sha256(res.body) };
  }
  let buf: Buffer;
  try {
    buf = await readFile(location);
  } catch (err) {
    throw new UserError(
      `cannot read --manifests ${location}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      {
        hint: 'pass the path of a Flux install.yaml (or an http(s) URL)',
        cause: err,
      },
    );
  }
  return { text: buf.toString('utf8'), source: path.resolve(location), sha256: sha256(buf) };
}
