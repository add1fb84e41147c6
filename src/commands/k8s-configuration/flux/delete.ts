import { KubeError } from '../../../errors.js';
import { parseTimeoutMs } from '../../../model/duration.js';
import { parseBool } from '../../../model/flags.js';
import { plan } from '../../../k8s/plan.js';
import { FLUX_APPLIER, MANAGED_BY_LABEL, MANAGER } from '../../../model/naming.js';
import type { KubeClient } from '../../../k8s/client.js';
import { refOf, type KubeObject } from '../../../k8s/types.js';
import type { Deps } from '../../../deps.js';
import { defineVerb } from '../../verb.js';
import { listConfigurations, readConfiguration } from './live.js';
import { declareTarget, parseTarget } from './target.js';

async function removeFinalizers(kube: KubeClient, objects: readonly KubeObject[]): Promise<void> {
  for (const o of objects) {
    if (!o.metadata.finalizers?.length) continue;
    await kube.mergePatch(refOf(o), { metadata: { finalizers: null } }).catch((err: unknown) => {
      if (!(err instanceof KubeError && err.status === 404)) throw err; // gone meanwhile: nothing to remove
    });
  }
}

/** Deletes a set of objects; waits for them to be gone unless noWait; --force strips the Flux finalizers. */
export async function deleteObjects(
  deps: Deps,
  kube: KubeClient,
  objects: readonly KubeObject[],
  options: { force: boolean; noWait: boolean; timeoutMs: number },
): Promise<void> {
  if (objects.length === 0) return;
  await Promise.all(objects.map((o) => kube.delete(refOf(o), { propagationPolicy: 'Background' })));
  if (options.force)
    await removeFinalizers(
      kube,
      await Promise.all(objects.map((o) => kube.get(refOf(o)))).then((l) =>
        l.filter((x): x is KubeObject => Boolean(x)),
      ),
    );
  if (!options.noWait) await kube.waitForGone(objects.map(refOf), options.timeoutMs);
}

export const verb = defineVerb({
  flags: (cmd) =>
    declareTarget(cmd)
      .option(
        '--force [bool]',
        'remove the Flux finalizers instead of waiting for the controllers (workloads are left in place)',
      )
      .option('--timeout <duration>', 'how long to wait for the Kustomizations and the source to be gone', '5m')
      .option('--no-wait', 'do not wait for the objects to be gone'),
  parse: (flags) => ({
    ...parseTarget(flags),
    force: parseBool(flags.force, '--force') ?? false,
    timeoutMs: parseTimeoutMs(String(flags.timeout), '--timeout'),
    noWait: flags.wait === false,
  }),
  run: async (o, deps) => {
    const kube = await deps.kube();
    const live = await readConfiguration(kube, o.name, o.namespace, { allowIncomplete: true });
    if (!(await deps.prompt.confirm('Are you sure you want to perform this operation?'))) return undefined;
    if (Object.values(live.config.kustomizations).some((k) => k.prune)) {
      deps.log.warn(
        'Prune is enabled on one or more of your kustomizations. Deleting a Flux configuration with prune enabled will also delete the Kubernetes objects deployed by the kustomization(s).',
      );
      if (!(await deps.prompt.confirm('Do you want to continue?'))) return undefined;
    }
    if (o.force)
      deps.log.warn(
        'Warning! --force removes the Flux finalizers: objects deployed by the kustomizations are left in place in the cluster.',
      );
    // Nothing desired: the plan prunes every object, Kustomizations (what applies to the cluster) first.
    const { prune } = plan([], live.objects);
    const kustomizations = prune.filter((x) => x.kind === 'Kustomization');
    const rest = prune.filter((x) => x.kind !== 'Kustomization');
    const progress = deps.progress(`deleting Flux configuration '${live.config.name}'`);
    try {
      await deleteObjects(deps, kube, kustomizations, o);
      await deleteObjects(deps, kube, rest, o);
      const others = (await listConfigurations(kube, live.config.namespace)).filter(
        (c) => c.config.name !== live.config.name,
      );
      if (others.length === 0) {
        const sa = await kube.get({
          apiVersion: 'v1',
          kind: 'ServiceAccount',
          name: FLUX_APPLIER,
          namespace: live.config.namespace,
        });
        if (sa?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGER) await kube.delete(refOf(sa));
      }
    } catch (err) {
      progress.fail(`deleting Flux configuration '${live.config.name}' failed`);
      throw err;
    }
    progress.succeed(`deleted Flux configuration '${live.config.name}'`);
    return undefined;
  },
});
