// What every writing verb returns for --dry-run (flux create|update, the kustomization verbs, k8s-extension
// create|update), as `kubectl diff` and `flux diff` print it: the unified diff of each object between the cluster
// and the server's dry-run answer on stdout (Secret values masked), the plan rows on stderr. An explicit `-o`
// prints the plan rows in that format instead (scripts). --exit-code: 0 without a change, 1 with one.
import type { Deps } from '../deps.js';
import { diffChanges, type ObjectChange } from '../k8s/plan-diff.js';
import type { PlanSummaryRow } from '../k8s/plan.js';
import { toYaml } from '../render/yaml.js';
import { makeColor } from '../ui/color.js';
import { RawText } from '../ui/output.js';
import { ResultWithExitCode } from './result.js';
import type { Flags } from './verb.js';
import { UsageError } from '../errors.js';

/** The flag that turns a dry run into a CI gate, as `kubectl diff` / `flux diff` exit. */
export const EXIT_CODE_FLAG = [
  '--exit-code',
  'with --dry-run: exit 1 when something would change, 0 otherwise',
] as const;

/** --exit-code, parsed: only meaningful with --dry-run (a usage error otherwise). */
export function requireDryRun(flags: Flags): boolean {
  if (flags.exitCode !== true) return false;
  if (flags.dryRun !== true)
    throw new UsageError('--exit-code needs --dry-run', {
      hint: 'add --dry-run: the exit code then says whether the apply would change anything',
    });
  return true;
}

const SIGN: Record<PlanSummaryRow['action'], string> = { create: '+', update: '~', prune: '-', unchanged: '=' };

/** The plan rows as a short list for stderr: one line per object written, a count of the unchanged ones. */
export function planSummary(rows: readonly PlanSummaryRow[]): string[] {
  const count = (a: PlanSummaryRow['action']) => rows.filter((r) => r.action === a).length;
  const head =
    `dry run: ${count('create')} to create, ${count('update')} to update, ${count('prune')} to prune, ` +
    `${count('unchanged')} unchanged`;
  const lines = rows
    .filter((r) => r.action !== 'unchanged')
    .map((r) => `  ${SIGN[r.action]} ${r.action} ${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`);
  return [head, ...lines];
}

/**
 * The result of a dry run: the diff as text (its data the plan rows, printed under an explicit -o or --query);
 * under the default output the plan summary goes to stderr. With `exitCode`, 1 when the diff is not empty.
 */
export function dryRunResult(
  deps: Pick<Deps, 'io' | 'log' | 'globals'>,
  rows: PlanSummaryRow[],
  changes: readonly ObjectChange[],
  exitCode: boolean,
): unknown {
  const color = makeColor(deps.io, 'stdout', !deps.globals.color);
  // One object per diff: its document marker would only show as a `+---`/`----` line.
  const diff = diffChanges(changes, { color, serialize: (docs) => toYaml(docs).replace(/^---\n/, '') });
  const asText = !deps.globals.outputGiven && !deps.globals.query;
  if (asText) {
    for (const line of planSummary(rows)) deps.log.progress(line);
    if (!diff.changed) deps.log.progress('no differences: the cluster already holds what would be applied');
  }
  const result = new RawText(diff.text, rows, false);
  return exitCode ? new ResultWithExitCode(result, diff.changed ? 1 : 0) : result;
}
