// create / update of the microsoft.flux extension: settings → manifest → render → preflight → apply → wait.
import { readFile } from 'node:fs/promises';
import type { Deps } from '../deps.js';
import { NotFoundError, UsageError, UserError } from '../errors.js';
import type { KubeClient } from '../k8s/client.js';
import { executePlan } from '../k8s/execute.js';
import { plan, planRows, type Plan, type PlanSummaryRow } from '../k8s/plan.js';
import { poll } from '../k8s/poll.js';
import { dryRunChanges } from './dry-run-diff.js';
import type { ObjectChange } from '../k8s/plan-diff.js';
import { describeRef, refOf, type KubeObject, type ObjectRef } from '../k8s/types.js';
import { armScope, type ArmScope } from '../model/arm.js';
import { EXTENSION_LABEL, FLUX_NAMESPACE } from '../model/naming.js';
import { compareVersions } from '../model/version.js';
import { toYaml } from '../render/yaml.js';
import { findOtherFlux, refuseFluxV1 } from './detect.js';
import { parseFluxManifest, type FluxManifest } from '../model/extension/manifest.js';
import {
  customResourceKinds,
  parseProtectedSecret,
  parseRecord,
  protectedSecretRef,
  recordRef,
  recordSelector,
  renderProtectedSecret,
  renderRecord,
  storedManifest,
  type ExtensionRecord,
  type ProvisioningState,
} from '../model/extension/record.js';
import { renderFluxInstall } from '../render/extension.js';
import { parseSettingsFile, validateSettings, type Settings } from '../model/extension/settings.js';
import { loadManifestArg, loadReleaseManifest, type LoadedManifest } from './source.js';
import { deploymentAvailable, extensionView, type ExtensionView } from '../model/extension/status.js';
import { EXTENSION_TYPE, minKubernetesFor, resolveVersion } from '../model/extension/versions.js';

export const DEFAULT_WAIT_TIMEOUT_MS = 10 * 60_000;

/** Settings as given on the command line: inline `k=v` (already parsed) and files (read in run). */
export interface SettingsInput {
  readonly settings: Settings;
  readonly settingsFile?: string;
  readonly protectedSettings: Settings;
  readonly protectedSettingsFile?: string;
}

export interface InstallCommon {
  readonly name: string;
  readonly input: SettingsInput;
  readonly version?: string;
  readonly autoUpgradeMinorVersion?: boolean;
  readonly releaseTrain?: string;
  readonly manifests?: string;
  readonly skipPreflight: boolean;
  readonly wait: boolean;
  readonly waitTimeoutMs: number;
  /** Print the rendered install instead of applying it. */
  readonly export: boolean;
  /** Server-side dry run: the plan validated by the API server, nothing stored. */
  readonly dryRun: boolean;
  /** --exit-code with --dry-run: the verb exits 1 when the dry run shows a change. */
  readonly exitCode?: boolean;
}

export interface CreateOptions extends InstallCommon {
  /** Take over a Flux installed by something else. */
  readonly force: boolean;
}

export type InstallResult =
  | { readonly exported: string }
  | { readonly view?: ExtensionView }
  /** --dry-run: what would be created, updated and pruned, after the API server validated it. */
  | { readonly plan: PlanSummaryRow[]; readonly changes?: ObjectChange[] };

/** The record fields that follow from what is being applied, the same for create and update. */
function installedFields(
  loaded: { source: string; sha256: string },
  objects: readonly KubeObject[],
  settings: Settings,
  protectedSettings: Settings,
) {
  return {
    configurationSettings: settings,
    configurationProtectedSettingKeys: Object.keys(protectedSettings).sort(),
    manifestSource: loaded.source,
    manifestSha256: loaded.sha256,
    objects: objects.map(refOf),
    customResources: customResourceKinds(objects),
    lastModifiedAt: new Date().toISOString(),
  };
}

async function readSettingsFile(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      cause: err,
    });
  }
  if (!text.trim())
    throw new UserError(`File ${file} is empty`, { hint: 'put a JSON object of "key": "value" pairs in it' });
  return parseSettingsFile(text, file);
}

