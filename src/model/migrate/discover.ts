// Flux v1 discovery over plain objects (what the execute phase lists from the cluster, or a test fixture): fluxd and
// Helm Operator Deployments by image, their arguments parsed as pflag does, deploy key / known hosts / HTTPS
// credentials as references, memcached and RBAC belonging to each, HelmRelease v1 objects with their running Helm
// release, workloads with image-automation annotations, Azure Arc traces. Pure: input objects → Inventory.
import type { KubeObject, ObjectRef } from '../../k8s/types.js';
import { refOf } from '../../k8s/types.js';
import { parseFluxdArgs, parseHelmOperatorArgs, type FluxdSettings } from './fluxd.js';
import { findRelease, helmV2ReleaseNames, readReleaseSecret } from './helm-storage.js';
import {
  GITCONFIG_CRD,
  emptyInventory,
  HELM_RELEASE_V1_API,
  HELM_RELEASE_V1_CRD,
  LEGACY_V1_CRDS,
  isFluxdImage,
  isHelmOperatorImage,
  parseImage,
  type ArcConfiguration,
  type AutomatedWorkload,
  type FluxdInstance,
  type GitAuth,
  type HelmOperatorInstance,
  type HelmReleaseV1,
  type HelmStorageRecord,
  type Inventory,
  type KnownHostsSource,
  type SecretKeyRef,
} from './inventory.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: { prefix?: string; secretRef?: { name: string }; configMapRef?: { name: string } }[];
  volumeMounts?: VolumeMount[];
}
interface Volume {
  name: string;
  secret?: { secretName?: string; items?: { key: string; path: string }[] };
  configMap?: { name?: string; items?: { key: string; path: string }[] };
}
interface PodSpec {
  containers?: Container[];
  volumes?: Volume[];
  serviceAccountName?: string;
  serviceAccount?: string;
}

const podSpecOf = (d: KubeObject): PodSpec =>
  (d.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec ?? {};
type WithTemplateLabels = { template?: { metadata?: { labels?: Record<string, string> } } } | undefined;
const podLabelsOf = (d: KubeObject): Record<string, string> =>
  (d.spec as WithTemplateLabels)?.template?.metadata?.labels ?? {};
const nsOf = (o: KubeObject): string => o.metadata.namespace ?? 'default';

/** Kubernetes `$(VAR)` expansion with the container's literal env values (`$$(VAR)` stays `$(VAR)`). */
export function expandEnv(text: string, env: readonly EnvVar[] = []): string {
  const literal = new Map(env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name: string | undefined) => {
    if (all === '$$') return '$';
    return name !== undefined && literal.has(name) ? literal.get(name)! : all;
  });
}

/** The arguments the binary receives: `command` after the binary name (when it is the daemon), then `args`. */
function argsOf(c: Container, binary: string): string[] {
  const cmd = c.command ?? [];
  const fromCommand = cmd.length > 0 && cmd[0]!.split('/').pop() === binary ? cmd.slice(1) : [];
  return [...fromCommand, ...(c.args ?? [])].map((a) => expandEnv(a, c.env));
}

class Index {
  readonly byKind = new Map<string, KubeObject[]>();
  constructor(readonly objects: readonly KubeObject[]) {
    for (const o of objects) {
      const list = this.byKind.get(o.kind) ?? [];
      list.push(o);
      this.byKind.set(o.kind, list);
    }
  }
  all(kind: string): KubeObject[] {
    return this.byKind.get(kind) ?? [];
  }
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.all(kind).find((o) => o.metadata.name === name && (namespace === undefined || nsOf(o) === namespace));
  }
}

function secretKeyRef(index: Index, namespace: string, name: string, key: string): SecretKeyRef {
  const secret = index.get('Secret', namespace, name);
  const data: Record<string, string> = {
    ...(secret?.data as Record<string, string> | undefined),
    ...(secret?.stringData as Record<string, string> | undefined),
  };
  return { kind: 'Secret', namespace, name, key, found: secret !== undefined, hasValue: Boolean(data[key]) };
}

