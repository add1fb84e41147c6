// One verb over many clusters: the options parsed once, then run(options, deps) per context, each with its own
// KubeClient, at most --max-parallel at once. One result entry per cluster; the exit code of the worst failure.
import { join } from 'node:path';
import type { Command } from 'commander';
import { ResultWithExitCode } from '../commands/result.js';
import type { AnyVerb } from '../commands/verb.js';
import type { Deps } from '../deps.js';
import { ExitCode, UsageError, UserError, exitCodeOf } from '../errors.js';
import type { KubeClient } from '../k8s/client.js';
import type { KubeSelection } from '../k8s/kubeconfig.js';
import { defaultBackupDir } from '../migrate/backup.js';
import { makeColor } from '../ui/color.js';
import { isInteractive } from '../ui/io.js';
import { Logger } from '../ui/log.js';
import { RawText, type TableTransformer } from '../ui/output.js';
import { makeBoard } from './board.js';
import type { FleetOptions } from './select.js';

export type Connect = (selection: KubeSelection, log: Logger) => Promise<KubeClient>;

export interface FleetEntry {
  readonly context: string;
  readonly status: 'Succeeded' | 'Failed';
  readonly result: unknown;
  readonly error: string | null;
}

/** What main prints for a fleet run: the entries, the fleet's table, the exit code. */
export class FleetResult extends ResultWithExitCode<FleetEntry[]> {
  constructor(
    result: FleetEntry[],
    exitCode: number,
    readonly table: TableTransformer,
  ) {
    super(result, exitCode);
  }
}

/** Verbs that read no cluster: the fleet flags make no sense there. */
const NO_CLUSTER = ['k8s-configuration flux validate'];

/** Verbs whose confirmation is asked once before any cluster is touched (the others ask when a cluster needs it). */
function confirmsUpFront(path: string, options: unknown): boolean {
  const o = (options ?? {}) as { execute?: unknown; rollback?: unknown; mode?: unknown };
  if (path.endsWith(' delete')) return true;
  return path.endsWith('migrate-from-v1') && Boolean(o.execute || o.rollback || o.mode === 'execute');
}

/** Which failure decides the exit code: a usage error over an error over a missing object. */
const severity = (code: number) => [ExitCode.ok, ExitCode.notFound, ExitCode.error, ExitCode.usage].indexOf(code as 0);

/**
 * What differs per cluster in the parsed options: migrate-from-v1 --execute keeps one backup folder per cluster,
 * `<--backup-dir or the default>/<context>` (and --rollback reads `<dir>/<context>`), so re-running the same fleet
 * command with `--backup-dir <dir>` resumes every cluster.
 */
