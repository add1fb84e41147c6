// Flags shared by k8s-extension create and update, and their pure parsing.
import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import {
  DEFAULT_WAIT_TIMEOUT_MS,
  type InstallCommon,
  type InstallResult,
  type SettingsInput,
} from '../../extension/install.js';
import type { PlanSummaryRow } from '../../k8s/plan.js';
import { extensionTable } from '../../model/extension/status.js';
import { RawText } from '../../ui/output.js';
import { validateExtensionName } from '../../model/extension/record.js';
import { parseSettingTokens } from '../../model/extension/settings.js';
import type { Flags } from '../verb.js';
import type { Deps } from '../../deps.js';
import { dryRunResult, EXIT_CODE_FLAG, requireDryRun } from '../dry-run.js';
import { parseTimeoutMs } from '../../model/duration.js';
import { parseBool } from '../../model/flags.js';

export function nameFlag(cmd: Command): void {
  cmd.requiredOption('-n, --name <name>', 'name of the extension instance (az uses flux)');
}

export function parseName(flags: Flags): string {
  const name = String(flags.name);
  validateExtensionName(name);
  return name;
}

/** Settings, version, manifest source and wait flags of create and update. */
export function installFlags(cmd: Command): void {
  cmd
    .option(
      '--configuration-settings, --config <key=value...>',
      'configuration settings as key=value pairs (repeatable)',
    )
    .addOption(new Option('--config-settings <key=value...>').hideHelp())
    .option('--config-settings-file, --config-file <path>', 'JSON file of configuration settings')
    .addOption(new Option('--configuration-settings-file <path>').hideHelp())
    .option(
      '--config-protected-settings, --config-protected <key=value...>',
      'protected settings as key=value pairs; values are never shown',
    )
    .addOption(new Option('--configuration-protected-settings <key=value...>').hideHelp())
    .option('--config-protected-settings-file, --config-protected-file <path>', 'JSON file of protected settings')
    .addOption(new Option('--configuration-protected-settings-file <path>').hideHelp())
    .option('--version <version>', 'microsoft.flux version (e.g. 1.23.0) or Flux release (e.g. 2.7.5) to install')
    .option('--auto-upgrade-minor-version, --auto-upgrade [bool]', 'accepted and recorded; no effect here')
    .option('--release-train <train>', 'accepted and recorded; no effect here')
    .option('--manifests <file|url>', 'Flux install manifest to use instead of downloading the release install.yaml')
    .option('--skip-preflight', 'do not check the Kubernetes version against the minimum of the Flux release')
    .option('--export', 'print the rendered install as YAML instead of applying it')
    .option(
      '--dry-run',
      'server-side dry run: print the diff of what would be created, updated and removed; nothing is stored',
    )
    .option(...EXIT_CODE_FLAG)
    .option('--wait', 'wait until the Flux controllers are available (default)')
    .option('--no-wait', 'do not wait for the Flux controllers to become available')
    .option('--wait-timeout <duration>', 'how long to wait for the controllers, e.g. 10m', '10m');
}

function tokens(flags: Flags, ...keys: string[]): string[] {
  return keys.flatMap((k) => (Array.isArray(flags[k]) ? (flags[k] as string[]) : []));
}

function oneOf(flags: Flags, ...keys: string[]): string | undefined {
  const given = keys.filter((k) => typeof flags[k] === 'string');
  return given.length ? String(flags[given.at(-1)!]) : undefined;
}

/** The flags create and update share, parsed. */
export type InstallFlagValues = Omit<InstallCommon, 'name'>;

export function parseInstallFlags(flags: Flags): InstallFlagValues {
  const version = oneOf(flags, 'version');
  const autoUpgradeMinorVersion = parseBool(flags.autoUpgrade, '--auto-upgrade-minor-version');
  // az checks this before anything about the settings
  if (version !== undefined && autoUpgradeMinorVersion === true)
    throw new UsageError("To pin to specific version, auto-upgrade-minor-version must be set to 'false'.", {
      hint: 'pass --auto-upgrade-minor-version false with --version, or leave --version out',
    });
  const input: SettingsInput = {
    settings: parseSettingTokens(tokens(flags, 'configSettings', 'config'), '--configuration-settings'),
    settingsFile: oneOf(flags, 'configurationSettingsFile', 'configFile'),
    protectedSettings: parseSettingTokens(
      tokens(flags, 'configurationProtectedSettings', 'configProtected'),
      '--configuration-protected-settings',
      true,
    ),
    protectedSettingsFile: oneOf(flags, 'configurationProtectedSettingsFile', 'configProtectedFile'),
  };
  if (flags.export && flags.dryRun)
    throw new UsageError('--export and --dry-run cannot be used together', {
      hint: '--export prints the rendered install without a cluster; --dry-run has the API server validate it',
    });
  return {
    input,
    version,
    autoUpgradeMinorVersion,
    releaseTrain: typeof flags.releaseTrain === 'string' ? flags.releaseTrain : undefined,
    manifests: typeof flags.manifests === 'string' ? flags.manifests : undefined,
    skipPreflight: Boolean(flags.skipPreflight),
    export: Boolean(flags.export),
    dryRun: Boolean(flags.dryRun),
    exitCode: requireDryRun(flags),
    wait: flags.wait !== false,
    waitTimeoutMs:
      flags.waitTimeout === undefined
        ? DEFAULT_WAIT_TIMEOUT_MS
        : parseTimeoutMs(String(flags.waitTimeout), '--wait-timeout'),
  };
}

/** What create and update print: the export as is, the diff of a dry run, or the extension (az's shape). */
export function installOutput(
  result: InstallResult,
  deps?: Pick<Deps, 'io' | 'log' | 'globals'>,
  exitCode = false,
): unknown {
  if ('exported' in result) return new RawText(result.exported);
  if ('plan' in result) return deps ? dryRunResult(deps, result.plan, result.changes ?? [], exitCode) : result.plan;
  return result.view;
}

/** -o table of create/update: a dry run's plan rows (Action, Kind, Namespace, Name), else az's extension table. */
export function installTable(result: unknown): unknown {
  if (!Array.isArray(result)) return extensionTable(result);
  return (result as PlanSummaryRow[]).map((r) => ({
    action: r.action,
    kind: r.kind,
    namespace: r.namespace ?? '',
    name: r.name,
  }));
}
