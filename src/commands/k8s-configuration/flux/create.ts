import { UserError } from '../../../errors.js';
import { ensureFluxExtension } from '../../../extension/ensure.js';
import { parseCreate } from '../../../model/configuration-params.js';
import { toYaml } from '../../../render/yaml.js';
import { RawText } from '../../../ui/output.js';
import type { Deps } from '../../../deps.js';
import { defineVerb } from '../../verb.js';
import { clusterWideOr, findConfiguration } from './live.js';
import { prepare, readTextFile, validateSource } from './prepare.js';
import { clusterTenancy, refuseFluxV1InCluster, requireFluxForDryRun } from './shared/cluster.js';
import { declareApplyFlags, declareConfigurationFlags, parseApplyFlags } from './shared/flags.js';
import { declareHubFlags, forEachKubeconfigSecret, parseHubFlags, prepareHub } from './shared/hub.js';
import { withForEachTable, withHub } from './shared/hub.js';
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
    declareHubFlags(cmd, 'create');
  },
  // Everything the flags say is checked here, before any cluster access (files named by *-file flags are read).
  parse: (flags) => withHub({
    ...parseCreate(flags, readTextFile),
    apply: parseApplyFlags(flags),
    export: flags.export === true,
    exportSecrets: flags.exportSecrets === true,
    installExtension: flags.installExtension !== false,
    hub: parseHubFlags(flags),
  }),
  run: async (o, deps: Deps): Promise<unknown> => {
    if (o.hub.forEach) return forEachKubeconfigSecret(deps, o, (one) => verb.run(one, deps));
    for (const w of o.warnings) deps.log.warn(w);
    const { config } = o;
    if (o.export) {
      const prepared = await prepare(deps, config, o.protectedSettings, {}, { multiTenancy: true });
      const objects = o.exportSecrets ? prepared.objects : prepared.objects.filter((x) => x.kind !== 'Secret');
      return new RawText(toYaml(objects), objects);
    }
    const kube = await deps.kube();
    await clusterWideOr(() => refuseFluxV1InCluster(kube), () => undefined, (m) => deps.log.info(m), 'Flux v1 check');
    if (o.apply.dryRun) await requireFluxForDryRun(kube);
    else await ensureFluxExtension(deps, { install: o.installExtension });
    const existing = await clusterWideOr(
      () => findConfiguration(kube, config.name),
      () => findConfiguration(kube, config.name, config.namespace),
      (m) => deps.log.info(m),
      'existing configuration check',
    );
    if (existing)
      throw new UserError(
        `Error! Flux configuration '${config.name}' already exists in namespace '${existing.config.namespace}'`,
        { hint: "Use 'fluxcfg k8s-configuration flux update' to change it, or delete it first" },
      );
    const tenancy = await clusterTenancy(deps, kube, config.namespace);
    const rendered = await prepare(deps, config, o.protectedSettings, {}, tenancy);
    const prepared = await prepareHub(deps, kube, config, rendered, o.hub); // hub mode: the spoke's RBAC moves out
    const live = await liveForCreate(kube, prepared.objects);
    if (o.apply.validate) await validateSource(deps, kube, config, prepared, tenancy);
    deps.log.progress(`Creating the flux configuration '${config.name}' in the cluster. This may take a few minutes...`);
    return writePlanned(deps, kube, config, prepared.objects, live, o.apply);
  },
  table: withForEachTable(withPlanTable(configurationTable)),
});