export function optionsFor(path: string, options: unknown, context: string, base: string): unknown {
  if (!path.endsWith('migrate-from-v1')) return options;
  const o = options as { mode?: string; backupDir?: string; rollbackDir?: string };
  const folder = context.replace(/[/\\:]/g, '_');
  if (o.mode === 'execute') return { ...o, backupDir: join(o.backupDir ?? base, folder) };
  if (o.mode === 'rollback' && o.rollbackDir) return { ...o, rollbackDir: join(o.rollbackDir, folder) };
  return options;
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The fleet's -o table: context and state, the verb's own columns, the error. */
export function fleetTable(verbTable: TableTransformer | undefined): TableTransformer {
  return (data) => {
    const entries = data as FleetEntry[];
    const rowsOf = (e: FleetEntry): Record<string, unknown>[] => {
      if (e.status !== 'Succeeded' || e.result === undefined || e.result === null) return [];
      const t = verbTable ? verbTable(e.result) : e.result;
      return (Array.isArray(t) ? t : [t]).map((r) =>
        r !== null && typeof r === 'object' ? (r as Record<string, unknown>) : { result: r },
      );
    };
    const verbKeys: string[] = [];
    const shown = (v: unknown) => v !== null && v !== undefined && typeof v !== 'object';
    for (const e of entries)
      for (const r of rowsOf(e))
        for (const [k, v] of Object.entries(r)) if (shown(v) && !verbKeys.includes(k)) verbKeys.push(k);
    // every row has every column (blank where empty), so the columns keep this order whatever row comes first
    const cells = (r: Record<string, unknown>) => Object.fromEntries(verbKeys.map((k) => [k, shown(r[k]) ? r[k] : '']));
    return entries.flatMap((e) => {
      const rows = rowsOf(e);
      const head = { context: e.context, state: e.status };
      if (rows.length === 0) return [{ ...head, ...cells({}), error: e.error ?? '' }];
      return rows.map((r) => ({ ...head, ...cells(r), error: '' }));
    });
  };
}

/**
 * Runs `spec` with the already parsed `options` on every context of the fleet. `base` is main's deps (io, log,
 * globals, prompt, exec); each cluster gets its own deps: a Logger prefixed with its context, its own KubeClient
 * (the first request bounded by fleet.connectTimeoutMs), a prompt answered by the one fleet-level confirmation.
 */
export async function runFleet(
  spec: AnyVerb,
  options: unknown,
  base: Deps,
  fleet: FleetOptions,
  cmd: Command,
  connect?: Connect,
): Promise<FleetResult> {
  const path = commandPath(cmd);
  if (NO_CLUSTER.includes(path))
    throw new UsageError(
      `'fluxcfg ${path}' reads no cluster: --contexts, --all-contexts and --context-selector do not apply`,
      {
        hint: 'run it once, without the fleet flags',
      },
    );
  const { io, globals } = base;
  const contexts = fleet.contexts;
  const connectTo: Connect = connect ?? ((s, l) => import('../k8s/index.js').then((m) => m.connect(s, l)));
  const board = makeBoard(io, contexts, {
    live: Boolean(io.stderr.isTTY) && !io.env.CI,
    quiet: !base.log.enabled('warn'),
  });

  let confirmation: Promise<boolean> | undefined;
  const confirmFleet = (flag = '--yes'): Promise<boolean> =>
    (confirmation ??= (async () => {
      if (globals.yes) return true;
      board.pause();
      try {
        return await base.prompt.confirm(
          `'fluxcfg ${path}' on ${contexts.length} clusters (${contexts.join(', ')}): are you sure?`,
          { flag },
        );
      } finally {
        board.resume();
      }
    })());
  if (confirmsUpFront(path, options)) {
    if (!globals.yes && !isInteractive(io))
      throw new UsageError(
        `confirmation required: 'fluxcfg ${path}' on ${contexts.length} clusters (${contexts.join(', ')})`,
        {
          hint: 'not running interactively (stdin is not a terminal or CI is set): pass --yes to confirm',
        },
      );
    if (!(await confirmFleet())) throw new UserError('not confirmed: no cluster was changed');
  }
  base.log.info(`fleet: ${contexts.length} clusters, at most ${fleet.maxParallel} at once`);
  const backupBase = defaultBackupDir(new Date(), process.cwd());

  const runOne = async (context: string): Promise<{ entry: FleetEntry; exitCode: number }> => {
    board.set(context, 'applying');
    const log = new Logger(board.sink(context), base.log.level, makeColor(io, 'stderr', !globals.color));
    let client: Promise<KubeClient> | undefined;
    const open = async (): Promise<KubeClient> => {
      const selection = { kubeconfig: globals.kubeconfig, context, env: io.env };
      const kube = await connectTo({ ...selection, requestTimeoutMs: globals.requestTimeoutMs }, log);
      const seconds = Math.round(fleet.connectTimeoutMs / 100) / 10;
      try {
        await withTimeout(
          kube.serverVersion(),
          fleet.connectTimeoutMs,
          () =>
            new UserError(`the API server ${kube.server} (context "${context}") did not answer within ${seconds}s`, {
              hint: 'check that the cluster is up and reachable from here; the other clusters were not held up',
            }),
        );
      } catch (err) {
        kube.close();
        throw err;
      }
      return kube;
    };
    const deps: Deps = {
      io,
      log,
      globals: { ...globals, context },
      prompt: { confirm: async (_message, o) => confirmFleet(o?.flag) },
      exec: base.exec,
      kube: () => (client ??= open()),
      progress: (text) => board.progress(context, text),
    };
    try {
      let result: unknown = await spec.run(optionsFor(path, options, context, backupBase), deps);
      let exitCode: number = ExitCode.ok;
      if (result instanceof ResultWithExitCode) {
        exitCode = result.exitCode;
        result = result.result;
      }
      if (result instanceof RawText) result = result.data ?? result.text;
      board.set(context, exitCode ? 'failed' : 'done');
      const status = exitCode ? 'Failed' : 'Succeeded';
      return { entry: { context, status, result: result ?? null, error: null }, exitCode };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof UserError) log.error(message, err.hint);
      else log.error(`internal error: ${message}`);
      board.set(context, 'failed', message);
      return { entry: { context, status: 'Failed', result: null, error: message }, exitCode: exitCodeOf(err) };
    } finally {
      if (client) await client.then((c) => c.close()).catch(() => undefined);
    }
  };

  const done: ({ entry: FleetEntry; exitCode: number } | undefined)[] = contexts.map(() => undefined);
  let next = 0;
  let stopAfter: string | undefined;
  const worker = async () => {
    while (stopAfter === undefined && next < contexts.length) {
      const i = next++;
      const one = await runOne(contexts[i]!);
      done[i] = one;
      if (one.exitCode !== ExitCode.ok && fleet.failFast) stopAfter ??= contexts[i];
    }
  };
  await Promise.all(Array.from({ length: Math.min(fleet.maxParallel, contexts.length) }, worker));
  board.pause();

  let exitCode: number = ExitCode.ok;
  const entries = contexts.map((context, i): FleetEntry => {
    const one = done[i];
    if (!one) {
      const error = `not started: --fail-fast stopped the fleet after "${stopAfter}" failed`;
      return { context, status: 'Failed', result: null, error };
    }
    if (severity(one.exitCode) > severity(exitCode)) exitCode = one.exitCode;
    return one.entry;
  });
  const failed = entries.filter((e) => e.status === 'Failed').length;
  if (failed)
    base.log.warn(
      `${failed} of ${contexts.length} clusters failed: ${entries
        .filter((e) => e.status === 'Failed')
        .map((e) => e.context)
        .join(', ')}`,
    );
  return new FleetResult(entries, exitCode, fleetTable(spec.table));
}
