// One kustomization from `-k KEY=VALUE ...` (az §3.9 plus fluxcfg's extra keys), the shared value parsers
// (strict booleans, dependency lists, substituteFrom refs), az's model defaults and the field-by-field merge.
import { UsageError } from '../errors.js';
import type { KustomizationDefinition, SubstituteFrom } from './flux-configuration.js';
import { parseDuration } from './duration.js';
import { DEFAULT_INTERVAL_SECONDS } from './naming.js';
import { validateLabelName, validateSubdomainName } from './validate.js';

export const KUSTOMIZATION_USAGE = 'usage error: --kustomization KEY=VALUE [KEY=VALUE ...]';
export const DEFAULT_KUSTOMIZATION_NAME = 'kustomization-1';
export const NO_KUSTOMIZATIONS_WARNING =
  "Warning! No kustomizations were specified for this configuration. A kustomization will be generated with the default name 'kustomization-1'.";
/** Model defaults of the az KustomizationDefinition (what the service stores when a field is not sent). */
export const KUSTOMIZATION_DEFAULTS = {
  path: '',
  dependsOn: [] as string[],
  timeoutInSeconds: DEFAULT_INTERVAL_SECONDS,
  syncIntervalInSeconds: DEFAULT_INTERVAL_SECONDS,
  prune: false,
  force: false,
  wait: true,
} as const;

/** Strict boolean: true/false (any case); anything else is a usage error naming the flag or key. */
export function parseBool(value: unknown, name: string): boolean {
  if (value === true || value === false) return value;
  const s = String(value).trim().toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw new UsageError(`argument ${name}: invalid choice: '${String(value)}' (choose from 'false', 'true')`, {
    hint: `Specify true or false for ${name}`,
  });
}

/** Like parseBool; undefined/null stay undefined (flag not given). */
export function parseOptionalBool(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  return parseBool(value, name);
}

/**
 * az parse_dependencies (`[a,b]`, `a,b`), with the items trimmed, unquoted and empty items dropped
 * (az keeps `"infra"` quotes and spaces; the Kustomization would then depend on a name that cannot exist).
 */
