import { Command, CommanderError } from 'commander';
import { buildProgram, version } from './commands/index.js';
import { betterUsageError } from './commands/suggest.js';
import type { Deps, GlobalOptions } from './deps.js';
import { ResultWithExitCode } from './commands/result.js';
import { relaxGuided, type Invoke } from './commands/verb.js';
import { ExitCode, UsageError, UserError } from './errors.js';
import { exec as realExec, interruptCleanup, type Exec } from './exec.js';
import { writesAccepted } from './k8s/transport.js';
import { MissingKindError, type KubeClient } from './k8s/client.js';
import type { KubeSelection } from './k8s/kubeconfig.js';
import { parseRequestTimeoutMs } from './model/duration.js';
import { INSTALL_FLUX_COMMAND } from './model/extension/versions.js';
import { loadColor, makeColor } from './ui/color.js';
import { isInteractive, processIo, type Io } from './ui/io.js';
import { Logger, type LogLevel } from './ui/log.js';
import type { OutputFormat } from './ui/formats.js';
import { startProgress } from './ui/progress.js';
import { makePrompter } from './ui/prompt.js';

export interface MainOverrides {
  readonly io?: Io;
  /** Replaces kubeconfig loading (tests hand in a client for a given context). */
  readonly connect?: (selection: KubeSelection, log: Logger) => Promise<KubeClient>;
  readonly exec?: Exec;
  /** Handle SIGINT/SIGTERM (default: when running on the process streams, i.e. not in-process tests). */
  readonly handleSignals?: boolean;
}

/**
 * SIGINT/SIGTERM: kill the children (git, ssh, ssh-keyscan), remove the temp files that hold credentials, say in
 * one line what reached the cluster, exit 130/143. Returns the function that removes the handlers.
 */
