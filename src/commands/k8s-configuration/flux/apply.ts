// Applying a rendered configuration: server-side apply in dependency order, pruning what is no longer rendered,
// and waiting for Ready as a Flux user would with `flux create ... ` (without --export).
import { UserError } from '../../../errors.js';
import { mapLimit, type KubeClient } from '../../../k8s/client.js';
import { conditionOf, describeRef, refOf, type KubeObject } from '../../../k8s/types.js';
import type { Deps } from '../../../deps.js';

const refKey = (o: KubeObject) => `${o.apiVersion.split('/')[0]}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;

/** Objects of the previous state that the new rendering no longer contains (Kustomizations first). */
export function staleObjects(previous: readonly KubeObject[], rendered: readonly KubeObject[]): KubeObject[] {
  const keep = new Set(rendered.map(refKey));
  return previous
    .filter((o) => !keep.has(refKey(o)))
    .sort((a, b) => Number(b.kind === 'Kustomization') - Number(a.kind === 'Kustomization'));
}

export interface ApplyOutcome {
  readonly applied: KubeObject[];
  readonly pruned: KubeObject[];
}

/** Applies the rendered objects, then deletes the configuration's objects that are no longer rendered. */
export async function applyRendered(
  deps: Deps,
  kube: KubeClient,
  rendered: readonly KubeObject[],
  options: { dryRun?: boolean; forceConflicts?: boolean; previous?: readonly KubeObject[] } = {},
): Promise<ApplyOutcome> {
  let toApply = rendered;
  if (options.dryRun) {
    // A server-side dry run cannot create a namespace, so objects in one that does not exist yet cannot be sent.
    const created = rendered.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    const missing = (
      await Promise.all(created.map(async (n) => ((await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: n })) ? undefined : n)))
    ).filter((n): n is string => Boolean(n));
    if (missing.length) {
      deps.log.warn(
        `Warning! namespace ${missing.join(', ')} does not exist yet: the dry run validates the Namespace only, not the objects that would go in it`,
      );
      toApply = rendered.filter((o) => !o.metadata.namespace || !missing.includes(o.metadata.namespace));
    }
  }
  const answered = await kube.applyAll(toApply, { dryRun: options.dryRun, forceConflicts: options.forceConflicts });
  // In input order; objects a dry run could not send stand as rendered.
  const applied = rendered.map((o) => answered[toApply.indexOf(o)] ?? o);
  for (const o of applied) deps.log.info(`applied ${describeRef(refOf(o))}${options.dryRun ? ' (dry run)' : ''}`);
  const pruned = staleObjects(options.previous ?? [], rendered);
  for (const o of pruned) {
    await kube.delete(refOf(o), { dryRun: options.dryRun });
    deps.log.info(`deleted ${describeRef(refOf(o))}, no longer part of the configuration`);
  }
  return { applied, pruned };
}

/** Waits until every object reports Ready=True (spinner on a TTY, progress lines otherwise). */
export async function waitForReady(deps: Deps, kube: KubeClient, objects: readonly KubeObject[], timeoutMs: number): Promise<void> {
  const watched = objects.filter((o) => o.apiVersion.includes('.toolkit.fluxcd.io/'));
  const progress = deps.progress(`waiting for ${watched.length} Flux objects to become Ready`);
  const deadline = Date.now() + timeoutMs;
  let notReady: { obj: KubeObject; message: string }[] = [];
  for (;;) {
    const live = await mapLimit(watched, 8, (o) => kube.get(refOf(o)));
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
