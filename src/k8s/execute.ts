// Carries out a Plan: server-side apply of what it creates or updates, in the KubeClient's stages, then deletes
// what it prunes. The one executor of every write verb. A real write is all or nothing as far as the API server
// lets it be: the whole plan is validated by a server-side dry run before the first write, the object that records
// what is written (the commit point) goes first with optimistic concurrency, and a failure halfway says what was
// applied and what was not.
import { KubeError, UserError } from '../errors.js';
import { applyStage, FIELD_MANAGER, mapLimit, type KubeClient } from './client.js';
import { objectKey, type Plan } from './plan.js';
import { describeRef, refOf, type KubeObject } from './types.js';

/** How the record object is written: created only if absent (POST), or only over the resourceVersion read. */
export type RecordPrecondition = { readonly absent: true } | { readonly resourceVersion: string };

export interface ExecuteOptions {
  readonly dryRun?: boolean;
  readonly forceConflicts?: boolean;
  /** Called once per object written or deleted (for --verbose lines). */
  readonly onStep?: (step: { action: 'apply' | 'prune'; object: KubeObject }) => void;
  /** Real writes: send the whole plan as a server-side dry run first; a rejection writes nothing. */
  readonly validateFirst?: boolean;
  /**
   * The object (by objectKey) that records what is written: applied right after the new Namespaces, before
   * anything else, with `precondition` — two concurrent writers cannot both pass it, so the loser writes nothing.
   */
  readonly record?: { readonly key: string; readonly precondition: RecordPrecondition };
  /**
   * Real writes: every object the plan updates is written only over the resourceVersion it was planned from, so
   * a writer that read an older state cannot undo a newer change (a 409 becomes a ConcurrentChangeError).
   */
  readonly preconditions?: boolean;
}

export interface ExecuteOutcome {
  /** What the API server answered for each applied object, then the live copies of the unchanged ones. */
  readonly applied: KubeObject[];
  readonly pruned: KubeObject[];
  /**
   * Dry run only: objects not sent because their namespace is created by the same plan (a server-side dry run
   * cannot create it, so the server would answer NotFound). They stand in `applied` as planned.
   */
  readonly notSent: KubeObject[];
}

/** The record object was changed by another writer since it was read (or created by one meanwhile). */
export class ConcurrentChangeError extends UserError {}

/** A 409 of a resourceVersion precondition (not a field-manager conflict of server-side apply). */
export function isStaleWrite(err: unknown): boolean {
  return err instanceof KubeError && err.status === 409 && /has been modified|latest version/i.test(err.message);
}

const list = (objects: readonly KubeObject[]) => objects.map((o) => describeRef(refOf(o))).join(', ') || 'nothing';

/** The same error (class, status, exit code) with more said in its message and hint. */
function annotated(original: unknown, suffix: string, hint: string): Error {
  const err = terminatingNamespace(original);
  if (err instanceof KubeError)
    return new KubeError(
      `${err.message}${suffix}`,
      { status: err.status, reason: err.reason, method: err.method, path: err.path },
      { hint: err.hint ? `${err.hint}; ${hint}` : hint, cause: err },
    );
  if (err instanceof UserError) {
    const Cls = err.constructor as new (m: string, o: { hint?: string; cause?: unknown }) => UserError;
    return new Cls(`${err.message}${suffix}`, { hint: err.hint ? `${err.hint}; ${hint}` : hint, cause: err });
  }
  return new UserError(`${(err as Error).message}${suffix}`, { hint, cause: err });
}

/**
 * A 403 because the namespace is terminating is no missing right: the default hint (RBAC) would mislead. The
 * same error with a hint that says to wait for the namespace to be gone.
 */
export function terminatingNamespace(err: unknown): unknown {
  if (!(err instanceof KubeError) || err.status !== 403 || err.hint?.includes('is being deleted')) return err;
  const m = /in namespace (\S+) because it is being terminated/.exec(err.message);
  if (!m) return err;
  return new KubeError(
    err.message,
    { status: err.status, reason: err.reason, method: err.method, path: err.path },
    {
      hint:
        `namespace ${m[1]} is being deleted: wait until it is gone, then re-run ` +
        '(this is not a missing RBAC right)',
      cause: err,
    },
  );
}

