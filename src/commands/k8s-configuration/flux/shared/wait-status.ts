// What `--wait` shows per Flux object while it waits (issue #12 §5): the wait loop hands over the live objects it
// read, this turns each into a line (source fetched, Kustomization applied, the controller's reason while not
// Ready) for the live renderer of src/ui/live-status.ts.
import type { Deps } from '../../../../deps.js';
import { conditionOf, type KubeObject } from '../../../../k8s/types.js';
import { makeColor } from '../../../../ui/color.js';
import { startLiveStatus, type LiveStatus, type ObjectStatus } from '../../../../ui/live-status.js';

const SOURCE_KINDS = ['GitRepository', 'Bucket', 'OCIRepository', 'HelmRepository', 'HelmChart'];

/** One object's line: its Ready condition as the controller reported it (`live` undefined: not found). */
export function objectStatus(planned: KubeObject, live: KubeObject | undefined): ObjectStatus {
  const { kind } = planned;
  const { name, namespace } = planned.metadata;
  const id = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const hint = `kubectl ${namespace ? `-n ${namespace} ` : ''}describe ${kind.toLowerCase()} ${name}`;
  const ready = conditionOf(live, 'Ready');
  const status = (live?.status ?? {}) as {
    observedGeneration?: number;
    lastAppliedRevision?: string;
    artifact?: { revision?: string };
  };
  const reason = (fallback: string) => [ready?.reason, ready?.message].filter(Boolean).join(': ') || fallback;
  if (!live) return { id, hint, state: 'pending', text: 'not found in the cluster' };
  if (!ready) return { id, hint, state: 'pending', text: 'waiting for the controller (no Ready condition yet)' };
  const generation = live.metadata.generation;
  const observed = status.observedGeneration;
  // Ready for an older generation: the controller has not looked at what was just applied.
  if (ready.status === 'True' && generation !== undefined && observed !== undefined && observed < generation)
    return { id, hint, state: 'pending', text: `waiting for the controller to reconcile generation ${generation}` };
  if (ready.status === 'False') return { id, hint, state: 'failed', text: reason('not Ready') };
  if (ready.status !== 'True') return { id, hint, state: 'pending', text: reason('reconciling') };
  if (SOURCE_KINDS.includes(kind))
    return {
      id,
      hint,
      state: 'ready',
      text: status.artifact?.revision ? `fetched ${status.artifact.revision}` : 'Ready',
    };
  if (kind === 'Kustomization')
    return {
      id,
      hint,
      state: 'ready',
      text: status.lastAppliedRevision ? `applied ${status.lastAppliedRevision}` : 'Ready',
    };
  return { id, hint, state: 'ready', text: 'Ready' };
}

/** The wait's progress: the live renderer, fed by `observe` with what each poll read (in `watched` order). */
export function waitStatus(
  deps: Pick<Deps, 'io' | 'log' | 'globals'>,
  watched: readonly KubeObject[],
): LiveStatus & { observe(live: readonly (KubeObject | undefined)[]): void } {
  const color = makeColor(deps.io, 'stderr', !deps.globals.color);
  const status = startLiveStatus(
    deps.io,
    deps.log,
    color,
    `waiting for ${watched.length} Flux objects to become Ready`,
  );
  return { ...status, observe: (live) => status.objects(watched.map((o, i) => objectStatus(o, live[i]))) };
}
