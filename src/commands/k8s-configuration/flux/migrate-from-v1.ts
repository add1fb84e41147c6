// `fluxcfg k8s-configuration flux migrate-from-v1` (issue #10): plan (the default, read only), `--export`, then
// `--execute` — gather every secret and host key, back up, stop Flux v1, remove the HelmRelease v1 objects without
// uninstalling their releases, install Flux v2 when absent, create the v2 objects — and `--rollback`. The pure
// parts are src/model/migrate and src/render/migrate; the cluster I/O is src/migrate.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Option } from 'commander';
import type { Deps } from '../../../deps.js';
import { UsageError, UserError } from '../../../errors.js';
import { executePlan } from '../../../k8s/execute.js';
import type { KubeClient } from '../../../k8s/client.js';
import { plan as planWrite, planRows, type PlanSummaryRow } from '../../../k8s/plan.js';
import { describeRef, refOf, type KubeObject, type ObjectRef } from '../../../k8s/types.js';
import {
  BackupDir,
  defaultBackupDir,
  findUnfinished,
  type MigrationState,
  type Step,
} from '../../../migrate/backup.js';
import {
  deleteSteps,
  ensureFlux,
  removeHelmReleasesV1,
  stopV1,
  verifyStopped,
  type FluxInstallOptions,
} from '../../../migrate/execute.js';
import { readV1Objects } from '../../../migrate/read.js';
import { deleteCreated, restoreBackup } from '../../../migrate/rollback.js';
import { parseTimeoutMs } from '../../../model/duration.js';
import { parseSettingTokens } from '../../../model/extension/settings.js';
import { inventoryFromAzList } from '../../../model/migrate/az-list.js';
import { discover, selectOperators } from '../../../model/migrate/discover.js';
import type { ArcConfiguration, Inventory } from '../../../model/migrate/inventory.js';
import { hostKey, hostsToScan, resolveValues } from '../../../model/migrate/material.js';
import { validateKnownHostsBase64, validateKnownHostsText } from '../../../model/ssh.js';
import {
  exportYaml,
  findingCounts,
  planObjects,
  planTable,
  renderFluxdObjects,
} from '../../../render/migrate/output.js';
import { allFindings, buildPlan, type MigrationPlan } from '../../../render/migrate/plan.js';
import { renderPlannedSecret } from '../../../render/migrate/secrets.js';
import type { Finding } from '../../../render/migrate/types.js';
import { RawText } from '../../../ui/output.js';
import { defineVerb, type Flags } from '../../verb.js';
import { validateSource } from './prepare.js';
import { clusterTenancy } from './shared/cluster.js';
import { liveForCreate } from './shared/write.js';
import { scanKnownHosts } from './ssh.js';

export interface MigrateOptions {
  mode: 'plan' | 'export' | 'execute' | 'rollback';
  filter: { name?: string; namespace?: string };
  /** `az k8s-configuration list -o json` entries (--from-file). */
  azList?: unknown;
  fromFile?: string;
  backupDir?: string;
  rollbackDir?: string;
  /** known_hosts text for every SSH host (--known-hosts / --known-hosts-file). */
  knownHosts?: string;
  validate: boolean;
  install: FluxInstallOptions;
  timeoutMs: number;
}

