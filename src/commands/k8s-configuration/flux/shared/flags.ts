// The commander declarations of the writing flux verbs: az's flags of `flux create|update` (§2.2, §2.3) and
// `flux kustomization create|update` (§2.6), each -k occurrence kept apart, and the flags fluxcfg adds to every
// write (waiting, dry run, source validation). What the values mean is parsed in src/model.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { parseTimeoutMs } from '../../../../model/duration.js';
import { SECRET_FILE_FLAGS } from '../../../../model/secret-input.js';
import { SOURCE_KINDS, sourceFlagSpecs, type FlagSpec } from '../../../../model/source-kinds/index.js';
import type { Flags } from '../../../verb.js';
import { EXIT_CODE_FLAG, requireDryRun } from '../../../dry-run.js';

/** What `*-file` flags name: a file, or stdin for `-` (secrets stay out of argv and the shell history). */
export const readInput = (file: string): string => readFileSync(file === '-' ? 0 : file, 'utf8');

/** Each `-k` occurrence's first value is tagged with this before commander sees it, so occurrences stay apart. */
const OCCURRENCE_MARK = '\u0000';

/** commander argParser of `-k`: one string[] per occurrence. */
function collectKustomization(value: string, previous: unknown): string[][] {
  const groups = Array.isArray(previous) ? (previous as string[][]).map((g) => [...g]) : [];
  if (value.startsWith(OCCURRENCE_MARK) || groups.length === 0) groups.push([value.replace(OCCURRENCE_MARK, '')]);
  else groups[groups.length - 1]!.push(value);
  return groups;
}

function collectList(value: string, previous: unknown): string[] {
  return [...(Array.isArray(previous) ? (previous as string[]) : []), value];
}

/**
 * Tags the first value of every `-k/--kustomization` occurrence (commander itself merges the values of all
 * occurrences of a variadic option into one list). Mirrors commander's own walk over the arguments.
 */
function markKustomizationOccurrences(cmd: Command, args: string[]): string[] {
  const out = [...args];
  const find = (arg: string) => cmd.options.find((o) => o.short === arg || o.long === arg);
  const isKustomization = (arg: string) => find(arg)?.attributeName() === 'kustomization';
  let variadic = false;
  for (let i = 0; i < out.length; i++) {
    const arg = out[i]!;
    if (arg === '--') break;
    const looksLikeOption = arg.length > 1 && arg.startsWith('-');
    if (variadic && !looksLikeOption) continue;
    variadic = false;
    if (!looksLikeOption) continue;
    const option = find(arg);
    if (option) {
      if (isKustomization(arg)) {
        if (i + 1 < out.length) out[i + 1] = OCCURRENCE_MARK + out[i + 1]!;
        i++;
        variadic = true;
      } else if (option.required) {
        i++;
        variadic = option.variadic;
      } else if (option.optional) {
        const next = out[i + 1];
        if (next !== undefined && !(next.length > 1 && next.startsWith('-'))) i++;
        variadic = option.variadic;
      }
      continue;
    }
    if (!arg.startsWith('--') && arg.length > 2 && isKustomization(arg.slice(0, 2))) {
      out[i] = arg.slice(0, 2) + OCCURRENCE_MARK + arg.slice(2); // -kname=x
      continue;
    }
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0 && isKustomization(arg.slice(0, eq))) {
      out[i] = arg.slice(0, eq + 1) + OCCURRENCE_MARK + arg.slice(eq + 1); // --kustomization=name=x
    }
  }
  return out;
}

/** commander's `.choices()`, matched case-insensitively as az's enums are (`--kind GIT`, `--scope Cluster`). */
export function caseInsensitiveChoices(option: Option, choices: readonly string[]): Option {
  option.choices(choices);
  const check = option.parseArg!;
  return option.argParser((value: string, previous: unknown) =>
    check(choices.find((c) => c.toLowerCase() === value.toLowerCase()) ?? value, previous),
  );
}

function boolOption(flags: string, description: string): Option {
  return new Option(flags, `${description} (true|false; alone = true)`);
}

/** The commander option of a source flag of the kind table. */
function sourceOption(spec: FlagSpec): Option {
  const option =
    spec.type === 'bool' ? boolOption(spec.flags, spec.description) : new Option(spec.flags, spec.description);
  if (spec.choices) caseInsensitiveChoices(option, spec.choices);
  if (spec.type === 'list') option.argParser(collectList);
  return option;
}

/**
 * Declares every source/auth/suspend/kustomization flag of az §2.2 (create) / §2.3 (update) on `cmd`.
 * Not declared here: --no-wait, --wait, --wait-timeout, --export, --export-secrets, --dry-run, --no-validate,
 * --no-install-extension, --yes (the command adds them) and the global flags of the root program.
 */
