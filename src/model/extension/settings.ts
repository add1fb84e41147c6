// microsoft.flux configuration settings: az's `key=value` syntax, the known keys and their values. Pure.
import { UsageError, UserError } from '../../errors.js';

export type Settings = Record<string, string>;

/** The Flux controllers a setting can name; the first four are on by default, as in Azure. */
export const controllers = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
  'image-automation-controller',
  'image-reflector-controller',
] as const;
export type Controller = (typeof controllers)[number];
/** Installed by the Flux release install.yaml since v2.7; not an Azure component, off unless enabled. */
export const SOURCE_WATCHER = 'source-watcher';
export type Component = Controller | typeof SOURCE_WATCHER;
export const components: readonly Component[] = [...controllers, SOURCE_WATCHER];
export const defaultOn: readonly Component[] = controllers.slice(0, 4);

type ValueKind =
  | 'bool'
  | 'logLevel'
  | 'agentLogLevel'
  | 'cpu'
  | 'memory'
  | 'positiveInt'
  | 'percent'
  | 'duration'
  | 'arg'
  | 'string'
  | 'tolerations';

interface KeySpec {
  readonly kind: ValueKind;
  /** Accepted for az compatibility but meaningless outside Azure: a warning says so. */
  readonly noEffect?: string;
}

function buildKnownKeys(): Map<string, KeySpec> {
  const keys = new Map<string, KeySpec>();
  for (const c of components) keys.set(`${c}.enabled`, { kind: 'bool' });
  for (const c of controllers) {
    keys.set(`${c}.log-level`, { kind: 'logLevel' });
    for (const r of ['limits', 'requests'])
      for (const [res, kind] of [
        ['cpu', 'cpu'],
        ['memory', 'memory'],
      ] as const)
        keys.set(`${c}.resources.${r}.${res}`, { kind });
  }
  keys.set('multiTenancy.enforce', { kind: 'bool' });
  keys.set('kustomize-controller.concurrent', { kind: 'positiveInt' });
  keys.set('kustomize-controller.requeue-dependency', { kind: 'duration' });
  keys.set('kustomize-controller.enable-in-memory-build', { kind: 'bool' });
  keys.set('kustomize-controller.strict-substitution-mode', { kind: 'bool' });
  keys.set('helm-controller.detectDrift', { kind: 'bool' });
  keys.set('helm-controller.outOfMemoryWatch.enabled', { kind: 'bool' });
  keys.set('helm-controller.outOfMemoryWatch.memoryThreshold', { kind: 'percent' });
  keys.set('helm-controller.outOfMemoryWatch.interval', { kind: 'duration' });
  keys.set('source-controller.ssh-host-key-args', { kind: 'arg' });
  keys.set('image-automation-controller.ssh-host-key-args', { kind: 'arg' });
  keys.set('workloadIdentity.enable', { kind: 'bool' });
  keys.set('workloadIdentity.azureClientId', { kind: 'string' });
  keys.set('workloadIdentity.azureTenantId', { kind: 'string' });
  keys.set('setKubeServiceHostFqdn', { kind: 'bool' });
  keys.set('toleration-keys', { kind: 'tolerations' });
  keys.set('useKubeletIdentity', {
    kind: 'bool',
    noEffect: 'the AKS kubelet identity is not known outside AKS; use workloadIdentity.* instead',
  });
  keys.set('fluxconfig-agent.log-level', { kind: 'agentLogLevel', noEffect: 'fluxcfg runs no fluxconfig-agent' });
  keys.set('fluxconfig-controller.log-level', {
    kind: 'agentLogLevel',
    noEffect: 'fluxcfg runs no fluxconfig-controller',
  });
  return keys;
}

export const knownKeys: ReadonlyMap<string, KeySpec> = buildKnownKeys();

export function isEnabledByDefault(component: Component): boolean {
  return defaultOn.includes(component);
}

/** az's parser: each token `key=value`, split on the first `=`; later tokens win. */
export function parseSettingTokens(tokens: readonly string[], flag: string, protectedSettings = false): Settings {
  const out: Settings = {};
  for (const token of tokens) {
    const i = token.indexOf('=');
    if (i <= 0) {
      const what = protectedSettings ? 'configuration_protected_setting' : 'configuration_setting';
      throw new UsageError(`Usage error: ${flag} ${what}_key=${what}_value`, {
        hint: `'${token}' has no '=': write each setting as key=value, e.g. ${flag} helm-controller.enabled=false`,
      });
    }
    out[token.slice(0, i)] = token.slice(i + 1);
  }
  return out;
}

/** A settings file: a JSON object of strings (numbers and booleans are turned into strings, as the API does). */
export function parseSettingsFile(text: string, file: string): Settings {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError(`File ${file} is not a valid JSON file`, {
      hint: 'the file must hold a JSON object of "key": "value" pairs',
    });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UserError(`File ${file} is not a valid JSON file`, {
      hint: 'the file must hold a JSON object of "key": "value" pairs',
    });
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 0)
    throw new UserError(`File ${file} is empty`, { hint: 'put at least one "key": "value" pair in it' });
  const out: Settings = {};
  for (const [k, v] of entries) {
    if (v === null || typeof v === 'object')
      throw new UserError(`File ${file}: the value of '${k}' must be a string`, {
        hint: 'write every value as a string, e.g. "true"',
      });
    out[k] = String(v);
  }
  return out;
}

