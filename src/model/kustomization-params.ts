// `flux kustomization create|update|delete` (az §2.6, §4.2): the flags → one kustomization patch (pure, checked
// before the cluster is read), then the change to the live configuration, with fluxcfg's extras
// (--target-namespace, --substitute, --substitute-from) and az's `wait` reset fixed.
import { NotFoundError, UsageError, UserError } from '../errors.js';
import type { FluxConfiguration, KustomizationDefinition } from './flux-configuration.js';
import { parseOptionalDuration } from './duration.js';
import {
  checkKustomizationPath,
  mergeKustomization,
  parseDependencies,
  parseOptionalBool,
  parseSubstituteFrom,
  parseSubstitutePair,
  withDefaults,
} from './kustomization-spec.js';
import { validateConfiguration, validateLabelName, validateSubdomainName } from './validate.js';

type Flags = Record<string, unknown>;

/** What `kustomization create|update` flags say: the target and only the fields given. */
export interface KustomizationChange {
  readonly name: string;
  readonly patch: KustomizationDefinition;
}

/** The kustomization the verb targets (`-k/--kustomization-name`). */
export function kustomizationName(flags: Flags): string {
  const name = flags.kustomizationName;
  if (name === undefined || name === null || name === '') {
    throw new UsageError("required option '-k, --kustomization-name <name>' not specified", {
      hint: 'Pass the kustomization name with -k/--kustomization-name',
    });
  }
  return String(name);
}

function list(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** Only the fields given on the command line. Durations are checked first, as az's pre-validation does. */
export function patchFromFlags(flags: Flags): KustomizationDefinition {
  const timeout = parseOptionalDuration(flags.timeout, '--timeout');
  const syncInterval = parseOptionalDuration(flags.syncInterval, '--sync-interval');
  const retryInterval = parseOptionalDuration(flags.retryInterval, '--retry-interval');
  const depends = flags.dependencies ?? flags.dependsOn;
  const disableHealthCheck =
    parseOptionalBool(flags.disableHealthCheck, '--disable-health-check') ??
    parseOptionalBool(flags.disable_health_check, '--disable-health-check');
  const targetNamespace = flags.targetNamespace === undefined ? undefined : String(flags.targetNamespace);
  if (targetNamespace !== undefined) validateLabelName(targetNamespace, '--target-namespace', 63);
  const substitute = list(flags.substitute)?.map((p) => parseSubstitutePair(p, '--substitute'));
  const substituteFrom = list(flags.substituteFrom)?.flatMap((v) => parseSubstituteFrom(v, '--substitute-from'));
  const patch: KustomizationDefinition = {
    path: flags.path === undefined ? undefined : checkKustomizationPath(String(flags.path), '--path'),
    dependsOn: depends === undefined ? undefined : parseDependencies(String(depends)),
    timeoutInSeconds: timeout,
    syncIntervalInSeconds: syncInterval,
    retryIntervalInSeconds: retryInterval,
    prune: parseOptionalBool(flags.prune, '--prune'),
    force: parseOptionalBool(flags.force, '--force'),
    wait: disableHealthCheck === undefined ? undefined : !disableHealthCheck,
    targetNamespace,
  };
  if (substitute || substituteFrom) {
    patch.postBuild = {
      ...(substitute ? { substitute: Object.fromEntries(substitute) } : {}),
      ...(substituteFrom ? { substituteFrom } : {}),
    };
  }
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
}

/** `kustomization create`: az's "already exists" error; az's defaults for what is not given. */
export function createKustomization(existing: FluxConfiguration, change: KustomizationChange): FluxConfiguration {
  const { name, patch } = change;
  if (Object.hasOwn(existing.kustomizations, name)) {
    throw new UserError(
      `Error! Cannot create a kustomization that already exists. Kustomization name '${name}' already exists on configuration '${existing.name}'`,
      {
        hint: "You can update an already created kustomization with 'fluxcfg k8s-configuration flux kustomization update'",
      },
    );
  }
  const config: FluxConfiguration = {
    ...existing,
    kustomizations: { ...existing.kustomizations, [name]: withDefaults(name, patch) },
  };
  validateConfiguration(config);
  return config;
}

/** `kustomization update`: az's "doesn't exist" error; only the fields given change (az resets `wait`). */
export function updateKustomization(existing: FluxConfiguration, change: KustomizationChange): FluxConfiguration {
  const { name, patch } = change;
  const old = existing.kustomizations[name];
  if (!old || !Object.hasOwn(existing.kustomizations, name)) {
    throw new NotFoundError(
      `Error! Cannot update a kustomization that doesn't exist. Kustomization name '${name}' does not exist on configuration '${existing.name}'`,
      {
        hint: "You can add the kustomization to the configuration with 'fluxcfg k8s-configuration flux kustomization create'",
      },
    );
  }
  const config: FluxConfiguration = {
    ...existing,
    kustomizations: { ...existing.kustomizations, [name]: mergeKustomization(old, patch) },
  };
  validateConfiguration(config);
  return config;
}

/** `kustomization delete` on the model: az's "doesn't exist" error; the rest of the configuration re-validated. */
export function applyKustomizationDelete(existing: FluxConfiguration, name: string): FluxConfiguration {
  if (!Object.hasOwn(existing.kustomizations, name)) {
    throw new NotFoundError("Error! Cannot delete a kustomization that doesn't exist.", {
      hint: "You can view all kustomizations on a configuration with 'fluxcfg k8s-configuration flux kustomization list'",
    });
  }
  const kustomizations = { ...existing.kustomizations };
  delete kustomizations[name];
  const config = { ...existing, kustomizations };
  validateConfiguration(config);
  return config;
}

/**
 * The flags of `kustomization create|update`, checked on their own: durations first (as az's pre-validation),
 * then the name (`create` checks it is a valid name; the entry's existence is checked against the live one).
 */
export function parseKustomizationChange(flags: Flags, verb: 'create' | 'update'): KustomizationChange {
  const patch = patchFromFlags(flags);
  const name = kustomizationName(flags);
  if (verb === 'create') validateSubdomainName(name, '--kustomization-name', 63);
  return { name, patch };
}

export const applyKustomizationCreate = (existing: FluxConfiguration, flags: Flags): FluxConfiguration =>
  createKustomization(existing, parseKustomizationChange(flags, 'create'));
export const applyKustomizationUpdate = (existing: FluxConfiguration, flags: Flags): FluxConfiguration =>
  updateKustomization(existing, parseKustomizationChange(flags, 'update'));