/** The volume mounted at `path` (exact), or at a parent directory of it with the file as key. */
function mountedAt(spec: PodSpec, c: Container, path: string): { volume: Volume; key?: string } | undefined {
  for (const m of c.volumeMounts ?? []) {
    const volume = spec.volumes?.find((v) => v.name === m.name);
    if (!volume) continue;
    if (m.mountPath.replace(/\/+$/, '') === path) return { volume, key: m.subPath };
    const dir = m.mountPath.replace(/\/+$/, '');
    if (path.startsWith(`${dir}/`) && !m.subPath) return { volume, key: path.slice(dir.length + 1) };
  }
  return undefined;
}

/** Maps a file name inside a mounted volume back to the data key (volume `items` may rename). */
function keyForFile(items: { key: string; path: string }[] | undefined, file: string): string {
  return items?.find((i) => i.path === file)?.key ?? file;
}

/** host and port of an ssh/scp-like Git URL (for the known_hosts scan). */
export function sshHostOf(url: string): { host: string; port?: number } | undefined {
  const m = /^ssh:\/\/(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?/i.exec(url);
  if (m) return m[2] ? { host: m[1]!, port: Number(m[2]) } : { host: m[1]! };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return undefined;
  const scp = /^(?:[^@/:]+@)?([^:/]+):/.exec(url);
  return scp ? { host: scp[1]! } : undefined;
}

function knownHostsOf(
  index: Index,
  ns: string,
  spec: PodSpec,
  c: Container,
  url: string | undefined,
): KnownHostsSource | undefined {
  const found = mountedAt(spec, c, '/root/.ssh/known_hosts') ?? mountedAt(spec, c, '/etc/ssh/ssh_known_hosts');
  if (found) {
    const file = found.key ?? 'known_hosts';
    if (found.volume.configMap?.name) {
      const name = found.volume.configMap.name;
      const key = keyForFile(found.volume.configMap.items, file);
      return { from: 'ConfigMap', namespace: ns, name, key, found: !!index.get('ConfigMap', ns, name) };
    }
    if (found.volume.secret?.secretName) {
      const name = found.volume.secret.secretName;
      const key = keyForFile(found.volume.secret.items, file);
      return { from: 'Secret', namespace: ns, name, key, found: !!index.get('Secret', ns, name) };
    }
  }
  const host = url ? sshHostOf(url) : undefined;
  return host ? { from: 'image', ...host } : undefined;
}

/** An env var → where its value comes from (a Secret key, a literal), following envFrom as Kubernetes does. */
function envSource(
  index: Index,
  ns: string,
  c: Container,
  name: string,
): SecretKeyRef | { literal: string } | undefined {
  const e = c.env?.find((v) => v.name === name);
  if (e?.value !== undefined) return { literal: e.value };
  const ref = e?.valueFrom?.secretKeyRef;
  if (ref) return secretKeyRef(index, ns, ref.name, ref.key);
  for (const from of c.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.secretRef && name.startsWith(prefix)) {
      const ref = secretKeyRef(index, ns, from.secretRef.name, name.slice(prefix.length));
      if (ref.hasValue || !ref.found) return ref;
    }
  }
  return undefined;
}

