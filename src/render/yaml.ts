import yaml from 'js-yaml';

const topOrder = ['apiVersion', 'kind', 'metadata', 'spec'];

/** Drops undefined/null, orders apiVersion, kind, metadata, spec first and every nested map alphabetically. */
export function normalize(value: unknown, top = true): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null).map((v) => normalize(v, false));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
    entries.sort(([a], [b]) => {
      if (top) {
        const ia = topOrder.indexOf(a);
        const ib = topOrder.indexOf(b);
        if (ia !== -1 || ib !== -1) return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib);
      }
      return a < b ? -1 : a > b ? 1 : 0;
    });
    return Object.fromEntries(entries.map(([k, v]) => [k, normalize(v, false)]));
  }
  return value;
}

/**
 * The one serializer for rendered objects: each document starts with `---`, keys ordered as `flux ... --export`
 * prints them, no anchors, no line folding.
 */
export function toYaml(objects: readonly unknown[]): string {
  return objects
    .map((o) => `---\n${yaml.dump(normalize(o), { noRefs: true, lineWidth: -1, sortKeys: false })}`)
    .join('');
}
