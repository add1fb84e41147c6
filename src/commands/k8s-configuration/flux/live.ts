// Reading Flux configurations back from the cluster: the objects fluxcfg applied, their status, and the az
// FluxConfiguration shape rebuilt from them. Shared by every flux verb.
import { KubeError, NotFoundError, UsageError, UserError } from '../../../errors.js';
import { mapLimit, MissingKindError, type KubeClient } from '../../../k8s/client.js';
import type { KubeObject, ObjectRef } from '../../../k8s/types.js';
import type { Deps } from '../../../deps.js';
import { armScope, type ArmScope } from '../../../model/arm.js';
import type {
  FluxConfiguration,
  FluxConfigurationView,
  ObjectStatus,
  SourceKind,
} from '../../../model/flux-configuration.js';
import {
  allConfigurationsSelector,
  authSecretName,
  AZURE_NAMESPACE_LABEL,
  CONFIGURATION_ANNOTATION,
  CONFIGURATION_LABEL,
  configurationSelector,
  fluxSourceKind,
  KUSTOMIZATION_LABEL,
  KUSTOMIZE_API_VERSION,
  MANAGED_BY_LABEL,
  MANAGER,
  ociVerifySecretName,
  SOURCE_API_VERSION,
} from '../../../model/naming.js';
import { configurationBlocks, configurationView, driftOf, liveConfiguration, statusOf, unknownStatus } from './view.js';

/** Every kind fluxcfg renders for a configuration, in the order it deletes them. */
export const ownedKinds: readonly { apiVersion: string; kind: string; namespaced: boolean }[] = [
  { apiVersion: KUSTOMIZE_API_VERSION, kind: 'Kustomization', namespaced: true },
  { apiVersion: SOURCE_API_VERSION, kind: 'GitRepository', namespaced: true },
  { apiVersion: SOURCE_API_VERSION, kind: 'Bucket', namespaced: true },
  { apiVersion: SOURCE_API_VERSION, kind: 'OCIRepository', namespaced: true },
  { apiVersion: 'v1', kind: 'Secret', namespaced: true },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', namespaced: true },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', namespaced: false },
];

export const sourceKinds = ['GitRepository', 'Bucket', 'OCIRepository'] as const;

/** Selects one configuration's objects by name, in one namespace or all of them. */
function nameSelector(name: string, namespace?: string): string {
  return namespace
    ? configurationSelector(namespace, name)
    : `${MANAGED_BY_LABEL}=${MANAGER},${CONFIGURATION_LABEL}=${name}`;
}

/**
 * The live objects of configurations named `name` (one list request per kind, in parallel). Cluster-scoped
 * bindings are listed only for cluster-scope configurations, so a namespace tenant needs no cluster rights.
 */
async function listNamed(
  kube: KubeClient,
  name: string,
  namespace?: string,
  cached = false,
  skip: readonly string[] = [],
): Promise<KubeObject[]> {
  const selector = nameSelector(name, namespace);
  const lists = await Promise.all(
    ownedKinds
      .filter((k) => k.namespaced && !skip.includes(k.kind))
      .map((k) => kube.list(k.apiVersion, k.kind, { namespace, labelSelector: selector, cached })),
  );
  return lists.flat();
}

/**
 * Runs a read over all namespaces when `namespace` is not given; a user without cluster-wide read rights (a
 * namespace tenant: 403) gets the read in the kubeconfig context's namespace (`default` when it names none).
 */
export async function inNamespaceOrAll<T>(
  kube: KubeClient,
  namespace: string | undefined,
  read: (namespace?: string) => Promise<T>,
): Promise<T> {
  if (namespace) return read(namespace);
  try {
    return await read(undefined);
  } catch (err) {
    if (!isForbidden(err)) throw err;
    return read(kube.contextNamespace ?? 'default');
  }
}