function gitAuthOf(index: Index, d: KubeObject, c: Container, fluxd: FluxdSettings, problems: string[]): GitAuth {
  const ns = nsOf(d);
  const spec = podSpecOf(d);
  const url = fluxd.gitUrl ?? '';
  if (/^https?:\/\//i.test(url)) {
    const m = /^https?:\/\/([^@/]*)@/i.exec(url);
    if (!m) return { kind: 'none' };
    const [user, pass] = m[1]!.split(':') as [string, string | undefined];
    const resolve = (part: string | undefined) => {
      if (part === undefined || part === '') return undefined;
      const v = /^\$\(([^)]+)\)$/.exec(part);
      if (!v) return { literal: decodeURIComponent(part) };
      const src = envSource(index, ns, c, v[1]!);
      if (!src) problems.push(`the Git URL uses $(${v[1]}), which the container does not define`);
      return src;
    };
    const username = resolve(user);
    const password = resolve(pass);
    const auth: GitAuth = { kind: 'https' };
    if (username) auth.username = username;
    if (password && 'kind' in password) auth.password = password;
    else if (password) {
      problems.push('the Git URL carries a literal password; the plan does not copy it: give it to the execute phase');
    }
    return auth;
  }
  if (/^git:\/\//i.test(url)) return { kind: 'none' }; // the git protocol has no authentication
  const mounted = mountedAt(spec, c, fluxd.k8sSecretVolumeMountPath);
  const secretName = mounted?.volume.secret?.secretName;
  const identity = secretName
    ? secretKeyRef(index, ns, secretName, keyForFile(mounted.volume.secret!.items, fluxd.k8sSecretDataKey))
    : secretKeyRef(index, ns, fluxd.k8sSecretName, fluxd.k8sSecretDataKey);
  const knownHosts = knownHostsOf(index, ns, spec, c, url) ?? { from: 'image', host: '' };
  return { kind: 'ssh', identity, identitySource: secretName ? 'volume' : 'k8s-secret-name', knownHosts };
}

function matchesSelector(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** memcached of a fluxd: the Service its --memcached-hostname names and the memcached Deployments behind it. */
function memcachedOf(index: Index, ns: string, hostname: string): ObjectRef[] {
  const parts = hostname.split('.');
  const svcName = parts[0]!;
  const svcNs = parts.length > 1 && parts[1] !== 'svc' ? parts[1]! : ns;
  const refs: ObjectRef[] = [];
  const svc = index.get('Service', svcNs, svcName);
  const isMemcached = (d: KubeObject) =>
    (podSpecOf(d).containers ?? []).some((c) => /(^|\/)memcached(:|@|$)/.test(c.image ?? ''));
  const selector = (svc?.spec as { selector?: Record<string, string> } | undefined)?.selector;
  const deployments = index
    .all('Deployment')
    .filter((d) => nsOf(d) === svcNs && isMemcached(d))
    .filter((d) => (svc ? matchesSelector(podLabelsOf(d), selector) : d.metadata.name === svcName));
  if (svc && deployments.length > 0) refs.push(refOf(svc));
  refs.push(...deployments.map(refOf));
  return refs;
}

const BUILTIN_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

/** ServiceAccount, bindings whose only subject it is, and the roles only those bindings use. */
function rbacOf(index: Index, ns: string, sa: string | undefined, problems: string[]): ObjectRef[] {
  if (!sa || sa === 'default') return [];
  const refs: ObjectRef[] = [];
  const account = index.get('ServiceAccount', ns, sa);
  if (account) refs.push(refOf(account));
  type Subject = { kind: string; name: string; namespace?: string };
  type Binding = KubeObject & { subjects?: Subject[]; roleRef?: { kind: string; name: string } };
  const bindings = [...index.all('ClusterRoleBinding'), ...index.all('RoleBinding')] as Binding[];
  const isMe = (b: Binding, s: Subject) =>
    s.kind === 'ServiceAccount' && s.name === sa && (s.namespace ?? b.metadata.namespace) === ns;
  const mine = bindings.filter((b) => b.subjects?.some((s) => isMe(b, s)));
  const removed = new Set<Binding>();
  for (const b of mine) {
    if (b.subjects!.every((s) => isMe(b, s))) {
      refs.push(refOf(b));
      removed.add(b);
    } else {
      problems.push(
        `${b.kind} ${b.metadata.name} also binds other subjects: it is kept; remove ServiceAccount ${ns}/${sa} from it`,
      );
    }
  }
  const roles = new Map<string, KubeObject>();
  for (const b of removed) {
    const r = b.roleRef;
    if (!r || BUILTIN_ROLES.has(r.name) || r.name.startsWith('system:')) continue;
    const role =
      r.kind === 'ClusterRole' ? index.get('ClusterRole', undefined, r.name) : index.get('Role', nsOf(b), r.name);
    if (!role) continue;
    const sameRole = (o: Binding) =>
      o.roleRef?.kind === r.kind && o.roleRef.name === r.name && (r.kind === 'ClusterRole' || nsOf(o) === nsOf(role));
    const usedElsewhere = bindings.some((o) => !removed.has(o) && sameRole(o));
    if (!usedElsewhere) roles.set(`${role.kind}/${nsOf(role)}/${role.metadata.name}`, role);
  }
  refs.push(...[...roles.values()].map(refOf));
  return refs;
}

/** A GitConfig (clusterconfig.azure.com/v1beta1) → the Arc configuration it stands for. */
export function arcFromGitConfig(o: KubeObject): ArcConfiguration {
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  const text = (k: string) => (typeof spec[k] === 'string' ? spec[k] : undefined);
  const arc: ArcConfiguration = {
    name: o.metadata.name,
    operatorNamespace: nsOf(o),
    operatorInstanceName: text('operatorInstanceName') ?? o.metadata.name,
    operatorScope: text('operatorScope')?.toLowerCase() === 'namespace' ? 'namespace' : 'cluster',
    origin: 'GitConfig',
  };
  if (text('giturl')) arc.repositoryUrl = text('giturl');
  if (text('operatorParams') !== undefined) arc.operatorParams = text('operatorParams');
  if (typeof spec.enableHelmOperator === 'boolean') arc.enableHelmOperator = spec.enableHelmOperator;
  else if (typeof spec.enableHelmOperator === 'string') arc.enableHelmOperator = spec.enableHelmOperator === 'true';
  const hop = spec.helmOperatorProperties as { chartValues?: string } | undefined;
  if (typeof hop?.chartValues === 'string') arc.helmOperatorChartValues = hop.chartValues;
  return arc;
}

/** Arc names the helm-operator release `<operatorInstanceName>-helm-<operatorNamespace>` (reference §8.2). */
export function arcHelmOperatorRelease(arc: ArcConfiguration): string {
  return `${arc.operatorInstanceName}-helm-${arc.operatorNamespace}`;
}

/**
 * Helm Operator's default release name (types_helmrelease.go): `<ns>-<name>`, `<ns>-<targetNs>-<name>` when the
 * release targets another namespace.
 */
export function defaultReleaseName(namespace: string, name: string, targetNamespace: string): string {
  return targetNamespace !== namespace ? `${namespace}-${targetNamespace}-${name}` : `${namespace}-${name}`;
}

const AUTOMATION_PREFIXES = ['fluxcd.io/', 'flux.weave.works/', 'filter.fluxcd.io/'];
const AUTOMATION_KEYS = new RegExp(
  '^(?:fluxcd\\.io|flux\\.weave\\.works)/(?:automated|locked|locked_user|locked_msg|ignore|tag\\..+|tag_all)$' +
    '|^filter\\.fluxcd\\.io/.+$',
);

function automationAnnotations(o: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.metadata.annotations ?? {})) {
    if (AUTOMATION_PREFIXES.some((p) => k.startsWith(p)) && AUTOMATION_KEYS.test(k)) out[k] = v;
  }
  return out;
}

