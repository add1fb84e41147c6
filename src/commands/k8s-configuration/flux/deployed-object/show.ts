import { validateLabelName, validateSubdomainName } from '../../../../model/validate.js';
import { Option } from 'commander';
import { NotFoundError } from '../../../../errors.js';
import { defineVerb } from '../../../verb.js';
import { buildView, readConfiguration } from '../live.js';
import { deployedObjectTable } from '../table.js';
import { caseInsensitiveChoices } from '../shared/flags.js';
import { declareTarget, parseTarget } from '../target.js';

const kinds = [
  'GitRepository',
  'Bucket',
  'OCIRepository',
  'HelmRepository',
  'HelmChart',
  'HelmRelease',
  'Kustomization',
];

const checked = (v: string, check: (v: string) => void) => (check(v), v);

export const verb = defineVerb({
  flags: (cmd) =>
    declareTarget(cmd)
      .requiredOption('--object-name <name>', 'name of the object')
      .requiredOption('--object-namespace <namespace>', 'namespace of the object')
      .addOption(
        caseInsensitiveChoices(new Option('--object-kind <kind>', 'kind of the object'), kinds).makeOptionMandatory(),
      ),
  parse: (flags) => ({
    ...parseTarget(flags),
    objectName: checked(String(flags.objectName), (v) => validateSubdomainName(v, '--object-name', 253)),
    objectNamespace: checked(String(flags.objectNamespace), (v) => validateLabelName(v, '--object-namespace', 63)),
    objectKind: String(flags.objectKind),
  }),
  run: async (o, deps) => {
    const kube = await deps.kube();
    const view = await buildView(kube, await readConfiguration(kube, o.name, o.namespace));
    const found = view.statuses.find(
      (s) => s.name === o.objectName && s.namespace === o.objectNamespace && s.kind === o.objectKind,
    );
    if (!found)
      throw new NotFoundError(
        `Error! Deployed object with name '${o.objectName}', namespace '${o.objectNamespace}', and kind '${o.objectKind}' does not exist on configuration '${o.name}'.`,
        {
          hint: "You can view all deployed objects on a configuration with 'fluxcfg k8s-configuration flux deployed-object list'",
        },
      );
    return found;
  },
  table: deployedObjectTable,
});