/** Applies `objects` stage by stage (in parallel within a stage), recording each one the server accepted. */
async function applyTracked(
  kube: KubeClient,
  objects: readonly KubeObject[],
  options: ExecuteOptions,
  done: Map<KubeObject, KubeObject>,
  readVersions: ReadonlyMap<KubeObject, string> = new Map(),
): Promise<void> {
  const stages = [...new Set(objects.map(applyStage))].sort((a, b) => a - b);
  for (const stage of stages) {
    const batch = objects.filter((o) => applyStage(o) === stage);
    // applyAll per object keeps its CRD handling (wait for Established) while every success is recorded.
    await mapLimit(batch, 8, async (o) => {
      const resourceVersion = readVersions.get(o);
      const body = resourceVersion ? { ...o, metadata: { ...o.metadata, resourceVersion } } : o;
      try {
        const [answer] = await kube.applyAll([body], { forceConflicts: options.forceConflicts });
        done.set(o, answer!);
      } catch (err) {
        if (resourceVersion && isStaleWrite(err))
          throw new ConcurrentChangeError(
            `${describeRef(refOf(o))} was changed by someone else since it was read; re-run`,
            { hint: 're-run the command: it reads the configuration again', cause: err },
          );
        throw err;
      }
    });
  }
}

/** Writes the record object under its precondition (or sends that write as a dry run). */
async function writeRecord(
  kube: KubeClient,
  object: KubeObject,
  options: ExecuteOptions,
  dryRun = false,
): Promise<KubeObject> {
  const precondition = options.record!.precondition;
  try {
    if ('absent' in precondition) {
      const created = await kube.createOnly(object, { dryRun });
      if (dryRun) return created;
      // Server-side apply takes the fields over, then the POST's own managedFields entry is dropped: fields a
      // later apply leaves out must not stay owned by it.
      const applied = await kube.apply(object, { forceConflicts: true });
      const entries = applied.metadata.managedFields ?? [];
      const kept = entries.filter((m) => !(m.manager === FIELD_MANAGER && m.operation !== 'Apply'));
      if (kept.length === entries.length) return applied;
      return await kube.mergePatch(refOf(object), { metadata: { managedFields: kept } });
    }
    return await kube.apply(
      { ...object, metadata: { ...object.metadata, resourceVersion: precondition.resourceVersion } },
      { forceConflicts: options.forceConflicts, dryRun },
    );
  } catch (err) {
    if (err instanceof KubeError && err.status === 409 && ('absent' in precondition || isStaleWrite(err)))
      throw new ConcurrentChangeError(
        'absent' in precondition
          ? `${describeRef(refOf(object))} was created by someone else meanwhile`
          : `${describeRef(refOf(object))} was changed by someone else since it was read; re-run`,
        { hint: 're-run the command: it reads the configuration again', cause: err },
      );
    throw err;
  }
}

/** Applies then prunes; `liveUnchanged` supplies the live copies of the plan's unchanged objects. */
export async function executePlan(
  kube: KubeClient,
  plan: Plan,
  liveUnchanged: readonly KubeObject[],
  options: ExecuteOptions = {},
): Promise<ExecuteOutcome> {
  try {
    return await executeSteps(kube, plan, liveUnchanged, options);
  } catch (err) {
    throw terminatingNamespace(err);
  }
}

