// Helm v3 release storage as the Helm SDK writes it: one Secret `sh.helm.release.v1.<release>.v<revision>` of type
// `helm.sh/release.v1` per revision, labels owner=helm, name, version, status, and `data.release` = base64 (the
// Secret encoding) of base64 of gzip of the release JSON. Helm v2 (Tiller) kept ConfigMaps labelled OWNER=TILLER.
// Read only; nothing here is ever written back.
import { gunzipSync } from 'node:zlib';
import type { KubeObject } from '../../k8s/types.js';
import type { HelmStorageRecord, RunningRelease } from './inventory.js';

const NAME = /^sh\.helm\.release\.v1\.(.+)\.v(\d+)$/;

/** One storage Secret → its record (undefined when the object is not Helm v3 release storage). */
export function readReleaseSecret(obj: KubeObject): HelmStorageRecord | undefined {
  if (obj.kind !== 'Secret') return undefined;
  const labels = obj.metadata.labels ?? {};
  const m = NAME.exec(obj.metadata.name);
  if (!m && labels.owner !== 'helm') return undefined;
  if (obj.type !== undefined && obj.type !== 'helm.sh/release.v1') return undefined;
  const release = labels.name ?? m?.[1];
  const revision = Number(labels.version ?? m?.[2]);
  if (!release || !Number.isInteger(revision)) return undefined;
  const record: HelmStorageRecord = {
    secret: obj.metadata.name,
    release,
    namespace: obj.metadata.namespace ?? 'default',
    revision,
    status: labels.status,
  };
  const payload = decodeReleasePayload((obj.data as Record<string, string> | undefined)?.release);
  if (payload) {
    const meta = (payload.chart as { metadata?: Record<string, unknown> } | undefined)?.metadata;
    if (typeof meta?.name === 'string') record.chart = meta.name;
    if (typeof meta?.version === 'string') record.chartVersion = meta.version;
    if (typeof meta?.appVersion === 'string') record.appVersion = meta.appVersion;
    const status = (payload.info as { status?: unknown } | undefined)?.status;
    if (record.status === undefined && typeof status === 'string') record.status = status;
  }
  return record;
}

/** `data.release` of a storage Secret → the release JSON; undefined when it cannot be read (never throws). */
export function decodeReleasePayload(data: string | undefined): Record<string, unknown> | undefined {
  if (!data) return undefined;
  try {
    const inner = Buffer.from(data, 'base64').toString('latin1');
    let bytes = Buffer.from(inner, 'base64');
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    const parsed = JSON.parse(bytes.toString('utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The release `name` in `namespace` from all storage records: latest deployed revision, else the latest one. */
export function findRelease(
  records: readonly HelmStorageRecord[],
  name: string,
  namespace: string,
  helmV2Releases: ReadonlySet<string> = new Set(),
): RunningRelease {
  const mine = records
    .filter((r) => r.release === name && r.namespace === namespace)
    .sort((a, b) => b.revision - a.revision);
  const current = mine.find((r) => r.status === 'deployed') ?? mine[0];
  const out: RunningRelease = { name, namespace, revisions: mine.length };
  if (current) out.current = current;
  if (helmV2Releases.has(name)) out.helmV2 = true;
  return out;
}

/** Names of Helm v2 releases (Tiller ConfigMaps labelled OWNER=TILLER, NAME=<release>). */
export function helmV2ReleaseNames(objects: readonly KubeObject[]): Set<string> {
  const names = new Set<string>();
  for (const o of objects) {
    const labels = o.metadata.labels ?? {};
    const storage = o.kind === 'ConfigMap' || o.kind === 'Secret';
    if (storage && labels.OWNER === 'TILLER' && labels.NAME) names.add(labels.NAME);
  }
  return names;
}
