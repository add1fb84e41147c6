// The secret values a migration needs, looked up in objects already read (pure): the deploy key, known_hosts,
// HTTPS credentials that a SecretPlan points to. Values stay in memory; only their absence is reported.
import type { KubeObject } from '../../k8s/types.js';
import type { KnownHostsSource, SecretKeyRef } from './inventory.js';

export type ValueSource = SecretKeyRef | KnownHostsSource | { literal: string };

/** Known hosts given on the command line or scanned, by SSH host (`host` or `[host]:port`). */
export type KnownHostsByHost = ReadonlyMap<string, string>;

export const hostKey = (host: string, port?: number): string => (port && port !== 22 ? `[${host}]:${port}` : host);

export interface Resolved {
  /** Data key → value (UTF-8 text). */
  values: Record<string, string>;
  /** What could not be read, e.g. `identity: Secret flux/flux-git-deploy has no key identity`. */
  missing: string[];
}

function dataOf(o: KubeObject | undefined): Record<string, string> {
  if (!o) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((o.data ?? {}) as Record<string, string>)) {
    out[k] = o.kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v;
  }
  for (const [k, v] of Object.entries((o.stringData ?? {}) as Record<string, string>)) out[k] = v;
  return out;
}

function find(objects: readonly KubeObject[], kind: string, namespace: string, name: string): KubeObject | undefined {
  return objects.find(
    (o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? 'default') === namespace,
  );
}

/**
 * The values of `data` (a SecretPlan's data): Secret and ConfigMap keys from `objects`, inline known_hosts, and
 * `image` known_hosts from `knownHosts` (given with --known-hosts or scanned). `fallbackKnownHosts` (a
 * `--known-hosts` given without a host) serves every host.
 */
export function resolveValues(
  data: Readonly<Record<string, ValueSource>>,
  objects: readonly KubeObject[],
  knownHosts: KnownHostsByHost,
  fallbackKnownHosts?: string,
): Resolved {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [key, src] of Object.entries(data)) {
    if ('literal' in src) values[key] = src.literal;
    else if ('kind' in src) {
      const v = dataOf(find(objects, 'Secret', src.namespace, src.name))[src.key];
      if (v) values[key] = v;
      else missing.push(`${key}: Secret ${src.namespace}/${src.name} has no key ${src.key}`);
    } else if (src.from === 'inline') values[key] = Buffer.from(src.base64, 'base64').toString('utf8');
    else if (src.from === 'image') {
      const v = fallbackKnownHosts ?? knownHosts.get(hostKey(src.host, src.port));
      if (v) values[key] = v;
      else missing.push(`${key}: no host key for ${hostKey(src.host, src.port)}`);
    } else {
      const v = dataOf(find(objects, src.from, src.namespace, src.name))[src.key];
      if (v) values[key] = v;
      else if (fallbackKnownHosts) values[key] = fallbackKnownHosts;
      else missing.push(`${key}: ${src.from} ${src.namespace}/${src.name} has no key ${src.key}`);
    }
  }
  return { values, missing };
}

/** The hosts whose keys must be scanned (fluxd trusted the keys of its image), unless known hosts were given. */
export function hostsToScan(
  datas: readonly Readonly<Record<string, ValueSource>>[],
): { host: string; port?: number }[] {
  const out = new Map<string, { host: string; port?: number }>();
  for (const data of datas) {
    for (const src of Object.values(data)) {
      if ('from' in src && src.from === 'image' && src.host) out.set(hostKey(src.host, src.port), src);
    }
  }
  return [...out.values()];
}
