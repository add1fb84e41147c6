// Which Flux a microsoft.flux version means, and which Kubernetes each Flux supports. Pure data and parsing.
import { UsageError } from '../../errors.js';

export const EXTENSION_TYPE = 'microsoft.flux';
/** The extension name az's `k8s-configuration flux create` installs, and the one hints suggest. */
export const DEFAULT_EXTENSION_NAME = 'flux';
/** How a user installs Flux: every "Flux is not installed" hint names this command. */
export const INSTALL_FLUX_COMMAND = `fluxcfg k8s-extension create --extension-type ${EXTENSION_TYPE} -n ${DEFAULT_EXTENSION_NAME}`;

/** microsoft.flux 1.23.0 ships Flux v2.7.5 (Azure release notes, June 2026): the pinned default. */
export const DEFAULT_EXTENSION_VERSION = '1.23.0';
export const DEFAULT_FLUX_VERSION = 'v2.7.5';

/** microsoft.flux minor → the Flux release it is built from (Azure's GitOps release notes). */
const extensionMinorToFlux: Record<string, string> = {
  '1.8': 'v2.1.2',
  '1.16': 'v2.5.1',
  '1.17': 'v2.6.4',
  '1.18': 'v2.6.4',
  '1.19': 'v2.6.4',
  '1.20': 'v2.6.4',
  '1.21': 'v2.6.4',
  '1.22': 'v2.6.4',
  '1.23': 'v2.7.5',
};

/**
 * The oldest Kubernetes minor each Flux minor supports (`flux check --pre`: Flux supports the three newest
 * Kubernetes minors at its release; 2.3 raised the floor to 1.28, one minor per Flux minor since).
 */
const minKubernetesByFluxMinor: Record<string, string> = {
  '2.0': '1.25.0',
  '2.1': '1.26.0',
  '2.2': '1.26.0',
  '2.3': '1.28.0',
  '2.4': '1.29.0',
  '2.5': '1.30.0',
  '2.6': '1.31.0',
  '2.7': '1.32.0',
  '2.8': '1.33.0',
  '2.9': '1.34.0',
};

export interface ResolvedVersion {
  /** What the user asked for with --version (az records the pin), undefined when not pinned. */
  readonly requested?: string;
  /** The Flux release installed, `v2.7.5`. */
  readonly flux: string;
}

const semver = /^v?(\d+)\.(\d+)\.(\d+)$/;

/**
 * `--version`: a microsoft.flux version (`1.23.0`, mapped to its Flux release) or a Flux version (`2.7.5`,
 * `v2.7.5`). Without it: the pinned default.
 */
export function resolveVersion(version: string | undefined): ResolvedVersion {
  if (version === undefined) return { flux: DEFAULT_FLUX_VERSION };
  const m = semver.exec(version.trim());
  if (!m) throw new UsageError(`argument --version: invalid value '${version}'`, { hint: versionHint() });
  const [, major, minor, patch] = m;
  if (major === '1') {
    const flux = extensionMinorToFlux[`${major}.${minor}`];
    if (!flux)
      throw new UsageError(`microsoft.flux version '${version}' is not known to fluxcfg`, { hint: versionHint() });
    return { requested: `${major}.${minor}.${patch}`, flux };
  }
  if (major === '2') return { requested: version.trim(), flux: `v${major}.${minor}.${patch}` };
  throw new UsageError(`argument --version: '${version}' is neither a microsoft.flux (1.x) nor a Flux (2.x) version`, {
    hint: versionHint(),
  });
}

function versionHint(): string {
  const known = Object.entries(extensionMinorToFlux)
    .map(([ext, flux]) => `${ext}.x → Flux ${flux}`)
    .join(', ');
  return `pass a microsoft.flux version (${known}) or a Flux release such as 2.7.5`;
}

/** The minimum Kubernetes version of a Flux release, undefined when fluxcfg does not know it. */
export function minKubernetesFor(fluxVersion: string): string | undefined {
  const m = semver.exec(fluxVersion);
  return m ? minKubernetesByFluxMinor[`${m[1]}.${m[2]}`] : undefined;
}