const quantity = /^(\d+(\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const goDuration = /^(\d+(\.\d+)?(ns|us|\u00b5s|ms|s|m|h))+$/;

function checkValue(key: string, kind: ValueKind, value: string): string | undefined {
  switch (kind) {
    case 'bool':
      return /^(true|false)$/i.test(value) ? undefined : "'true' or 'false'";
    case 'logLevel':
      return ['debug', 'info', 'error', 'trace'].includes(value)
        ? undefined
        : "one of 'debug', 'info', 'error', 'trace'";
    case 'agentLogLevel':
      return ['info', 'error'].includes(value) ? undefined : "'info' or 'error'";
    case 'cpu':
    case 'memory':
      return quantity.test(value)
        ? undefined
        : `a Kubernetes quantity such as ${kind === 'cpu' ? "'500m' or '1'" : "'512Mi' or '1Gi'"}`;
    case 'positiveInt':
      return /^[1-9]\d*$/.test(value) ? undefined : 'a positive integer';
    case 'percent': {
      const n = Number(value);
      return /^\d+$/.test(value) && n >= 1 && n <= 100 ? undefined : 'a whole percentage between 1 and 100';
    }
    case 'duration':
      return goDuration.test(value) ? undefined : "a duration such as '30s', '500ms' or '1m'";
    case 'arg':
      // only the SSH host-key/kex flags: anything else would reach the controller's command line
      return /^--ssh-(hostkey|kex)-algos=[A-Za-z0-9@.+_-]+(,[A-Za-z0-9@.+_-]+)*$/.test(value)
        ? undefined
        : '--ssh-hostkey-algos=<algorithms> or --ssh-kex-algos=<algorithms>, ' +
            "e.g. '--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256'";
    case 'string':
      return value.trim() ? undefined : 'a non-empty string';
    case 'tolerations':
      return value.split(',').every((t) => parseToleration(t.trim()) !== undefined)
        ? undefined
        : "comma-separated toleration keys such as 'CriticalAddonsOnly' or 'CriticalAddonsOnly=true:NoSchedule'";
  }
  void key;
}

export interface Toleration {
  key: string;
  operator: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
}

/** `key` (as flux install --toleration-keys), `key:Effect` or `key=value:Effect`. */
export function parseToleration(text: string): Toleration | undefined {
  const m = /^([A-Za-z0-9][-A-Za-z0-9_./]*)(?:=([-A-Za-z0-9_.]*))?(?::(NoSchedule|PreferNoSchedule|NoExecute))?$/.exec(
    text,
  );
  if (!m) return undefined;
  const [, key, value, effect] = m;
  return value !== undefined
    ? { key: key!, operator: 'Equal', value, ...(effect ? { effect } : {}) }
    : { key: key!, operator: 'Exists', ...(effect ? { effect } : {}) };
}

/**
 * Checks every key and value; unknown keys are an error listing the known ones. Returns the notes for keys that
 * have no effect outside Azure.
 */
export function validateSettings(settings: Settings, protectedKeys: readonly string[] = []): string[] {
  const notes: string[] = [];
  const unknown = Object.keys(settings).filter((k) => !knownKeys.has(k));
  if (unknown.length)
    throw new UsageError(
      `unknown configuration setting${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} for microsoft.flux`,
      { hint: `known settings: ${[...knownKeys.keys()].join(', ')}` },
    );
  for (const [key, value] of Object.entries(settings)) {
    const spec = knownKeys.get(key)!;
    const expected = checkValue(key, spec.kind, value);
    // a protected value is never printed
    const shown = protectedKeys.includes(key) ? '(protected value, not shown)' : `'${value}'`;
    if (expected)
      throw new UsageError(`invalid value ${shown} for configuration setting '${key}': expected ${expected}`, {
        hint: `pass ${key}=<${expected.replace(/^an? /, '')}>`,
      });
    if (spec.noEffect) notes.push(`configuration setting '${key}' has no effect outside Azure: ${spec.noEffect}`);
  }
  if (isTrue(settings['workloadIdentity.enable']) && !settings['workloadIdentity.azureClientId'])
    throw new UsageError('workloadIdentity.enable=true needs workloadIdentity.azureClientId', {
      hint: 'pass the client id of the managed identity the controllers federate with: --config workloadIdentity.azureClientId=<id>',
    });
  return notes;
}

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && value.toLowerCase() === 'true';
}

/** Whether a component is installed under these settings. */
export function componentEnabled(settings: Settings, component: Component): boolean {
  const v = settings[`${component}.enabled`];
  return v === undefined ? isEnabledByDefault(component) : isTrue(v);
}
