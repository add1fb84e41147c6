// Which kubeconfig contexts a fleet command runs on: --contexts, --all-contexts, --context-selector.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError, UserError } from '../errors.js';
import { kubeconfigDocument } from '../k8s/kubeconfig-fast.js';
import { parseRequestTimeoutMs } from '../model/duration.js';

export interface FleetOptions {
  /** The contexts, in kubeconfig (or --contexts) order, each once. */
  readonly contexts: readonly string[];
  readonly maxParallel: number;
  readonly failFast: boolean;
  /** How long a cluster may take to answer its first request before it fails alone. */
  readonly connectTimeoutMs: number;
}

export const DEFAULT_MAX_PARALLEL = 8;
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/** The fleet flags as commander leaves them on the root program. */
export interface FleetFlags {
  readonly contexts?: unknown;
  readonly allContexts?: unknown;
  readonly contextSelector?: unknown;
  readonly maxParallel?: unknown;
  readonly failFast?: unknown;
  readonly context?: unknown;
  readonly clusterName?: unknown;
  readonly kubeconfig?: unknown;
  /** --request-timeout, when the program has it: bounds each cluster's first request too. */
  readonly requestTimeout?: unknown;
}

/** Whether any flag that asks for a fleet run is on the command line. */
export function isFleet(flags: FleetFlags): boolean {
  return (
    (Array.isArray(flags.contexts) && flags.contexts.length > 0) ||
    flags.allContexts === true ||
    typeof flags.contextSelector === 'string'
  );
}

/** `prod-*`, `eu-?-prod`: `*` any run of characters, `?` one; the rest literal. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** The context names of the kubeconfig kubectl would read (KUBECONFIG merged: the first file to name one wins). */
export function kubeconfigContexts(kubeconfig: string | undefined, env: NodeJS.ProcessEnv): string[] {
  let files: string[];
  if (kubeconfig) files = [path.resolve(kubeconfig)];
  else {
    const fromEnv = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
    files = fromEnv.length ? fromEnv : [path.join(env.HOME || homedir(), '.kube', 'config')];
  }
  const names: string[] = [];
  for (const file of files.filter((f) => existsSync(f))) {
    let doc: unknown;
    try {
      doc = kubeconfigDocument(file);
    } catch (err) {
      throw new UserError(`cannot read kubeconfig ${file}: ${(err as Error).message}`, {
        hint: 'check that the file is a valid kubeconfig (YAML with clusters, users and contexts)',
      });
    }
    const contexts = (doc as { contexts?: { name?: unknown }[] } | null)?.contexts ?? [];
    for (const c of contexts) if (typeof c.name === 'string' && !names.includes(c.name)) names.push(c.name);
  }
  return names;
}

function parseMaxParallel(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_PARALLEL;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`argument --max-parallel: invalid value: '${String(value)}'`, {
      hint: 'pass a whole number of clusters to work on at once, 1 or more (default 8)',
    });
  return n;
}

/**
 * The fleet a command runs on, from the global flags; undefined without a fleet flag. Every conflict and unknown
 * context is a UsageError here, before any cluster is contacted.
 */
export function parseFleet(flags: FleetFlags, env: NodeJS.ProcessEnv): FleetOptions | undefined {
  if (!isFleet(flags)) {
    if (flags.maxParallel !== undefined || flags.failFast === true)
      throw new UsageError('--max-parallel and --fail-fast apply to a fleet run only', {
        hint: 'add --contexts a,b,c, --all-contexts or --context-selector <glob>',
      });
    return undefined;
  }
  const given = [
    Array.isArray(flags.contexts) && flags.contexts.length > 0 ? '--contexts' : undefined,
    flags.allContexts === true ? '--all-contexts' : undefined,
    typeof flags.contextSelector === 'string' ? '--context-selector' : undefined,
  ].filter((x): x is string => Boolean(x));
  if (given.length > 1)
    throw new UsageError(`${given.join(' and ')} cannot be combined`, {
      hint: 'choose the clusters one way: a list, all contexts, or a glob over the context names',
    });
  for (const [flag, value] of [
    ['--context', flags.context],
    ['-c/--cluster-name', flags.clusterName],
  ] as const)
    if (typeof value === 'string')
      throw new UsageError(`${flag} selects one cluster and cannot be combined with ${given[0]}`, {
        hint: `leave ${flag} out, or name that context in --contexts`,
      });
  const maxParallel = parseMaxParallel(flags.maxParallel);
  const requestTimeoutMs = typeof flags.requestTimeout === 'string' ? parseRequestTimeoutMs(flags.requestTimeout) : 0;
  const connectTimeoutMs = requestTimeoutMs > 0 ? requestTimeoutMs : DEFAULT_CONNECT_TIMEOUT_MS;
  const known = kubeconfigContexts(typeof flags.kubeconfig === 'string' ? flags.kubeconfig : undefined, env);
  let contexts: string[];
  if (Array.isArray(flags.contexts)) {
    contexts = [];
    for (const item of flags.contexts as unknown[])
      for (const name of String(item)
        .split(',')
        .map((s) => s.trim()))
        if (name && !contexts.includes(name)) contexts.push(name);
    const unknown = contexts.filter((c) => !known.includes(c));
    if (unknown.length)
      throw new UsageError(
        `argument --contexts: no kubeconfig context named ${unknown.map((u) => `"${u}"`).join(', ')}`,
        {
          hint: known.length ? `available contexts: ${known.join(', ')}` : 'the kubeconfig defines no contexts',
        },
      );
  } else if (flags.allContexts === true) contexts = known;
  else {
    const re = globToRegExp(String(flags.contextSelector));
    contexts = known.filter((c) => re.test(c));
  }
  if (contexts.length === 0)
    throw new UsageError(`${given[0]} selects no kubeconfig context`, {
      hint: known.length ? `available contexts: ${known.join(', ')}` : 'the kubeconfig defines no contexts',
    });
  return { contexts, maxParallel, failFast: flags.failFast === true, connectTimeoutMs };
}
