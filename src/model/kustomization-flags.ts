// The flags of `flux kustomization create|update` (az §2.6) and how they change a configuration (az §4.2),
// with fluxcfg's extras (--target-namespace, --substitute, --substitute-from) and az's `wait` reset fixed.
import { Option, type Command } from 'commander';
import { UsageError, UserError } from '../errors.js';
import type { FluxConfiguration, KustomizationDefinition } from './flux-configuration.js';
import { parseOptionalDuration } from './duration.js';
import {
  mergeKustomization,
  parseDependencies,
  parseOptionalBool,
  parseSubstituteFrom,
  parseSubstitutePair,
  withDefaults,
} from './kustomization-spec.js';
import { validateConfiguration, validateLabelName, validateSubdomainName } from './validate.js';

type Flags = Record<string, unknown>;

function collect(value: string, previous: unknown): string[] {
  return [...(Array.isArray(previous) ? (previous as string[]) : []), value];
}

/**
 * Declares -n/--name (configuration), -k/--kustomization-name, --path, --depends/--dependencies/--depends-on,
 * --timeout, --sync-interval/--interval, --retry-interval, --prune, --force, --disable-health-check (also
 * --disable_health_check), --target-namespace, --substitute KEY=VALUE..., --substitute-from ConfigMap/<n>|Secret/<n>[?]...
 * Not declared: --wait/--no-wait (the command's readiness wait; a Kustomization's health checks are
 * --disable-health-check), --ns, --dry-run.
 */
export function declareKustomizationFlags(cmd: Command, verb: 'create' | 'update'): void {
  cmd.requiredOption('-n, --name <name>', 'Name of the flux configuration');
  cmd.requiredOption('-k, --kustomization-name <name>', 'Specify the name of the kustomization to target');
  cmd.option('--path <path>', `Specify the path in the source that the kustomization should apply${verb === 'create' ? ' (default: the root)' : ''}`);
  cmd.option('--depends, --dependencies <names>', 'Comma-separated list of kustomization dependencies');
  cmd.addOption(new Option('--depends-on <names>', 'alias of --dependencies').hideHelp());
  cmd.option('--timeout <duration>', 'Maximum time to reconcile the kustomization before timing out');
  cmd.option('--interval, --sync-interval <duration>', 'Time between reconciliations of the kustomization on the cluster');
  cmd.option(
    '--retry-interval <duration>',
    'Time between reconciliations of the kustomization on the cluster on failures, defaults to --sync-interval',
  );
  cmd.option('--prune [bool]', 'Garbage collect resources deployed by the kustomization on the cluster');
  cmd.option('--force [bool]', 'Re-create resources that cannot be updated on the cluster (i.e. jobs)');
  cmd.option('--disable-health-check [bool]', 'Disable health checks for kustomizations applied to the cluster');
  cmd.addOption(new Option('--disable_health_check [bool]', 'alias of --disable-health-check').hideHelp());
  cmd.option('--target-namespace <namespace>', 'Namespace every namespaced object of the kustomization is deployed to');
  cmd.addOption(
    new Option('--substitute <KEY=VALUE...>', 'postBuild variable substitution ${KEY} → VALUE (repeatable)').argParser(collect),
  );
  cmd.addOption(
    new Option(
      '--substitute-from <ref...>',
      "postBuild variables from ConfigMap/<name> or Secret/<name> ('?' suffix: optional; repeatable)",
    ).argParser(collect),
  );
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
function patchFromFlags(flags: Flags): KustomizationDefinition {
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
    path: flags.path === undefined ? undefined : String(flags.path),
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
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as KustomizationDefinition;
}

/** `kustomization create`: az's "already exists" error; az's defaults for what is not given. */
export function applyKustomizationCreate(existing: FluxConfiguration, flags: Flags): FluxConfiguration {
  const patch = patchFromFlags(flags);
  const name = kustomizationName(flags);
  if (Object.hasOwn(existing.kustomizations, name)) {
    throw new UserError(
      `Error! Cannot create a kustomization that already exists. Kustomization name '${name}' already exists on configuration '${existing.name}'`,
      { hint: "You can update an already created kustomization with 'fluxcfg k8s-configuration flux kustomization update'" },
    );
  }
  validateSubdomainName(name, '--kustomization-name', 63);
  const config: FluxConfiguration = {
    ...existing,
    kustomizations: { ...existing.kustomizations, [name]: withDefaults(name, patch) },
  };
  validateConfiguration(config);
  return config;
}

/** `kustomization update`: az's "doesn't exist" error; only the fields given change (az resets `wait`). */
export function applyKustomizationUpdate(existing: FluxConfiguration, flags: Flags): FluxConfiguration {
  const patch = patchFromFlags(flags);
  const name = kustomizationName(flags);
  const old = existing.kustomizations[name];
  if (!old || !Object.hasOwn(existing.kustomizations, name)) {
    throw new UserError(
      `Error! Cannot update a kustomization that doesn't exist. Kustomization name '${name}' does not exist on configuration '${existing.name}'`,
      { hint: "You can add the kustomization to the configuration with 'fluxcfg k8s-configuration flux kustomization create'" },
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
    throw new UserError("Error! Cannot delete a kustomization that doesn't exist.", {
      hint: "You can view all kustomizations on a configuration with 'fluxcfg k8s-configuration flux kustomization list'",
    });
  }
  const kustomizations = { ...existing.kustomizations };
  delete kustomizations[name];
  const config = { ...existing, kustomizations };
  validateConfiguration(config);
  return config;
}
