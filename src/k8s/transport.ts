import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

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
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface Transport {
  readonly server: string;
  send(req: HttpRequest): Promise<HttpResponse>;
  close(): void;
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
 * One keep-alive agent for the whole run, with the kubeconfig's TLS material and auth header
 * (client-node resolves exec plugins, tokens and client certificates for us).
 */
export async function makeTransport(kc: KubeConfig): Promise<Transport> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('no current cluster');
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  return openTransport({
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
  });
}

/** The transport over TLS material already at hand (no client-node). */
export function openTransport(opts: TransportMaterial): Transport {
  const cluster = { server: opts.server };
  const base = new URL(cluster.server);
  const isHttps = base.protocol === 'https:';
  const agent: http.Agent = opts.agent
    ? opts.agent
    : isHttps
      ? new https.Agent({
          keepAlive: true,
          maxSockets: 4,
          ca: opts.ca,
          cert: opts.cert,
          key: opts.key,
          pfx: opts.pfx,
          passphrase: opts.passphrase,
          servername: opts.servername,
          ...(opts.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        })
      : new http.Agent({ keepAlive: true, maxSockets: 4 });
  const authHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) authHeaders[k] = String(v);
  if (opts.auth) authHeaders.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  const prefix = base.pathname.replace(/\/$/, '');
  const lib = isHttps ? https : http;

  return {
    server: cluster.server,
    send(req) {
      return new Promise((resolve, reject) => {
        const r = lib.request(
          {
            protocol: base.protocol,
            hostname: base.hostname,
            port: base.port || (isHttps ? 443 : 80),
            method: req.method,
            path: prefix + req.path,
            agent,
            headers: {
              Accept: 'application/json',
              'User-Agent': 'fluxcfg',
              ...authHeaders,
              ...req.headers,
              ...(req.body !== undefined ? { 'Content-Length': Buffer.byteLength(req.body) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
            );
            res.on('error', reject);
          },
        );
        r.setTimeout(req.timeoutMs ?? 30_000, () => r.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
        r.on('error', reject);
        if (req.body !== undefined) r.write(req.body);
        r.end();
      });
    },
    close() {
      agent.destroy();
    },
  };
}