async function executeSteps(
  kube: KubeClient,
  plan: Plan,
  liveUnchanged: readonly KubeObject[],
  options: ExecuteOptions = {},
): Promise<ExecuteOutcome> {
  const planned = plan.apply.map((a) => a.object);
  const newNamespaces = new Set(
    plan.apply.filter((a) => a.action === 'create' && a.object.kind === 'Namespace').map((a) => a.object.metadata.name),
  );
  const liveByKey = new Map(liveUnchanged.map((o) => [objectKey(o), o]));
  const result = (answered: (o: KubeObject) => KubeObject | undefined) => [
    ...planned.map((o) => answered(o) ?? o),
    ...plan.unchanged.filter((o) => !planned.includes(o)).map((o) => liveByKey.get(objectKey(o)) ?? o),
  ];

  if (options.dryRun) {
    const notSent = planned.filter(
      (o) => o.metadata.namespace !== undefined && newNamespaces.has(o.metadata.namespace),
    );
    const toApply = planned.filter((o) => !notSent.includes(o));
    const answered = toApply.length
      ? await kube.applyAll(toApply, { dryRun: true, forceConflicts: options.forceConflicts })
      : [];
    for (const object of answered) options.onStep?.({ action: 'apply', object });
    const pruned: KubeObject[] = [];
    for (const object of plan.prune) {
      await kube.delete(refOf(object), { dryRun: true });
      pruned.push(object);
      options.onStep?.({ action: 'prune', object });
    }
    return { applied: result((o) => answered[toApply.indexOf(o)]), pruned, notSent };
  }

  const done = new Map<KubeObject, KubeObject>();
  const rejectedByDryRun = new WeakSet<object>();
  const pruned: KubeObject[] = [];
  const namespaces = planned.filter((o) => o.kind === 'Namespace' && newNamespaces.has(o.metadata.name));
  // Anything written at all goes through the record's precondition, even when the record itself is unchanged.
  const unchangedRecord =
    options.record && (planned.length || plan.prune.length)
      ? plan.unchanged.find((o) => objectKey(o) === options.record!.key)
      : undefined;
  if (unchangedRecord) planned.unshift(unchangedRecord);
  const record = options.record ? planned.find((o) => objectKey(o) === options.record!.key) : undefined;
  const rest = planned.filter((o) => !namespaces.includes(o) && o !== record);
  try {
    // The Namespaces the plan creates first: the dry run of what goes into them needs them to exist.
    await applyTracked(kube, namespaces, options, done);
    if (options.validateFirst) {
      try {
        if (record) await writeRecord(kube, record, options, true);
        const others = planned.filter((o) => !namespaces.includes(o) && o !== record);
        if (others.length) await kube.applyAll(others, { dryRun: true, forceConflicts: options.forceConflicts });
        for (const object of plan.prune) await kube.delete(refOf(object), { dryRun: true });
      } catch (err) {
        if (err instanceof ConcurrentChangeError) throw err;
        const created = namespaces.length ? ` (only the new ${list(namespaces)} was created)` : '';
        const rejected = annotated(err, '', `the server-side dry run rejected it: nothing was applied${created}`);
        rejectedByDryRun.add(rejected);
        throw rejected;
      }
    }
    if (record) done.set(record, await writeRecord(kube, record, options));
    const readVersions = new Map<KubeObject, string>();
    if (options.preconditions)
      for (const a of plan.apply)
        if (a.action === 'update' && a.live?.metadata.resourceVersion)
          readVersions.set(a.object, a.live.metadata.resourceVersion);
    await applyTracked(kube, rest, options, done, readVersions);
    for (const object of plan.prune) {
      await kube.delete(refOf(object));
      pruned.push(object);
      options.onStep?.({ action: 'prune', object });
    }
  } catch (err) {
    if (rejectedByDryRun.has(err as object)) throw err;
    if (err instanceof ConcurrentChangeError)
      throw done.size ? annotated(err, '', `before it only ${list([...done.keys()])} was applied`) : err;
    if (done.size === 0 && pruned.length === 0) throw err;
    const notPruned = plan.prune.filter((o) => !pruned.includes(o));
    throw annotated(
      err,
      `\napplied: ${list([...done.keys()])}\nnot applied: ${list(planned.filter((o) => !done.has(o)))}` +
        (plan.prune.length ? `\ndeleted: ${list(pruned)}\nnot deleted: ${list(notPruned)}` : ''),
      're-run the same command to complete the change (it picks up what was applied)',
    );
  }
  for (const object of done.values()) options.onStep?.({ action: 'apply', object });
  return { applied: result((o) => done.get(o)), pruned, notSent: [] };
}
