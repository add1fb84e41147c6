import { applyKustomizationDelete, kustomizationName } from '../../../../model/kustomization-params.js';
import { defineVerb } from '../../../verb.js';
import { readConfiguration } from '../live.js';
import { parseApplyFlags } from '../shared/flags.js';
import { reapply } from '../shared/write.js';
import { declareTarget, parseTarget } from '../target.js';

export const verb = defineVerb({
  flags: (cmd) =>
    declareTarget(cmd)
      .requiredOption('-k, --kustomization-name <name>', 'name of the Kustomization')
      .option('--no-wait', 'accepted for az compatibility')
      .option('--dry-run', 'server-side dry run: nothing is deleted; prints the plan'),
  parse: (flags) => ({
    ...parseTarget(flags),
    kustomization: kustomizationName(flags),
    apply: { ...parseApplyFlags({ ...flags, wait: false }), validate: false },
  }),
  run: async (o, deps) => {
    const kube = await deps.kube();
    const live = await readConfiguration(kube, o.name, o.namespace);
    if (!(await deps.prompt.confirm('Are you sure you want to perform this operation?'))) return undefined;
    const config = applyKustomizationDelete(live.config, o.kustomization);
    if (live.config.kustomizations[o.kustomization]?.prune) {
      deps.log.warn(
        'Prune is enabled on this kustomization. Deleting a kustomization with prune enabled will also delete the Kubernetes objects deployed by the kustomization.',
      );
      if (!(await deps.prompt.confirm('Do you want to continue?'))) return undefined;
    }
    const result = await reapply(deps, kube, live, config, {}, o.apply, { sourceChanged: false });
    return o.apply.dryRun ? result : undefined;
  },
});
