// `fluxcfg __complete <words...>` (hidden, called by the completion scripts) and `fluxcfg completion <shell>`.
import { Command } from 'commander';
import type { KubeClient } from '../../k8s/client.js';
import type { KubeSelection } from '../../k8s/kubeconfig.js';
import type { Transport } from '../../k8s/transport.js';
import type { Io } from '../../ui/io.js';
import { Logger } from '../../ui/log.js';
import { Chalk } from 'chalk';
import { complete } from './complete.js';
import { clusterSources, DEFAULT_TIMEOUT_MS } from './sources.js';

export type Connect = (selection: KubeSelection, log: Logger) => Promise<KubeClient>;

/**
 * A KubeClient whose requests end by the deadline and, once closed, are refused at once: the client's retries
 * never keep a completion waiting (or the shell's process alive) after the candidates are printed.
 */
async function connectUntil(selection: KubeSelection, log: Logger, deadline: number): Promise<KubeClient> {
  const [{ loadKubeConfig }, { makeTransport }, { KubeClient }] = await Promise.all([
    import('../../k8s/kubeconfig.js'),
    import('../../k8s/transport.js'),
    import('../../k8s/client.js'),
  ]);
  const loaded = loadKubeConfig(selection);
  const inner = await makeTransport(loaded.kc);
  let closed = false;
  const transport: Transport = {
    server: inner.server,
    send: (req) =>
      closed
        ? Promise.reject(Object.assign(new Error('completion finished'), { code: 'ECANCELED' }))
        : inner.send({ ...req, timeoutMs: Math.max(1, Math.min(req.timeoutMs ?? 30_000, deadline - Date.now())) }),
    close() {
      closed = true;
      inner.close();
    },
  };
  return new KubeClient(transport, log, loaded.contextName);
}

/** The value of a flag on the line being completed (`--context x`, `--context=x`), the last one given. */
function flagValue(words: readonly string[], ...flags: string[]): string | undefined {
  let value: string | undefined;
  words.forEach((w, i) => {
    for (const f of flags) {
      if (w === f && i + 1 < words.length - 1) value = words[i + 1];
      else if (w.startsWith(`${f}=`)) value = w.slice(f.length + 1);
    }
  });
  return value;
}

/**
 * Prints the candidates for the last word, one per line, and returns 0 whatever happens: a completion never
 * prints an error. The cluster is asked with the kubeconfig/context flags already on the line.
 */
export async function runComplete(
  program: Command,
  words: readonly string[],
  io: Io,
  connect?: Connect,
): Promise<number> {
  const selection: KubeSelection = {
    kubeconfig: flagValue(words, '--kubeconfig'),
    context: flagValue(words, '--context'),
    clusterName: flagValue(words, '-c', '--cluster-name'),
    env: io.env,
  };
  const log = new Logger({ write: () => true }, 'error', new Chalk({ level: 0 }));
  let client: Promise<KubeClient> | undefined;
  const timeout = Number(io.env.FLUXCFG_COMPLETION_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeout;
  const kube = () => (client ??= connect ? connect(selection, log) : connectUntil(selection, log, deadline));
  try {
    const candidates = await complete(program, words.length ? words : [''], clusterSources(kube, selection, timeout));
    if (candidates.length) io.stdout.write(`${candidates.join('\n')}\n`);
  } catch {
    // no candidates
  } finally {
    client?.then((c) => c.close()).catch(() => undefined);
  }
  return 0;
}
