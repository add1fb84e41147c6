// Carries out a Plan: server-side apply of what it creates or updates, in the KubeClient's stages, then deletes
// what it prunes. The one executor of every write verb.
import type { KubeClient } from './client.js';
import { objectKey, type Plan } from './plan.js';
import { refOf, type KubeObject } from './types.js';

export interface ExecuteOptions {
  readonly dryRun?: boolean;
  readonly forceConflicts?: boolean;
  /** Called once per object written or deleted (for --verbose lines). */
  readonly onStep?: (step: { action: 'apply' | 'prune'; object: KubeObject }) => void;
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

/** Applies then prunes; `liveUnchanged` supplies the live copies of the plan's unchanged objects. */
export async function executePlan(
  kube: KubeClient,
  plan: Plan,
  liveUnchanged: readonly KubeObject[],
  options: ExecuteOptions = {},
): Promise<ExecuteOutcome> {
  const planned = plan.apply.map((a) => a.object);
  const newNamespaces = new Set(
    plan.apply.filter((a) => a.action === 'create' && a.object.kind === 'Namespace').map((a) => a.object.metadata.name),
  );
  const notSent = options.dryRun
    ? planned.filter((o) => o.metadata.namespace !== undefined && newNamespaces.has(o.metadata.namespace))
    : [];
  const toApply = planned.filter((o) => !notSent.includes(o));
  const answered = toApply.length
    ? await kube.applyAll(toApply, { dryRun: options.dryRun, forceConflicts: options.forceConflicts })
    : [];
  for (const object of answered) options.onStep?.({ action: 'apply', object });
  const liveByKey = new Map(liveUnchanged.map((o) => [objectKey(o), o]));
  const applied = [
    ...planned.map((o) => answered[toApply.indexOf(o)] ?? o),
    ...plan.unchanged.map((o) => liveByKey.get(objectKey(o)) ?? o),
  ];
  const pruned: KubeObject[] = [];
  for (const object of plan.prune) {
    await kube.delete(refOf(object), { dryRun: options.dryRun });
    pruned.push(object);
    options.onStep?.({ action: 'prune', object });
  }
  return { applied, pruned, notSent };
}
