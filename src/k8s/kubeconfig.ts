import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../errors.js';

export interface KubeSelection {
  /** --kubeconfig */
  readonly kubeconfig?: string;
  /** --context */
  readonly context?: string;
  /** az's -c/--cluster-name: selects the context of that name; an error when there is none. */
  readonly clusterName?: string;
  readonly env: NodeJS.ProcessEnv;
  /** --request-timeout in ms (0 = none; default 30s), applied by the transport to every request. */
  readonly requestTimeoutMs?: number;
}

export interface LoadedKubeConfig {
  readonly kc: KubeConfig;
  readonly contextName: string;
  /** Where the configuration came from, for messages. */
  readonly source: string;
  /** Things worth saying under --verbose. */
  readonly notes: string[];
}

const inClusterTokenPath = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Loads kubeconfig like kubectl does (--kubeconfig, else the KUBECONFIG list merged, else ~/.kube/config,
 * else the in-cluster service account) but never falls back to localhost:8080: no cluster is a UserError
 * naming every place that was looked at.
 */
export function loadKubeConfig(sel: KubeSelection): LoadedKubeConfig {
  const kc = new KubeConfig();
  const notes: string[] = [];
  let source: string;
  const looked: string[] = [];
  if (sel.kubeconfig) {
    const file = path.resolve(sel.kubeconfig);
    if (!existsSync(file))
      throw new UserError(`kubeconfig file ${file} (from --kubeconfig) does not exist`, {
        hint: 'pass the path of an existing kubeconfig file, or leave --kubeconfig out to use KUBECONFIG or ~/.kube/config',
      });
    loadFile(kc, file);
    source = file;
  } else {
    const fromEnv = (sel.env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
    const existing = fromEnv.filter((f) => existsSync(f));
    const home = path.join(sel.env.HOME || homedir(), '.kube', 'config');
    if (existing.length > 0) {
      mergeFiles(kc, existing);
      source = `KUBECONFIG=${existing.join(path.delimiter)}`;
    } else if (fromEnv.length === 0 && existsSync(home)) {
      loadFile(kc, home);
      source = home;
    } else if (sel.env.KUBERNETES_SERVICE_HOST && existsSync(inClusterTokenPath)) {
      kc.loadFromCluster();
      source = 'in-cluster service account';
    } else {
      looked.push('--kubeconfig (not given)');
      looked.push(
        fromEnv.length ? `KUBECONFIG=${fromEnv.join(path.delimiter)} (no such file)` : 'KUBECONFIG (not set)',
      );
      if (fromEnv.length === 0) looked.push(`${home} (does not exist)`);
      looked.push('in-cluster service account (not running in a pod)');
      throw new UserError(`no Kubernetes cluster is configured; looked at: ${looked.join(', ')}`, {
        hint: 'pass --kubeconfig <file>, set KUBECONFIG, or create ~/.kube/config (e.g. with your cloud CLI or kind)',
      });
    }
  }

  const names = kc.getContexts().map((c) => c.name);
  let contextName = kc.getCurrentContext();
  if (sel.context) {
    if (!names.includes(sel.context))
      throw new UserError(`context "${sel.context}" is not in ${source}`, {
        hint: names.length ? `available contexts: ${names.join(', ')}` : 'the kubeconfig defines no contexts',
      });
    contextName = sel.context;
  } else if (sel.clusterName) {
    if (!names.includes(sel.clusterName)) {
      // Never fall back to the current context: `-c prod` in an az script must not write to whatever it points at.
      throw new UserError(`--cluster-name ${sel.clusterName} names no context in ${source}`, {
        hint:
          `available contexts: ${names.length ? names.join(', ') : '(none)'}; name a context after the cluster ` +
          `(kubectl config rename-context <context> ${sel.clusterName}) or pass --context <name>`,
      });
    }
    contextName = sel.clusterName;
    notes.push(`--cluster-name ${sel.clusterName}: using the kubeconfig context of that name`);
  }
  if (!contextName || !names.includes(contextName))
    throw new UserError(`no current context is set in ${source}`, {
      hint: names.length
        ? `pass --context <name> (available: ${names.join(', ')}) or run kubectl config use-context <name>`
        : 'the kubeconfig defines no contexts',
    });
  kc.setCurrentContext(contextName);
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server)
    throw new UserError(`context "${contextName}" in ${source} names no cluster with a server address`, {
      hint: 'fix the kubeconfig: the context must reference a cluster entry with a server URL',
    });
  return { kc, contextName, source, notes };
}

function loadFile(kc: KubeConfig, file: string): void {
  try {
    kc.loadFromFile(file);
  } catch (err) {
    throw new UserError(`cannot read kubeconfig ${file}: ${(err as Error).message}`, {
      hint: 'check that the file is a valid kubeconfig (YAML with clusters, users and contexts)',
      cause: err,
    });
  }
}

/** kubectl's merge rule for a KUBECONFIG list: the first file to define a name (or the current context) wins. */
function mergeFiles(kc: KubeConfig, files: string[]): void {
  if (files.length === 1) return loadFile(kc, files[0]!);
  const parts = files.map((f) => {
    const one = new KubeConfig();
    loadFile(one, f);
    return one;
  });
  const firstByName = <T extends { name: string }>(lists: T[][]): T[] => {
    const seen = new Map<string, T>();
    for (const list of lists) for (const item of list) if (!seen.has(item.name)) seen.set(item.name, item);
    return [...seen.values()];
  };
  kc.loadFromOptions({
    clusters: firstByName(parts.map((p) => p.getClusters())),
    users: firstByName(parts.map((p) => p.getUsers())),
    contexts: firstByName(parts.map((p) => p.getContexts())),
    currentContext: parts.map((p) => p.getCurrentContext()).find(Boolean) ?? '',
  });
}

/** The namespace the kubeconfig context names (kubectl's default namespace), undefined when it names none. */
export function contextNamespace(loaded: Pick<LoadedKubeConfig, 'kc' | 'contextName'>): string | undefined {
  return loaded.kc.getContextObject(loaded.contextName)?.namespace || undefined;
}
