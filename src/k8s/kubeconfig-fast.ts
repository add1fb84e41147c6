// The common kubeconfig read without @kubernetes/client-node (1.7 MB, ~44 ms to load on every cluster command):
// one file, a context with a server, and credentials the transport can use as they are (token, token file, client
// certificate, basic auth). Anything else — exec plugins, auth providers, a proxy, a KUBECONFIG list, in-cluster,
// -c/--cluster-name, any error — answers undefined, and the caller takes the full path (kubeconfig.ts), which also
// words every error.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import type { KubeSelection } from './kubeconfig.js';
import type { TransportMaterial } from './transport.js';

interface Named<T> {
  name?: string;
  cluster?: T;
  user?: T;
  context?: T;
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: Named<{ cluster?: string; user?: string; namespace?: string }>[];
  clusters?: Named<Record<string, unknown>>[];
  users?: Named<Record<string, unknown>>[];
}

export interface FastKubeConfig {
  readonly material: TransportMaterial;
  readonly contextName: string;
  /** The namespace the context names (kubectl's default namespace), if any. */
  readonly namespace?: string;
  readonly source: string;
}

/** The single kubeconfig file kubectl would read, or undefined when it is not that simple. */
function singleFile(sel: KubeSelection): string | undefined {
  if (sel.kubeconfig) return path.resolve(sel.kubeconfig);
  const fromEnv = (sel.env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (fromEnv.length > 1) return undefined;
  if (fromEnv.length === 1) return fromEnv[0];
  return path.join(sel.env.HOME || homedir(), '.kube', 'config');
}

const documents = new Map<string, unknown>();

/**
 * A kubeconfig file's YAML, parsed once per process and content: a fleet run reads the same file for its context
 * list and once per cluster. Callers only read the result. Throws js-yaml's error on a malformed file.
 */
export function kubeconfigDocument(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  if (!documents.has(text)) documents.set(text, yaml.load(text));
  return documents.get(text);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function loadKubeConfigFast(sel: KubeSelection): FastKubeConfig | undefined {
  if (sel.clusterName) return undefined;
  const file = singleFile(sel);
  if (!file || !existsSync(file)) return undefined;
  let doc: KubeconfigFile;
  try {
    doc = kubeconfigDocument(file) as KubeconfigFile;
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object') return undefined;
  const contextName = sel.context ?? str(doc['current-context']);
  const context = doc.contexts?.find((c) => c.name === contextName)?.context;
  const cluster = doc.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const user = context?.user === undefined ? {} : doc.users?.find((u) => u.name === context.user)?.user;
  if (!contextName || !context || !cluster || !user) return undefined;
  const server = str(cluster.server);
  if (!server || cluster['proxy-url'] || user.exec || user['auth-provider']) return undefined;
  const dir = path.dirname(file);
  const data = (key: string): Buffer | undefined => {
    const inline = str((key.startsWith('client') ? user : cluster)[`${key}-data`]);
    if (inline) return Buffer.from(inline, 'base64');
    const ref = str((key.startsWith('client') ? user : cluster)[key]);
    return ref ? readFileSync(path.resolve(dir, ref)) : undefined;
  };
  try {
    const headers: Record<string, string> = {};
    const tokenFile = str(user.tokenFile);
    const token =
      str(user.token) ?? (tokenFile ? readFileSync(path.resolve(dir, tokenFile), 'utf8').trim() : undefined);
    if (token) headers.Authorization = `Bearer ${token}`;
    else if (str(user.username)) {
      const basic = `${str(user.username)}:${str(user.password) ?? ''}`;
      headers.Authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
    }
    return {
      contextName,
      namespace: str(context.namespace),
      source: file,
      material: {
        server,
        ca: data('certificate-authority'),
        cert: data('client-certificate'),
        key: data('client-key'),
        servername: str(cluster['tls-server-name']),
        rejectUnauthorized: cluster['insecure-skip-tls-verify'] === true ? false : undefined,
        headers,
      },
    };
  } catch {
    return undefined;
  }
}
