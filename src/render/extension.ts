// microsoft.flux settings → the Flux install objects: pure functions over the parsed install manifest.
import { UserError } from '../errors.js';
import type { KubeObject } from '../k8s/types.js';
import { EXTENSION_LABEL, FLUX_APPLIER, MANAGED_BY_LABEL, MANAGER } from '../model/naming.js';
import { COMPONENT_LABEL, type FluxManifest } from '../model/extension/manifest.js';
import {
  componentEnabled,
  components,
  isTrue,
  parseToleration,
  type Component,
  type Settings,
} from '../model/extension/settings.js';

/** Controllers that take --no-cross-namespace-refs (Flux multi-tenancy lockdown). */
const noCrossNamespaceRefs: readonly Component[] = [
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
  'image-reflector-controller',
  'image-automation-controller',
];
/** Controllers that take --default-service-account. */
const defaultServiceAccount: readonly Component[] = ['kustomize-controller', 'helm-controller'];
/** Controllers that authenticate to Azure and so get workload identity (Azure docs; 1.20.4 adds notification). */
const workloadIdentityComponents: readonly Component[] = [
  'source-controller',
  'kustomize-controller',
  'notification-controller',
  'image-reflector-controller',
];

interface Container {
  name: string;
  args?: string[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  [key: string]: unknown;
}

interface PodSpec {
  containers: Container[];
  tolerations?: Record<string, unknown>[];
  volumes?: { name: string; emptyDir?: Record<string, unknown>; [key: string]: unknown }[];
  [key: string]: unknown;
}

interface DeploymentSpec {
  template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
  [key: string]: unknown;
}

/** The component an object belongs to: its app.kubernetes.io/component label (as Flux labels them). */
export function componentOf(obj: KubeObject): Component | undefined {
  const c = obj.metadata.labels?.[COMPONENT_LABEL];
  return components.find((k) => k === c);
}

const perComponentKinds = new Set(['Deployment', 'ServiceAccount', 'Service']);

function argName(arg: string): string {
  const i = arg.indexOf('=');
  return i < 0 ? arg : arg.slice(0, i);
}

/** Sets `--name=value`, replacing an existing occurrence in place, else appending. */
export function setArg(args: string[], name: string, value: string): string[] {
  const next = `${name}=${value}`;
  const i = args.findIndex((a) => argName(a) === name);
  if (i < 0) return [...args, next];
  return args.map((a, j) => (j === i ? next : a)).filter((a, j) => j <= i || argName(a) !== name);
}

export function removeArg(args: string[], name: string): string[] {
  return args.filter((a) => argName(a) !== name);
}

/** Merges gates into the one --feature-gates flag (A=true,B=false), keeping the manifest's own gates. */
export function addFeatureGates(args: string[], gates: Record<string, boolean>): string[] {
  if (Object.keys(gates).length === 0) return args;
  const existing = args.find((a) => argName(a) === '--feature-gates');
  const merged = new Map<string, string>();
  for (const pair of existing ? existing.slice('--feature-gates='.length).split(',').filter(Boolean) : []) {
    const [k, v] = pair.split('=');
    merged.set(k!, v ?? 'true');
  }
  for (const [k, v] of Object.entries(gates)) merged.set(k, String(v));
  return setArg(args, '--feature-gates', [...merged].map(([k, v]) => `${k}=${v}`).join(','));
}

function managerContainer(spec: DeploymentSpec): Container {
  const containers = spec.template.spec.containers;
  const c = containers.find((x) => x.name === 'manager') ?? containers[0];
  if (!c) throw new UserError('a Flux controller Deployment in the manifest has no container');
  return c;
}

function renderDeployment(dep: KubeObject, component: Component | undefined, s: Settings): void {
  const spec = dep.spec as DeploymentSpec;
  const pod = spec.template;
  const c = managerContainer(spec);
  let args = [...(c.args ?? [])];
  if (component) {
    const get = (key: string) => s[`${component}.${key}`];
    const logLevel = get('log-level');
    if (logLevel) args = setArg(args, '--log-level', logLevel);
    for (const r of ['limits', 'requests'] as const)
      for (const res of ['cpu', 'memory']) {
        const v = get(`resources.${r}.${res}`);
        if (v) {
          c.resources ??= {};
          c.resources[r] = { ...c.resources[r], [res]: v };
        }
      }
    const enforce = s['multiTenancy.enforce'] === undefined || isTrue(s['multiTenancy.enforce']);
    if (noCrossNamespaceRefs.includes(component))
      args = enforce ? setArg(args, '--no-cross-namespace-refs', 'true') : removeArg(args, '--no-cross-namespace-refs');
    if (defaultServiceAccount.includes(component))
      args = enforce
        ? setArg(args, '--default-service-account', FLUX_APPLIER)
        : removeArg(args, '--default-service-account');
    const gates: Record<string, boolean> = {};
    if (component === 'kustomize-controller') {
      if (s['kustomize-controller.concurrent'])
        args = setArg(args, '--concurrent', s['kustomize-controller.concurrent']);
      if (s['kustomize-controller.requeue-dependency'])
        args = setArg(args, '--requeue-dependency', s['kustomize-controller.requeue-dependency']);
      if (isTrue(s['kustomize-controller.strict-substitution-mode'])) gates.StrictPostBuildSubstitutions = true;
      if (isTrue(s['kustomize-controller.enable-in-memory-build'])) {
        const mount = (c.volumeMounts as { name: string; mountPath: string }[] | undefined)?.find(
          (m) => m.mountPath === '/tmp',
        );
        const volume = pod.spec.volumes?.find((v) => v.name === (mount?.name ?? 'temp'));
        if (!volume?.emptyDir)
          throw new UserError(
            'kustomize-controller.enable-in-memory-build: the manifest has no emptyDir volume for /tmp',
          );
        volume.emptyDir = { ...volume.emptyDir, medium: 'Memory' };
      }
    }
    if (component === 'helm-controller') {
      if (isTrue(s['helm-controller.detectDrift'])) gates.DetectDrift = true;
      if (isTrue(s['helm-controller.outOfMemoryWatch.enabled'])) gates.OOMWatch = true;
      const threshold = s['helm-controller.outOfMemoryWatch.memoryThreshold'];
      if (threshold) args = setArg(args, '--oom-watch-memory-threshold', threshold);
      const interval = s['helm-controller.outOfMemoryWatch.interval'];
      if (interval) args = setArg(args, '--oom-watch-interval', interval);
    }
    args = addFeatureGates(args, gates);
    const sshArgs = get('ssh-host-key-args');
    if (sshArgs && (component === 'source-controller' || component === 'image-automation-controller')) {
      const i = sshArgs.indexOf('=');
      args = i < 0 ? [...removeArg(args, sshArgs), sshArgs] : setArg(args, sshArgs.slice(0, i), sshArgs.slice(i + 1));
    }
    if (isTrue(s['workloadIdentity.enable']) && workloadIdentityComponents.includes(component)) {
      pod.metadata ??= {};
      pod.metadata.labels = { ...pod.metadata.labels, 'azure.workload.identity/use': 'true' };
    }
  }
  c.args = args;
  if (isTrue(s.setKubeServiceHostFqdn)) {
    pod.metadata ??= {};
    pod.metadata.annotations = {
      ...pod.metadata.annotations,
      'kubernetes.azure.com/set-kube-service-host-fqdn': 'true',
    };
  }
  const tolerations = (s['toleration-keys'] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => parseToleration(t)!);
  if (tolerations.length)
    pod.spec.tolerations = [...(pod.spec.tolerations ?? []), ...tolerations.map((t) => ({ ...t }))];
}

function renderServiceAccount(sa: KubeObject, component: Component | undefined, s: Settings): void {
  if (!component || !isTrue(s['workloadIdentity.enable']) || !workloadIdentityComponents.includes(component)) return;
  const annotations: Record<string, string> = {
    'azure.workload.identity/client-id': s['workloadIdentity.azureClientId']!,
  };
  if (s['workloadIdentity.azureTenantId'])
    annotations['azure.workload.identity/tenant-id'] = s['workloadIdentity.azureTenantId'];
  sa.metadata.annotations = { ...sa.metadata.annotations, ...annotations };
}

/**
 * The objects to apply for these settings: the manifest with disabled components' Deployment, ServiceAccount and
 * Services left out (CRDs always kept, as Azure does), the settings' flags and fields set, and fluxcfg's labels.
 * Settings must have been validated (validateSettings).
 */
export function renderFluxInstall(manifest: FluxManifest, settings: Settings, extensionName: string): KubeObject[] {
  const present = new Set(manifest.objects.filter((o) => o.kind === 'Deployment').map(componentOf));
  const missing = components.filter((c) => componentEnabled(settings, c) && !present.has(c));
  if (missing.length)
    throw new UserError(
      `the Flux install manifest has no ${missing.join(', ')}, which the settings enable (${missing.map((m) => `${m}.enabled`).join(', ')})`,
      {
        hint: 'the Flux release install.yaml has every component; flux install --export only those it was given (--components-extra). Or disable them.',
      },
    );
  const out: KubeObject[] = [];
  for (const original of manifest.objects) {
    const component = componentOf(original);
    if (component && perComponentKinds.has(original.kind) && !componentEnabled(settings, component)) continue;
    const obj = structuredClone(original);
    if (obj.kind === 'Deployment') renderDeployment(obj, component, settings);
    if (obj.kind === 'ServiceAccount') renderServiceAccount(obj, component, settings);
    obj.metadata.labels = { ...obj.metadata.labels, [MANAGED_BY_LABEL]: MANAGER, [EXTENSION_LABEL]: extensionName };
    out.push(obj);
  }
  return out;
}

/** The controller Deployments of a rendered install. */
export function controllerDeployments(objects: readonly KubeObject[]): KubeObject[] {
  return objects.filter((o) => o.kind === 'Deployment');
}