export async function listClusterScoped(
  kube: KubeClient,
  namespace: string,
  name: string,
  cached = false,
): Promise<KubeObject[]> {
  const lists = await Promise.all(
    ownedKinds
      .filter((k) => !k.namespaced)
      .map((k) => kube.list(k.apiVersion, k.kind, { labelSelector: configurationSelector(namespace, name), cached })),
  );
  return lists.flat();
}

export function isManaged(obj: KubeObject | undefined): boolean {
  return obj?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGER;
}

function configurationFromSource(source: KubeObject): FluxConfiguration | undefined {
  const text = source.metadata.annotations?.[CONFIGURATION_ANNOTATION];
  if (!text) return undefined;
  try {
    return JSON.parse(text) as FluxConfiguration;
  } catch {
    return undefined;
  }
}

function notFound(name: string, namespace?: string): NotFoundError {
  return new NotFoundError(
    `(FluxConfigurationNotFound) The Resource fluxConfigurations/${name}${namespace ? ` in namespace '${namespace}'` : ''} could not be found!`,
    { hint: 'Verify that the Flux configuration exists: fluxcfg k8s-configuration flux list' },
  );
}

export interface LiveConfiguration {
  readonly config: FluxConfiguration;
  /** The source (it carries the record); a stand-in without metadata.uid when `incomplete`. */
  readonly source: KubeObject;
  readonly objects: KubeObject[];
  /**
   * A half-applied configuration: objects with its labels exist but its source (and so its record) does not.
   * `config` is then rebuilt from the labels and the Kustomizations, for show/list/delete only.
   */
  readonly incomplete?: boolean;
  /** Its Secrets were not listed (show's first read): buildView reads the ones its source names. */
  readonly secretsUnread?: boolean;
}

const isSource = (o: KubeObject) => (sourceKinds as readonly string[]).includes(o.kind);
const configurationKey = (o: KubeObject) =>
  `${o.metadata.labels?.[AZURE_NAMESPACE_LABEL] ?? o.metadata.namespace}/${o.metadata.labels?.[CONFIGURATION_LABEL]}`;

/** What can be told of a configuration whose source is gone: its name, namespace, scope and Kustomizations. */
function incompleteConfiguration(objects: readonly KubeObject[]): LiveConfiguration {
  const first = objects[0]!;
  const name = first.metadata.labels![CONFIGURATION_LABEL]!;
  const namespace = first.metadata.labels?.[AZURE_NAMESPACE_LABEL] ?? first.metadata.namespace ?? '';
  const secret = objects.find((o) => o.kind === 'Secret')?.metadata.name ?? '';
  const sourceKind: SourceKind = secret.startsWith('bucket-auth-')
    ? 'Bucket'
    : secret.startsWith('azblob-auth-')
      ? 'AzureBlob'
      : secret.startsWith('oci-auth-')
        ? 'OCIRepository'
        : 'GitRepository';
  const kustomizations: FluxConfiguration['kustomizations'] = {};
  for (const k of objects.filter((o) => o.kind === 'Kustomization')) {
    const key = k.metadata.labels?.[KUSTOMIZATION_LABEL];
    if (key) kustomizations[key] = { path: (k.spec as { path?: string } | undefined)?.path ?? '' };
  }
  const config: FluxConfiguration = {
    name,
    namespace,
    scope: objects.some((o) => o.kind === 'RoleBinding') ? 'namespace' : 'cluster',
    sourceKind,
    suspend: false,
    kustomizations,
  };
  const source: KubeObject = {
    apiVersion: SOURCE_API_VERSION,
    kind: fluxSourceKind[sourceKind],
    metadata: { name, namespace },
  };
  return { config, source, objects: [...objects], incomplete: true };
}

