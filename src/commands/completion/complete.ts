// `fluxcfg __complete <words...>`: the candidates for the last word of a command line, one per line, as cobra's
// __complete does. The shell scripts (scripts.ts) only call this, so every rule lives here: groups and verbs
// from the commander tree, flags of the verb and the global ones, enum values from .choices() and from a small
// table for values checked in parse, and names read from the cluster (sources.ts).
import type { Command, Option } from 'commander';
import { optionsInScope } from '../suggest.js';
import { commandPath } from '../examples.js';

/** A last line telling the script to complete file names instead (cobra's ShellCompDirectiveDefault). */
export const FILE_DIRECTIVE = ':file';

/** Names the cluster or the kubeconfig knows; every call may fail or time out: callers swallow that. */
export interface CompletionSources {
  configurations(namespace?: string): Promise<string[]>;
  kustomizations(configuration: string, namespace?: string): Promise<string[]>;
  namespaces(): Promise<string[]>;
  extensions(): Promise<string[]>;
  contexts(): Promise<string[]>;
}

/** Values checked in parse rather than declared with .choices(), by option attribute. */
const staticValues: Record<string, readonly string[]> = {
  extensionType: ['microsoft.flux'],
  releaseNamespace: ['flux-system'],
  clusterType: ['connectedClusters', 'managedClusters', 'provisionedClusters', 'appliances'],
  clusterResourceProvider: [
    'Microsoft.Kubernetes',
    'Microsoft.ContainerService',
    'Microsoft.HybridContainerService',
    'Microsoft.ResourceConnector',
  ],
  releaseTrain: ['stable', 'preview'],
};

/** Keys of flux create/update's `-k/--kustomization KEY=VALUE ...`. */
const kustomizationKeys = [
  'name=',
  'path=',
  'depends_on=',
  'dependsOn=',
  'timeout=',
  'sync_interval=',
  'retry_interval=',
  'prune=',
  'force=',
  'disable_health_check=',
  'wait=',
  'target_namespace=',
  'substitute.',
  'substitute_from=',
];

const takesValue = (o: Option) => o.required || o.optional;
const names = (o: Option) => o.flags.split(/[\s,|]+/).filter((w) => w.startsWith('-'));

function findOption(cmd: Command, word: string): Option | undefined {
  return optionsInScope(cmd).find((o) => names(o).includes(word));
}

function subcommands(cmd: Command): Command[] {
  // commander keeps `hidden` in a private field
  return cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
}

interface Parsed {
  cmd: Command;
  /** Values given so far, by option attribute (the last one wins). */
  values: Map<string, string>;
  /** Attributes of the options already given. */
  used: Set<string>;
  /** The option whose value the current word is, if any. */
  pending?: Option;
  /** The variadic option still collecting values, if any. */
  variadic?: Option;
  /** Operands given to the command reached (not commands, not flag values). */
  positionals: number;
}

/** Walks the words before the current one as commander would: descends into commands, skips flag values. */
function walk(program: Command, done: readonly string[]): Parsed {
  const p: Parsed = { cmd: program, values: new Map(), used: new Set(), positionals: 0 };
  for (let i = 0; i < done.length; i++) {
    const word = done[i]!;
    if (word.startsWith('-') && word !== '-') {
      p.variadic = undefined;
      const [flag, inline] = word.includes('=')
        ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]
        : [word, undefined];
      const option = findOption(p.cmd, flag);
      if (!option) continue;
      p.used.add(option.attributeName());
      if (!takesValue(option) || inline !== undefined) {
        if (inline !== undefined) p.values.set(option.attributeName(), inline);
        continue;
      }
      const next = done[i + 1];
      if (next === undefined) {
        p.pending = option;
        return p;
      }
      if (option.optional && next.startsWith('-')) continue;
      p.values.set(option.attributeName(), next);
      i++;
      if (option.variadic) p.variadic = option;
      continue;
    }
    const sub = subcommands(p.cmd).find((c) => c.name() === word || c.aliases().includes(word));
    if (sub && !p.variadic) p.cmd = sub;
    else if (!p.variadic) p.positionals++;
  }
  return p;
}

/** The candidates for the value of `option` in `cmd`, given the values already on the line. */
async function valuesFor(option: Option, cmd: Command, p: Parsed, sources: CompletionSources): Promise<string[]> {
  if (option.argChoices) return [...option.argChoices];
  const attr = option.attributeName();
  if (staticValues[attr]) return [...staticValues[attr]];
  if (option.flags.includes('[bool]')) return ['true', 'false'];
  if (/<(path|dir|file)\b|-file\b/.test(option.flags)) return [FILE_DIRECTIVE];
  const path = commandPath(cmd);
  const namespace = p.values.get('namespace');
  switch (attr) {
    case 'context':
    case 'clusterName':
    case 'contexts': // fleet
    case 'contextSelector':
    case 'spokeContext':
      return sources.contexts();
    case 'namespace':
    case 'targetNamespace':
    case 'objectNamespace':
      return sources.namespaces();
    case 'name':
      if (path.startsWith('k8s-extension ')) return sources.extensions();
      if (path === 'k8s-configuration flux create') return [];
      if (path.startsWith('k8s-configuration flux ')) return sources.configurations(namespace);
      return [];
    case 'kustomizationName': {
      const configuration = p.values.get('name');
      return configuration ? sources.kustomizations(configuration, namespace) : [];
    }
    case 'kustomization':
      return path === 'k8s-configuration flux validate' ? ['name=', 'path=', 'target_namespace='] : kustomizationKeys;
    default:
      return [];
  }
}

/**
 * The candidates for the last of `words` (the words after `fluxcfg`, the last one being completed, possibly
 * empty), filtered by what it starts with. Source failures give no candidates, never an error.
 */
export async function complete(
  program: Command,
  words: readonly string[],
  sources: CompletionSources,
): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const p = walk(program, words.slice(0, -1));
  const matching = (list: readonly string[], prefix = current) =>
    list.includes(FILE_DIRECTIVE) ? [FILE_DIRECTIVE] : [...new Set(list)].filter((c) => c.startsWith(prefix));
  const values = async (option: Option) => valuesFor(option, p.cmd, p, sources).catch(() => [] as string[]);

  if (p.pending) return matching(await values(p.pending));
  if (current.startsWith('--') && current.includes('=')) {
    const flag = current.slice(0, current.indexOf('='));
    const option = findOption(p.cmd, flag);
    if (!option || !takesValue(option)) return [];
    return matching(await values(option), current.slice(flag.length + 1)).map((v) => `${flag}=${v}`);
  }
  if (current.startsWith('-')) {
    const flags = optionsInScope(p.cmd)
      .filter((o) => !o.hidden && (o.variadic || !p.used.has(o.attributeName())))
      .flatMap(names)
      .filter((n) => n.startsWith('--') || current.length <= 1);
    return matching([...flags, '--help'], current).sort(byKind);
  }
  if (p.variadic) return matching(await values(p.variadic));
  if (p.cmd.commands.length === 0) {
    // A positional argument (`completion <shell>`): its choices until one is given.
    const argument = p.cmd.registeredArguments[0];
    return p.positionals === 0 && argument?.argChoices ? matching(argument.argChoices) : [];
  }
  return matching(subcommands(p.cmd).map((c) => c.name()));
}

/** Long flags before short ones, each in declaration order otherwise. */
function byKind(a: string, b: string): number {
  return Number(!a.startsWith('--')) - Number(!b.startsWith('--'));
}
