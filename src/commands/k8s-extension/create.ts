import { Option } from 'commander';
import { UsageError } from '../../errors.js';
import { createExtension, type CreateOptions } from '../../extension/install.js';
import { EXTENSION_TYPE } from '../../model/extension/versions.js';
import { defineVerb } from '../verb.js';
import { installFlags, installOutput, installTable, nameFlag, parseInstallFlags, parseName } from './flags.js';
import { FLUX_NAMESPACE } from '../../model/naming.js';
import { caseInsensitiveChoices } from '../k8s-configuration/flux/shared/flags.js';

export const verb = defineVerb({
  flags: (cmd) => {
    nameFlag(cmd);
    cmd.requiredOption('--extension-type <type>', 'extension type: microsoft.flux');
    const scope = new Option('--scope <scope>', 'extension scope (microsoft.flux: cluster only)');
    cmd.addOption(caseInsensitiveChoices(scope, ['cluster', 'namespace']));
    cmd.option('--release-namespace <namespace>', `namespace Flux is installed in (microsoft.flux: ${FLUX_NAMESPACE})`);
    cmd.option(
      '--target-namespace <namespace>',
      'namespace of a namespace-scoped extension (not supported by microsoft.flux)',
    );
    installFlags(cmd);
    cmd.option('--force', 'take over a Flux installed by something else (e.g. flux bootstrap)');
  },
  parse: (flags): CreateOptions => {
    const name = parseName(flags);
    const type = String(flags.extensionType);
    if (type.toLowerCase() !== EXTENSION_TYPE)
      throw new UsageError(`extension type '${type}' is not supported by fluxcfg`, {
        hint: `fluxcfg installs only ${EXTENSION_TYPE}: --extension-type ${EXTENSION_TYPE}`,
      });
    if (flags.scope === 'namespace')
      throw new UsageError(
        `The ${EXTENSION_TYPE} extension can only be installed at cluster scope; --scope namespace is not supported`,
        {
          hint: 'leave --scope out (or pass --scope cluster): Flux is installed once per cluster',
        },
      );
    if (flags.targetNamespace !== undefined)
      throw new UsageError("When --scope is 'cluster', --target-namespace must not be given.", {
        hint: `${EXTENSION_TYPE} is cluster-scoped and always installed in ${FLUX_NAMESPACE}`,
      });
    if (flags.releaseNamespace !== undefined && flags.releaseNamespace !== FLUX_NAMESPACE)
      throw new UsageError(
        `--release-namespace '${String(flags.releaseNamespace)}' is not supported: ` +
          `${EXTENSION_TYPE} is always installed in ${FLUX_NAMESPACE}`,
        { hint: `leave --release-namespace out, or pass --release-namespace ${FLUX_NAMESPACE}` },
      );
    const values = parseInstallFlags(flags);
    const { input } = values;
    if (Object.keys(input.settings).length && input.settingsFile)
      throw new UsageError('Error! Both configuration-settings and configuration-settings-file cannot be provided.', {
        hint: 'put every setting in the file, or pass them all with --configuration-settings',
      });
    if (Object.keys(input.protectedSettings).length && input.protectedSettingsFile)
      throw new UsageError(
        'Error! Both configuration-protected-settings and configuration-protected-settings-file cannot be provided.',
        {
          hint: 'put every protected setting in the file, or pass them all with --configuration-protected-settings',
        },
      );
    return { name, ...values, force: Boolean(flags.force) };
  },
  run: async (options, deps) => {
    const result = await createExtension(deps, options);
    return installOutput(result, deps, options.exitCode);
  },
  table: installTable,
  // loaded on a terminal only
  guide: async (flags, context) => (await import('../guided/extension-create.js')).guideExtensionCreate(flags, context),
});
