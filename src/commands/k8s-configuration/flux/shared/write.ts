// How every writing flux verb writes: the live objects read in one batch, a plan (src/k8s/plan.ts) of what to
// create, update, prune and leave alone, the plan carried out (src/k8s/execute.ts) — or, with --dry-run, sent as a
// server-side dry run and returned as rows — then the result read back from what the API server answered.
import { UserError } from '../../../../errors.js';
import { executePlan } from '../../../../k8s/execute.js';
import { planChanges } from '../../../../k8s/plan-diff.js';
import { dryRunResult } from '../../../dry-run.js';
import { waitStatus } from './wait-status.js';
import { mapLimit, type KubeClient } from '../../../../k8s/client.js';
import { plan, planRows, type PlanSummaryRow } from '../../../../k8s/plan.js';
import { conditionOf, describeRef, refOf, type KubeObject } from '../../../../k8s/types.js';
import type { FluxConfiguration, ProtectedSettings } from '../../../../model/flux-configuration.js';
import { CONFIGURATION_LABEL } from '../../../../model/naming.js';
import type { TableTransformer } from '../../../../ui/output.js';
import type { Deps } from '../../../../deps.js';
import { armOf, buildView, isManaged, readConfiguration, sourceKinds, type LiveConfiguration } from '../live.js';
import { mergeSecrets, prepare, validateSource } from '../prepare.js';
import { clusterTenancy } from './cluster.js';
import type { ApplyFlags } from './flags.js';

/** Rendered objects several configurations share (the Namespace, flux-applier): never pruned with one of them. */
const isShared = (o: KubeObject) => !o.metadata.labels?.[CONFIGURATION_LABEL];

/** GETs the given objects in parallel (absent ones left out); errors (403 included) propagate. */
async function readObjects(kube: KubeClient, objects: readonly KubeObject[]): Promise<KubeObject[]> {
  const found = await mapLimit(objects, 8, (o) => kube.get(refOf(o)));
  return found.filter((o): o is KubeObject => Boolean(o));
}

/**
 * The live copies of what `create` renders: one GET per object, in one parallel batch (a configuration that does
 * not exist yet has no labels to list by). Refuses to take over an object fluxcfg did not create.
 */
export async function liveForCreate(kube: KubeClient, desired: readonly KubeObject[]): Promise<KubeObject[]> {
  const live = await readObjects(kube, desired);
  const refused = live.filter((o) => o.kind !== 'Namespace' && o.kind !== 'ServiceAccount' && !isManaged(o));
  if (refused.length) {
    const names = refused.map((o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`);
    throw new UserError(`${names.join(', ')} already exist(s) and is not managed by fluxcfg; refusing to take it over`, {
      hint: 'choose another --name (or namespace), or delete or relabel that object first',
    });
  }
  return live;
}

/** The live objects an update plans against: the configuration's own (listed by label) and the shared ones. */
async function liveForUpdate(kube: KubeClient, live: LiveConfiguration, desired: readonly KubeObject[]) {
  return [...live.objects, ...(await readObjects(kube, desired.filter(isShared)))];
}

/** Waits until every object reports Ready=True (spinner on a TTY, progress lines otherwise). */
export async function waitForReady(deps: Deps, kube: KubeClient, objects: readonly KubeObject[], timeoutMs: number): Promise<void> {
  const watched = objects.filter((o) => o.apiVersion.includes('.toolkit.fluxcd.io/'));
  const progress = waitStatus(deps, watched);
  const deadline = Date.now() + timeoutMs;
  let notReady: { obj: KubeObject; message: string }[];
  for (;;) {
    const live = await mapLimit(watched, 8, (o) => kube.get(refOf(o)));
    progress.observe(live);
    notReady = watched
      .map((obj, i) => ({ obj, ready: conditionOf(live[i], 'Ready') }))
      .filter((x) => x.ready?.status !== 'True')
      .map((x) => ({ obj: x.obj, message: x.ready?.message ?? 'no Ready condition yet' }));
    if (notReady.length === 0) {
      progress.succeed(`${watched.length} Flux objects are Ready`);
      return;
    }
    progress.update(`waiting for ${notReady.map((n) => describeRef(refOf(n.obj))).join(', ')} to become Ready`);
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  progress.fail('timed out waiting for Ready');
  throw new UserError(
    `timed out after ${Math.round(timeoutMs / 1000)}s waiting for Ready: ${notReady.map((n) => `${describeRef(refOf(n.obj))} (${n.message})`).join('; ')}`,
    { hint: 'check that the Flux controllers run (fluxcfg k8s-extension show -n flux) and the messages above; the objects stay applied' },
  );
}

/**
 * After an apply: waits for Ready when asked (then reads the live state), otherwise builds the view from what the
 * API server answered, with no extra reads.
 */
export async function resultView(deps: Deps, kube: KubeClient, config: FluxConfiguration, applied: KubeObject[], apply: ApplyFlags) {
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
): Promise<unknown> {
  const p = plan(desired, live, { keep: isShared, applyUnchanged: apply.forceConflicts });
  for (const w of p.warnings) deps.log.warn(`Warning! ${w}`);
  const outcome = await executePlan(kube, p, live, {
    dryRun: apply.dryRun,
    forceConflicts: apply.forceConflicts,
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
  const prepared = await prepare(deps, config, secrets.protectedSettings, secrets.extra, tenancy);
  if (apply.validate && options.sourceChanged) await validateSource(deps, kube, config, prepared, tenancy);
  const objects = await liveForUpdate(kube, live, prepared.objects);
  return writePlanned(deps, kube, config, prepared.objects, objects, apply);
}