export function declareConfigurationFlags(cmd: Command, verb: 'create' | 'update'): void {
  cmd.requiredOption('-n, --name <name>', 'Name of the flux configuration');
  if (verb === 'create') {
    cmd.addOption(
      caseInsensitiveChoices(
        new Option('-s, --scope <scope>', "Specify scope of the operator to be 'namespace' or 'cluster'"),
        ['cluster', 'namespace'],
      ).default('cluster'),
    );
    cmd.addOption(
      new Option('--ns, --namespace <namespace>', 'Namespace to deploy the configuration').default('default'),
    );
  }
  const kindOption = new Option('--kind <kind>', 'Source kind to reconcile');
  const kind = caseInsensitiveChoices(kindOption, Object.keys(SOURCE_KINDS));
  cmd.addOption(verb === 'create' ? kind.default('git') : kind);
  // The source flags, from the source kind table (src/model/source-kinds): the common ones, then each kind's.
  for (const spec of Object.values(sourceFlagSpecs)) cmd.addOption(sourceOption(spec));
  for (const s of SECRET_FILE_FLAGS)
    cmd.option(`${s.flag} <path>`, `file holding the value of ${s.inlineFlag} ('-' = stdin; keeps it out of argv)`);
  cmd.addOption(
    boolOption(
      '--suspend [bool]',
      'Suspend the reconciliation of the source and kustomizations associated with this configuration',
    ),
  );
  cmd.addOption(
    new Option(
      '-k, --kustomization <KEY=VALUE...>',
      'Define a kustomization (repeat -k for more) with keys name, path, depends_on, timeout, sync_interval, ' +
        'retry_interval, prune, force, disable_health_check, wait, target_namespace, substitute.<VAR>, substitute_from',
    ).argParser(collectKustomization),
  );

  const parseOptions = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args: string[]) => parseOptions(markKustomizationOccurrences(cmd, args));
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
  cmd.option(
    '--path <path>',
    `Specify the path in the source that the kustomization should apply${verb === 'create' ? ' (default: the root)' : ''}`,
  );
  cmd.option('--depends, --dependencies <names>', 'Comma-separated list of kustomization dependencies');
  cmd.addOption(new Option('--depends-on <names>', 'alias of --dependencies').hideHelp());
  cmd.option('--timeout <duration>', 'Maximum time to reconcile the kustomization before timing out');
  cmd.option(
    '--interval, --sync-interval <duration>',
    'Time between reconciliations of the kustomization on the cluster',
  );
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
    new Option('--substitute <KEY=VALUE...>', 'postBuild variable substitution ${KEY} → VALUE (repeatable)').argParser(
      collectList,
    ),
  );
  cmd.addOption(
    new Option(
      '--substitute-from <ref...>',
      "postBuild variables from ConfigMap/<name> or Secret/<name> ('?' suffix: optional; repeatable)",
    ).argParser(collectList),
  );
}

/** Flags every writing flux verb adds to az's: waiting, dry run, source validation. */
export function declareApplyFlags(cmd: Command): Command {
  return (
    cmd
      // --wait first: commander makes a lone --no-wait default the value to true.
      .option('--wait', 'wait until the source and the Kustomizations report Ready')
      .option('--no-wait', 'accepted for az compatibility (fluxcfg does not wait unless --wait)')
      .option('--wait-timeout <duration>', 'how long --wait waits', '5m')
      .option(
        '--dry-run',
        'server-side dry run: everything validated by the API server, nothing stored; prints the diff',
      )
      .option(...EXIT_CODE_FLAG)
      .option('--force-conflicts', 'take over fields that another field manager owns (server-side apply conflicts)')
      .option('--no-validate', 'skip cloning the source to check its manifests against scope and multi-tenancy rules')
  );
}

export interface ApplyFlags {
  readonly wait: boolean;
  readonly waitTimeoutMs: number;
  readonly dryRun: boolean;
  readonly forceConflicts: boolean;
  readonly validate: boolean;
  /** --exit-code (with --dry-run): 1 when something would change. */
  readonly exitCode: boolean;
}

export function parseApplyFlags(flags: Flags): ApplyFlags {
  return {
    wait: flags.wait === true,
    waitTimeoutMs: parseTimeoutMs(String(flags.waitTimeout ?? '5m'), '--wait-timeout'),
    dryRun: flags.dryRun === true,
    forceConflicts: flags.forceConflicts === true,
    validate: flags.validate !== false,
    exitCode: requireDryRun(flags),
  };
}
