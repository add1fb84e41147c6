import type { Command } from 'commander';
import { UserError } from '../../../errors.js';
import { ensureFluxExtension } from '../../../extension/ensure.js';
import { migrateFromV1Hint, refuseFluxV1 } from '../../../extension/detect.js';
import type { KubeClient } from '../../../k8s/client.js';
import { refOf, type KubeObject } from '../../../k8s/types.js';
import { parseTimeoutMs } from '../../../model/duration.js';
import { declareConfigurationFlags, parseCreate } from '../../../model/flags.js';
import { toYaml } from '../../../render/yaml.js';
import { RawText } from '../../../ui/output.js';
import { findApplierNamespaces, readClusterTenancy } from '../../../validate/index.js';
import type { Deps } from '../../../deps.js';
import { defineVerb, type Flags } from '../../verb.js';
import { applyRendered, waitForReady } from './apply.js';
import type { FluxConfiguration } from '../../../model/flux-configuration.js';
import {
  armOf,
  assertNotForeign,
  buildView,
  clusterWideOr,
  findConfiguration,
  readConfiguration,
  sourceKinds,
} from './live.js';
import { prepare, readTextFile, validateSource, type Tenancy } from './prepare.js';
import { configurationTable } from './table.js';

/** Flags every writing flux verb adds to az's: waiting, dry run, source validation. */
export function declareApplyFlags(cmd: Command): Command {
  return cmd
    // --wait first: commander makes a lone --no-wait default the value to true.
    .option('--wait', 'wait until the source and the Kustomizations report Ready')
    .option('--no-wait', 'accepted for az compatibility (fluxcfg does not wait unless --wait)')
    .option('--wait-timeout <duration>', 'how long --wait waits', '5m')
    .option('--dry-run', 'server-side dry run: everything validated by the API server, nothing stored')
    .option('--force-conflicts', 'take over fields that another field manager owns (server-side apply conflicts)')
    .option('--no-validate', "skip cloning the source to check its manifests against scope and multi-tenancy rules");
}

export interface ApplyFlags {
  readonly wait: boolean;
  readonly waitTimeoutMs: number;
  readonly dryRun: boolean;
  readonly forceConflicts: boolean;
  readonly validate: boolean;
}

export function parseApplyFlags(flags: Flags): ApplyFlags {
  return {
    wait: flags.wait === true,
    waitTimeoutMs: parseTimeoutMs(String(flags.waitTimeout ?? '5m'), '--wait-timeout'),
    dryRun: flags.dryRun === true,
    forceConflicts: flags.forceConflicts === true,
    validate: flags.validate !== false,
  };
}

/** Flux v1 daemons in the cluster make az refuse Flux v2 configurations; fluxcfg does the same. */
export async function refuseFluxV1InCluster(kube: KubeClient): Promise<void> {
  await refuseFluxV1(
    kube,
    (found) => `Error! Flux v1 configurations already exist on the cluster (${found})`,
    `Try removing all Flux v1 configurations from the cluster before attempting to add Flux v2 configurations (${migrateFromV1Hint})`,
  );
}

/**
 * After an apply: waits for Ready when asked (then reads the live state), otherwise builds the view from what the
 * API server answered, with no extra reads.
 */
export async function resultView(deps: Deps, kube: KubeClient, config: FluxConfiguration, applied: KubeObject[], apply: ApplyFlags) {
  if (apply.wait && !apply.dryRun) {
    await waitForReady(deps, kube, applied, apply.waitTimeoutMs);
    return buildView(kube, await readConfiguration(kube, config.name, config.namespace), armOf(deps, kube));
  }
  const objects = applied.filter((o) => o.kind !== 'Namespace' && o.kind !== 'ServiceAccount');
  const source = objects.find((o) => (sourceKinds as readonly string[]).includes(o.kind))!;
  return buildView(kube, { config, source, objects }, armOf(deps, kube));
}

/**
 * How the installed Flux treats tenants (multiTenancy.enforce, --no-remote-bases; enforced when unreadable) and
 * which other namespaces already have a flux-applier from another configuration.
 */
export async function clusterTenancy(deps: Deps, kube: KubeClient, namespace: string): Promise<Tenancy> {
  const note = (m: string) => deps.log.info(m);
  const [mode, applierNamespaces] = await Promise.all([
    clusterWideOr(() => readClusterTenancy(kube), () => undefined, note, 'multi-tenancy mode'),
    clusterWideOr(() => findApplierNamespaces(kube, namespace), () => [], note, 'flux-applier namespaces'),
  ]);
  return { multiTenancy: mode?.enforce ?? true, noRemoteBases: mode?.noRemoteBases ?? false, applierNamespaces };
}

export const verb = defineVerb({
  name: 'create',
  description: 'Create a Flux v2 configuration',
  flags: (cmd) => {
    declareConfigurationFlags(cmd, 'create');
    declareApplyFlags(cmd)
      .option('--export', 'print the objects as YAML (for committing to Git) instead of applying them; Secrets left out')
      .option('--export-secrets', 'with --export, include the auth Secret')
      .option('--no-install-extension', 'fail instead of installing Flux when it is missing');
  },
  parse: (flags) => ({
    flags,
    apply: parseApplyFlags(flags),
    export: flags.export === true,
    exportSecrets: flags.exportSecrets === true,
    installExtension: flags.installExtension !== false,
  }),
  run: async (o, deps: Deps) => {
    const parsed = parseCreate(o.flags, readTextFile);
    for (const w of parsed.warnings) deps.log.warn(w);
    const { config } = parsed;
    if (o.export) {
      const prepared = await prepare(deps, config, parsed.protectedSettings, {}, { multiTenancy: true });
      const objects = o.exportSecrets ? prepared.objects : prepared.objects.filter((x) => x.kind !== 'Secret');
      return new RawText(toYaml(objects));
    }
    const kube = await deps.kube();
    await clusterWideOr(() => refuseFluxV1InCluster(kube), () => undefined, (m) => deps.log.info(m), 'Flux v1 check');
    await ensureFluxExtension(deps, { install: o.installExtension });
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
    const prepared = await prepare(deps, config, parsed.protectedSettings, {}, tenancy);
    await assertNotForeign(
      kube,
      prepared.objects.filter((x) => x.kind !== 'Namespace' && x.kind !== 'ServiceAccount').map(refOf),
    );
    if (o.apply.validate) await validateSource(deps, kube, config, prepared, tenancy);
    deps.log.progress(`Creating the flux configuration '${config.name}' in the cluster. This may take a few minutes...`);
    const { applied } = await applyRendered(deps, kube, prepared.objects, o.apply);
    return resultView(deps, kube, config, applied, o.apply);
  },
  table: configurationTable,
});
