// How every writing flux verb writes: the live objects read in one batch, a plan (src/k8s/plan.ts) of what to
// create, update, prune and leave alone, the plan carried out (src/k8s/execute.ts) — or, with --dry-run, sent as a
// server-side dry run and returned as rows — then the result read back from what the API server answered.
import { UserError } from '../../../../errors.js';
import { executePlan, type RecordPrecondition } from '../../../../k8s/execute.js';
import { planChanges } from '../../../../k8s/plan-diff.js';
import { dryRunResult } from '../../../dry-run.js';
import { waitStatus } from './wait-status.js';
import { mapLimit, type KubeClient } from '../../../../k8s/client.js';
import { objectKey, plan, planRows, type PlanSummaryRow } from '../../../../k8s/plan.js';
import { poll } from '../../../../k8s/poll.js';
import { conditionOf, describeRef, refOf, type KubeObject } from '../../../../k8s/types.js';
import type { FluxConfiguration, ProtectedSettings } from '../../../../model/flux-configuration.js';
import { CONFIGURATION_LABEL } from '../../../../model/naming.js';
import type { TableTransformer } from '../../../../ui/output.js';
import type { Deps } from '../../../../deps.js';
import {
  armOf,
  buildView,
  isForbidden,
  isManaged,
  readConfiguration,
  sourceKinds,
  type LiveConfiguration,
} from '../live.js';
import { isStale } from '../view.js';
import { mergeSecrets, prepare, validateSource } from '../prepare.js';
import { prepareHub } from './hub.js';
import { clusterTenancy } from './cluster.js';
import type { ApplyFlags } from './flags.js';

/** Rendered objects several configurations share (the Namespace, flux-applier): never pruned with one of them. */
const isShared = (o: KubeObject) => !o.metadata.labels?.[CONFIGURATION_LABEL];

/**
 * GETs the given objects in parallel (absent ones left out); errors propagate, but a Namespace the user may not
 * read (403: a namespace tenant) counts as existing — fluxcfg never writes a Namespace that exists.
 */
async function readObjects(kube: KubeClient, objects: readonly KubeObject[], cached = false): Promise<KubeObject[]> {
  const found = await mapLimit(objects, 8, async (o) => {
    try {
      return await kube.get(refOf(o), { cached });
    } catch (err) {
      if (o.kind === 'Namespace' && isForbidden(err))
        return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: o.metadata.name } };
      throw err;
    }
  });
  return found.filter((o): o is KubeObject => Boolean(o));
}

/**
 * The live copies of what `create` renders: one GET per object, in one parallel batch (a configuration that does
 * not exist yet has no labels to list by), from the watch cache as the existence lists are (an object created a
 * moment ago may be missed, as one created a moment after any read would be). Refuses to take over an object
 * fluxcfg did not create.
 */
