// delete of the microsoft.flux extension: refused while Flux objects exist (unless --force), then controllers,
// other objects, CRDs, the record, and the namespace fluxcfg created.
import type { Deps } from '../deps.js';
import { UserError } from '../errors.js';
import type { KubeClient } from '../k8s/client.js';
import type { KubeObject, ObjectRef } from '../k8s/types.js';
import { CONFIGURATION_LABEL, FLUX_NAMESPACE } from '../model/naming.js';
import { readExtension } from './install.js';
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

/** Deployments first (no controller left to re-add finalizers), then the rest, then the CRDs. */
function deleteOrder(ref: ObjectRef): number {
  if (ref.kind === 'Deployment') return 0;
  if (ref.kind === 'CustomResourceDefinition') return 2;
  if (ref.kind === 'Namespace') return 3;
  return 1;
}

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
  const progress = deps.progress(`Deleting extension '${o.name}' (Flux ${record.fluxVersion})`);
  try {
    const refs = [...record.objects]
      .filter((r) => !(r.kind === 'Namespace' && r.name === FLUX_NAMESPACE))
      .sort((a, b) => deleteOrder(a) - deleteOrder(b));
    for (const stage of [0, 1]) {
      await Promise.all(refs.filter((r) => deleteOrder(r) === stage).map((r) => kube.delete(r)));
    }
    if (remaining.length) {
      deps.log.warn(
        `Warning: --force: deleting ${describeFluxObjects(remaining)}; their finalizers are removed so nothing hangs`,
      );
      const held = (await fluxObjects(kube, record)).filter((x) => x.metadata.finalizers?.length);
      await Promise.all(
        held.map((x) =>
          kube
            .mergePatch({ apiVersion: x.apiVersion, kind: x.kind, name: x.metadata.name, namespace: x.metadata.namespace }, { metadata: { finalizers: null } })
            .catch((err: unknown) => {
              if ((err as { status?: number }).status !== 404) throw err;
            }),
        ),
      );
    }
    const crds = refs.filter((r) => r.kind === 'CustomResourceDefinition');
    await Promise.all(crds.map((r) => kube.delete(r)));
    if (o.wait && crds.length) {
      progress.update(`Waiting for ${crds.length} CustomResourceDefinitions to be removed`);
      await kube.waitForGone(crds, o.waitTimeoutMs);
    }
    await kube.delete(protectedSecretRef(o.name));
    await kube.delete(recordRef(o.name));
    if (record.namespaceCreated) {
      await kube.delete({ apiVersion: 'v1', kind: 'Namespace', name: FLUX_NAMESPACE });
      deps.log.info(`deleting namespace ${FLUX_NAMESPACE} (created by fluxcfg)`);
    } else deps.log.info(`namespace ${FLUX_NAMESPACE} existed before the extension: kept`);
    progress.succeed(`Deleted extension '${o.name}': ${refs.length} objects removed`);
  } catch (err) {
    progress.fail(`Deleting extension '${o.name}' failed`);
    throw err;
  }
  return true;
}
