import { UserError } from '../../../errors.js';
import { ensureFluxExtension } from '../../../extension/ensure.js';
import { ConcurrentChangeError } from '../../../k8s/execute.js';
import { parseCreate } from '../../../model/configuration-params.js';
import { toYaml } from '../../../render/yaml.js';
import { RawText } from '../../../ui/output.js';
import type { Deps } from '../../../deps.js';
import { defineVerb } from '../../verb.js';
import { clusterWideOr, findConfiguration } from './live.js';
import { prepare, validateSource, type Tenancy } from './prepare.js';
import { clusterTenancy, refuseFluxV1InCluster, refuseMixedScopes, requireFluxForDryRun } from './shared/cluster.js';
import { declareApplyFlags, declareConfigurationFlags, parseApplyFlags, readInput } from './shared/flags.js';
import { declareHubFlags, forEachKubeconfigSecret, parseHubFlags, prepareHub } from './shared/hub.js';
import { withForEachTable, withHub } from './shared/hub.js';
import { isComplete, liveForCreate, mergeLive, sameRecord, withPlanTable, writePlanned } from './shared/write.js';
import { configurationTable } from './table.js';

export const verb = defineVerb({
  flags: (cmd) => {
    declareConfigurationFlags(cmd, 'create');
    declareApplyFlags(cmd)
      .option('--export', 'print the objects (YAML; JSON etc. with -o) instead of applying them; Secrets left out')
      .option('--export-secrets', 'with --export, include the auth Secret')
      .option('--no-install-extension', 'fail instead of installing Flux when it is missing');
    declareHubFlags(cmd, 'create');
  },
  // Everything the flags say is checked here, before any cluster access (files named by *-file flags are read).
  parse: (flags) =>
    withHub({
      ...parseCreate(flags, readInput),
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
    // One wave of independent reads; Flux is installed (a write) only once the Flux v1 check has passed. Without
    // Flux no configuration exists, and the tenancy read falls back to the install's default (enforced).
    const existingLists = clusterWideOr(
      // From the watch cache: an existence check (a stale read at worst re-applies what exists; of two concurrent
      // creates the source's create-only write lets one win).
      () => findConfiguration(kube, config.name, undefined, { allowIncomplete: true, cached: true }),
      () => findConfiguration(kube, config.name, config.namespace, { allowIncomplete: true, cached: true }),
      (m) => deps.log.info(m),
      'existing configuration check',
    );
    // Whether Flux is served is asked after the existence lists: a list that answered proves its kind is served,
    // so a cluster with Flux needs no discovery request.
    const fluxReady = Promise.all([
      clusterWideOr(
        () => refuseFluxV1InCluster(kube),
        () => undefined,
        (m) => deps.log.info(m),
        'Flux v1 check',
      ),
      existingLists.catch(() => undefined),
    ]).then(() =>
      o.apply.dryRun ? requireFluxForDryRun(kube) : ensureFluxExtension(deps, { install: o.installExtension }),
    );
    // allSettled: a failed read does not leave an install running after the command has ended.
    const [existingRead, tenancyRead, fluxRead, scopesRead] = await Promise.allSettled([
      existingLists,
      clusterTenancy(deps, kube, config.namespace),
      fluxReady,
      refuseMixedScopes(deps, kube, config),
    ]);
    for (const read of [fluxRead, existingRead, tenancyRead]) if (read.status === 'rejected') throw read.reason;
    type Found = Awaited<ReturnType<typeof findConfiguration>>;
    const existing = (existingRead as PromiseFulfilledResult<Found>).value;
    const tenancy = (tenancyRead as PromiseFulfilledResult<Tenancy>).value;
    const rendered = await prepare(deps, config, o.protectedSettings, {}, tenancy);
    const prepared = await prepareHub(deps, kube, config, rendered, o.hub); // hub mode: the spoke's RBAC moves out
    // A configuration a failed create left half-applied (source gone, or the same record with objects missing)
    // is completed by the same create; any other is "already exists".
    const resumable =
      existing !== undefined &&
      existing.config.namespace === config.namespace &&
      (existing.incomplete || (sameRecord(existing.config, config) && !isComplete(existing.objects, prepared.objects)));
    if (existing && !resumable)
      throw new UserError(
        `Error! Flux configuration '${config.name}' already exists in namespace '${existing.config.namespace}'`,
        { hint: "Use 'fluxcfg k8s-configuration flux update' to change it, or delete it first" },
      );
    if (scopesRead.status === 'rejected') throw scopesRead.reason;
    const live = mergeLive(await liveForCreate(kube, prepared.objects), existing?.objects ?? []);
    if (o.apply.validate) await validateSource(deps, kube, config, prepared, tenancy);
    if (existing) deps.log.warn(`Warning! Flux configuration '${config.name}' was only partly applied: completing it`);
    deps.log.progress(
      `Creating the flux configuration '${config.name}' in the cluster. This may take a few minutes...`,
    );
    // The source records the configuration: created only if absent, so of two concurrent creates one fails.
    const source = existing && !existing.incomplete ? existing.source : undefined;
    try {
      return await writePlanned(
        deps,
        kube,
        config,
        prepared.objects,
        live,
        o.apply,
        source ? { resourceVersion: source.metadata.resourceVersion ?? '' } : { absent: true },
      );
    } catch (err) {
      // Another create of the same name got there first: this one wrote nothing but (maybe) the Namespace.
      if (err instanceof ConcurrentChangeError)
        throw new UserError(
          `Error! Flux configuration '${config.name}' already exists in namespace '${config.namespace}'`,
          {
            hint: `it was created by another run meanwhile (${err.message}); nothing of it was applied`,
            cause: err,
          },
        );
      throw err;
    }
  },
  table: withForEachTable(withPlanTable(configurationTable)),
  // loaded on a terminal only
  guide: async (flags, context) => (await import('../../guided/flux-create.js')).guideFluxCreate(flags, context),
});
