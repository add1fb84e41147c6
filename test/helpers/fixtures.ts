// Where the Flux fixtures of the tests come from, decided in this one place:
//   1. FLUXCFG_TEST_FIXTURES=<dir>, laid out as flux/*.yaml (Flux CRDs) and flux-install/gotk-components-<v>.yaml;
//   2. else ../shared/fixtures beside the checkout, when it exists (the workplace copy, Flux v2.9 CRDs);
//   3. else the release install.yaml of the pinned Flux version, downloaded once by the extension's own verified
//      download code (src/extension/source.ts: checksum-verified, FLUXCFG_FLUX_RELEASE_BASE_URL honoured, cached
//      under ~/.cache/fluxcfg/), from which the same layout is derived under ~/.cache/fluxcfg/test-fixtures/.
// The Flux v1 manifests are small committed files (test/fixtures/flux-v1/), never looked up.
// No vitest import here (global setup and the benchmark load this module); tests take the result of the run's
// global setup (test/global-fixtures.ts) from test/helpers/test-fixtures.ts.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Chalk } from 'chalk';
import yaml from 'js-yaml';
import { cacheDir, loadReleaseManifest } from '../../src/extension/source.js';
import { DEFAULT_FLUX_VERSION } from '../../src/model/extension/versions.js';
import { Logger } from '../../src/ui/log.js';

export const FIXTURES_ENV = 'FLUXCFG_TEST_FIXTURES';
/** The Flux release the product installs by default, so the tests exercise what users get. */
export const FIXTURES_FLUX_VERSION = DEFAULT_FLUX_VERSION;
export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface Fixtures {
  readonly dir: string;
  /** How the directory was found, for messages: the setting, `../shared/fixtures` or the download. */
  readonly from: string;
  /** Directory of Flux CustomResourceDefinition YAML files. */
  readonly crdDir: string;
  /** The Flux install manifest (release install.yaml) of FIXTURES_FLUX_VERSION. */
  readonly installManifest: string;
}

/** No fixtures could be found: `message` is the one line that says what to set. */
export class FixturesUnavailable extends Error {
  override readonly name = 'FixturesUnavailable';
}

const layoutHint = `a directory holding flux/*.yaml (the Flux CRDs) and flux-install/gotk-components-${FIXTURES_FLUX_VERSION}.yaml`;

/** The fixture layout at `dir`, or FixturesUnavailable naming what is missing. */
export function fixturesAt(dir: string, from: string): Fixtures {
  const crdDir = path.join(dir, 'flux');
  const installManifest = path.join(dir, 'flux-install', `gotk-components-${FIXTURES_FLUX_VERSION}.yaml`);
  const missing = [
    existsSync(crdDir) && readdirSync(crdDir).some((f) => f.endsWith('.yaml')) ? undefined : `${crdDir}/*.yaml`,
    existsSync(installManifest) ? undefined : installManifest,
  ].filter(Boolean);
  if (missing.length > 0)
    throw new FixturesUnavailable(
      `the Flux test fixtures of ${from} are incomplete (missing ${missing.join(', ')}): set ${FIXTURES_ENV}=<${layoutHint}>`,
    );
  return { dir, from, crdDir, installManifest };
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** The checkout whose `../shared/fixtures` is the default. */
  root?: string;
  /** Receives the download's warnings and notes (stderr by default). */
  log?: Logger;
}

export const stderrLogger = () => new Logger(process.stderr, 'warn', new Chalk({ level: 0 }));

/** Finds (or downloads and derives) the fixtures; FixturesUnavailable when there are none. */
export async function resolveFixtures({
  env = process.env,
  root = repoRoot,
  log = stderrLogger(),
}: ResolveOptions = {}): Promise<Fixtures> {
  const setting = env[FIXTURES_ENV];
  if (setting) return fixturesAt(path.resolve(setting), `${FIXTURES_ENV}=${setting}`);
  const shared = path.resolve(root, '../shared/fixtures');
  if (existsSync(shared)) return fixturesAt(shared, shared);
  let manifest: { text: string; sha256: string };
  try {
    manifest = await loadReleaseManifest(FIXTURES_FLUX_VERSION, env, log);
  } catch (err) {
    throw new FixturesUnavailable(
      `no Flux test fixtures: ${shared} does not exist and the Flux ${FIXTURES_FLUX_VERSION} install.yaml could not be downloaded (${(err as Error).message}): set ${FIXTURES_ENV}=<${layoutHint}>`,
      { cause: err },
    );
  }
  return deriveFixtures(manifest, path.join(cacheDir(env), 'test-fixtures', `flux-${FIXTURES_FLUX_VERSION}`));
}

/**
 * Writes the fixture layout derived from a release install.yaml into `dir` (once per install.yaml: the sha256 it
 * was derived from is kept beside it): every CRD of the manifest as flux/<group>_<plural>.yaml, the upstream file
 * names, and the manifest itself as the install fixture.
 */
function deriveFixtures(manifest: { text: string; sha256: string }, dir: string): Fixtures {
  const from = `the Flux ${FIXTURES_FLUX_VERSION} release install.yaml (sha256 ${manifest.sha256}), derived into ${dir}`;
  const marker = path.join(dir, 'install.yaml.sha256');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === manifest.sha256) return fixturesAt(dir, from);
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(path.join(tmp, 'flux'), { recursive: true });
  mkdirSync(path.join(tmp, 'flux-install'));
  const crds = (
    yaml.loadAll(manifest.text) as { kind?: string; spec?: { group: string; names: { plural: string } } }[]
  ).filter((d) => d?.kind === 'CustomResourceDefinition');
  for (const crd of crds)
    writeFileSync(
      path.join(tmp, 'flux', `${crd.spec!.group}_${crd.spec!.names.plural}.yaml`),
      `---\n${yaml.dump(crd, { lineWidth: -1 })}`,
    );
  writeFileSync(path.join(tmp, 'flux-install', `gotk-components-${FIXTURES_FLUX_VERSION}.yaml`), manifest.text);
  writeFileSync(path.join(tmp, 'install.yaml.sha256'), `${manifest.sha256}\n`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  renameSync(tmp, dir);
  return fixturesAt(dir, from);
}

/**
 * The fixtures for a test run. Without any: in CI (`CI` set) a failure with the one line; locally that line, loud,
 * on `log`, and null, so the tests that need fixtures are skipped.
 */
export async function fixturesForRun(options: ResolveOptions = {}): Promise<Fixtures | null> {
  const env = options.env ?? process.env;
  try {
    return await resolveFixtures(options);
  } catch (err) {
    if (!(err instanceof FixturesUnavailable)) throw err;
    if (env.CI) throw new Error(`the tests need the Flux fixtures in CI: ${err.message}`, { cause: err });
    (options.log ?? stderrLogger()).warn(`!!! SKIPPING the tests that need Flux fixtures: ${err.message} !!!`);
    return null;
  }
}

/** A committed Flux v1 manifest (test/fixtures/flux-v1/, see its README). */
export const fluxV1Fixture = (rel: string) => path.join(repoRoot, 'test', 'fixtures', 'flux-v1', rel);