/** Groups labelled objects into configurations: by their source's record, or incomplete when the source is gone. */
function groupConfigurations(all: readonly KubeObject[]): LiveConfiguration[] {
  const result: LiveConfiguration[] = [];
  const withSource = new Set<string>();
  for (const source of all.filter(isSource)) {
    const config = configurationFromSource(source);
    if (!config) continue;
    withSource.add(configurationKey(source));
    result.push({ config, source, objects: all.filter((o) => configurationKey(o) === configurationKey(source)) });
  }
  const orphans = new Map<string, KubeObject[]>();
  for (const o of all) {
    const key = configurationKey(o);
    if (withSource.has(key) || !o.metadata.labels?.[CONFIGURATION_LABEL]) continue;
    orphans.set(key, [...(orphans.get(key) ?? []), o]);
  }
  for (const objects of orphans.values()) result.push(incompleteConfiguration(objects));
  return result;
}

/**
 * Finds a configuration by name, as az does (names are unique in a cluster); `--namespace` narrows the search (a
 * tenant without cluster-wide rights searches the context's namespace). NotFoundError (exit 3) when absent. A
 * half-applied configuration (source gone) is returned as `incomplete` only with `allowIncomplete`; otherwise it is
 * a UserError saying how to complete or remove it.
 */
export async function readConfiguration(
  kube: KubeClient,
  name: string,
  namespace?: string,
  options: { allowIncomplete?: boolean; cached?: boolean; forView?: boolean } = {},
): Promise<LiveConfiguration> {
  const found = options.forView
    ? await readForView(kube, name, namespace, options.cached)
    : groupConfigurations(await inNamespaceOrAll(kube, namespace, (ns) => listNamed(kube, name, ns, options.cached)));
  if (found.length === 0) throw notFound(name, namespace);
  if (found.length > 1)
    throw new UsageError(
      `Flux configuration '${name}' exists in several namespaces: ${found.map((f) => f.config.namespace).join(', ')}`,
      {
        hint: 'pass --namespace to pick one',
      },
    );
  const live = found[0]!;
  const own = live.objects.filter((o) => o.metadata.labels?.[AZURE_NAMESPACE_LABEL] === live.config.namespace);
  if (!options.forView && (live.config.scope === 'cluster' || live.incomplete))
    own.push(
      ...(await clusterWideOr(
        () => listClusterScoped(kube, live.config.namespace, name, options.cached),
        () => [],
        () => undefined,
        'cluster bindings',
      )),
    );
  if (live.incomplete && !options.allowIncomplete) throw incompleteError(live);
  return { ...live, objects: own };
}

/**
 * What the view (show) reads: the source and Kustomizations, not the RBAC (a complete configuration's scope is in
 * its record) nor the Secrets (buildView reads the ones its source names, beside the deployed objects). First the
 * Kustomizations and GitRepositories (az's default source kind); a Bucket or OCIRepository configuration, which its
 * Kustomizations name, gets a list of that kind. Anything else — a half-applied configuration (its scope told by its
 * RoleBinding), none found (perhaps only its RoleBinding or Secret was applied), objects of the name in several
 * namespaces — is read again with every kind.
 */
async function readForView(
  kube: KubeClient,
  name: string,
  namespace: string | undefined,
  cached = false,
): Promise<LiveConfiguration[]> {
  const read = (skip: readonly string[] = []) =>
    inNamespaceOrAll(kube, namespace, (ns) => listNamed(kube, name, ns, cached, skip));
  const completeOne = (found: LiveConfiguration[]) => found.length === 1 && !found[0]!.incomplete;
  const secretsUnread = (found: LiveConfiguration[]) => [{ ...found[0]!, secretsUnread: true }];
  const first = await read(['RoleBinding', 'Bucket', 'OCIRepository', 'Secret']);
  let found = groupConfigurations(first);
  if (completeOne(found)) return secretsUnread(found);
  const named = new Set(
    first
      .filter((o) => o.kind === 'Kustomization')
      .map((o) => (o.spec as { sourceRef?: { kind?: string } } | undefined)?.sourceRef?.kind),
  );
  const kind = ownedKinds.find((k) => (k.kind === 'Bucket' || k.kind === 'OCIRepository') && named.has(k.kind));
  if (kind && named.size === 1) {
    const sources = await inNamespaceOrAll(kube, namespace, (ns) =>
      kube.list(kind.apiVersion, kind.kind, { namespace: ns, labelSelector: nameSelector(name, ns), cached }),
    );
    found = groupConfigurations([...first, ...sources]);
    if (completeOne(found)) return secretsUnread(found);
  }
  return groupConfigurations(await read());
}