/** File first, inline keys override it (az). */
export async function readSettingsInput(
  input: SettingsInput,
): Promise<{ settings: Settings; protectedSettings: Settings }> {
  const settings = { ...(input.settingsFile ? await readSettingsFile(input.settingsFile) : {}), ...input.settings };
  const protectedSettings = {
    ...(input.protectedSettingsFile ? await readSettingsFile(input.protectedSettingsFile) : {}),
    ...input.protectedSettings,
  };
  return { settings, protectedSettings };
}

export function hasProtectedInput(input: SettingsInput): boolean {
  return Boolean(input.protectedSettingsFile) || Object.keys(input.protectedSettings).length > 0;
}

export function hasSettingsInput(input: SettingsInput): boolean {
  return Boolean(input.settingsFile) || Object.keys(input.settings).length > 0 || hasProtectedInput(input);
}

/** Reads one extension's record; undefined when there is none of that name. */
export async function readExtension(
  kube: KubeClient,
  name: string,
): Promise<{ record: ExtensionRecord; configMap: KubeObject } | undefined> {
  const configMap = await kube.get(recordRef(name));
  const record = configMap ? parseRecord(configMap) : undefined;
  return record && configMap ? { record, configMap } : undefined;
}

/** Every extension recorded in the cluster (one ConfigMap list). */
export async function listExtensionRecords(kube: KubeClient): Promise<ExtensionRecord[]> {
  const cms = await kube.list('v1', 'ConfigMap', { namespace: FLUX_NAMESPACE, labelSelector: recordSelector });
  return cms
    .map(parseRecord)
    .filter((r): r is ExtensionRecord => Boolean(r))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function notFound(name: string): NotFoundError {
  return new NotFoundError(
    `(ExtensionNotFound) The Resource Microsoft.KubernetesConfiguration/extensions/${name} could not be found!`,
    { hint: 'Verify that the extension exists: fluxcfg k8s-extension list' },
  );
}

export async function extensionDeployments(kube: KubeClient, name: string): Promise<KubeObject[]> {
  return kube.list('apps/v1', 'Deployment', { namespace: FLUX_NAMESPACE, labelSelector: `${EXTENSION_LABEL}=${name}` });
}

export async function viewOf(
  kube: KubeClient,
  record: ExtensionRecord,
  arm: ArmScope = armScope({}, kube.contextName),
): Promise<ExtensionView> {
  return extensionView(record, await extensionDeployments(kube, record.name), arm);
}

/** Kubernetes server version against the minimum of the Flux release. */
export async function preflightKubernetesVersion(kube: KubeClient, fluxVersion: string, deps: Deps): Promise<void> {
  const min = minKubernetesFor(fluxVersion);
  if (!min) {
    deps.log.info(`fluxcfg does not know the minimum Kubernetes version of Flux ${fluxVersion}: not checked`);
    return;
  }
  const server = (await kube.serverVersion()).gitVersion;
  if (compareVersions(server, min) < 0)
    throw new UserError(`Kubernetes ${server} is older than ${min}, the minimum Flux ${fluxVersion} supports`, {
      hint: `upgrade the cluster, pick an older Flux with --version, or pass --skip-preflight to install anyway`,
    });
  deps.log.info(`Kubernetes ${server} >= ${min} (minimum for Flux ${fluxVersion})`);
}

export async function preflightFluxV1(kube: KubeClient): Promise<void> {
  await refuseFluxV1(
    kube,
    (found) => `Flux v1 is running in the cluster: ${found}; refusing to install Flux v2 next to it`,
  );
}

async function loadManifest(
  deps: Deps,
  manifests: string | undefined,
  fluxVersion: string,
  stored?: { text: string; source: string; sha256: string },
): Promise<{ loaded: LoadedManifest; manifest: FluxManifest }> {
  let loaded: LoadedManifest;
  if (manifests) loaded = await loadManifestArg(manifests);
  else if (stored) loaded = stored;
  else {
    const progress = deps.progress(`Downloading Flux ${fluxVersion} install.yaml`);
    try {
      loaded = await loadReleaseManifest(fluxVersion, deps.io.env, deps.log);
      progress.stop();
    } catch (err) {
      progress.fail(`Downloading Flux ${fluxVersion} install.yaml failed`);
      throw err;
    }
  }
  return { loaded, manifest: parseFluxManifest(loaded.text, loaded.source) };
}

function versionFlagsCheck(version: string | undefined, autoUpgrade: boolean | undefined): void {
  if (version !== undefined && autoUpgrade === true)
    throw new UsageError("To pin to specific version, auto-upgrade-minor-version must be set to 'false'.", {
      hint: 'pass --auto-upgrade-minor-version false with --version, or leave --version out',
    });
}

function noEffectNotes(deps: Deps, o: InstallCommon, notes: string[]): void {
  for (const note of notes) deps.log.warn(`Warning: ${note}`);
  if (o.autoUpgradeMinorVersion !== undefined)
    deps.log.info(
      '--auto-upgrade-minor-version is recorded but has no effect here: fluxcfg runs no auto-upgrader; use update --version',
    );
  if (o.releaseTrain !== undefined)
    deps.log.info('--release-train is recorded but has no effect here: fluxcfg installs Flux releases');
}

/** Creates the extension (or re-applies it with the given settings when one of that name exists, as az's PUT). */
export async function createExtension(deps: Deps, o: CreateOptions): Promise<InstallResult> {
  versionFlagsCheck(o.version, o.autoUpgradeMinorVersion);
  const { settings, protectedSettings } = await readSettingsInput(o.input);
  const effective = { ...settings, ...protectedSettings };
  const notes = validateSettings(effective, Object.keys(protectedSettings));
  const resolved = resolveVersion(o.version);
  const { loaded, manifest } = await loadManifest(deps, o.manifests, resolved.flux);
  if (o.manifests && o.version !== undefined && manifest.fluxVersion !== resolved.flux)
    throw new UsageError(
      `--version ${o.version} means Flux ${resolved.flux}, but --manifests ${o.manifests} is Flux ${manifest.fluxVersion}`,
      {
        hint: 'leave --version out to install the version of the manifest',
      },
    );
  const objects = renderFluxInstall(manifest, effective, o.name);
  noEffectNotes(deps, o, notes);
  if (o.export) return { exported: toYaml(objects) };

  const kube = await deps.kube();
  const existing = await listExtensionRecords(kube);
  const other = existing.find((r) => r.name !== o.name);
  if (other)
    throw new UserError(
      `the ${EXTENSION_TYPE} extension '${other.name}' is already installed in the cluster; only one can be installed`,
      { hint: `change it with fluxcfg k8s-extension update -n ${other.name}, or delete it first` },
    );
  const same = existing.find((r) => r.name === o.name);
  if (same) deps.log.info(`extension '${o.name}' exists: re-applying it with the given settings`);

  if (!o.skipPreflight) await preflightKubernetesVersion(kube, manifest.fluxVersion, deps);
  else deps.log.info('--skip-preflight: the Kubernetes version is not checked');
  await preflightFluxV1(kube);
  let forceConflicts = false;
  if (!same) {
    const otherFlux = await findOtherFlux(kube);
    if (otherFlux.found.length) {
      const how = otherFlux.bootstrapped
        ? 'by flux bootstrap (the flux-system Kustomization exists)'
        : 'by something else';
      if (!o.force)
        throw new UserError(`Flux is already installed in the cluster ${how}: ${otherFlux.found.join(', ')}`, {
          hint: 'keep managing it with the tool that installed it, or pass --force to take it over with fluxcfg',
        });
      deps.log.warn(`Warning: --force: taking over the Flux installed ${how} (${otherFlux.found.join(', ')})`);
      if (otherFlux.bootstrapped)
        deps.log.warn(
          'Warning: the flux-system Kustomization will revert these changes unless you remove Flux from its Git path',
        );
      forceConflicts = true;
    }
  }
  const namespaceCreated = same
    ? same.namespaceCreated
    : !(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: FLUX_NAMESPACE }));
  const version = resolved.requested ?? null;
  return applyExtension(deps, kube, {
    record: {
      name: o.name,
      extensionType: EXTENSION_TYPE,
      version,
      fluxVersion: manifest.fluxVersion,
      autoUpgradeMinorVersion: o.autoUpgradeMinorVersion ?? version === null,
      releaseTrain: o.releaseTrain ?? 'Stable',
      releaseNamespace: FLUX_NAMESPACE,
      provisioningState: 'Creating',
      namespaceCreated,
      ...installedFields(loaded, objects, settings, protectedSettings),
    },
    manifestText: loaded.text,
    objects,
    protectedSettings,
    previous: same?.objects ?? [],
    forceConflicts,
    dryRun: o.dryRun,
    wait: o.wait,
    waitTimeoutMs: o.waitTimeoutMs,
    verb: same ? 'Re-applying' : 'Installing',
  });
}

