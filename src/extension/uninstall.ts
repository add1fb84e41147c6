// delete of the microsoft.flux extension: refused while Flux objects exist (unless --force), then controllers,
// other objects, CRDs, the record, and the namespace fluxcfg created.
import type { Deps } from '../deps.js';
import { UserError } from '../errors.js';
import type { KubeClient } from '../k8s/client.js';
import { executePlan } from '../k8s/execute.js';
import { plan, type Plan } from '../k8s/plan.js';
import { refOf, type KubeObject } from '../k8s/types.js';
import { CONFIGURATION_LABEL, FLUX_NAMESPACE } from '../model/naming.js';
import { readExtension, stubOf } from './install.js';
import { protectedSecretRef, recordRef, type ExtensionRecord } from '../model/extension/record.js';

export interface DeleteOptions {
  readonly name: string;
  readonly force: boolean;
  readonly wait: boolean;
  readonly waitTimeoutMs: number;
}

/** Every Flux custom resource in the cluster (one list per kind the installed CRDs serve). */
async function fluxObjects(kube: KubeClient, record: ExtensionRecord): Promise<KubeObject[]> {
  const lists = await Promise.all(
    record.customResources.map(async (k) => ((await kube.hasResource(k.apiVersion, k.kind)) ? kube.list(k.apiVersion, k.kind) : [])),
  );
  return lists.flat();
}

function describeFluxObjects(objects: readonly KubeObject[]): string {
  const configurations = [
    ...new Set(
      objects
        .filter((o) => o.metadata.labels?.[CONFIGURATION_LABEL])
        .map((o) => `${o.metadata.namespace}/${o.metadata.labels![CONFIGURATION_LABEL]}`),
    ),
  ];
  const sample = objects
    .slice(0, 5)
    .map((o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`)
    .join(', ');
  return (
    `${objects.length} Flux object${objects.length === 1 ? '' : 's'} (${sample}${objects.length > 5 ? ', ...' : ''})` +
    (configurations.length ? `, among them the Flux configuration${configurations.length === 1 ? '' : 's'} ${configurations.join(', ')}` : '')
  );
}

/**
 * The plan of a delete: nothing desired, everything the record says was applied is pruned; the release namespace
 * only when fluxcfg created it.
 */
export function uninstallPlan(record: ExtensionRecord): Plan {
  return plan([], record.objects.map(stubOf), {
    keep: (o) => o.kind === 'Namespace' && o.metadata.name === FLUX_NAMESPACE && !record.namespaceCreated,
  });
}

/** The phases of a delete, in order: controllers (none left to re-add finalizers), the rest, CRDs, namespace. */
type Phase = 'controllers' | 'rest' | 'crds' | 'namespace';
function phaseOf(o: KubeObject): Phase {
  if (o.kind === 'Deployment') return 'controllers';
  if (o.kind === 'CustomResourceDefinition') return 'crds';
  if (o.kind === 'Namespace') return 'namespace';
  return 'rest';
}

/** The part of a plan that one phase prunes. */
const phase = (p: Plan, which: Phase): Plan => ({
  apply: [],
  unchanged: [],
  warnings: [],
  prune: p.prune.filter((o) => phaseOf(o) === which),
});

/** Returns false when there was nothing to delete (a warning was printed, as az does). */
export async function deleteExtension(deps: Deps, o: DeleteOptions): Promise<boolean> {
  const kube = await deps.kube();
  const found = await readExtension(kube, o.name);
  if (!found) {
    deps.log.warn(`No extension with name '${o.name}' found on cluster '${kube.contextName}', so nothing to delete`);
    return false;
  }
  const { record } = found;
  const remaining = await fluxObjects(kube, record);
  if (remaining.length && !o.force)
    throw new UserError(`cannot delete extension '${o.name}': ${describeFluxObjects(remaining)} still exist and would be left without controllers`, {
      hint: 'delete the Flux configurations first (fluxcfg k8s-configuration flux delete), or pass --force to delete them together with Flux',
    });
  if (!(await deps.prompt.confirm('Are you sure you want to perform this operation?', { flag: '--yes' })))
    throw new UserError('delete cancelled: nothing was changed');
  const p = uninstallPlan(record);
  const progress = deps.progress(`Deleting extension '${o.name}' (Flux ${record.fluxVersion})`);
  try {
    await executePlan(kube, phase(p, 'controllers'), []);
    await executePlan(kube, phase(p, 'rest'), []);
    if (remaining.length) {
      deps.log.warn(
        `Warning: --force: deleting ${describeFluxObjects(remaining)}; their finalizers are removed so nothing hangs`,
      );
      const held = (await fluxObjects(kube, record)).filter((x) => x.metadata.finalizers?.length);
      await Promise.all(
        held.map((x) =>
          kube.mergePatch(refOf(x), { metadata: { finalizers: null } }).catch((err: unknown) => {
            if ((err as { status?: number }).status !== 404) throw err;
          }),
        ),
      );
    }
    const crds = phase(p, 'crds');
    await executePlan(kube, crds, []);
    if (o.wait && crds.prune.length) {
      progress.update(`Waiting for ${crds.prune.length} CustomResourceDefinitions to be removed`);
      await kube.waitForGone(crds.prune.map(refOf), o.waitTimeoutMs);
    }
    await kube.delete(protectedSecretRef(o.name));
    await kube.delete(recordRef(o.name));
    const namespace = phase(p, 'namespace');
    await executePlan(kube, namespace, []);
    if (namespace.prune.length) deps.log.info(`deleting namespace ${FLUX_NAMESPACE} (created by fluxcfg)`);
    else deps.log.info(`namespace ${FLUX_NAMESPACE} existed before the extension: kept`);
    const removed = p.prune.length - namespace.prune.length;
    progress.succeed(`Deleted extension '${o.name}': ${removed} objects removed`);
  } catch (err) {
    progress.fail(`Deleting extension '${o.name}' failed`);
    throw err;
  }
  return true;
}
