// "Did you mean --sync-interval?" for unknown flags. commander suggests only among the visible options' last long
// name, so `--interva` (close to the first name of `--interval, --sync-interval`) and hidden az aliases got no
// suggestion, and a missing required flag was reported before a mistyped one. main routes commander's error text
// through betterUsageError, which fixes both with commander's public API only.
import type { Command, Option } from 'commander';

/** Every long name of an option: both of `--interval, --sync-interval`, and the negated `--no-wait`. */
export function longNames(option: Option): string[] {
  return option.flags.split(/[\s,|]+/).filter((w) => w.startsWith('--'));
}

/** The options a command accepts: its own and its ancestors' (the global flags live on the root). */
export function optionsInScope(cmd: Command): Option[] {
  const all: Option[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) all.push(...c.options);
  return all;
}

/** Optimal string alignment distance, as commander's suggestSimilar computes it. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let j = 1; j <= b.length; j++)
    for (let i = 1; i <= a.length; i++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/** The closest names: at most 3 edits, more than 40% alike (commander's rule). */
export function closest(word: string, candidates: readonly string[]): string[] {
  let best = 3;
  let found: string[] = [];
  for (const c of new Set(candidates)) {
    const distance = editDistance(word, c);
    const length = Math.max(word.length, c.length);
    if ((length - distance) / length <= 0.4 || distance > best) continue;
    if (distance < best) [best, found] = [distance, []];
    found.push(c);
  }
  return found;
}

export function suggestOption(flag: string, cmd: Command): string {
  const name = flag.split('=')[0]!;
  if (!name.startsWith('--')) return '';
  const options = optionsInScope(cmd);
  const visible = options.filter((o) => !o.hidden).flatMap(longNames);
  const hidden = options.filter((o) => o.hidden).flatMap(longNames);
  const near = closest(name, [...visible, ...hidden]);
  const similar = near.some((n) => visible.includes(n)) ? near.filter((n) => visible.includes(n)) : near;
  if (similar.length === 1) return `\n(Did you mean ${similar[0]}?)`;
  if (similar.length > 1) return `\n(Did you mean one of ${similar.sort().join(', ')}?)`;
  return '';
}

/** The first word commander could not place as a flag of `cmd`, e.g. `--sync-intervall` (from cmd.args). */
function firstUnknownFlag(cmd: Command): string | undefined {
  const known = new Set(optionsInScope(cmd).flatMap((o) => o.flags.split(/[\s,|]+/).filter((w) => w.startsWith('-'))));
  return cmd.args.find((w) => w.startsWith('-') && w !== '-' && w !== '--' && !known.has(w.split('=')[0]!));
}

/**
 * Rewrites a commander usage error for `cmd`: an unknown option gets our suggestion; a missing required option
 * is reported as the unknown option that was probably meant instead (`-n x --nme y` says `--nme`, not `-n`).
 */
export function betterUsageError(message: string, cmd: Command): string {
  const unknown = /^error: unknown option '([^']+)'/.exec(message);
  if (unknown) return `error: unknown option '${unknown[1]}'${suggestOption(unknown[1]!, cmd)}\n`;
  if (/^error: (required option|missing required argument)/.test(message)) {
    const flag = firstUnknownFlag(cmd);
    if (flag) return `error: unknown option '${flag}'${suggestOption(flag, cmd)}\n`;
  }
  return message;
}