/** Updates an extension: settings merged per key (protected settings replaced when given), re-rendered, applied. */
export async function updateExtension(deps: Deps, o: InstallCommon): Promise<InstallResult> {
  versionFlagsCheck(o.version, o.autoUpgradeMinorVersion);
  const input = await readSettingsInput(o.input);
  const kube = await deps.kube();
  const found = await readExtension(kube, o.name);
  if (!found) throw notFound(o.name);
  const { record, configMap } = found;
  const settings = { ...record.configurationSettings, ...input.settings };
  const protectedSettings = hasProtectedInput(o.input)
    ? input.protectedSettings
    : parseProtectedSecret(await kube.get(protectedSecretRef(o.name)));
  const effective = { ...settings, ...protectedSettings };
  const notes = validateSettings(effective, Object.keys(protectedSettings));
  const resolved = o.version !== undefined ? resolveVersion(o.version) : undefined;
  const fluxVersion = resolved?.flux ?? record.fluxVersion;
  const storedText = storedManifest(configMap);
  const stored =
    !o.manifests && fluxVersion === record.fluxVersion && storedText
      ? { text: storedText, source: record.manifestSource, sha256: record.manifestSha256 }
      : undefined;
  const { loaded, manifest } = await loadManifest(deps, o.manifests, fluxVersion, stored);
  if (o.manifests && resolved && manifest.fluxVersion !== resolved.flux)
    throw new UsageError(
      `--version ${o.version} means Flux ${resolved.flux}, but --manifests ${o.manifests} is Flux ${manifest.fluxVersion}`,
      {
        hint: 'leave --version out to install the version of the manifest',
      },
    );
  const objects = renderFluxInstall(manifest, effective, o.name);
  noEffectNotes(deps, o, notes);
  if (o.export) return { exported: toYaml(objects) };

  const oldProtected = hasProtectedInput(o.input)
    ? parseProtectedSecret(await kube.get(protectedSecretRef(o.name)))
    : protectedSettings;
  const settingsChanged =
    JSON.stringify(sortObject(settings)) !== JSON.stringify(sortObject(record.configurationSettings)) ||
    JSON.stringify(sortObject(protectedSettings)) !== JSON.stringify(sortObject(oldProtected));
  if (
    settingsChanged &&
    !o.dryRun &&
    !(await deps.prompt.confirm(
      'Updating properties in --configuration-settings or --configuration-protected-settings may lead to undesirable state if the cluster extension type does not support it. Please refer to the documentation of the cluster extension service to check if updates to these properties are supported. Do you wish to proceed?',
      { flag: '--yes' },
    ))
  )
    throw new UserError('update cancelled: nothing was changed');
  if (manifest.fluxVersion !== record.fluxVersion) {
    if (!o.skipPreflight) await preflightKubernetesVersion(kube, manifest.fluxVersion, deps);
    deps.log.info(`upgrading Flux ${record.fluxVersion} → ${manifest.fluxVersion} (CustomResourceDefinitions first)`);
  }
  return applyExtension(deps, kube, {
    record: {
      ...record,
      version: resolved ? (resolved.requested ?? null) : record.version,
      fluxVersion: manifest.fluxVersion,
      autoUpgradeMinorVersion: o.autoUpgradeMinorVersion ?? (resolved ? false : record.autoUpgradeMinorVersion),
      releaseTrain: o.releaseTrain ?? record.releaseTrain,
      provisioningState: 'Updating',
      ...installedFields(loaded, objects, settings, protectedSettings),
    },
    manifestText: loaded.text,
    objects,
    protectedSettings,
    previous: record.objects,
    forceConflicts: false,
    dryRun: o.dryRun,
    wait: o.wait,
    waitTimeoutMs: o.waitTimeoutMs,
    verb: 'Updating',
  });
}

