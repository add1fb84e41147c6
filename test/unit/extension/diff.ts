// Object-level diff of two renders, for golden files: removed/added objects by name, changed objects line by line.
import type { KubeObject } from '../../../src/k8s/types.js';
import { toYaml } from '../../../src/render/yaml.js';

const key = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** Lines only in a (`-`) or only in b (`+`), in order, from a longest-common-subsequence alignment. */
export function lineDiff(a: string[], b: string[]): string[] {
  const m = a.length;
  const n = b.length;
  const lcs: number[][] = Array.from({ length: m + 1 }, () => new Array<number>(n + 1).fill(0));
  for (let i = m - 1; i >= 0; i--)
    for (let j = n - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < m || j < n) {
    if (i < m && j < n && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < n && (i === m || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push(`+ ${b[j++]}`);
    else out.push(`- ${a[i++]}`);
  }
  return out;
}

export function objectsDiff(before: readonly KubeObject[], after: readonly KubeObject[]): string {
  const a = new Map(before.map((o) => [key(o), o]));
  const b = new Map(after.map((o) => [key(o), o]));
  const out: string[] = [];
  for (const [k, o] of a) {
    const other = b.get(k);
    if (!other) out.push(`removed: ${k}`);
    else {
      const lines = lineDiff(toYaml([o]).split('\n'), toYaml([other]).split('\n'));
      if (lines.length) out.push(`changed: ${k}`, ...lines.map((l) => `  ${l}`));
    }
  }
  for (const k of b.keys()) if (!a.has(k)) out.push(`added: ${k}`);
  return `${out.join('\n')}\n`;
}
