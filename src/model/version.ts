// The one version comparison: semver precedence for parsed versions (GitRepository ref.semver), the numeric core
// for release strings (a Kubernetes server's `v1.33.1-eks-1` against a Flux minimum `1.32.0`). Pure.

export interface Version {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  return { major: +m[1]!, minor: +(m[2] ?? 0), patch: +(m[3] ?? 0), prerelease: m[4] ? m[4].split('.') : [] };
}

/** Semver precedence (pre-release identifiers compared as semver says). */
function comparePrecedence(a: Version, b: Version): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d) return Math.sign(d);
  if (!a.prerelease.length || !b.prerelease.length)
    return (b.prerelease.length ? 1 : 0) - (a.prerelease.length ? 1 : 0);
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? +x : NaN;
    const ny = /^\d+$/.test(y) ? +y : NaN;
    if (x === y) continue;
    if (!isNaN(nx) && !isNaN(ny)) return Math.sign(nx - ny);
    if (!isNaN(nx)) return -1;
    if (!isNaN(ny)) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** `v1.33.1-eks-1` → 1.33.1: the numeric core of a release string; suffixes and missing parts ignored. */
function coreOf(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text
    .trim()
    .replace(/^v/, '')
    .split(/[-+]/)[0]!
    .split('.')
    .map((n) => Number.parseInt(n, 10) || 0);
  return { major, minor, patch, prerelease: [] };
}

/**
 * Orders two versions: parsed ones by semver precedence; strings by their numeric core (pre-release and build
 * suffixes ignored, as vendors suffix a Kubernetes gitVersion). Negative, 0 or positive.
 */
export function compareVersions(a: Version | string, b: Version | string): number {
  return comparePrecedence(typeof a === 'string' ? coreOf(a) : a, typeof b === 'string' ? coreOf(b) : b);
}