function sortObject(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

interface InstallWrite {
  readonly record: Omit<ExtensionRecord, 'createdAt'>;
  readonly manifestText: string;
  readonly objects: readonly KubeObject[];
  readonly protectedSettings: Settings;
  /** What the previous create/update applied: anything not rendered now is removed. */
  readonly previous: readonly ObjectRef[];
  readonly forceConflicts: boolean;
  readonly dryRun: boolean;
  readonly wait: boolean;
  readonly waitTimeoutMs: number;
  readonly verb: string;
}

/** A live object known only by the reference the record kept (no GET: the plan re-applies everything). */
export const stubOf = (ref: ObjectRef): KubeObject => ({
  apiVersion: ref.apiVersion,
  kind: ref.kind,
  metadata: ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name },
});

const isReleaseNamespace = (o: KubeObject) => o.kind === 'Namespace' && o.metadata.name === FLUX_NAMESPACE;

/**
 * The plan of an install: the rendered objects against what the record says was applied. Everything rendered is
 * applied again (server-side apply takes back what drifted); what was applied before and is no longer rendered (a
 * disabled controller) is pruned. The release namespace is never pruned here.
 */
export function installPlan(objects: readonly KubeObject[], previous: readonly ObjectRef[]): Plan {
  return plan(objects, previous.map(stubOf), { applyUnchanged: true, keep: isReleaseNamespace });
}