export function parseDependencies(value: string): string[] {
  let v = value.trim();
  if (v.startsWith('[')) v = v.endsWith(']') ? v.slice(1, -1) : v.slice(1);
  return v
    .split(',')
    .map((d) =>
      d
        .trim()
        .replace(/^(['"])(.*)\1$/, '$2')
        .trim(),
    )
    .filter((d) => d !== '');
}

export const SUBSTITUTE_FROM_HELP = "Use ConfigMap/<name> or Secret/<name>, with a trailing '?' when it is optional";

/** `ConfigMap/<name>` | `Secret/<name>`, `?` suffix = optional; several may be comma-separated. */
export function parseSubstituteFrom(value: string, name: string): SubstituteFrom[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const m = /^(configmap|secret)\/([^/?]+)(\?)?$/i.exec(item);
      if (!m) {
        throw new UsageError(`Error! Invalid ${name} '${item}'`, { hint: SUBSTITUTE_FROM_HELP });
      }
      const kind = m[1]!.toLowerCase() === 'secret' ? 'Secret' : 'ConfigMap';
      validateSubdomainName(m[2]!, name, 253);
      return m[3] ? { kind, name: m[2]!, optional: true } : { kind, name: m[2]! };
    });
}

/** `KEY=VALUE` of `--substitute` / `-k substitute.KEY=VALUE`: a postBuild variable name. */
export function parseSubstitutePair(pair: string, name: string): [string, string] {
  const i = pair.indexOf('=');
  const key = i === -1 ? '' : pair.slice(0, i);
  if (!/^[_a-zA-Z][_a-zA-Z0-9]*$/.test(key)) {
    throw new UsageError(`Error! Invalid ${name} '${pair}'`, {
      hint: 'Use VAR=value, where VAR starts with a letter or underscore and has only letters, digits and underscores',
    });
  }
  return [key, pair.slice(i + 1)];
}

export interface ParsedKustomizationTokens {
  name: string;
  /** Only the fields given. */
  patch: KustomizationDefinition;
  warnings: string[];
}

const KEY_ALIASES: Record<string, string> = {
  name: 'name',
  path: 'path',
  dependencies: 'dependsOn',
  depends_on: 'dependsOn',
  dependsOn: 'dependsOn',
  depends: 'dependsOn',
  'depends-on': 'dependsOn',
  interval: 'syncInterval',
  sync_interval: 'syncInterval',
  syncInterval: 'syncInterval',
  'sync-interval': 'syncInterval',
  retryInterval: 'retryInterval',
  retry_interval: 'retryInterval',
  'retry-interval': 'retryInterval',
  timeout: 'timeout',
  prune: 'prune',
  force: 'force',
  wait: 'wait',
  'disable-health-check': 'disableHealthCheck',
  disable_health_check: 'disableHealthCheck',
  disableHealthCheck: 'disableHealthCheck',
  target_namespace: 'targetNamespace',
  targetNamespace: 'targetNamespace',
  'target-namespace': 'targetNamespace',
  substitute_from: 'substituteFrom',
  substituteFrom: 'substituteFrom',
  'substitute-from': 'substituteFrom',
};

/** A kustomization path stays inside the source: relative, no `..` segment, no control characters. */
export function checkKustomizationPath(value: string, param: string): string {
  const segments = value.split(/[/\\]+/);
  const why = /^([/\\]|[A-Za-z]:)/.test(value)
    ? 'it is absolute'
    : segments.includes('..')
      ? "it contains '..'"
      : /[\u0000-\u001f\u007f]/.test(value)
        ? 'it contains a control character'
        : undefined;
  if (why) {
    throw new UsageError(`Error! Invalid ${param} '${value}': ${why}`, {
      hint: 'A kustomization path is relative to the root of the source and stays inside it, e.g. ./apps/staging',
    });
  }
  return value;
}

/** Parses the tokens of one `-k` occurrence. Errors in token order, as az's argparse action raises them. */
export function parseKustomizationTokens(tokens: readonly string[]): ParsedKustomizationTokens {
  for (const t of tokens) {
    if (!t.includes('='))
      throw new UsageError(KUSTOMIZATION_USAGE, {
        hint: 'Each --kustomization value is KEY=VALUE, e.g. -k name=apps path=./apps prune=true',
      });
  }
  let name: string | undefined;
  const patch: KustomizationDefinition = {};
  const warnings: string[] = [];
  for (const token of tokens) {
    const i = token.indexOf('=');
    const rawKey = token.slice(0, i);
    const value = token.slice(i + 1);
    if (rawKey.startsWith('substitute.')) {
      const [k, v] = parseSubstitutePair(`${rawKey.slice('substitute.'.length)}=${value}`, 'substitute');
      patch.postBuild = { ...patch.postBuild, substitute: { ...patch.postBuild?.substitute, [k]: v } };
      continue;
    }
    switch (KEY_ALIASES[rawKey]) {
      case 'name':
        validateSubdomainName(value, 'name', 63);
        name = value;
        break;
      case 'path':
        patch.path = checkKustomizationPath(value, 'path');
        break;
      case 'dependsOn':
        patch.dependsOn = parseDependencies(value);
        break;
      case 'syncInterval':
        patch.syncIntervalInSeconds = parseDuration(value, 'sync-interval');
        break;
      case 'retryInterval':
        patch.retryIntervalInSeconds = parseDuration(value, 'retry-interval');
        break;
      case 'timeout':
        patch.timeoutInSeconds = parseDuration(value, 'timeout');
        break;
      case 'prune':
        patch.prune = parseBool(value, 'prune');
        break;
      case 'force':
        patch.force = parseBool(value, 'force');
        break;
      case 'wait':
        patch.wait = parseBool(value, 'wait');
        break;
      case 'disableHealthCheck':
        patch.wait = !parseBool(value, rawKey);
        break;
      case 'targetNamespace':
        validateLabelName(value, 'target_namespace', 63);
        patch.targetNamespace = value;
        break;
      case 'substituteFrom':
        patch.postBuild = {
          ...patch.postBuild,
          substituteFrom: [
            ...(patch.postBuild?.substituteFrom ?? []),
            ...parseSubstituteFrom(value, 'substitute_from'),
          ],
        };
        break;
      default:
        warnings.push(`Warning! Unknown kustomization key '${rawKey}' ignored`);
    }
  }
  if (name === undefined) {
    throw new UsageError("Error! Kustomization definition is invalid, required values {'name'} not found", {
      hint: 'Add the required values to the Kustomization object and try again',
    });
  }
  return { name, patch, warnings };
}

/** A new kustomization: az's model defaults, then the given fields. `name` echoes the map key. */
export function withDefaults(name: string, patch: KustomizationDefinition): KustomizationDefinition {
  return mergeKustomization({ name, ...KUSTOMIZATION_DEFAULTS, dependsOn: [] }, patch);
}

/** Field-by-field merge: fields the patch does not carry are kept; postBuild maps merge per variable. */
export function mergeKustomization(
  existing: KustomizationDefinition,
  patch: KustomizationDefinition,
): KustomizationDefinition {
  const out: KustomizationDefinition = { ...existing };
  for (const [key, value] of Object.entries(patch) as [keyof KustomizationDefinition, unknown][]) {
    if (value === undefined || key === 'postBuild') continue;
    (out as Record<string, unknown>)[key] = value;
  }
  if (patch.postBuild) {
    const substitute =
      patch.postBuild.substitute || existing.postBuild?.substitute
        ? { ...existing.postBuild?.substitute, ...patch.postBuild.substitute }
        : undefined;
    const substituteFrom = patch.postBuild.substituteFrom ?? existing.postBuild?.substituteFrom;
    out.postBuild = {
      ...(substitute ? { substitute } : {}),
      ...(substituteFrom ? { substituteFrom } : {}),
    };
  }
  return out;
}