/**
 * The Secrets fluxcfg rendered for a configuration that its source names (spec.secretRef, and an OCIRepository's
 * spec.verify.secretRef), read by name from the watch cache; one that is gone or not fluxcfg's (relabelled, or
 * replaced by someone else's) is left out, as a list by label would leave it out. Never a Secret of another name:
 * a --local-auth-ref Secret is the user's.
 */
async function namedSecrets(kube: KubeClient, live: LiveConfiguration): Promise<KubeObject[]> {
  const { name, namespace, sourceKind } = live.config;
  const spec = live.source.spec as { secretRef?: { name?: string }; verify?: { secretRef?: { name?: string } } };
  const ours = [authSecretName(name, sourceKind), ociVerifySecretName(name)];
  const names = [spec?.secretRef?.name, spec?.verify?.secretRef?.name].filter(
    (n): n is string => n !== undefined && ours.includes(n),
  );
  const found = await Promise.all(
    names.map((n) => kube.get({ apiVersion: 'v1', kind: 'Secret', name: n, namespace }, { cached: true })),
  );
  const key = configurationKey(live.source);
  return found.filter((s): s is KubeObject => isManaged(s) && configurationKey(s!) === key);
}

/** A half-applied configuration cannot be changed until it is completed (create) or removed (delete). */
export function incompleteError(live: LiveConfiguration): UserError {
  const { name, namespace } = live.config;
  return new UserError(
    `Flux configuration '${name}' in namespace '${namespace}' was only partly applied: ` +
      `its ${live.source.kind} (which records the configuration) is missing`,
    {
      hint:
        `re-run the same 'fluxcfg k8s-configuration flux create -n ${name} --namespace ${namespace} ...' ` +
        'to complete it, ' +
        `or remove what was applied: fluxcfg k8s-configuration flux delete -n ${name} --namespace ${namespace} --yes`,
    },
  );
}