/**
 * --dry-run: the plan sent to the API server with dryRun=All (prunes too), nothing stored, no record written.
 * Objects in a release namespace that does not exist yet cannot be validated: they are left out with a warning.
 */
async function dryRunInstall(deps: Deps, kube: KubeClient, w: InstallWrite, p: Plan): Promise<InstallResult> {
  let sent = p;
  if (!(await kube.get({ apiVersion: 'v1', kind: 'Namespace', name: FLUX_NAMESPACE }))) {
    deps.log.warn(
      `Warning! namespace ${FLUX_NAMESPACE} does not exist yet: the dry run validates the Namespace and the ` +
        'cluster-scoped objects only, not the objects that would go in it',
    );
    sent = { ...p, apply: p.apply.filter((a) => !a.object.metadata.namespace) };
  }
  const progress = deps.progress(`${w.verb} Flux ${w.record.fluxVersion} (extension '${w.record.name}'): dry run`);
  let changes: ObjectChange[];
  try {
    const outcome = await executePlan(kube, sent, [], { dryRun: true, forceConflicts: w.forceConflicts });
    changes = await dryRunChanges(kube, p, outcome.applied);
    progress.succeed(`${w.verb} Flux ${w.record.fluxVersion}: dry run validated by the API server, nothing stored`);
  } catch (err) {
    progress.fail(`${w.verb} Flux ${w.record.fluxVersion}: dry run failed`);
    throw err;
  }
  return { plan: planRows(p), changes };
}

/**
 * Namespace, then the record (so a failed apply can be retried or deleted), then the plan: the install in stages
 * (Namespace/CRDs, RBAC, Deployments), then the removal of what is no longer rendered; then the rollout wait.
 */