function workloadImages(o: KubeObject): Record<string, string> {
  const spec = o.spec as Record<string, unknown> | undefined;
  const pod =
    (spec?.template as { spec?: PodSpec } | undefined)?.spec ??
    (spec?.jobTemplate as { spec?: { template?: { spec?: PodSpec } } } | undefined)?.spec?.template?.spec;
  const out: Record<string, string> = {};
  const init = (pod as { initContainers?: Container[] } | undefined)?.initContainers ?? [];
  for (const c of [...(pod?.containers ?? []), ...init]) {
    if (c.image) out[c.name] = c.image;
  }
  return out;
}

/** `values.image` as `repo:tag`, or `image.repository` + `image.tag` (the common chart convention). */
function helmValuesImage(values: unknown): string | undefined {
  const image = (values as { image?: unknown } | undefined)?.image;
  if (typeof image === 'string') return image;
  const o = image as { repository?: unknown; tag?: unknown } | undefined;
  if (typeof o?.repository !== 'string') return undefined;
  return typeof o.tag === 'string' || typeof o.tag === 'number' ? `${o.repository}:${o.tag}` : o.repository;
  return undefined;
}

export interface DiscoverOptions {
  /** az `k8s-configuration list -o json` entries already read (they add the Arc resource group and cluster). */
  arcConfigurations?: readonly ArcConfiguration[];
}