const tokens = (flags: Flags, ...keys: string[]): string[] =>
  keys.flatMap((k) => (Array.isArray(flags[k]) ? (flags[k] as string[]) : []));
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Flags → options; every flag checked before the cluster is read (files named by flags are read here). */
export function parseMigrate(flags: Flags, readFile = (f: string) => readFileSync(f, 'utf8')): MigrateOptions {
  const execute = flags.execute === true;
  const exportObjects = flags.export === true;
  const rollbackDir = text(flags.rollback);
  const filter: MigrateOptions['filter'] = {};
  if (text(flags.name)) filter.name = text(flags.name);
  if (text(flags.namespace)) filter.namespace = text(flags.namespace);
  if (rollbackDir !== undefined) {
    const others = [
      execute && '--execute',
      exportObjects && '--export',
      flags.fromFile !== undefined && '--from-file',
      filter.name !== undefined && '--name',
      filter.namespace !== undefined && '--namespace',
      flags.backupDir !== undefined && '--backup-dir',
    ].filter(Boolean);
    if (others.length)
      throw new UsageError(`--rollback cannot be used with ${others.join(', ')}`, {
        hint: '--rollback <backup-dir> undoes the migration recorded in that folder; it takes no other selection',
      });
  }
  if (execute && exportObjects)
    throw new UsageError('--export and --execute cannot be used together', {
      hint: '--export prints the Flux v2 objects to commit to Git; --execute migrates the cluster',
    });
  if (flags.knownHosts !== undefined && flags.knownHostsFile !== undefined)
    throw new UsageError('--known-hosts and --known-hosts-file cannot be used together', {
      hint: 'give the host keys once: base64 with --known-hosts, or a known_hosts file with --known-hosts-file',
    });
  let knownHosts: string | undefined;
  if (text(flags.knownHosts) !== undefined) knownHosts = validateKnownHostsBase64(text(flags.knownHosts)!);
  if (text(flags.knownHostsFile) !== undefined) {
    knownHosts = readFile(text(flags.knownHostsFile)!);
    validateKnownHostsText(knownHosts);
  }
  let azList: unknown;
  const fromFile = text(flags.fromFile);
  if (fromFile !== undefined) {
    let raw: string;
    try {
      raw = readFile(fromFile);
    } catch (err) {
      throw new UsageError(`cannot read --from-file ${fromFile}: ${(err as Error).message}`, {
        hint: 'pass the output of: az k8s-configuration list -g <rg> -c <cluster> -t <type> -o json > file.json',
      });
    }
    try {
      azList = JSON.parse(raw);
    } catch (err) {
      throw new UsageError(`--from-file ${fromFile} is not JSON: ${(err as Error).message}`, {
        hint: 'pass the output of: az k8s-configuration list -g <rg> -c <cluster> -t <type> -o json > file.json',
      });
    }
    inventoryFromAzList(azList); // its shape errors surface now, before any cluster access
  }
  const timeout = text(flags.timeout) ?? '5m';
  return {
    mode: rollbackDir !== undefined ? 'rollback' : execute ? 'execute' : exportObjects ? 'export' : 'plan',
    filter,
    azList,
    fromFile,
    backupDir: text(flags.backupDir),
    rollbackDir,
    knownHosts,
    validate: flags.validate !== false,
    install: {
      install: flags.installExtension !== false,
      input: {
        settings: parseSettingTokens(tokens(flags, 'configSettings', 'config'), '--configuration-settings'),
        protectedSettings: {},
      },
      manifests: text(flags.manifests),
      skipPreflight: flags.skipPreflight === true,
    },
    timeoutMs: parseTimeoutMs(timeout, '--timeout'),
  };
}

