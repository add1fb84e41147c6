// `show --watch` / `list --watch` (issue #12 §5): the verb's view read again every --watch-interval (2s) and printed
// whenever it changes, until Ctrl-C — which exits 130, as `kubectl get --watch` does. On a terminal the screen is
// cleared and the view redrawn; otherwise each changed view follows the last, separated by a blank line.
import { Option } from 'commander';
import type { Deps } from '../deps.js';
import { ExitCode, UsageError } from '../errors.js';
import { sleep } from '../k8s/poll.js';
import { parseTimeoutMs } from '../model/duration.js';
import { makeColor } from '../ui/color.js';
import { formatResult, loadQuery } from '../ui/output.js';
import type { Flags, VerbSpec } from './verb.js';

export const DEFAULT_WATCH_INTERVAL = '2s';

export interface Watched<O> {
  readonly options: O;
  /** Milliseconds between two reads; undefined without --watch. */
  readonly watchMs?: number;
}

/** Ctrl-C during a watch ends it quietly with 130 (before main's handler, which would report an interruption). */
function exitOnInterrupt(deps: Pick<Deps, 'io'>): void {
  process.prependListener('SIGINT', () => {
    if (deps.io.stdout.isTTY) deps.io.stdout.write('\n');
    process.exit(ExitCode.sigint);
  });
}

/** Reads and prints until interrupted; `rounds` stops after that many reads (tests). */
export async function watchLoop<O, R>(
  spec: VerbSpec<O, R>,
  options: O,
  deps: Deps,
  intervalMs: number,
  rounds = Infinity,
): Promise<void> {
  const color = makeColor(deps.io, 'stdout', !deps.globals.color);
  if (deps.globals.query) await loadQuery();
  const tty = Boolean(deps.io.stdout.isTTY);
  let last: string | undefined;
  for (let round = 0; round < rounds; round++) {
    if (round > 0) await sleep(intervalMs);
    const result = await spec.run(options, deps);
    const text = formatResult(result, {
      format: deps.globals.output,
      query: deps.globals.query,
      table: spec.table,
      color,
    });
    if (text === last) continue;
    if (tty) deps.io.stdout.write(`\x1b[H\x1b[2J${text}`);
    else deps.io.stdout.write(`${last === undefined ? '' : '\n'}${text}`);
    last = text;
  }
}

/** The verb with `--watch [--watch-interval 2s]`: without them it runs as before. */
export function withWatch<O, R>(spec: VerbSpec<O, R>): VerbSpec<Watched<O>, R | undefined> {
  return {
    ...spec,
    flags: (cmd) => {
      spec.flags?.(cmd);
      cmd.option('--watch', 'print the result again whenever it changes, until Ctrl-C');
      cmd.addOption(
        new Option('--watch-interval <duration>', 'with --watch: how often to read the cluster').default(
          DEFAULT_WATCH_INTERVAL,
        ),
      );
    },
    parse: (flags: Flags) => {
      const options = spec.parse(flags);
      if (flags.watch !== true) return { options };
      const watchMs = parseTimeoutMs(String(flags.watchInterval ?? DEFAULT_WATCH_INTERVAL), '--watch-interval');
      if (watchMs <= 0)
        throw new UsageError('--watch-interval must be at least 1s', { hint: 'e.g. --watch-interval 5s' });
      return { options, watchMs };
    },
    run: async ({ options, watchMs }, deps) => {
      if (watchMs === undefined) return spec.run(options, deps);
      exitOnInterrupt(deps);
      await watchLoop(spec, options, deps, watchMs);
      return undefined;
    },
  };
}