export async function liveForCreate(kube: KubeClient, desired: readonly KubeObject[]): Promise<KubeObject[]> {
  const live = await readObjects(kube, desired, true);
  const refused = live.filter((o) => o.kind !== 'Namespace' && o.kind !== 'ServiceAccount' && !isManaged(o));
  if (refused.length) {
    const names = refused.map(
      (o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`,
    );
    throw new UserError(
      `${names.join(', ')} already exist(s) and is not managed by fluxcfg; refusing to take it over`,
      {
        hint: 'choose another --name (or namespace), or delete or relabel that object first',
      },
    );
  }
  return live;
}

/** The record of a configuration equals what is asked (the parsed configuration, as JSON). */
export function sameRecord(a: FluxConfiguration, b: FluxConfiguration): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Every object the configuration renders for itself (shared ones aside) exists. */
export function isComplete(live: readonly KubeObject[], desired: readonly KubeObject[]): boolean {
  const keys = new Set(live.map(objectKey));
  return desired.filter((o) => !isShared(o)).every((o) => keys.has(objectKey(o)));
}

/** Two sets of live objects as one (by identity; the first copy wins). */
export function mergeLive(a: readonly KubeObject[], b: readonly KubeObject[]): KubeObject[] {
  const keys = new Set(a.map(objectKey));
  return [...a, ...b.filter((o) => !keys.has(objectKey(o)))];
}

/** The live objects an update plans against: the configuration's own (listed by label) and the shared ones. */
async function liveForUpdate(kube: KubeClient, live: LiveConfiguration, desired: readonly KubeObject[]) {
  return [...live.objects, ...(await readObjects(kube, desired.filter(isShared)))];
}

/** Kustomization reasons Flux does not retry its way out of without a spec change. */
const TERMINAL_REASONS = new Set([
  'InvalidPath',
  'InvalidURL',
  'URLInvalid',
  'InvalidProviderConfiguration',
  'InvalidSTSConfiguration',
  'InvalidCELExpression',
  'InvalidDependencies',
]);

/**
 * Why an object will not become Ready without a change: `Stalled=True`, or `Ready=False` with a terminal reason,
 * about its current spec (observedGeneration caught up). Undefined when it may still become Ready.
 */
export function terminalFailure(obj: KubeObject | undefined): string | undefined {
  if (!obj || isStale(obj)) return undefined;
  const stalled = conditionOf(obj, 'Stalled');
  if (stalled?.status === 'True') return `Stalled: ${stalled.reason ?? ''} ${stalled.message ?? ''}`.trim();
  const ready = conditionOf(obj, 'Ready');
  if (ready?.status === 'False' && ready.reason && TERMINAL_REASONS.has(ready.reason))
    return `${ready.reason}: ${ready.message ?? ''}`.trim();
  return undefined;
}

/**
 * Waits until every Flux object reports Ready=True about its current spec (spinner on a TTY, progress lines
 * otherwise); fails at once when one has failed for good (terminalFailure).
 */
export async function waitForReady(
  deps: Deps,
  kube: KubeClient,
  objects: readonly KubeObject[],
  timeoutMs: number,
): Promise<void> {
  const watched = objects.filter((o) => o.apiVersion.includes('.toolkit.fluxcd.io/'));
  const progress = waitStatus(deps, watched);
  const describe = (n: { obj: KubeObject; message: string }) => `${describeRef(refOf(n.obj))} (${n.message})`;
  try {
    await poll({
      timeoutMs,
      intervalMs: 1000,
      check: async () => {
        const live = await mapLimit(watched, 8, (o) => kube.get(refOf(o)));
        progress.observe(live);
        const failed = watched
          .map((obj, i) => ({ obj, message: terminalFailure(live[i]) }))
          .filter((x): x is { obj: KubeObject; message: string } => x.message !== undefined);
        if (failed.length)
          throw new UserError(`Flux reports a failure that waiting will not fix: ${failed.map(describe).join('; ')}`, {
            hint: 'fix the configuration (fluxcfg k8s-configuration flux update) and re-run; the objects stay applied',
          });
        const notReady = watched
          .map((obj, i) => ({ obj, live: live[i] }))
          .filter((x) => !x.live || isStale(x.live) || conditionOf(x.live, 'Ready')?.status !== 'True')
          .map((x) => ({
            obj: x.obj,
            message:
              x.live && isStale(x.live)
                ? 'not yet reconciled by its controller (observedGeneration behind)'
                : (conditionOf(x.live, 'Ready')?.message ?? 'no Ready condition yet'),
          }));
        return { done: notReady.length === 0, state: notReady };
      },
      onPending: (notReady) =>
        progress.update(`waiting for ${notReady.map((n) => describeRef(refOf(n.obj))).join(', ')} to become Ready`),
      onTimeout: (notReady) =>
        new UserError(
          `timed out after ${Math.round(timeoutMs / 1000)}s waiting for Ready: ${notReady.map(describe).join('; ')}`,
          {
            hint:
              'check that the Flux controllers run (fluxcfg k8s-extension show -n flux) and the messages above; ' +
              'the objects stay applied',
          },
        ),
    });
  } catch (err) {
    const timedOut = err instanceof UserError && err.message.startsWith('timed out');
    progress.fail(timedOut ? 'timed out waiting for Ready' : 'not Ready');
    throw err;
  }
  progress.succeed(`${watched.length} Flux objects are Ready`);
}

/**
 * After an apply: waits for Ready when asked (then reads the live state), otherwise builds the view from what the
 * API server answered, with no extra reads.
 */
export async function resultView(
  deps: Deps,
  kube: KubeClient,
  config: FluxConfiguration,
  applied: KubeObject[],
  apply: ApplyFlags,
) {
  if (apply.wait && !apply.dryRun) {
    await waitForReady(deps, kube, applied, apply.waitTimeoutMs);
    return buildView(kube, await readConfiguration(kube, config.name, config.namespace), armOf(deps, kube));
  }
  const objects = applied.filter((o) => o.kind !== 'Namespace' && o.kind !== 'ServiceAccount');
  const source = objects.find((o) => (sourceKinds as readonly string[]).includes(o.kind))!;
  return buildView(kube, { config, source, objects }, armOf(deps, kube));
}

/** What a --dry-run prints: one row per object (create, update, prune, unchanged). */
export type PlanResult = PlanSummaryRow[];

const isPlanResult = (r: unknown): r is PlanResult =>
  Array.isArray(r) && r.every((x) => typeof x === 'object' && x !== null && 'action' in x && 'kind' in x);

/** The verb's table transformer, with the plan rows of --dry-run shown as they are. */
export function withPlanTable(table: TableTransformer): TableTransformer {
  return (result) => (isPlanResult(result) ? result : table(result));
}

/**
 * Plans the rendered objects against the live ones and carries the plan out: applies what is new or changed,
 * prunes what is no longer rendered (never a shared object), leaves the rest untouched. With --dry-run the plan
 * goes to the API server as a dry run and comes back as rows; otherwise the configuration view.
 */
export async function writePlanned(
  deps: Deps,
  kube: KubeClient,
  config: FluxConfiguration,
  desired: readonly KubeObject[],
  live: readonly KubeObject[],
  apply: ApplyFlags,
  record: RecordPrecondition,
): Promise<unknown> {
  // A Namespace that exists is never written (a namespace admin may not patch it); it is never pruned either.
  const exists = (o: KubeObject) =>
    o.kind === 'Namespace' && live.some((l) => l.kind === 'Namespace' && l.metadata.name === o.metadata.name);
  const planned = plan(
    desired.filter((o) => !exists(o)),
    live,
    { keep: isShared, applyUnchanged: apply.forceConflicts },
  );
  const p = { ...planned, unchanged: [...desired.filter(exists), ...planned.unchanged] };
  const source = desired.find((o) => (sourceKinds as readonly string[]).includes(o.kind));
  for (const w of p.warnings) deps.log.warn(`Warning! ${w}`);
  const outcome = await executePlan(kube, p, live, {
    dryRun: apply.dryRun,
    forceConflicts: apply.forceConflicts,
    validateFirst: true,
    preconditions: true,
    record: source ? { key: objectKey(source), precondition: record } : undefined,
    onStep: ({ action, object }) =>
      deps.log.info(
        `${action === 'apply' ? 'applied' : 'deleted'} ${describeRef(refOf(object))}` +
          `${action === 'prune' ? ', no longer part of the configuration' : ''}${apply.dryRun ? ' (dry run)' : ''}`,
      ),
  });
  if (outcome.notSent.length) {
    const namespaces = [...new Set(outcome.notSent.map((o) => o.metadata.namespace))];
    deps.log.warn(
      `Warning! namespace ${namespaces.join(', ')} does not exist yet: the dry run validates the Namespace only, not the objects that would go in it`,
    );
  }
  if (apply.dryRun) return dryRunResult(deps, planRows(p), planChanges(p, outcome.applied), apply.exitCode);
  return resultView(deps, kube, config, outcome.applied, apply);
}

/**
 * Re-renders a changed configuration and writes it: secrets of the live configuration are carried over unless new
 * ones were given (a deploy key is never rotated silently), objects no longer rendered are pruned.
 */
export async function reapply(
  deps: Deps,
  kube: KubeClient,
  live: LiveConfiguration,
  config: FluxConfiguration,
  newSecrets: ProtectedSettings,
  apply: ApplyFlags,
  options: { sourceChanged: boolean },
) {
  const secrets = mergeSecrets(live, config, newSecrets);
  const tenancy = await clusterTenancy(deps, kube, config.namespace);
  const rendered = await prepare(deps, config, secrets.protectedSettings, secrets.extra, tenancy);
  const prepared = await prepareHub(deps, kube, config, rendered, { prune: false }); // hub mode: RBAC on the spoke
  if (apply.validate && options.sourceChanged) await validateSource(deps, kube, config, prepared, tenancy);
  const objects = await liveForUpdate(kube, live, prepared.objects);
  // The source records the configuration: written over the resourceVersion read, so a concurrent change wins once.
  // A new source kind is a new object: it must not exist yet.
  const source = prepared.objects.find((o) => (sourceKinds as readonly string[]).includes(o.kind));
  const sameSource = source !== undefined && objectKey(source) === objectKey(live.source);
  return writePlanned(
    deps,
    kube,
    config,
    prepared.objects,
    objects,
    apply,
    sameSource ? { resourceVersion: live.source.metadata.resourceVersion ?? '' } : { absent: true },
  );
}
