import { UserError } from '../../../errors.js';
import { ensureFluxExtension } from '../../../extension/ensure.js';
import { parseCreate } from '../../../model/configuration-params.js';
import { toYaml } from '../../../render/yaml.js';
import { RawText } from '../../../ui/output.js';
import type { Deps } from '../../../deps.js';
import { defineVerb } from '../../verb.js';
import { clusterWideOr, existingConfigurationNamespace } from './live.js';
import { prepare, readTextFile, validateSource, type Tenancy } from './prepare.js';
import { clusterTenancy, refuseFluxV1InCluster, requireFluxForDryRun } from './shared/cluster.js';
import { declareApplyFlags, declareConfigurationFlags, parseApplyFlags } from './shared/flags.js';
import { liveForCreate, withPlanTable, writePlanned } from './shared/write.js';
import { configurationTable } from './table.js';

export const verb = defineVerb({
  name: 'create',
  description: 'Create a Flux v2 configuration',
  flags: (cmd) => {
    declareConfigurationFlags(cmd, 'create');
    declareApplyFlags(cmd)
      .option('--export', 'print the objects (YAML; JSON etc. with -o) instead of applying them; Secrets left out')
      .option('--export-secrets', 'with --export, include the auth Secret')
      .option('--no-install-extension', 'fail instead of installing Flux when it is missing');
  },
  // Everything the flags say is checked here, before any cluster access (files named by *-file flags are read).
  parse: (flags) => ({
    ...parseCreate(flags, readTextFile),
    apply: parseApplyFlags(flags),
    export: flags.export === true,
    exportSecrets: flags.exportSecrets === true,
    installExtension: flags.installExtension !== false,
  }),
  run: async (o, deps: Deps) => {
    for (const w of o.warnings) deps.log.warn(w);
    const { config } = o;
    if (o.export) {
      const prepared = await prepare(deps, config, o.protectedSettings, {}, { multiTenancy: true });
      const objects = o.exportSecrets ? prepared.objects : prepared.objects.filter((x) => x.kind !== 'Secret');
      return new RawText(toYaml(objects), objects);
    }
    const kube = await deps.kube();
    // One wave of independent reads; Flux is installed (a write) only once the Flux v1 check has passed. Without
    // Flux no configuration exists, and the tenancy read falls back to the install's default (enforced).
    const fluxReady = clusterWideOr(
      () => refuseFluxV1InCluster(kube),
      () => undefined,
      (m) => deps.log.info(m),
      'Flux v1 check',
    ).then(() =>
      o.apply.dryRun ? requireFluxForDryRun(kube) : ensureFluxExtension(deps, { install: o.installExtension }),
    );
    // allSettled: a failed read does not leave an install running after the command has ended.
    const [existingRead, tenancyRead, fluxRead] = await Promise.allSettled([
      clusterWideOr(
        () => existingConfigurationNamespace(kube, config.name),
        () => existingConfigurationNamespace(kube, config.name, config.namespace),
        (m) => deps.log.info(m),
        'existing configuration check',
      ),
      clusterTenancy(deps, kube, config.namespace),
      fluxReady,
    ]);
    for (const read of [fluxRead, existingRead, tenancyRead]) if (read.status === 'rejected') throw read.reason;
    const existing = (existingRead as PromiseFulfilledResult<string | undefined>).value;
    const tenancy = (tenancyRead as PromiseFulfilledResult<Tenancy>).value;
    if (existing !== undefined)
      throw new UserError(`Error! Flux configuration '${config.name}' already exists in namespace '${existing}'`, {
        hint: "Use 'fluxcfg k8s-configuration flux update' to change it, or delete it first",
      });
    const prepared = await prepare(deps, config, o.protectedSettings, {}, tenancy);
    const live = await liveForCreate(kube, prepared.objects);
    if (o.apply.validate) await validateSource(deps, kube, config, prepared, tenancy);
    deps.log.progress(`Creating the flux configuration '${config.name}' in the cluster. This may take a few minutes...`);
    return writePlanned(deps, kube, config, prepared.objects, live, o.apply);
  },
  table: withPlanTable(configurationTable),
});
