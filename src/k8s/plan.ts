// What a write will do, computed before it is done: pure functions over the desired objects and the live ones
// (no I/O). Every write verb builds a Plan, the executor (src/k8s/execute.ts) carries it out in stages, and
// --dry-run prints it after the API server's dry run validated it.
import { FIELD_MANAGER } from './client.js';
import { describeRef, refOf, type KubeObject } from './types.js';

export type PlanAction = 'create' | 'update';

export interface PlannedApply {
  readonly action: PlanAction;
  readonly object: KubeObject;
  /** The live object it replaces (for update). */
  readonly live?: KubeObject;
}

export interface Plan {
  /** Objects to server-side apply, in the desired order. */
  readonly apply: readonly PlannedApply[];
  /** Live objects no longer desired, to delete (dependants, i.e. Flux appliers, first). */
  readonly prune: readonly KubeObject[];
  /** Desired objects whose live copy already holds exactly what fluxcfg would apply. */
  readonly unchanged: readonly KubeObject[];
  readonly warnings: readonly string[];
}

/** The identity of an object across API versions of one group. */
export function objectKey(o: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether every field of `want` holds the same value in `have` (objects: key by key; arrays: same length, item by
 * item). Fields the server added (defaults, status) are ignored.
 */
export function isSubset(want: unknown, have: unknown): boolean {
  if (Array.isArray(want))
    return Array.isArray(have) && want.length === have.length && want.every((w, i) => isSubset(w, have[i]));
  if (isPlainObject(want))
    return isPlainObject(have) && Object.entries(want).every(([k, w]) => w === undefined || isSubset(w, have[k]));
  return want === have;
}

/** Field paths (`spec.interval`, `metadata.labels.x`) at the depth where lists start, as managedFields names them. */
function ownedPaths(fields: unknown, prefix = ''): string[] {
  if (!isPlainObject(fields)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (k === '.') continue;
    if (!k.startsWith('f:')) {
      // k:{...}, v:..., i:N name a list item: the list itself is the unit of comparison.
      return prefix ? [prefix] : [];
    }
    const path = prefix ? `${prefix}.${k.slice(2)}` : k.slice(2);
    const sub = ownedPaths(v, path);
    out.push(...(sub.length ? sub : [path]));
  }
  return out;
}

function desiredPaths(obj: unknown, prefix = ''): string[] {
  if (!isPlainObject(obj)) return prefix ? [prefix] : [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    const path = prefix ? `${prefix}.${k}` : k;
    const sub = isPlainObject(v) && Object.keys(v).length ? desiredPaths(v, path) : [path];
    out.push(...sub);
  }
  return out;
}

const IDENTITY = new Set(['apiVersion', 'kind', 'metadata.name', 'metadata.namespace']);

/**
 * Fields fluxcfg applied last time that the desired object no longer sets: server-side apply would remove them,
 * so the object is not unchanged even when the rest matches.
 */
function dropsOwnedFields(desired: KubeObject, live: KubeObject): boolean {
  const entry = live.metadata.managedFields?.find((m) => m.manager === FIELD_MANAGER && m.operation === 'Apply');
  if (!entry) return true;
  const want = new Set(desiredPaths(desired).filter((p) => !IDENTITY.has(p)));
  const covered = (p: string) => want.has(p) || [...want].some((w) => w.startsWith(`${p}.`) || p.startsWith(`${w}.`));
  return ownedPaths(entry.fieldsV1).some((p) => !IDENTITY.has(p) && !covered(p));
}

/**
 * What the live object holds for `desired`: a Secret's `stringData` is write-only, the server stores it
 * base64-encoded in `data`, so it is compared there.
 */
function asStored(desired: KubeObject): KubeObject {
  const stringData = desired.stringData as Record<string, string> | undefined;
  if (desired.apiVersion !== 'v1' || desired.kind !== 'Secret' || !isPlainObject(stringData)) return desired;
  const { stringData: _s, ...rest } = desired;
  const encoded = Object.fromEntries(
    Object.entries(stringData).map(([k, v]) => [k, Buffer.from(String(v), 'utf8').toString('base64')]),
  );
  return { ...rest, data: { ...(desired.data as Record<string, string> | undefined), ...encoded } };
}

/** True when applying `desired` over `live` would change nothing fluxcfg owns. */
export function isUnchanged(desired: KubeObject, live: KubeObject): boolean {
  const { metadata, ...rest } = asStored(desired);
  const { name: _n, namespace: _ns, ...meta } = metadata;
  return isSubset(rest, live) && isSubset(meta, live.metadata) && !dropsOwnedFields(desired, live);
}

/** Kustomizations and HelmReleases (what applies to the cluster) are pruned before what they depend on. */
function pruneOrder(o: KubeObject): number {
  if (o.kind === 'Kustomization' || o.kind === 'HelmRelease') return 0;
  if (o.apiVersion.includes('.toolkit.fluxcd.io/')) return 1;
  if (o.kind === 'CustomResourceDefinition') return 4;
  if (o.kind === 'Namespace') return 5;
  return 2;
}

export interface PlanOptions {
  /** Live objects that must never be pruned even when not desired (e.g. a Namespace fluxcfg did not create). */
  readonly keep?: (live: KubeObject) => boolean;
  /** Apply even what looks unchanged (a forced re-apply takes fields back from other managers). */
  readonly applyUnchanged?: boolean;
}

/**
 * The plan of a write: `desired` are the rendered objects, `live` the objects that currently belong to what is
 * written (found by its labels or record). Pure; the order of `apply` is the order of `desired`.
 */
export function plan(desired: readonly KubeObject[], live: readonly KubeObject[], options: PlanOptions = {}): Plan {
  const liveByKey = new Map(live.map((o) => [objectKey(o), o]));
  const desiredKeys = new Set<string>();
  const apply: PlannedApply[] = [];
  const unchanged: KubeObject[] = [];
  const warnings: string[] = [];
  for (const object of desired) {
    const key = objectKey(object);
    if (desiredKeys.has(key)) warnings.push(`${describeRef(refOf(object))} is rendered twice; the last one wins`);
    desiredKeys.add(key);
    const current = liveByKey.get(key);
    if (!current) apply.push({ action: 'create', object });
    else if (!options.applyUnchanged && isUnchanged(object, current)) unchanged.push(object);
    else apply.push({ action: 'update', object, live: current });
  }
  const prune = live
    .filter((o) => !desiredKeys.has(objectKey(o)) && !(options.keep?.(o) ?? false))
    .sort((a, b) => pruneOrder(a) - pruneOrder(b));
  for (const o of live)
    if (o.metadata.deletionTimestamp && desiredKeys.has(objectKey(o)))
      warnings.push(`${describeRef(refOf(o))} is being deleted; applying it again may fail until it is gone`);
  return { apply, prune, unchanged, warnings };
}

export interface PlanSummaryRow {
  readonly action: PlanAction | 'prune' | 'unchanged';
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** The plan as rows (what --dry-run prints): creates, updates, prunes, then what stays as it is. */
export function planRows(p: Plan): PlanSummaryRow[] {
  const row = (action: PlanSummaryRow['action'], o: KubeObject): PlanSummaryRow => ({
    action,
    kind: o.kind,
    namespace: o.metadata.namespace,
    name: o.metadata.name,
  });
  return [
    ...p.apply.filter((a) => a.action === 'create').map((a) => row('create', a.object)),
    ...p.apply.filter((a) => a.action === 'update').map((a) => row('update', a.object)),
    ...p.prune.map((o) => row('prune', o)),
    ...p.unchanged.map((o) => row('unchanged', o)),
  ];
}
