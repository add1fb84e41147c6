// What a --dry-run shows: per object of a plan, the live copy against the API server's dry-run answer (creates and
// updates) or against nothing (prunes), both without the fields only the server writes, as one unified diff.
// Pure: the caller supplies the colour and the serializer (render/yaml's toYaml).
import { diffYaml, type DiffOptions } from '../ui/diff.js';
import { objectKey, type Plan } from './plan.js';
import { describeRef, refOf, type KubeObject } from './types.js';

/** One object of a plan: its live copy (absent for a create) and what it would become (absent for a prune). */
export interface ObjectChange {
  readonly before?: KubeObject;
  readonly after?: KubeObject;
}

/** Metadata only the API server writes: never part of what fluxcfg applies, left out of a diff. */
const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/** The object without status and server-only metadata (a copy). */
export function withoutServerFields(o: KubeObject): KubeObject {
  const { status: _status, ...rest } = o;
  const metadata = Object.fromEntries(Object.entries(o.metadata).filter(([k]) => !SERVER_METADATA.includes(k)));
  const annotations = o.metadata.annotations && { ...o.metadata.annotations };
  if (annotations) delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  if (annotations && Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  return { ...rest, metadata: metadata as KubeObject['metadata'] };
}

/**
 * The changes of a plan: creates and updates paired with the server's answers (by object identity; an object the
 * dry run did not send stands as rendered), then prunes. `liveOf` replaces the plan's live copy (the extension's
 * plan knows its objects by reference only and reads them for the diff).
 */
export function planChanges(
  p: Plan,
  answered: readonly KubeObject[],
  liveOf: (planned: KubeObject) => KubeObject | undefined = () => undefined,
): ObjectChange[] {
  const byKey = new Map(answered.map((o) => [objectKey(o), o]));
  const hasBody = (o: KubeObject | undefined) =>
    o !== undefined && Object.keys(o).some((k) => !/^(apiVersion|kind|metadata)$/.test(k));
  const live = (o: KubeObject, planned?: KubeObject) => {
    const found = liveOf(o);
    if (found) return found;
    return planned && (hasBody(planned) || planned.metadata.resourceVersion) ? planned : undefined;
  };
  return [
    ...p.apply.map((a) => ({ before: live(a.object, a.live), after: byKey.get(objectKey(a.object)) ?? a.object })),
    ...p.prune.map((o) => ({ before: live(o, o) })),
  ];
}

export interface PlanDiff {
  /** The unified diff of every object that changes ('' when none does). */
  readonly text: string;
  /** How many objects differ. */
  readonly changed: number;
}

/** One unified diff per changed object (labels `live/<kind>/<namespace>/<name>`, `dry-run/...`), concatenated. */
export function diffChanges(
  changes: readonly ObjectChange[],
  options: Pick<DiffOptions, 'color' | 'serialize'>,
): PlanDiff {
  const texts: string[] = [];
  for (const c of changes) {
    if (!c.before && !c.after) continue;
    const ref = refOf((c.after ?? c.before)!);
    const path = `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
    const side = (o: KubeObject | undefined) => (o ? options.serialize([withoutServerFields(o)]) : '');
    const text = diffYaml(side(c.before), side(c.after), {
      ...options,
      fromLabel: c.before ? `live/${path}` : '/dev/null',
      toLabel: c.after ? `dry-run/${path}` : '/dev/null',
    });
    if (text) texts.push(text);
  }
  return { text: texts.join(''), changed: texts.length };
}

/** `create GitRepository ns/name` lines of a plan, for stderr beside the diff. */
export const describeChange = (c: ObjectChange): string =>
  `${!c.before ? 'create' : !c.after ? 'prune' : 'update'} ${describeRef(refOf((c.after ?? c.before)!))}`;
