// Just enough semver to pick the tag a GitRepository `ref.semver` selects (Masterminds-style constraints:
// `>=1.0.0 <2.0.0`, `^1.2`, `~1.2.3`, `1.x`, `*`, `||`), so the validation clones what Flux would check out.
import { compareVersions, parseVersion, type Version } from '../model/version.js';

type Test = (v: Version) => boolean;

const v = (major: number, minor = 0, patch = 0): Version => ({ major, minor, patch, prerelease: [] });

function comparator(op: string, text: string): Test | undefined {
  const m = /^v?([0-9xX*]+)(?:\.([0-9xX*]+))?(?:\.([0-9xX*]+))?(?:-([0-9A-Za-z.-]+))?$/.exec(text);
  if (!m) return undefined;
  const wild = (s: string | undefined) => s === undefined || /^[xX*]$/.test(s);
  const parts = [m[1], m[2], m[3]];
  const n = parts.findIndex(wild);
  const given = n === -1 ? 3 : n; // how many leading parts are numbers
  const nums = parts.map((p) => (wild(p) ? 0 : +p!));
  const base: Version = { major: nums[0]!, minor: nums[1]!, patch: nums[2]!, prerelease: m[4] ? m[4].split('.') : [] };
  const ge = (x: Version) => (w: Version) => compareVersions(w, x) >= 0;
  const lt = (x: Version) => (w: Version) => compareVersions(w, x) < 0;
  const and =
    (...t: Test[]) =>
    (w: Version) =>
      t.every((f) => f(w));
  const nextAt = (level: number) =>
    level <= 0
      ? v(base.major + 1)
      : level === 1
        ? v(base.major, base.minor + 1)
        : v(base.major, base.minor, base.patch + 1);
  if (given === 0) return op === '<' || op === '>' || op === '!=' ? () => false : () => true;
  switch (op) {
    case '':
    case '=':
      return given === 3 ? (w) => compareVersions(w, base) === 0 : and(ge(base), lt(nextAt(given - 1)));
    case '!=':
      return given === 3 ? (w) => compareVersions(w, base) !== 0 : (w) => !and(ge(base), lt(nextAt(given - 1)))(w);
    case '>':
      return given === 3 ? (w) => compareVersions(w, base) > 0 : ge(nextAt(given - 1));
    case '>=':
      return ge(base);
    case '<':
      return lt(base);
    case '<=':
      return given === 3 ? (w) => compareVersions(w, base) <= 0 : lt(nextAt(given - 1));
    case '~':
    case '~>':
      return and(ge(base), lt(nextAt(given === 1 ? 0 : 1)));
    case '^': {
      const level = base.major > 0 || given === 1 ? 0 : base.minor > 0 || given === 2 ? 1 : 2;
      return and(ge(base), lt(nextAt(level)));
    }
    default:
      return undefined;
  }
}

/** A constraint as a predicate; undefined when it cannot be parsed. Prereleases match only if the constraint names one. */
export function parseConstraint(text: string): Test | undefined {
  const alternatives: Test[] = [];
  const allowPre = /-[0-9A-Za-z]/.test(text.replace(/\s-\s/g, ' '));
  for (const alt of text.split('||')) {
    const tests: Test[] = [];
    const re = /(\^|~>?|[<>]=?|!=|=)?\s*(v?[0-9xX*][0-9A-Za-z.*+-]*)/g;
    const rest = alt.replace(re, '').replace(/[\s,]/g, '');
    if (rest) return undefined;
    for (const m of alt.matchAll(re)) {
      const t = comparator(m[1] ?? '', m[2]!);
      if (!t) return undefined;
      tests.push(t);
    }
    if (!tests.length) return undefined;
    alternatives.push((w) => tests.every((t) => t(w)));
  }
  return (w) => (allowPre || w.prerelease.length === 0) && alternatives.some((t) => t(w));
}

/** The highest tag whose version satisfies the constraint. */
export function pickTag(tags: readonly string[], constraint: string): string | undefined {
  const test = parseConstraint(constraint);
  if (!test) return undefined;
  let best: { tag: string; version: Version } | undefined;
  for (const tag of tags) {
    const version = parseVersion(tag);
    if (!version || !test(version)) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { tag, version };
  }
  return best?.tag;
}