/** The inventory of every Flux v1 piece in `objects` (Deployments, Services, Secrets, ConfigMaps, RBAC, CRDs, ...). */
export function discover(objects: readonly KubeObject[], options: DiscoverOptions = {}): Inventory {
  const index = new Index(objects);
  const gitConfigs = objects.filter(
    (o) => o.kind === 'GitConfig' && o.apiVersion.startsWith('clusterconfig.azure.com/'),
  );
  const arcConfigurations = mergeArc(gitConfigs.map(arcFromGitConfig), options.arcConfigurations ?? []);
  const inventory = emptyInventory('cluster');
  inventory.arc.configurations = arcConfigurations;

  const agent = index.get('Deployment', 'azure-arc', 'config-agent');
  if (agent) inventory.arc.agent = refOf(agent);

  for (const d of index.all('Deployment')) {
    const spec = podSpecOf(d);
    const ns = nsOf(d);
    const sa = spec.serviceAccountName ?? spec.serviceAccount;
    const fluxc = spec.containers?.find((c) => c.image && isFluxdImage(c.image));
    if (fluxc) {
      const args = argsOf(fluxc, 'fluxd');
      const settings = parseFluxdArgs(args);
      const problems: string[] = [];
      if (!settings.gitUrl) problems.push('fluxd has no --git-url: it syncs nothing');
      if (settings.gitUrl && /\$\([^)]+\)/.test(settings.gitUrl.replace(/^https?:\/\/[^@/]*@/i, ''))) {
        problems.push('the Git URL refers to an environment variable that the container does not define as a literal');
      }
      const auth = gitAuthOf(index, d, fluxc, settings, problems);
      const instanceLabel = podLabelsOf(d).instanceName;
      const arc = arcConfigurations.find(
        (a) =>
          a.operatorNamespace === ns &&
          (a.operatorInstanceName === d.metadata.name || a.operatorInstanceName === instanceLabel),
      );
      const fluxd: FluxdInstance = {
        name: d.metadata.name,
        namespace: ns,
        deployment: refOf(d),
        image: parseImage(fluxc.image!),
        container: fluxc.name,
        args,
        settings,
        auth,
        memcached: memcachedOf(index, ns, settings.memcachedHostname),
        rbac: rbacOf(index, ns, sa, problems),
        problems,
      };
      if (sa) fluxd.serviceAccount = sa;
      if (arc) fluxd.arc = arc;
      inventory.fluxd.push(fluxd);
      continue;
    }
    const hopc = spec.containers?.find((c) => c.image && isHelmOperatorImage(c.image));
    if (hopc) {
      const args = argsOf(hopc, 'helm-operator');
      const problems: string[] = [];
      const hop: HelmOperatorInstance = {
        name: d.metadata.name,
        namespace: ns,
        deployment: refOf(d),
        image: parseImage(hopc.image!),
        args,
        settings: parseHelmOperatorArgs(args),
        rbac: rbacOf(index, ns, sa, problems),
      };
      const key = mountedAt(spec, hopc, '/etc/fluxd/ssh');
      if (key?.volume.secret?.secretName) {
        const dataKey = keyForFile(key.volume.secret.items, 'identity');
        hop.gitKey = secretKeyRef(index, ns, key.volume.secret.secretName, dataKey);
      }
      const kh = knownHostsOf(index, ns, spec, hopc, undefined);
      if (kh) hop.knownHosts = kh;
      if (sa) hop.serviceAccount = sa;
      const release = podLabelsOf(d).release;
      const arc = arcConfigurations.find(
        (a) =>
          a.operatorNamespace === ns &&
          (release === arcHelmOperatorRelease(a) || d.metadata.name === `${arcHelmOperatorRelease(a)}-helm-operator`),
      );
      if (arc) hop.arc = arc;
      inventory.helmOperators.push(hop);
    }
  }

  const records: HelmStorageRecord[] = index.all('Secret').flatMap((s) => readReleaseSecret(s) ?? []);
  const v2 = helmV2ReleaseNames(objects);
  for (const o of objects) {
    if (o.kind !== 'HelmRelease' || o.apiVersion !== HELM_RELEASE_V1_API) continue;
    const ns = nsOf(o);
    const spec = (o.spec ?? {}) as Record<string, unknown>;
    const targetNamespace =
      typeof spec.targetNamespace === 'string' && spec.targetNamespace ? spec.targetNamespace : ns;
    const given = typeof spec.releaseName === 'string' && spec.releaseName !== '' ? spec.releaseName : undefined;
    const releaseName = given ?? defaultReleaseName(ns, o.metadata.name, targetNamespace);
    const operator =
      inventory.helmOperators.find((h) => h.settings.allowNamespace === ns) ??
      inventory.helmOperators.find((h) => h.settings.allowNamespace === undefined);
    const hr: HelmReleaseV1 = {
      ref: { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: ns },
      name: o.metadata.name,
      namespace: ns,
      annotations: { ...o.metadata.annotations },
      finalizers: [...(o.metadata.finalizers ?? [])],
      spec,
      releaseName,
      releaseNameDefaulted: given === undefined,
      targetNamespace,
      release: findRelease(records, releaseName, targetNamespace, v2),
    };
    if (operator) hr.operator = { name: operator.name, namespace: operator.namespace };
    inventory.helmReleases.push(hr);
  }

  for (const o of objects) {
    const isWorkload = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'].includes(o.kind);
    const isHr = o.kind === 'HelmRelease' && o.apiVersion === HELM_RELEASE_V1_API;
    if (!isWorkload && !isHr) continue;
    const annotations = automationAnnotations(o);
    if (Object.keys(annotations).length === 0) continue;
    let images = isWorkload ? workloadImages(o) : {};
    if (isHr) {
      const image = helmValuesImage((o.spec as { values?: unknown } | undefined)?.values);
      images = image ? { 'chart-image': image } : {};
    }
    const w: AutomatedWorkload = { ref: refOf(o), annotations, images };
    if (!w.ref.namespace) w.ref = { ...w.ref, namespace: 'default' };
    inventory.automated.push(w);
  }

  for (const crd of index.all('CustomResourceDefinition')) {
    const name = crd.metadata.name;
    const v1 = name === HELM_RELEASE_V1_CRD || LEGACY_V1_CRDS.includes(name) || name === GITCONFIG_CRD;
    if (v1) inventory.crds.push(refOf(crd));
  }
  return inventory;
}

