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
}

/** Applies then prunes; `liveUnchanged` supplies the live copies of the plan's unchanged objects. */
export async function executePlan(
  kube: KubeClient,
  plan: Plan,
  liveUnchanged: readonly KubeObject[],
  options: ExecuteOptions = {},
): Promise<ExecuteOutcome> {
  const toApply = plan.apply.map((a) => a.object);
  const answered = toApply.length
    ? await kube.applyAll(toApply, { dryRun: options.dryRun, forceConflicts: options.forceConflicts })
    : [];
  for (const object of answered) options.onStep?.({ action: 'apply', object });
  const liveByKey = new Map(liveUnchanged.map((o) => [objectKey(o), o]));
  const applied = [...answered, ...plan.unchanged.map((o) => liveByKey.get(objectKey(o)) ?? o)];
  const pruned: KubeObject[] = [];
  for (const object of plan.prune) {
    await kube.delete(refOf(object), { dryRun: options.dryRun });
    pruned.push(object);
    options.onStep?.({ action: 'prune', object });
  }
  return { applied, pruned };
}
