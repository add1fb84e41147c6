import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { Http1Pool, type Http1Request } from './http1.js';

export interface HttpRequest {
  readonly method: string;
  /** Path plus query string, e.g. /api/v1/namespaces?labelSelector=a%3Db */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-case names; a repeated header's values joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** kubectl's --request-timeout default here: a request (connect, TLS, answer) that takes longer fails. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** A request that got no complete answer within the request timeout (never retried: the server is frozen). */
export class RequestTimeoutError extends Error {
  readonly code = 'EREQUESTTIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000}s`);
  }
}

/** Writes the API server accepted in this process (not dry runs): what a signal handler reports as applied. */
export const writesAccepted = { count: 0 };

export interface TransportOptions {
  /** Deadline of each request in ms (0 = none); a request's own timeoutMs overrides it. */
  readonly requestTimeoutMs?: number;
}

export interface Transport {
  readonly server: string;
  send(req: HttpRequest): Promise<HttpResponse>;
  close(): void;
}

/** A kubeconfig credential (exec) plugin that failed: its command and its stderr, never an "internal error". */
function credentialError(kc: KubeConfig, err: unknown): UserError {
  const user = kc.getCurrentUser();
  const text = (err instanceof Error ? err.message : String(err)).trim();
  const detail = text.split('\n').filter(Boolean).slice(0, 5).join(' | ') || 'no output';
  if (user?.exec) {
    const cmd = String((user.exec as { command?: unknown }).command ?? '');
    return new UserError(`the kubeconfig credential plugin of user "${user.name}" (${cmd}) failed: ${detail}`, {
      hint: 'refresh the credentials the plugin uses (e.g. log in again with your cloud CLI), or use another --context',
      cause: err,
    });
  }
  return new UserError(`cannot load the credentials of kubeconfig user "${user?.name ?? '?'}": ${detail}`, {
    hint: 'check the user entry of the kubeconfig (certificate and key files, token file)',
    cause: err,
  });
}

/** What a transport needs: the server, TLS material and auth headers (from client-node, or kubeconfig-fast.ts). */
export interface TransportMaterial {
  readonly server: string;
  readonly ca?: https.RequestOptions['ca'];
  readonly cert?: https.RequestOptions['cert'];
  readonly key?: https.RequestOptions['key'];
  readonly pfx?: https.RequestOptions['pfx'];
  readonly passphrase?: string;
  readonly servername?: string;
  readonly rejectUnauthorized?: boolean;
  readonly headers?: Record<string, string | number | string[] | undefined>;
  readonly auth?: string;
  /** A ready agent (client-node's, for a proxy) used instead of our own pool. */
  readonly agent?: http.Agent;
}

/**
 * The transport of a kubeconfig client-node resolved (exec plugins, auth providers, proxies): its TLS material and
 * auth header handed to openTransport.
 */
export async function makeTransport(kc: KubeConfig, options: TransportOptions = {}): Promise<Transport> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no current cluster');
  const opts: https.RequestOptions = {};
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (err) {
    throw credentialError(kc, err);
  }
  return openTransport(
    {
      server: cluster.server,
      ca: opts.ca,
      cert: opts.cert,
      key: opts.key,
      pfx: opts.pfx,
      passphrase: opts.passphrase,
      servername: opts.servername,
      rejectUnauthorized: opts.rejectUnauthorized,
      headers: opts.headers as TransportMaterial['headers'],
      auth: opts.auth ?? undefined,
      agent: cluster.proxyUrl ? (opts.agent as http.Agent) : undefined,
    },
    options,
  );
}

/**
 * One keep-alive pool of a few connections for the whole run, over TLS material already at hand (no client-node):
 * our HTTP/1.1 client (http1.ts) over node:tls; Node's http client only for a kubeconfig proxy (client-node's agent).
 */
