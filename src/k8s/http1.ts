// HTTP/1.1 over one keep-alive pool of TLS (or TCP) connections: the client of every API request but those through
// a kubeconfig proxy (transport.ts). Node's http/https client costs ~4 ms to load and ~0.3 ms of CPU per request
// (ClientRequest, IncomingMessage, streams, the agent) against ~0.1 ms here, which a create (41 requests) or a fleet
// run (three times that) pays in full. It does what the transport needs and no more: one request at a time per
// connection (no pipelining), no upgrades, no compression asked, bodies as UTF-8 strings; responses framed by
// Content-Length, chunked transfer coding, or the end of the connection. Certificates are checked by node:tls as
// for https (the CA, the server name). A malformed response is an error, never a guess.
import type net from 'node:net';

export interface Http1Request {
  readonly method: string;
  /** Path plus query, already encoded. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface Http1Response {
  readonly status: number;
  /** Lower-case names; a repeated header's values joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Longest status line plus headers (or chunk-size line) accepted, as Node's own limit. */
const MAX_HEAD = 16 * 1024;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const EMPTY = Buffer.alloc(0);

/** The peer closed the connection before a whole response: Node's http client words it the same. */
function hangUp(): NodeJS.ErrnoException {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

function malformed(what: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`malformed HTTP response from the server: ${what}`), { code: 'EBADRESPONSE' });
}

