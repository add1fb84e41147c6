// `migrate-from-v1 --rollback <backup-dir>`: removes what the migration created (Flux objects suspended and freed of
// their finalizers first, so no controller prunes workloads or uninstalls a release) and re-creates the backed-up
// Flux v1 objects that are missing. Idempotent. Flux v2 itself stays installed.
import { mapLimit, type KubeClient } from '../k8s/client.js';
import { describeRef, refOf, type KubeObject, type ObjectRef } from '../k8s/types.js';
import type { StepLog } from './execute.js';

const SUSPENDABLE = new Set(['Kustomization', 'HelmRelease', 'GitRepository', 'HelmRepository', 'ImageRepository']);

/** A backed-up object as it can be created again: no server-set fields, no status. */
export function restorable(o: KubeObject): KubeObject {
  const copy = structuredClone(o);
  const meta = copy.metadata;
  for (const k of [
    'resourceVersion',
    'uid',
    'managedFields',
    'creationTimestamp',
    'generation',
    'selfLink',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
  ])
    delete meta[k];
  delete copy.status;
  if (copy.kind === 'Service') {
    const spec = copy.spec as Record<string, unknown> | undefined;
    if (spec) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
  }
  return copy;
}

/** Deletes the created objects (Flux ones suspended and without finalizers first). Returns those deleted now. */
export async function deleteCreated(kube: KubeClient, created: readonly ObjectRef[], log: StepLog) {
  const deleted: ObjectRef[] = [];
  // Appliers (Kustomizations, HelmReleases) before sources, sources before Secrets and RBAC.
  const rank = (r: ObjectRef) =>
    r.kind === 'Kustomization' || r.kind === 'HelmRelease' ? 0 : r.apiVersion.includes('.toolkit.fluxcd.io/') ? 1 : 2;
  for (const tier of [0, 1, 2]) {
    await mapLimit(
      created.filter((r) => rank(r) === tier && r.kind !== 'Namespace'),
      8,
      async (r) => {
        const live = await kube.get(r);
        if (!live) return;
        if (SUSPENDABLE.has(r.kind) && r.apiVersion.includes('.toolkit.fluxcd.io/')) {
          await kube.mergePatch(r, { spec: { suspend: true } });
        }
        if ((live.metadata.finalizers ?? []).length > 0) await kube.mergePatch(r, { metadata: { finalizers: null } });
        if (await kube.delete(r)) {
          deleted.push(r);
          log.info(`deleted ${describeRef(r)}`);
        }
      },
    );
  }
  return deleted;
}

/** Re-creates the backed-up objects that are missing (CRDs first, HelmRelease v1 objects after them). */
export async function restoreBackup(kube: KubeClient, objects: readonly KubeObject[], log: StepLog) {
  const present = await mapLimit(objects, 8, async (o) => (await kube.get(refOf(o))) !== undefined);
  const missing = objects.filter((_, i) => !present[i]).map(restorable);
  const crds = missing.filter((o) => o.kind === 'CustomResourceDefinition');
  const rest = missing.filter((o) => o.kind !== 'CustomResourceDefinition');
  // applyAll waits for the CRDs to be Established before the objects they serve.
  if (crds.length) await kube.applyAll(crds, { forceConflicts: true });
  if (rest.length) await kube.applyAll(rest, { forceConflicts: true });
  for (const o of missing) log.info(`restored ${describeRef(refOf(o))}`);
  return missing.map(refOf);
}