function installSignalHandlers(io: Io): () => void {
  const handler = (signal: 'SIGINT' | 'SIGTERM') => {
    const done = interruptCleanup();
    const n = writesAccepted.count;
    const parts = [
      n === 0
        ? 'nothing was applied to the cluster'
        : `${n} write${n === 1 ? '' : 's'} had reached the cluster (it may be partly applied: check with show)`,
    ];
    if (done.children > 0) parts.push(`stopped ${done.children} child process${done.children === 1 ? '' : 'es'}`);
    if (done.tempDirs > 0) parts.push('removed the temporary files');
    io.stderr.write(`${io.stderr.isTTY ? '\n' : ''}error: interrupted by ${signal}: ${parts.join('; ')}\n`);
    process.exit(signal === 'SIGINT' ? ExitCode.sigint : ExitCode.sigterm);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
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
    requestTimeoutMs: parseRequestTimeoutMs(str(o.requestTimeout) ?? '30s'),
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

/**
 * argparse's "expected one argument": an option that takes a value followed by another option of the command
 * (`--namespace --scope cluster`) is refused instead of taking `--scope` as the namespace.
 */
export function refuseFlagAsValue(program: Command, argv: readonly string[]): void {
  let cmd = program;
  for (const token of argv) {
    if (token === '--') break;
    const sub = token.startsWith('-') ? undefined : cmd.commands.find((c) => c.name() === token);
    if (sub) cmd = sub;
  }
  const options = [...cmd.options, ...program.options];
  const find = (t: string) => options.find((o) => o.long === t || o.short === t);
  for (let i = 0; i < argv.length - 1; i++) {
    const t = argv[i]!;
    if (t === '--') break;
    const option = find(t);
    if (!option?.required) continue;
    const next = argv[i + 1]!;
    if (next.length > 1 && next.startsWith('-') && find(next.split('=')[0]!))
      throw new UsageError(`argument ${t}: expected one argument`, {
        hint: `${next} is a flag: give ${t} its value (quote a value that begins with '-' as ${t}=<value>)`,
      });
    i++;
  }
}

/** The program. Returns the exit code; never exits the process itself. */
export async function main(argv: readonly string[], overrides: MainOverrides = {}): Promise<number> {
  const io = overrides.io ?? processIo();
  if (argv.length === 1 && argv[0] === '--version') {
    io.stdout.write(`${version}\n`);
    return ExitCode.ok;
  }
  // installed once a verb runs: until then there is nothing to clean up or to report
  const handleSignals = overrides.handleSignals ?? !overrides.io;
  let removeSignalHandlers: (() => void) | undefined;
  if (io.stdout.isTTY || io.stderr.isTTY) await loadColor();
  const earlyDebug = argv.includes('--debug');
  let log = new Logger(io.stderr, earlyDebug ? 'debug' : 'warn', makeColor(io, 'stderr', argv.includes('--no-color')));
  let client: Promise<KubeClient> | undefined;
  let exitCode: number = ExitCode.ok;

  const invoke: Invoke = async (spec, flags, cmd) => {
    if (handleSignals) removeSignalHandlers ??= installSignalHandlers(io);
    const outputGiven = rootOf(cmd).getOptionValueSource('output') === 'cli';
    const globals = { ...toGlobals(cmd.optsWithGlobals()), outputGiven };
    log = new Logger(io.stderr, logLevel(globals), makeColor(io, 'stderr', !globals.color));
    const onlyId = "ignored (fluxcfg works on the kubeconfig context), only named in the output's id";
    if (globals.resourceGroup) log.info(`--resource-group ${globals.resourceGroup}: ${onlyId} and resourceGroup`);
    if (globals.clusterType) log.info(`--cluster-type ${globals.clusterType}: ${onlyId}`);
    if (globals.clusterResourceProvider) log.info(`--cluster-resource-provider: ${onlyId}`);
    if (globals.subscription) log.info(`--subscription: ${onlyId}`);
    const selection: KubeSelection = {
      kubeconfig: globals.kubeconfig,
      context: globals.context,
      clusterName: globals.clusterName,
      env: io.env,
      requestTimeoutMs: globals.requestTimeoutMs,
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
    // The fleet runner and the formatters are imported here, once a verb runs: --help and usage errors load neither.
    const [{ parseFleet }, { formatResult, loadQuery }] = await Promise.all([
      import('./fleet/select.js'),
      import('./ui/output.js'),
    ]);
    if (globals.query) await loadQuery();
    const fleet = parseFleet(cmd.optsWithGlobals(), io.env);
    const given = (attribute: string) => ['cli', 'env'].includes(cmd.getOptionValueSource(attribute) ?? '');
    const guided =
      !fleet && spec.guide && isInteractive(io)
        ? await spec.guide(flags, { deps, parse: spec.parse, given, argv })
        : flags;
    const options: unknown = spec.parse(guided);
    const fleetRun = fleet ? await import('./fleet/run.js') : undefined;
    const returned: unknown =
      fleet && fleetRun
        ? await fleetRun.runFleet(spec, options, deps, fleet, cmd, overrides.connect)
        : await spec.run(options, deps);
    const result: unknown = returned instanceof ResultWithExitCode ? returned.result : returned;
    if (returned instanceof ResultWithExitCode) exitCode = returned.exitCode;
    const text = formatResult(result, {
      format: globals.output,
      query: globals.query,
      table: fleetRun && returned instanceof fleetRun.FleetResult ? returned.table : spec.table,
      color: makeColor(io, 'stdout', !globals.color),
      formatGiven: rootOf(cmd).getOptionValueSource('output') === 'cli',
    });
    if (text) io.stdout.write(text);
  };

  if (argv[0] === '__complete')
    return (await import('./commands/completion/run.js')).runComplete(
      await buildProgram(invoke, 'all'),
      argv.slice(1),
      io,
      overrides.connect,
    );
  const program = await buildProgram(invoke, argv);
  forEachCommand(program, (c) =>
    c.exitOverride().configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      // the width of our sinks, so that commander does not build process.stdout to ask (a terminal sink is it)
      getOutHelpWidth: () => (io.stdout as { columns?: number }).columns ?? 80,
      getErrHelpWidth: () => (io.stderr as { columns?: number }).columns ?? 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
      outputError: (s, write) => write(betterUsageError(s, c)),
    }),
  );
  // On a terminal a guided verb asks for its required flags instead of failing (VerbSpec.guide).
  if (isInteractive(io)) forEachCommand(program, relaxGuided);

  try {
    refuseFlagAsValue(program, argv);
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
    removeSignalHandlers?.();
  }
}
