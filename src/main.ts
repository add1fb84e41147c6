import { Command, CommanderError } from 'commander';
import { buildProgram, version } from './commands/index.js';
import { betterUsageError } from './commands/suggest.js';
import type { Deps, GlobalOptions } from './deps.js';
import { ResultWithExitCode } from './commands/result.js';
import { FleetResult, runFleet } from './fleet/run.js';
import { parseFleet } from './fleet/select.js';
import type { Invoke } from './commands/verb.js';
import { ExitCode, UserError } from './errors.js';
import { exec as realExec, type Exec } from './exec.js';
import { MissingKindError, type KubeClient } from './k8s/client.js';
import type { KubeSelection } from './k8s/kubeconfig.js';
import { INSTALL_FLUX_COMMAND } from './model/extension/versions.js';
import { makeColor } from './ui/color.js';
import { processIo, type Io } from './ui/io.js';
import { Logger, type LogLevel } from './ui/log.js';
import { formatResult, type OutputFormat } from './ui/output.js';
import { startProgress } from './ui/progress.js';
import { makePrompter } from './ui/prompt.js';

export interface MainOverrides {
  readonly io?: Io;
  /** Replaces kubeconfig loading (tests hand in a client for a given context). */
  readonly connect?: (selection: KubeSelection, log: Logger) => Promise<KubeClient>;
  readonly exec?: Exec;
}

function toGlobals(o: Record<string, unknown>): GlobalOptions {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    output: (str(o.output) ?? 'json') as OutputFormat,
    query: str(o.query),
    onlyShowErrors: Boolean(o.onlyShowErrors),
    verbose: Boolean(o.verbose),
    debug: Boolean(o.debug),
    color: o.color !== false,
    yes: Boolean(o.yes),
    kubeconfig: str(o.kubeconfig),
    context: str(o.context),
    resourceGroup: str(o.resourceGroup),
    clusterType: str(o.clusterType),
    clusterName: str(o.clusterName),
    clusterResourceProvider: str(o.clusterResourceProvider),
    subscription: str(o.subscription),
  };
}

function logLevel(g: Pick<GlobalOptions, 'debug' | 'verbose' | 'onlyShowErrors'>): LogLevel {
  if (g.debug) return 'debug';
  if (g.verbose) return 'info';
  if (g.onlyShowErrors) return 'error';
  return 'warn';
}

/** commander copies settings only to subcommands made with .command(); ours are added, so set them on each. */
function forEachCommand(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) forEachCommand(sub, fn);
}

function rootOf(cmd: Command): Command {
  return cmd.parent ? rootOf(cmd.parent) : cmd;
}

/** Hints that name fluxcfg commands are worded here, not in the layers that raise the errors. */
export function withCliHint(err: unknown): unknown {
  if (err instanceof MissingKindError && err.fluxKind)
    return new MissingKindError(err.apiVersion, err.kind, `Flux is not installed: run ${INSTALL_FLUX_COMMAND}`);
  return err;
}

/** Prints an error as `error:` + `hint:` on stderr (stack only under --debug) and returns its exit code. */
export function reportError(thrown: unknown, log: Logger, io: Io): number {
  const err = withCliHint(thrown);
  if (err instanceof UserError) {
    log.error(err.message, err.hint);
    if (log.enabled('debug') && err.stack) io.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  log.error(`internal error: ${e.message}`, 'this is a bug in fluxcfg: re-run with --debug and report the output');
  if (log.enabled('debug') && e.stack) io.stderr.write(`${e.stack}\n`);
  return ExitCode.error;
}

/** The program. Returns the exit code; never exits the process itself. */
export async function main(argv: readonly string[], overrides: MainOverrides = {}): Promise<number> {
  const io = overrides.io ?? processIo();
  if (argv.length === 1 && argv[0] === '--version') {
    io.stdout.write(`${version}\n`);
    return ExitCode.ok;
  }
  const earlyDebug = argv.includes('--debug');
  let log = new Logger(io.stderr, earlyDebug ? 'debug' : 'warn', makeColor(io, 'stderr', argv.includes('--no-color')));
  let client: Promise<KubeClient> | undefined;
  let exitCode: number = ExitCode.ok;

  const invoke: Invoke = async (spec, flags, cmd) => {
    const globals = toGlobals(cmd.optsWithGlobals());
    log = new Logger(io.stderr, logLevel(globals), makeColor(io, 'stderr', !globals.color));
    const onlyId = 'ignored (fluxcfg works on the kubeconfig context), only named in the output\'s id';
    if (globals.resourceGroup) log.info(`--resource-group ${globals.resourceGroup}: ${onlyId} and resourceGroup`);
    if (globals.clusterType) log.info(`--cluster-type ${globals.clusterType}: ${onlyId}`);
    if (globals.clusterResourceProvider) log.info(`--cluster-resource-provider: ${onlyId}`);
    if (globals.subscription) log.info(`--subscription: ${onlyId}`);
    const selection: KubeSelection = {
      kubeconfig: globals.kubeconfig,
      context: globals.context,
      clusterName: globals.clusterName,
      env: io.env,
    };
    const deps: Deps = {
      io,
      log,
      globals,
      prompt: makePrompter(io, globals.yes),
      exec: overrides.exec ?? realExec,
      kube: () =>
        (client ??= overrides.connect
          ? overrides.connect(selection, log)
          : import('./k8s/index.js').then((m) => m.connect(selection, log))),
      progress: (text) => startProgress(io, log, text),
    };
    const fleet = parseFleet(cmd.optsWithGlobals(), io.env);
    const options = spec.parse(flags);
    const returned: unknown = fleet
      ? await runFleet(spec, options, deps, fleet, cmd, overrides.connect)
      : await spec.run(options, deps);
    const result = returned instanceof ResultWithExitCode ? returned.result : returned;
    if (returned instanceof ResultWithExitCode) exitCode = returned.exitCode;
    const text = formatResult(result, {
      format: globals.output,
      query: globals.query,
      table: returned instanceof FleetResult ? returned.table : spec.table,
      color: makeColor(io, 'stdout', !globals.color),
      formatGiven: rootOf(cmd).getOptionValueSource('output') === 'cli',
    });
    if (text) io.stdout.write(text);
  };

  const program = buildProgram(invoke);
  if (argv[0] === '__complete')
    return (await import('./commands/completion/run.js')).runComplete(program, argv.slice(1), io, overrides.connect);
  forEachCommand(program, (c) =>
    c.exitOverride().configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(betterUsageError(s, c)),
    }),
  );

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code)) return ExitCode.ok;
      io.stderr.write('hint: run the command with --help to see its flags and accepted values\n');
      return ExitCode.usage;
    }
    return reportError(err, log, io);
  } finally {
    if (client) await client.then((c) => c.close()).catch(() => undefined);
  }
}
