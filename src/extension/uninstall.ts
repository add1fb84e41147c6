// delete of the microsoft.flux extension: refused while Flux objects exist (unless --force), then controllers,
// other objects, CRDs, the record, and the namespace fluxcfg created.
import type { Deps } from '../deps.js';
import { UserError } from '../errors.js';
import type { KubeClient } from '../k8s/client.js';
import { executePlan } from '../k8s/execute.js';
import { plan, type Plan } from '../k8s/plan.js';
import { refOf, type KubeObject } from '../k8s/types.js';
import { poll } from '../k8s/poll.js';
import {
  allConfigurationsSelector,
  AZURE_NAMESPACE_LABEL,
  CONFIGURATION_LABEL,
  FLUX_APPLIER,
  FLUX_NAMESPACE,
  MANAGED_BY_LABEL,
  MANAGER,
} from '../model/naming.js';
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
    record.customResources.map(async (k) =>
      (await kube.hasResource(k.apiVersion, k.kind)) ? kube.list(k.apiVersion, k.kind) : [],
    ),
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
    (configurations.length
      ? `, among them the Flux configuration${configurations.length === 1 ? '' : 's'} ${configurations.join(', ')}`
      : '')
  );
}

/** `<namespace>/<name>` of the fluxcfg configuration an object belongs to, if any. */
function configurationOf(o: KubeObject): string | undefined {
  const name = o.metadata.labels?.[CONFIGURATION_LABEL];
  return name ? `${o.metadata.labels?.[AZURE_NAMESPACE_LABEL] ?? o.metadata.namespace}/${name}` : undefined;
}

function configurationsOf(objects: readonly KubeObject[]): Set<string> {
  return new Set(objects.map(configurationOf).filter((c): c is string => c !== undefined));
}

/**
 * What fluxcfg created for those configurations besides their Flux objects: auth Secrets, the flux-applier
 * bindings (cluster-admin ones included) and the flux-applier ServiceAccounts of their namespaces.
 */
async function configurationLeftovers(kube: KubeClient, configurations: Set<string>): Promise<KubeObject[]> {
  if (configurations.size === 0) return [];
  const rbac = 'rbac.authorization.k8s.io/v1';
  const [secrets, roleBindings, clusterBindings, accounts] = await Promise.all([
    kube.list('v1', 'Secret', { labelSelector: allConfigurationsSelector }),
    kube.list(rbac, 'RoleBinding', { labelSelector: allConfigurationsSelector }),
    kube.list(rbac, 'ClusterRoleBinding', { labelSelector: allConfigurationsSelector }),
    kube.list('v1', 'ServiceAccount', { labelSelector: `${MANAGED_BY_LABEL}=${MANAGER}` }),
  ]);
  const namespaces = new Set([...configurations].map((c) => c.split('/')[0]!));
  return [
    ...[...secrets, ...roleBindings, ...clusterBindings].filter((o) => configurations.has(configurationOf(o) ?? '')),
    ...accounts.filter((a) => a.metadata.name === FLUX_APPLIER && namespaces.has(a.metadata.namespace ?? '')),
  ];
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
    throw new UserError(
      `cannot delete extension '${o.name}': ${describeFluxObjects(remaining)} still exist and would be left without controllers`,
      {
        hint: 'delete the Flux configurations first (fluxcfg k8s-configuration flux delete), or pass --force to delete them together with Flux',
      },
    );
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
    // What fluxcfg created for the configurations goes with them: no cluster-admin binding or auth Secret stays.
    const leftovers = await configurationLeftovers(kube, configurationsOf(remaining));
    if (leftovers.length) {
      deps.log.warn(
        `Warning: --force: deleting what fluxcfg created for those configurations: ${leftovers
          .map((x) => `${x.kind} ${x.metadata.namespace ? `${x.metadata.namespace}/` : ''}${x.metadata.name}`)
          .join(', ')}`,
      );
      await Promise.all(leftovers.map((x) => kube.delete(refOf(x))));
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
    if (namespace.prune.length) {
      deps.log.info(`deleting namespace ${FLUX_NAMESPACE} (created by fluxcfg)`);
      // Flux can be installed again only once the namespace is gone: a terminating one refuses new objects.
      if (o.wait) {
        progress.update(`Waiting for namespace ${FLUX_NAMESPACE} to be removed`);
        await waitForNamespaceGone(kube, o.waitTimeoutMs);
      }
    } else deps.log.info(`namespace ${FLUX_NAMESPACE} existed before the extension: kept`);
    const removed = p.prune.length - namespace.prune.length;
    progress.succeed(`Deleted extension '${o.name}': ${removed} objects removed`);
  } catch (err) {
    progress.fail(`Deleting extension '${o.name}' failed`);
    throw err;
  }
  return true;
}

async function waitForNamespaceGone(kube: KubeClient, timeoutMs: number): Promise<void> {
  await poll({
    timeoutMs,
    intervalMs: 250,
    check: async () => {
      const ns = await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: FLUX_NAMESPACE });
      return { done: ns === undefined, state: ns };
    },
    onTimeout: () =>
      new UserError(
        `Flux was removed, but namespace ${FLUX_NAMESPACE} is still terminating after ${Math.round(timeoutMs / 1000)}s`,
        {
          hint:
            `the namespace controller is still removing its content; Flux cannot be installed again until ` +
            `namespace ${FLUX_NAMESPACE} is gone (wait longer with --wait-timeout, or check its status.conditions)`,
        },
      ),
  });
}