export function openTransport(opts: TransportMaterial, options: TransportOptions = {}): Transport {
  const defaultTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const base = new URL(opts.server);
  const isHttps = base.protocol === 'https:';
  const authHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {}))
    if (v !== undefined) authHeaders[k] = Array.isArray(v) ? v.join(', ') : String(v);
  if (opts.auth) authHeaders.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  const prefix = base.pathname.replace(/\/$/, '');
  const send = opts.agent ? viaAgent(base, opts.agent) : viaPool(base, opts, isHttps);
  return {
    server: opts.server,
    async send(req) {
      const res = await send.request(
        {
          method: req.method,
          path: prefix + req.path,
          headers: { Accept: 'application/json', 'User-Agent': 'fluxcfg', ...authHeaders, ...req.headers },
          body: req.body,
        },
        req.timeoutMs ?? defaultTimeoutMs,
      );
      if (req.method !== 'GET' && res.status < 300 && !/[?&]dryRun=/.test(req.path)) writesAccepted.count++;
      return res;
    },
    close: () => send.close(),
  };
}

interface Sender {
  request(req: Http1Request, timeoutMs: number): Promise<HttpResponse>;
  close(): void;
}

function viaPool(base: URL, opts: TransportMaterial, isHttps: boolean): Sender {
  const host = base.hostname.replace(/^\[(.*)\]$/, '$1'); // an IPv6 literal without its brackets
  const port = Number(base.port) || (isHttps ? 443 : 80);
  // one TLS context for every connection (given the material instead, each would parse the CA, the certificate
  // and the key again: ~1 ms per connection)
  const secureContext = isHttps
    ? tls.createSecureContext({
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        pfx: opts.pfx,
        passphrase: opts.passphrase,
      })
    : undefined;
  const connect = (session?: Buffer): net.Socket => {
    const socket = isHttps
      ? tls.connect({
          host,
          port,
          secureContext,
          session,
          // SNI and the name the certificate is checked against: tls-server-name, else the host unless an IP
          servername: opts.servername ?? (net.isIP(host) ? undefined : host),
          ...(opts.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        })
      : net.connect({ host, port });
    // no Nagle delay for a request written right behind the TLS handshake's last message (as Node's agents do)
    return socket.setNoDelay(true);
  };
  // 2 TLS connections, not more: a create measured the same with 2 as with 4, and each costs a handshake (the
  // second resumes the first's session, which skips the certificates: a full one is ~5 ms of this process's CPU)
  const pool = new Http1Pool(connect, isHttps ? 2 : 4, base.host);
  return {
    request: (req, timeoutMs) => pool.request(req, timeoutMs, () => new RequestTimeoutError(timeoutMs)),
    close: () => pool.close(),
  };
}

/** Through a proxy: Node's http client with the agent client-node built for it. */
function viaAgent(base: URL, agent: http.Agent): Sender {
  const lib = base.protocol === 'https:' ? https : http;
  return {
    request: (req, timeoutMs) =>
      new Promise((resolve, reject) => {
        const r = lib.request(
          {
            protocol: base.protocol,
            hostname: base.hostname,
            port: base.port || (base.protocol === 'https:' ? 443 : 80),
            method: req.method,
            path: req.path,
            agent,
            headers: {
              ...req.headers,
              ...(req.body !== undefined ? { 'Content-Length': Buffer.byteLength(req.body) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(res.headers))
                if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
              resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
            });
            res.on('error', reject);
          },
        );
        // A deadline for the whole exchange (connect, TLS, headers, body), not an idle timer: a frozen server that
        // accepted the connection would otherwise hold the run forever.
        const timer =
          timeoutMs > 0 ? setTimeout(() => r.destroy(new RequestTimeoutError(timeoutMs)), timeoutMs) : undefined;
        r.on('close', () => clearTimeout(timer));
        r.on('error', reject);
        if (req.body !== undefined) r.write(req.body);
        r.end();
      }),
    close: () => agent.destroy(),
  };
}