/** Cluster objects as discovery reads them, completed by a backup (a resumed run: what step 2 already deleted). */
function withBackup(live: readonly KubeObject[], backup: readonly KubeObject[]): KubeObject[] {
  const k = (o: KubeObject) => `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
  const seen = new Set(live.map(k));
  return [...live, ...backup.filter((o) => !seen.has(k(o)))];
}

function arcFromFile(azList: unknown): ArcConfiguration[] {
  return azList === undefined ? [] : inventoryFromAzList(azList).arc.configurations;
}

const isPartial = (o: MigrateOptions) => o.filter.name !== undefined || o.filter.namespace !== undefined;

function planOf(inventory: Inventory, o: MigrateOptions): MigrationPlan {
  return buildPlan(selectOperators(inventory, o.filter), { partial: isPartial(o) });
}

const isEmpty = (p: MigrationPlan) =>
  p.fluxd.length === 0 && p.helmOperators.length === 0 && p.helmReleases.length === 0;

async function discoverCluster(deps: Deps, kube: KubeClient, o: MigrateOptions, backup: readonly KubeObject[] = []) {
  const read = await readV1Objects(kube, o.filter.namespace);
  if (read.limited.length)
    deps.log.warn(
      `Warning! no cluster-wide read rights for ${read.limited.join(', ')}: ` +
        'the plan covers what could be read (pass --namespace to read one namespace)',
    );
  const objects = withBackup(read.objects, backup);
  const inventory = discover(objects, { arcConfigurations: arcFromFile(o.azList) });
  return { objects, inventory, plan: planOf(inventory, o) };
}

function summary(deps: Deps, p: MigrationPlan): void {
  const { warnings, notes } = findingCounts(p);
  deps.log.progress(
    `${p.fluxd.length} fluxd, ${p.helmOperators.length} helm-operator, ${p.helmReleases.length} HelmRelease v1; ` +
      `${warnings} warning(s), ${notes} note(s)`,
  );
  for (const f of allFindings(p).filter((x) => x.severity === 'warning'))
    deps.log.info(`warning: ${f.subject}: ${f.message}${f.action ? ` (${f.action})` : ''}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Execute

interface Material {
  /** The v2 objects to apply, Secrets with their values. */
  desired: KubeObject[];
  /** What each fluxd's source validation needs. */
  sources: {
    fluxd: MigrationPlan['fluxd'][number];
    objects: KubeObject[];
    ssh?: string;
    knownHosts?: string;
    password?: string;
  }[];
}

/** Every value the v2 objects need, read (or scanned) before anything changes; missing ones stop the migration. */
async function gatherMaterial(deps: Deps, p: MigrationPlan, objects: readonly KubeObject[], o: MigrateOptions) {
  const datas = [
    ...p.fluxd.flatMap((f) => (f.secret ? [f.secret.data] : [])),
    ...p.helmSourceSecrets.map((s) => s.data),
  ];
  const scanned = new Map<string, string>();
  if (o.knownHosts === undefined) {
    for (const h of hostsToScan(datas)) {
      const url = `ssh://git@${h.host}${h.port ? `:${h.port}` : ''}/`;
      try {
        scanned.set(hostKey(h.host, h.port), await scanKnownHosts(deps.exec, url));
      } catch (err) {
        throw new UserError(`${(err as Error).message}; nothing was changed`, {
          hint: 'pass the host keys with --known-hosts-file (or --known-hosts), then run the same command again',
        });
      }
    }
  }
  const missing: string[] = [];
  const invalid = p.fluxd.filter(
    (f) => !f.configuration.gitRepository?.url || f.findings.some((x) => x.code === 'configuration-invalid'),
  );
  for (const f of invalid) missing.push(`fluxd ${f.v1.namespace}/${f.v1.name}: no usable --git-url`);
  const material: Material = { desired: [], sources: [] };
  for (const f of p.fluxd) {
    if (invalid.includes(f)) continue;
    let values: Record<string, string> = {};
    if (f.secret) {
      const r = resolveValues(f.secret.data, objects, scanned, o.knownHosts);
      for (const m of r.missing) missing.push(`fluxd ${f.v1.namespace}/${f.v1.name}: ${m}`);
      values = r.values;
    }
    const rendered = renderFluxdObjects(f, {
      identity: values.identity,
      knownHosts: values.known_hosts,
      username: values.username,
      password: values.password,
    });
    material.desired.push(...rendered);
    material.sources.push({
      fluxd: f,
      objects: rendered,
      ssh: values.identity,
      knownHosts: values.known_hosts,
      password: values.password,
    });
  }
  for (const s of p.helmSourceSecrets) {
    const r = resolveValues(s.data, objects, scanned, o.knownHosts);
    for (const m of r.missing) missing.push(`Secret ${s.namespace}/${s.name}: ${m}`);
    material.desired.push(renderPlannedSecret(s, r.values));
  }
  if (missing.length)
    throw new UserError(`cannot migrate, nothing was changed:\n  ${missing.join('\n  ')}`, {
      hint:
        'fix these (a deploy key Secret, --known-hosts-file), or leave the operator out with --name/--namespace, ' +
        'then run the command again',
    });
  material.desired.push(...p.helmSources, ...p.helmReleases.flatMap((h) => (h.helmRelease ? [h.helmRelease] : [])));
  return material;
}

async function validateSources(deps: Deps, kube: KubeClient, m: Material): Promise<void> {
  for (const s of m.sources) {
    const config = s.fluxd.configuration;
    const tenancy = await clusterTenancy(deps, kube, config.namespace);
    await validateSource(
      deps,
      kube,
      config,
      {
        objects: s.objects,
        protectedSettings: { sshPrivateKey: s.ssh, httpsKey: s.password },
        extra: { knownHosts: s.knownHosts },
      },
      tenancy,
    );
  }
}

export interface MigrationResult {
  kind: 'FluxV1MigrationResult';
  backupDir: string;
  resumed: boolean;
  /** Step 2: Deployments, memcached and RBAC deleted now. */
  stopped: string[];
  /** Step 3. */
  helmReleasesV1Removed: string[];
  crdsRemoved: string[];
  /** Step 4. */
  fluxInstalled: boolean;
  /** Step 5. */
  configurations: { name: string; namespace: string; scope: string }[];
  helmReleases: string[];
  applied: PlanSummaryRow[];
  /** Warnings of the plan: what a human has to do. */
  needsAttention: Finding[];
}

function describeSteps(p: MigrationPlan): string {
  return (
    `Migrate ${p.fluxd.length} fluxd and ${p.helmOperators.length} helm-operator (${p.helmReleases.length} ` +
    'HelmRelease v1) to Flux v2? Flux v1 is deleted; the applications and Helm releases keep running.'
  );
}

async function execute(deps: Deps, o: MigrateOptions): Promise<MigrationResult> {
  const kube = await deps.kube();
  const server = kube.server;
  const cwd = process.cwd();
  let dirPath = o.backupDir ? path.resolve(o.backupDir) : findUnfinished(cwd, server);
  if (!o.backupDir && dirPath) deps.log.warn(`resuming the unfinished migration recorded in ${dirPath}`);
  dirPath ??= defaultBackupDir(new Date(), cwd);
  const dir = new BackupDir(dirPath);
  const previous = dir.readState();
  if (previous && previous.server !== server)
    throw new UserError(`${dirPath} records a migration of ${previous.server}, not of ${server}`, {
      hint: 'pass another --backup-dir',
    });
  const resumed = previous !== undefined && !previous.completed;

  const { objects, plan: p } = await discoverCluster(deps, kube, o, previous ? dir.objects() : []);
  summary(deps, p);
  if (isEmpty(p) && !resumed) {
    deps.log.warn('no Flux v1 found (fluxd, helm-operator, HelmRelease v1): nothing to migrate');
    return emptyResult(dirPath);
  }
  // Azure Arc: while a GitConfig exists its agent recreates fluxd; delete it in Azure first.
  const liveArc = p.arc.filter((a) => a.configuration.origin === 'GitConfig');
  if (liveArc.length)
    throw new UserError(
      `Azure Arc Flux v1 configuration(s) ${liveArc.map((a) => a.configuration.name).join(', ')} still exist: ` +
        "Azure's config-agent would recreate fluxd; nothing was changed",
      { hint: `run ${liveArc.map((a) => a.deleteCommand).join(' && ')}, then run this command again` },
    );
  for (const f of allFindings(p).filter((x) => x.severity === 'warning'))
    deps.log.warn(`Warning! ${f.subject}: ${f.message}${f.action ? ` (${f.action})` : ''}`);

  // Everything that can fail without a change happens first: material, host keys, source validation.
  const material = await gatherMaterial(deps, p, objects, o);
  if (o.validate) await validateSources(deps, kube, material);
  if (!(await deps.prompt.confirm(describeSteps(p), { flag: '--yes' })))
    throw new UserError('Operation cancelled.', { hint: 'nothing was changed' });

  // Step 1: backup.
  const state: MigrationState = previous ?? {
    kind: 'FluxV1MigrationState',
    version: 1,
    server,
    startedAt: new Date().toISOString(),
    filter: o.filter,
    steps: [],
    backup: [],
    created: [],
    fluxInstalled: false,
    completed: false,
  };
  state.completed = false;
  const done = (step: Step) => {
    if (!state.steps.includes(step)) state.steps.push(step);
    dir.writeState(state);
  };
  dir.create();
  const byKey = new Map(objects.map((x) => [refKey(refOf(x)), x]));
  const toSave: KubeObject[] = [];
  for (const r of p.backup) {
    const obj = byKey.get(refKey(r)) ?? (await kube.get(r));
    if (obj) toSave.push(obj);
  }
  dir.save(toSave);
  state.backup = uniqueRefs([...state.backup, ...toSave.map(refOf)]);
  done('backup');
  deps.log.warn(`Backup of ${state.backup.length} object(s) (it holds deploy keys: keep it private): ${dirPath}`);

  // Step 2: stop Flux v1.
  const log = { info: (m: string) => deps.log.info(m), warn: (m: string) => deps.log.warn(`Warning! ${m}`) };
  const steps = deleteSteps(p.delete);
  const deployments = objects.filter((x) => x.kind === 'Deployment');
  deps.log.progress('Stopping Flux v1 (helm-operator, fluxd, memcached, their RBAC)...');
  const stopped = await stopV1(kube, steps.operators, deployments, log, o.timeoutMs);
  done('stop-v1');

  // Step 3: HelmRelease v1 objects without their releases.
  const hr = await removeHelmReleasesV1(kube, steps.helmReleases, steps.crds, log);
  done('helm-releases-v1');

  // Step 4: Flux v2.
  const installed = await ensureFlux(deps, kube, o.install);
  state.fluxInstalled ||= installed;
  done('flux-installed');

  // Step 5: the v2 objects, once Flux v1 is known to stay gone.
  await verifyStopped(
    kube,
    steps.operators.filter((r) => r.kind === 'Deployment'),
    p.arc.map((a) => a.deleteCommand),
  );
  deps.log.progress(`Creating ${material.desired.length} Flux v2 object(s)...`);
  const live = await liveForCreate(kube, material.desired);
  const write = planWrite(material.desired, live);
  state.created = uniqueRefs([
    ...state.created,
    ...write.apply.filter((a) => a.action === 'create' && a.object.kind !== 'Namespace').map((a) => refOf(a.object)),
  ]);
  dir.writeState(state); // recorded before the apply, so a rollback after Ctrl-C knows what may exist
  await executePlan(kube, write, live, {
    onStep: ({ object }) => deps.log.info(`applied ${describeRef(refOf(object))}`),
  });
  done('v2-applied');
  state.completed = true;
  dir.writeState(state);

  return {
    kind: 'FluxV1MigrationResult',
    backupDir: dirPath,
    resumed,
    stopped: stopped.map(describeRef),
    helmReleasesV1Removed: hr.removed.map(describeRef),
    crdsRemoved: hr.crdsRemoved.map(describeRef),
    fluxInstalled: installed,
    configurations: material.sources.map((s) => ({
      name: s.fluxd.configuration.name,
      namespace: s.fluxd.configuration.namespace,
      scope: s.fluxd.configuration.scope,
    })),
    helmReleases: p.helmReleases.filter((h) => h.helmRelease).map((h) => `${h.v1.namespace}/${h.v1.name}`),
    applied: planRows(write),
    needsAttention: allFindings(p).filter((f) => f.severity === 'warning'),
  };
}

const refKey = (r: ObjectRef) => `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}|${r.name}`;
function uniqueRefs(refs: readonly ObjectRef[]): ObjectRef[] {
  const m = new Map(refs.map((r) => [refKey(r), { ...r }]));
  return [...m.values()];
}

function emptyResult(backupDir: string): MigrationResult {
  return {
    kind: 'FluxV1MigrationResult',
    backupDir,
    resumed: false,
    stopped: [],
    helmReleasesV1Removed: [],
    crdsRemoved: [],
    fluxInstalled: false,
    configurations: [],
    helmReleases: [],
    applied: [],
    needsAttention: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Rollback

export interface RollbackResult {
  kind: 'FluxV1RollbackResult';
  backupDir: string;
  deleted: string[];
  restored: string[];
  /** Flux v2 stays installed; set when the migration installed it. */
  fluxInstalledByMigration: boolean;
}

async function rollback(deps: Deps, o: MigrateOptions): Promise<RollbackResult> {
  const dirPath = path.resolve(o.rollbackDir!);
  const dir = new BackupDir(dirPath);
  const state = dir.readState();
  if (!state)
    throw new UserError(`${dirPath} holds no migrate-from-v1 backup (no state file)`, {
      hint: 'pass the folder the migration printed (fluxcfg-migrate-backup-<time>)',
    });
  const kube = await deps.kube();
  if (state.server !== kube.server)
    throw new UserError(`${dirPath} records a migration of ${state.server}, not of ${kube.server}`, {
      hint: 'select that cluster with --kubeconfig/--context',
    });
  const objects = dir.objects();
  if (
    !(await deps.prompt.confirm(
      `Delete ${state.created.length} object(s) the migration created and restore ${objects.length} Flux v1 object(s)?`,
      { flag: '--yes' },
    ))
  )
    throw new UserError('Operation cancelled.', { hint: 'nothing was changed' });
  const log = { info: (m: string) => deps.log.info(m), warn: (m: string) => deps.log.warn(`Warning! ${m}`) };
  deps.log.progress(`Rolling back the migration recorded in ${dirPath}...`);
  const deleted = await deleteCreated(kube, state.created, log);
  const restored = await restoreBackup(kube, objects, log);
  if (state.fluxInstalled)
    deps.log.warn(
      'Flux v2 stays installed (the migration installed it): fluxcfg k8s-extension delete -n flux --yes removes it',
    );
  return {
    kind: 'FluxV1RollbackResult',
    backupDir: dirPath,
    deleted: deleted.map(describeRef),
    restored: restored.map(describeRef),
    fluxInstalledByMigration: state.fluxInstalled,
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** -o table: the plan's v1 → v2 rows; after --execute one row per step and object. */
export function migrateTable(result: unknown): unknown {
  const r = result as { kind?: string };
  if (r?.kind === 'FluxV1MigrationPlan') return planTable(result as MigrationPlan);
  if (r?.kind === 'FluxV1RollbackResult') {
    const rb = result as RollbackResult;
    return [
      ...rb.deleted.map((object) => ({ step: 'delete v2', object })),
      ...rb.restored.map((object) => ({ step: 'restore v1', object })),
    ];
  }
  if (r?.kind === 'FluxV1MigrationResult') {
    const m = result as MigrationResult;
    return [
      { step: 'backup', object: m.backupDir },
      ...m.stopped.map((object) => ({ step: 'stop v1', object })),
      ...m.helmReleasesV1Removed.map((object) => ({ step: 'remove HelmRelease v1', object })),
      ...m.crdsRemoved.map((object) => ({ step: 'remove CRD', object })),
      ...(m.fluxInstalled ? [{ step: 'install Flux', object: 'k8s-extension flux' }] : []),
      ...m.applied.map((a) => ({
        step: `${a.action} v2`,
        object: `${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}`,
      })),
      ...m.needsAttention.map((f) => ({ step: `! ${f.code}`, object: `${f.subject}: ${f.action ?? f.message}` })),
    ];
  }
  return result;
}

export const verb = defineVerb({
  flags: (cmd) => {
    cmd
      .option('-n, --name <name>', 'migrate only this operator (fluxd or helm-operator Deployment name)')
      .option('--namespace <namespace>', "migrate only the operators of this namespace (a tenant's namespace)")
      .option('--from-file <json>', 'plan from `az k8s-configuration list -o json` output instead of the cluster')
      .option('--export', 'print the Flux v2 objects as YAML (to commit to Git) instead of the plan')
      .option('--execute', 'carry the plan out (asks for confirmation; --yes)')
      .option(
        '--backup-dir <dir>',
        'where --execute saves the objects it touches (default ./fluxcfg-migrate-backup-<time>)',
      )
      .option('--rollback <backup-dir>', 'undo a migration: delete what it created, restore the backed-up Flux v1')
      .option('--known-hosts <base64>', 'known_hosts for the Git hosts (base64), instead of ssh-keyscan')
      .option('--known-hosts-file <path>', 'known_hosts file for the Git hosts, instead of ssh-keyscan')
      .option('--configuration-settings, --config <key=value...>', 'settings of the Flux extension, if it is installed')
      .addOption(new Option('--config-settings <key=value...>').hideHelp())
      .option('--manifests <file|url>', 'Flux install manifest, if Flux is installed (air-gapped)')
      .option('--skip-preflight', 'do not check the Kubernetes version when installing Flux')
      .option('--no-install-extension', 'fail instead of installing Flux when it is missing')
      .option('--no-validate', 'do not clone the Git sources to check their manifests before migrating')
      .option('--timeout <duration>', 'how long to wait for the Flux v1 Pods to stop', '5m');
  },
  parse: (flags) => parseMigrate(flags),
  run: async (o: MigrateOptions, deps: Deps) => {
    if (o.mode === 'rollback') return rollback(deps, o);
    if (o.mode === 'execute') return execute(deps, o);
    let p: MigrationPlan;
    if (o.azList !== undefined) p = planOf(inventoryFromAzList(o.azList), o);
    else p = (await discoverCluster(deps, await deps.kube(), o)).plan;
    summary(deps, p);
    if (o.mode === 'export') return new RawText(exportYaml(p), planObjects(p));
    deps.log.info('nothing was changed: run with --execute to migrate');
    return p;
  },
  table: migrateTable,
});