/** GitConfig facts completed with the az ones of the same name and namespace (az wins for the resource id parts). */
function mergeArc(fromCluster: ArcConfiguration[], fromAz: readonly ArcConfiguration[]): ArcConfiguration[] {
  const out = fromCluster.map((c) => {
    const az = fromAz.find((a) => a.name === c.name && a.operatorNamespace === c.operatorNamespace);
    return az ? { ...c, ...az, origin: c.origin } : c;
  });
  for (const a of fromAz) {
    if (!out.some((c) => c.name === a.name && c.operatorNamespace === a.operatorNamespace)) out.push(a);
  }
  return out;
}

/** `--name` / `--namespace`: keep one operator (fluxd or helm-operator) and the HelmReleases it handles. */
export function selectOperators(inventory: Inventory, filter: { name?: string; namespace?: string }): Inventory {
  const keep = (o: { name: string; namespace: string }) =>
    (filter.name === undefined || o.name === filter.name) &&
    (filter.namespace === undefined || o.namespace === filter.namespace);
  const helmOperators = inventory.helmOperators.filter(keep);
  const fluxd = inventory.fluxd.filter(keep);
  const hops = new Set(helmOperators.map((h) => `${h.namespace}/${h.name}`));
  const helmReleases =
    filter.name === undefined && filter.namespace === undefined
      ? inventory.helmReleases
      : inventory.helmReleases.filter((hr) => hr.operator && hops.has(`${hr.operator.namespace}/${hr.operator.name}`));
  return { ...inventory, fluxd, helmOperators, helmReleases };
}