async function applyExtension(deps: Deps, kube: KubeClient, w: InstallWrite): Promise<InstallResult> {
  const { record, objects } = w;
  const p = installPlan(objects, w.previous);
  for (const warning of p.warnings) deps.log.warn(`Warning: ${warning}`);
  if (w.dryRun) return dryRunInstall(deps, kube, w, p);
  const opts = { forceConflicts: w.forceConflicts };
  const progress = deps.progress(`${w.verb} Flux ${record.fluxVersion} (extension '${record.name}')`);
  try {
    const namespace = objects.find(isReleaseNamespace) ?? {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: FLUX_NAMESPACE },
    };
    await kube.apply(namespace, opts);
    // forced: a rollout wait records its state with a merge patch, an update from fluxcfg's other field manager.
    // The record and the protected Secret are independent: one round trip.
    await Promise.all([
      kube.apply(renderRecord(record, w.manifestText), { forceConflicts: true }),
      Object.keys(w.protectedSettings).length
        ? kube.apply(renderProtectedSecret(record.name, w.protectedSettings), opts)
        : kube.delete(protectedSecretRef(record.name)),
    ]);
    // the Namespace was applied just above: not a second time with the plan
    const rest = { ...p, apply: p.apply.filter((a) => a.object !== namespace) };
    const outcome = await executePlan(kube, rest, [], {
      ...opts,
      onStep: ({ action, object }) => {
        if (action === 'prune') deps.log.info(`removed ${describeRef(refOf(object))}`);
      },
    });
    const pruned = outcome.pruned.length;
    progress.succeed(
      `${w.verb} Flux ${record.fluxVersion}: applied ${objects.length} objects${pruned ? `, removed ${pruned}` : ''}`,
    );
  } catch (err) {
    progress.fail(`${w.verb} Flux ${record.fluxVersion} failed`);
    throw err;
  }
  if (!w.wait) return {};
  const final = await waitForControllers(deps, kube, record, w.waitTimeoutMs);
  return { view: await viewOf(kube, final, armScope(deps.globals, kube.contextName)) };
}

/** Records a provisioning state (merge patch of the record's JSON, the manifest untouched). */
async function setState(
  kube: KubeClient,
  record: Omit<ExtensionRecord, 'createdAt'>,
  state: ProvisioningState,
): Promise<ExtensionRecord> {
  const next = { ...record, provisioningState: state };
  const { createdAt: _drop, ...stored } = next as ExtensionRecord;
  void _drop;
  const cm = await kube.mergePatch(recordRef(record.name), {
    data: { 'extension.json': JSON.stringify(stored, null, 2) },
  });
  return { ...next, createdAt: cm.metadata.creationTimestamp };
}

/** Polls the controller Deployments until each is available; Failed is recorded when the timeout passes. */
export async function waitForControllers(
  deps: Deps,
  kube: KubeClient,
  record: Omit<ExtensionRecord, 'createdAt'>,
  timeoutMs: number,
  pollMs = 500,
): Promise<ExtensionRecord> {
  const names = record.objects.filter((o) => o.kind === 'Deployment').map((o) => o.name);
  const waitingFor = (ready: readonly string[]) =>
    `Waiting for the Flux controllers to become available (${ready.length}/${names.length})`;
  const progress = deps.progress(waitingFor([]));
  const ready = await poll({
    timeoutMs,
    intervalMs: pollMs,
    check: async () => {
      const deployments = await extensionDeployments(kube, record.name);
      const available = names.filter((n) => deploymentAvailable(deployments.find((d) => d.metadata.name === n)));
      return { done: available.length === names.length, state: available };
    },
    onPending: (available) => progress.update(waitingFor(available)),
    onTimeout: async (available) => {
      progress.fail('Timed out waiting for the Flux controllers');
      await setState(kube, record, 'Failed');
      const waiting = names.filter((n) => !available.includes(n));
      return new UserError(
        `timed out after ${Math.round(timeoutMs / 1000)}s waiting for the Flux controllers to become available: ` +
          waiting.join(', '),
        {
          hint:
            `look at their pods (kubectl -n ${FLUX_NAMESPACE} get pods; ` +
            `kubectl -n ${FLUX_NAMESPACE} describe deployment ${waiting[0]}); ` +
            'wait longer with --wait-timeout, or skip waiting with --no-wait',
        },
      );
    },
  });
  progress.succeed(`The Flux controllers are available (${ready.length}/${names.length})`);
  return setState(kube, record, 'Succeeded');
}