/** Like readConfiguration, but undefined when the configuration does not exist. */
export async function findConfiguration(
  kube: KubeClient,
  name: string,
  namespace?: string,
  options: { allowIncomplete?: boolean; cached?: boolean; forView?: boolean } = {},
): Promise<LiveConfiguration | undefined> {
  try {
    return await readConfiguration(kube, name, namespace, options);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

// --- status → az view -------------------------------------------------------------------------------------

export { statusOf } from './view.js';

/** Parses a Kustomization inventory id `<namespace>_<name>_<group>_<kind>`. */
export function parseInventoryId(
  id: string,
): { namespace: string; name: string; group: string; kind: string } | undefined {
  const parts = id.split('_');
  if (parts.length !== 4) return undefined;
  const [namespace, name, group, kind] = parts as [string, string, string, string];
  return { namespace, name, group, kind };
}

/** Up to this many objects of one kind are read with one GET each; more with one list of the kind. */
const GETS_PER_KIND = 8;

/**
 * The live objects behind `refs`, by `apiVersion/kind/namespace/name`: a few of a kind by GET, more by one list of
 * the kind (from the watch cache; in their namespace when they share one), so the number of requests does not
 * grow with the number of configurations. A user who may not list a kind cluster-wide gets the GETs.
 */
async function readRefs(kube: KubeClient, refs: readonly ObjectRef[]): Promise<Map<string, KubeObject>> {
  const key = (r: { apiVersion: string; kind: string; namespace?: string; name: string }) =>
    `${r.apiVersion}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
  const byKind = new Map<string, ObjectRef[]>();
  for (const r of refs) {
    const kindKey = `${r.apiVersion}/${r.kind}`;
    const list = byKind.get(kindKey);
    if (list) list.push(r);
    else byKind.set(kindKey, [r]);
  }
  const found = new Map<string, KubeObject>();
  const byGet = async (some: readonly ObjectRef[]) => {
    const objs = await mapLimit(some, 8, (r) => kube.get(r));
    objs.forEach((o, i) => o && found.set(key(some[i]!), o));
  };
  await Promise.all(
    [...byKind.values()].map(async (some) => {
      const unique = [...new Map(some.map((r) => [key(r), r])).values()];
      if (unique.length <= GETS_PER_KIND) return byGet(unique);
      const namespaces = new Set(unique.map((r) => r.namespace));
      const namespace = namespaces.size === 1 ? [...namespaces][0] : undefined;
      let objs: KubeObject[];
      try {
        objs = await kube.list(unique[0]!.apiVersion, unique[0]!.kind, { namespace, cached: true });
      } catch (err) {
        if (err instanceof MissingKindError) return;
        if (!isForbidden(err)) throw err;
        return byGet(unique);
      }
      for (const o of objs) found.set(key({ ...o.metadata, apiVersion: o.apiVersion, kind: o.kind }), o);
    }),
  );
  return found;
}

/** Flux objects a Kustomization deployed (from status.inventory), read live for their Ready condition. */
export async function deployedFluxObjects(kube: KubeClient, kustomizations: KubeObject[]): Promise<ObjectStatus[]> {
  const refs: { ref: ObjectRef; appliedBy: { name: string; namespace: string } }[] = [];
  for (const k of kustomizations) {
    const entries = (k.status as { inventory?: { entries?: { id: string; v: string }[] } } | undefined)?.inventory
      ?.entries;
    for (const e of entries ?? []) {
      const id = parseInventoryId(e.id);
      if (!id || !id.group.endsWith('.toolkit.fluxcd.io')) continue;
      refs.push({
        ref: { apiVersion: `${id.group}/${e.v}`, kind: id.kind, name: id.name, namespace: id.namespace || undefined },
        appliedBy: { name: k.metadata.name, namespace: k.metadata.namespace ?? '' },
      });
    }
  }
  const live = await readRefs(
    kube,
    refs.map((r) => r.ref),
  );
  return refs.map((r) => {
    const obj = live.get(`${r.ref.apiVersion}/${r.ref.kind}/${r.ref.namespace ?? ''}/${r.ref.name}`);
    return obj ? statusOf(obj, r.appliedBy) : unknownStatus(r.ref, r.appliedBy);
  });
}

/** Where az would place this cluster's resources: from -g/-c/-t/--cluster-rp/--subscription, else stand-ins. */
export function armOf(deps: Pick<Deps, 'globals'>, kube: KubeClient): ArmScope {
  return armScope(deps.globals, kube.contextName);
}

/**
 * Rebuilds the az FluxConfiguration shape (with statuses) from the live objects. `arm` places it in Azure's
 * resource tree (from az's -g/-c/-t/--subscription); without it, the stand-ins built from the kube context.
 */
export async function buildView(
  kube: KubeClient,
  live: LiveConfiguration,
  arm: ArmScope = armScope({}, kube.contextName),
  onDrift?: (fields: string[]) => void,
): Promise<FluxConfigurationView> {
  const kustomizations = live.objects.filter((o) => o.kind === 'Kustomization');
  const [deployed, secrets] = await Promise.all([
    deployedFluxObjects(kube, kustomizations),
    live.secretsUnread ? namedSecrets(kube, live) : [],
  ]);
  const objects = [...live.objects, ...secrets];
  // What the cluster holds, not what was last asked: the live specs, the record only for what they cannot hold.
  const config = live.incomplete ? live.config : liveConfiguration(live.config, live.source, kustomizations);
  const drift = driftOf(configurationBlocks(live.config), configurationBlocks(config));
  if (drift.length) onDrift?.(drift);
  return configurationView({ ...live, objects, config, deployed, arm });
}

/** The warning show and list print (stderr) when the live objects differ from the record. */
export function driftWarning(deps: Pick<Deps, 'log'>, name: string): (fields: string[]) => void {
  return (fields) =>
    deps.log.warn(
      `Warning! Flux configuration '${name}': the live objects differ from what was last applied by fluxcfg ` +
        `(changed outside fluxcfg, or a write that failed halfway) in ${fields.join(', ')}; ` +
        'shown as the cluster holds them. Re-run the last create/update, or update the configuration, to settle it',
    );
}

/**
 * Every az view of `lives` with the deployed objects of all of them read at once (one list per kind, not one GET
 * per inventory entry): what `flux list` prints. `onDrift` as for buildView.
 */
export async function buildViews(
  kube: KubeClient,
  lives: readonly LiveConfiguration[],
  arm: ArmScope = armScope({}, kube.contextName),
  onDrift?: (name: string, fields: string[]) => void,
): Promise<FluxConfigurationView[]> {
  const kustomizations = lives.flatMap((l) => l.objects.filter((o) => o.kind === 'Kustomization'));
  const deployed = await deployedFluxObjects(kube, kustomizations);
  const byApplier = new Map<string, ObjectStatus[]>();
  for (const d of deployed) {
    const k = `${d.appliedBy?.namespace}/${d.appliedBy?.name}`;
    const list = byApplier.get(k);
    if (list) list.push(d);
    else byApplier.set(k, [d]);
  }
  return lives.map((live) => {
    const own = live.objects.filter((o) => o.kind === 'Kustomization');
    const config = live.incomplete ? live.config : liveConfiguration(live.config, live.source, own);
    const drift = driftOf(configurationBlocks(live.config), configurationBlocks(config));
    if (drift.length) onDrift?.(live.config.name, drift);
    const mine = own.flatMap((k) => byApplier.get(`${k.metadata.namespace ?? ''}/${k.metadata.name}`) ?? []);
    return configurationView({ ...live, config, deployed: mine, arm });
  });
}

/**
 * Every fluxcfg configuration in the cluster (or one namespace; a tenant without cluster-wide rights: the context's
 * namespace): one list request per kind. Half-applied configurations (source gone) are listed as `incomplete`.
 */
export async function listConfigurations(
  kube: KubeClient,
  namespace?: string,
  /** Read from the watch cache: for `list`, not for a write deciding what to keep. */
  options: { cached?: boolean } = {},
): Promise<LiveConfiguration[]> {
  const all = await inNamespaceOrAll(kube, namespace, async (ns) => {
    const lists = await Promise.all(
      ownedKinds
        .filter((k) => k.namespaced)
        .map((k) =>
          kube.list(k.apiVersion, k.kind, { namespace: ns, labelSelector: allConfigurationsSelector, ...options }),
        ),
    );
    return lists.flat();
  });
  return groupConfigurations(all).sort((a, b) =>
    `${a.config.namespace}/${a.config.name}`.localeCompare(`${b.config.namespace}/${b.config.name}`),
  );
}

export function isForbidden(err: unknown): boolean {
  return err instanceof KubeError && err.status === 403;
}

/**
 * Runs a cluster-wide read; a user who may only read some namespaces (a namespace tenant) gets `fallback` instead
 * of a 403, with a note under --verbose.
 */
export async function clusterWideOr<T>(
  read: () => Promise<T>,
  fallback: () => Promise<T> | T,
  note: (m: string) => void,
  what: string,
): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (!isForbidden(err)) throw err;
    note(`${what}: no cluster-wide read rights, checked the configuration namespace only`);
    return fallback();
  }
}
