import { validateSubdomainName } from '../../../../model/validate.js';
import { NotFoundError } from '../../../../errors.js';
import { defineVerb } from '../../../verb.js';
import { readConfiguration } from '../live.js';
import { kustomizationTable } from '../table.js';
import { kustomizationView } from '../view.js';
import { declareTarget, parseTarget } from '../target.js';

const validName = (v: string, param: string) => (validateSubdomainName(v, param, 63), v);

export const verb = defineVerb({
  flags: (cmd) => declareTarget(cmd).requiredOption('-k, --kustomization-name <name>', 'name of the Kustomization'),
  parse: (flags) => ({
    ...parseTarget(flags),
    kustomization: validName(String(flags.kustomizationName), '--kustomization-name'),
  }),
  run: async (o, deps) => {
    const { config } = await readConfiguration(await deps.kube(), o.name, o.namespace);
    const k = config.kustomizations[o.kustomization];
    if (!k)
      throw new NotFoundError(
        `Error! Kustomization with name '${o.kustomization}' does not exist on configuration '${o.name}'.`,
        {
          hint: "You can view all kustomizations on a configuration with 'fluxcfg k8s-configuration flux kustomization list'",
        },
      );
    return { [o.kustomization]: kustomizationView(o.kustomization, k) };
  },
  table: kustomizationTable,
});