/** The request as bytes on the wire; throws on a method, path or header that would break the framing. */
export function requestText(host: string, req: Http1Request): string {
  if (!TOKEN.test(req.method)) throw new TypeError(`invalid HTTP method ${JSON.stringify(req.method)}`);
  if (!/^\/[\x21-\x7e]*$/.test(req.path)) throw new TypeError(`invalid request path ${JSON.stringify(req.path)}`);
  let text = `${req.method} ${req.path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const [name, value] of Object.entries(req.headers)) {
    if (!TOKEN.test(name) || /^(host|content-length|transfer-encoding|connection)$/i.test(name))
      throw new TypeError(`invalid or reserved HTTP header name ${JSON.stringify(name)}`);
    if (!/^[\t\x20-\x7e]*$/.test(value)) throw new TypeError(`invalid characters in HTTP header ${name}`);
    text += `${name}: ${value}\r\n`;
  }
  if (req.body !== undefined || ['POST', 'PUT', 'PATCH'].includes(req.method))
    text += `Content-Length: ${Buffer.byteLength(req.body ?? '')}\r\n`;
  return `${text}\r\n${req.body ?? ''}`;
}

/** Reads one response from the bytes of a connection, as they come. */
export class ResponseReader {
  private buf: Buffer = EMPTY;
  private inHead = true;
  private mode: 'length' | 'chunked' | 'close' | 'none' = 'none';
  private chunk: 'size' | 'data' | 'crlf' | 'trailers' = 'size';
  private remaining = 0;
  private readonly parts: Buffer[] = [];
  private status = 0;
  private headers: Record<string, string> = {};
  /** The connection may carry the next request once this response is complete. */
  keepAlive = true;

  constructor(private readonly method: string) {}

  /** Feeds bytes; true once the response is complete. Throws on a malformed response. */
  push(data: Buffer): boolean {
    this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : data;
    for (;;) {
      if (this.inHead) {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (this.buf.length > MAX_HEAD) throw malformed('headers too long');
          return false;
        }
        if (end > MAX_HEAD) throw malformed('headers too long');
        this.head(this.buf.toString('latin1', 0, end));
        this.buf = this.buf.subarray(end + 4);
        continue;
      }
      if (this.mode === 'none') break;
      if (this.mode === 'close') {
        if (this.buf.length) this.parts.push(this.buf);
        this.buf = EMPTY;
        return false;
      }
      if (this.mode === 'length' || this.chunk === 'data') {
        const take = Math.min(this.remaining, this.buf.length);
        if (take) this.parts.push(this.buf.subarray(0, take));
        this.buf = this.buf.subarray(take);
        this.remaining -= take;
        if (this.remaining > 0) return false;
        if (this.mode === 'length') {
          this.mode = 'none';
          break;
        }
        this.chunk = 'crlf';
        continue;
      }
      if (this.chunk === 'crlf') {
        if (this.buf.length < 2) return false;
        if (this.buf[0] !== 13 || this.buf[1] !== 10) throw malformed('chunk data not followed by CRLF');
        this.buf = this.buf.subarray(2);
        this.chunk = 'size';
        continue;
      }
      // a chunk-size line, or a trailer line after the last chunk
      const eol = this.buf.indexOf('\r\n');
      if (eol < 0) {
        if (this.buf.length > MAX_HEAD) throw malformed('chunk line too long');
        return false;
      }
      const line = this.buf.toString('latin1', 0, eol);
      this.buf = this.buf.subarray(eol + 2);
      if (this.chunk === 'trailers') {
        if (line === '') {
          this.mode = 'none';
          break;
        }
        continue;
      }
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
      if (!size) throw malformed(`chunk size ${JSON.stringify(line.slice(0, 40))}`);
      this.remaining = parseInt(size[1]!, 16);
      this.chunk = this.remaining === 0 ? 'trailers' : 'data';
    }
    // bytes past the end of the response were never asked for: the connection is not reused
    if (this.buf.length) this.keepAlive = false;
    return true;
  }

  /** The peer closed the connection: true when that ends the response (a body framed by the close). */
  end(): boolean {
    if (this.inHead || this.mode !== 'close') return false;
    this.mode = 'none';
    return true;
  }

  result(): Http1Response {
    return { status: this.status, headers: this.headers, body: Buffer.concat(this.parts).toString('utf8') };
  }

  private head(text: string): void {
    const lines = text.split('\r\n');
    const statusLine = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: [^\r\n]*)?$/.exec(lines[0]!);
    if (!statusLine) throw malformed(`status line ${JSON.stringify(lines[0]!.slice(0, 60))}`);
    const status = Number(statusLine[2]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, Math.max(colon, 0));
      if (!TOKEN.test(name)) throw malformed(`header line ${JSON.stringify(line.slice(0, 60))}`);
      const key = name.toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
    }
    // An interim response (100 Continue and the like) is followed by the real one; 101 would switch protocols,
    // which fluxcfg never asks for.
    if (status < 200) {
      if (status === 101) throw malformed('101 Switching Protocols');
      return;
    }
    const te = headers['transfer-encoding'];
    const length = headers['content-length'];
    let mode: typeof this.mode;
    if (this.method === 'HEAD' || status === 204 || status === 304) mode = 'none';
    else if (te !== undefined) {
      if (!/^chunked$/i.test(te.trim())) throw malformed(`transfer-encoding ${te}`);
      if (length !== undefined) throw malformed('both transfer-encoding and content-length');
      mode = 'chunked';
    } else if (length !== undefined) {
      if (!/^\d{1,15}$/.test(length)) throw malformed(`content-length ${length}`);
      mode = Number(length) ? 'length' : 'none';
    } else mode = 'close';
    this.inHead = false;
    this.status = status;
    this.headers = headers;
    this.mode = mode;
    this.chunk = 'size';
    this.remaining = mode === 'length' ? Number(length) : 0;
    this.keepAlive =
      mode !== 'close' && statusLine[1] === '1' && !/(^|,)\s*close\s*(,|$)/i.test(headers.connection ?? '');
  }
}

interface Waiter {
  readonly start: (socket: net.Socket) => void;
  readonly fail: (err: Error) => void;
}

const poolClosed = () => new Error('the connection pool was closed');

/**
 * At most `maxSockets` connections, each carrying one request at a time and kept open between requests (unref'd
 * while idle, so they never hold the process). A request that finds all busy waits for one.
 */
export class Http1Pool {
  private readonly sockets = new Set<net.Socket>();
  private readonly idle: net.Socket[] = [];
  private readonly waiting: Waiter[] = [];
  private closed = false;
  /** The TLS session of the last connection: a later one resumes it (no certificates sent or checked again). */
  private session?: Buffer;
  /**
   * A connection not yet past its session ticket (or, without one, its first answer): another is opened only after,
   * so that it can resume the session instead of a full handshake.
   */
  private opening?: net.Socket;

  constructor(
    private readonly connect: (session?: Buffer) => net.Socket,
    private readonly maxSockets: number,
    /** The Host header: host, and port when not the scheme's default. */
    private readonly host: string,
  ) {}

  /**
   * Sends one request and reads its whole response. A deadline (timeoutMs > 0) covers waiting for a connection,
   * connecting, TLS and the whole response; past it the connection is destroyed and `timeoutError()` rejects.
   */
  request(req: Http1Request, timeoutMs: number, timeoutError: () => Error): Promise<Http1Response> {
    const text = requestText(this.host, req);
    return new Promise((resolve, reject) => {
      let socket: net.Socket | undefined;
      let settled = false;
      let detach = (): void => undefined;
      const settle = () => {
        settled = true;
        clearTimeout(timer);
        detach();
      };
      const fail = (err: Error) => {
        if (settled) return;
        settle();
        if (socket) socket.destroy();
        else {
          const i = this.waiting.indexOf(waiter);
          if (i >= 0) this.waiting.splice(i, 1);
        }
        reject(err);
      };
      const start = (s: net.Socket) => {
        socket = s;
        s.ref();
        const reader = new ResponseReader(req.method);
        const done = () => {
          settle();
          this.release(s, reader.keepAlive);
          resolve(reader.result());
        };
        const onData = (data: Buffer) => {
          try {
            if (reader.push(data)) done();
          } catch (err) {
            fail(err as Error);
          }
        };
        const onEnd = () => (reader.end() ? done() : fail(hangUp()));
        const onClose = () => fail(hangUp());
        s.on('data', onData);
        s.on('end', onEnd);
        s.on('close', onClose);
        s.on('error', fail);
        detach = () => {
          s.off('data', onData);
          s.off('end', onEnd);
          s.off('close', onClose);
          s.off('error', fail);
        };
        s.write(text);
      };
      const waiter: Waiter = { start, fail };
      const timer = timeoutMs > 0 ? setTimeout(() => fail(timeoutError()), timeoutMs) : undefined;
      this.acquire(waiter);
    });
  }

  /** Destroys every connection; requests waiting for one fail. */
  close(): void {
    this.closed = true;
    for (const s of this.sockets) s.destroy();
    for (const w of this.waiting.splice(0)) w.fail(poolClosed());
  }

  private acquire(waiter: Waiter): void {
    if (this.closed) return waiter.fail(poolClosed());
    let idle = this.idle.pop();
    while (idle?.destroyed) idle = this.idle.pop();
    if (idle) return waiter.start(idle);
    if (this.sockets.size < this.maxSockets && !this.opening) return waiter.start(this.open());
    this.waiting.push(waiter);
  }

  private open(): net.Socket {
    const s = this.connect(this.session);
    this.sockets.add(s);
    this.opening = s;
    // An idle connection may fail or be closed by the server: it leaves the pool (its error is no request's).
    s.on('error', () => undefined);
    if ((s as { encrypted?: boolean }).encrypted)
      s.on('session', (session: Buffer) => {
        this.session = session;
        this.opened(s);
      });
    else s.once('connect', () => this.opened(s));
    s.once('close', () => {
      this.sockets.delete(s);
      const i = this.idle.indexOf(s);
      if (i >= 0) this.idle.splice(i, 1);
      if (this.opening === s) this.opening = undefined;
      const next = this.waiting.shift();
      if (next) this.acquire(next);
    });
    return s;
  }

  /** `s` is past its handshake: a request still waiting may have a connection of its own. */
  private opened(s: net.Socket): void {
    if (this.opening !== s) return;
    this.opening = undefined;
    const next = this.waiting.shift();
    if (next) this.acquire(next);
  }

  private release(s: net.Socket, reusable: boolean): void {
    if (!reusable || this.closed || s.destroyed) {
      s.destroy(); // its 'close' hands a new connection to the next waiting request
    } else {
      const next = this.waiting.shift();
      if (next) next.start(s);
      else {
        s.unref();
        this.idle.push(s);
      }
    }
    // past its first answer: a request still waiting may have a connection of its own
    this.opened(s);
  }
}
