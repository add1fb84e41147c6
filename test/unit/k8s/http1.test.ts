// The HTTP/1.1 client of the API requests (src/k8s/http1.ts) against a scripted TCP server: every framing the
// API server (or something in front of it) may use, split into the smallest pieces, connection reuse and loss,
// timeouts, and the malformed answers it must refuse rather than guess. TLS is node:tls's; the integration tests
// run every request of the suite through this client against kube-apiserver (test/integration/kube-client.test.ts
// checks the certificate paths).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Pool, requestText, ResponseReader } from '../../../src/k8s/http1.js';

interface Received {
  readonly conn: number;
  readonly head: string;
  readonly body: string;
}

/** A server whose `answer` writes whatever bytes it likes for each request (or nothing). */
async function scripted(answer: (socket: net.Socket, req: Received) => void) {
  const received: Received[] = [];
  let conns = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const conn = ++conns;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.toString('latin1', 0, end);
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + length) return;
        const req = { conn, head, body: buf.toString('utf8', end + 4, end + 4 + length) };
        buf = buf.subarray(end + 4 + length);
        received.push(req);
        answer(socket, req);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const pool = (maxSockets = 2) => new Http1Pool(() => net.connect({ host: '127.0.0.1', port }), maxSockets, 'h');
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  cleanups.push(close);
  return { received, pool, connections: () => conns, sockets, port };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const get = (path = '/x') => ({ method: 'GET', path, headers: { Accept: 'application/json' } });
const timeout = () => Object.assign(new Error('deadline'), { code: 'EDEADLINE' });
const ok = (body: string, extra = '') =>
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

/** Writes `text` one byte per write, each after a macrotask: a response in the smallest pieces TCP can bring. */
async function dribble(socket: net.Socket, text: string) {
  for (const byte of Buffer.from(text)) {
    socket.write(Buffer.from([byte]));
    await new Promise((r) => setImmediate(r));
  }
}

describe('requestText', () => {
  it('writes a request line, Host, the headers and a Content-Length in bytes when there is a body', () => {
    expect(requestText('h:1', { method: 'PATCH', path: '/a?b=c', headers: { A: '1' }, body: 'é' })).toBe(
      'PATCH /a?b=c HTTP/1.1\r\nHost: h:1\r\nA: 1\r\nContent-Length: 2\r\n\r\né',
    );
    expect(requestText('h', get('/a'))).toBe('GET /a HTTP/1.1\r\nHost: h\r\nAccept: application/json\r\n\r\n');
    expect(requestText('h', { method: 'POST', path: '/a', headers: {} })).toContain('Content-Length: 0\r\n');
  });

  it('refuses what would break the framing: CR/LF in a header, a space in the path, reserved headers', () => {
    expect(() => requestText('h', { method: 'GET', path: '/a', headers: { A: 'x\r\nInjected: 1' } })).toThrow(
      /invalid characters/,
    );
    expect(() => requestText('h', { method: 'GET', path: '/a b', headers: {} })).toThrow(/invalid request path/);
    expect(() => requestText('h', { method: 'GET', path: '/a', headers: { 'Content-Length': '9' } })).toThrow(
      /reserved/,
    );
    expect(() => requestText('h', { method: 'G T', path: '/a', headers: {} })).toThrow(/method/);
  });
});

describe('ResponseReader', () => {
  const read = (method: string, ...pieces: string[]) => {
    const r = new ResponseReader(method);
    const done = pieces.map((p) => r.push(Buffer.from(p, 'latin1')));
    return { r, done };
  };

  it('chunked, with extensions and trailers, fed one byte at a time', () => {
    const text =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\nA\r\n0123456789\r\n0\r\nT: 1\r\n\r\n';
    const { r, done } = read('GET', ...text.split(''));
    expect(done.indexOf(true)).toBe(text.length - 1);
    expect(r.result()).toEqual({ status: 200, headers: { 'transfer-encoding': 'chunked' }, body: 'abc0123456789' });
    expect(r.keepAlive).toBe(true);
  });

  it('skips an interim 100 Continue; no body for HEAD, 204 and 304; joins repeated headers', () => {
    const { r } = read(
      'GET',
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nW: a\r\nw: b\r\nContent-Length: 2\r\n\r\nok',
    );
    expect(r.result()).toEqual({ status: 201, headers: { w: 'a, b', 'content-length': '2' }, body: 'ok' });
    expect(read('HEAD', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n').done).toEqual([true]);
    expect(read('DELETE', 'HTTP/1.1 204 No Content\r\n\r\n').done).toEqual([true]);
  });

  it('a body framed by the end of the connection, an HTTP/1.0 answer and Connection: close are not kept alive', () => {
    const { r, done } = read('GET', 'HTTP/1.1 200 OK\r\n\r\npart', 'rest');
    expect(done).toEqual([false, false]);
    expect(r.end()).toBe(true);
    expect(r.result().body).toBe('partrest');
    expect(r.keepAlive).toBe(false);
    expect(read('GET', 'HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').r.keepAlive).toBe(false);
    expect(read('GET', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').r.keepAlive).toBe(false);
    // bytes after the response were never asked for
    expect(read('GET', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab').r.keepAlive).toBe(false);
  });

  it('the end of the connection before a whole response is no response', () => {
    const r = new ResponseReader('GET');
    r.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort'));
    expect(r.end()).toBe(false);
  });

  it.each([
    ['a status line that is not HTTP/1.x', 'HTTP/2 200\r\n\r\n', /status line/],
    ['a header line without a name', 'HTTP/1.1 200 OK\r\n: x\r\n\r\n', /header line/],
    ['a transfer coding other than chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n', /transfer-encoding/],
    [
      'both framings',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n',
      /both transfer-encoding and content-length/,
    ],
    ['two different lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n', /content-length/],
    ['a chunk size that is not hex', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /chunk size/],
    ['chunk data too long', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n', /CRLF/],
    ['a protocol switch', 'HTTP/1.1 101 Switching Protocols\r\n\r\n', /101/],
    ['endless headers', `HTTP/1.1 200 OK\r\nX: ${'a'.repeat(20_000)}`, /too long/],
  ])('refuses %s', (_, text, message) => {
    expect(() => new ResponseReader('GET').push(Buffer.from(text))).toThrow(message);
    expect(() => new ResponseReader('GET').push(Buffer.from(text))).toThrow(
      expect.objectContaining({ code: 'EBADRESPONSE' }),
    );
  });
});

describe('Http1Pool against a scripted server', () => {
  it('keeps one connection alive across sequential requests and sends the request as written', async () => {
    const srv = await scripted((s, req) => s.write(ok(JSON.stringify({ path: req.head.split(' ')[1] }))));
    const pool = srv.pool();
    for (const p of ['/a', '/b', '/c'])
      expect(await pool.request(get(p), 0, timeout)).toMatchObject({ status: 200, body: `{"path":"${p}"}` });
    expect(srv.connections()).toBe(1);
    const body = JSON.stringify({ name: 'ünï' });
    await pool.request({ method: 'PATCH', path: '/p', headers: { 'Content-Type': 'x' }, body }, 0, timeout);
    expect(srv.received.at(-1)).toMatchObject({ body, head: expect.stringMatching(/\r\nContent-Length: 16$/) });
    pool.close();
  });

  it('reads a chunked answer that arrives one byte at a time', async () => {
    const payload = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ i })) });
    const srv = await scripted((s) => {
      const chunks = [payload.slice(0, 50), payload.slice(50)].map((c) => `${c.length.toString(16)}\r\n${c}\r\n`);
      void dribble(s, `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunks.join('')}0\r\n\r\n`);
    });
    const pool = srv.pool();
    expect(JSON.parse((await pool.request(get(), 0, timeout)).body)).toEqual(JSON.parse(payload));
    pool.close();
  });

  it('at most maxSockets connections; requests beyond wait for a free one', async () => {
    const srv = await scripted((s) => setTimeout(() => s.write(ok('{}')), 20));
    const pool = srv.pool(2);
    const answers = await Promise.all(Array.from({ length: 7 }, () => pool.request(get(), 0, timeout)));
    expect(answers.map((a) => a.status)).toEqual(Array(7).fill(200));
    expect(srv.connections()).toBe(2);
    pool.close();
  });

  it('opens a second connection only once the first is up (over TLS: past its session ticket, to resume it)', async () => {
    const srv = await scripted((s) => setTimeout(() => s.write(ok('{}')), 5));
    const events: string[] = [];
    const pool = new Http1Pool(
      (session) => {
        events.push(`open ${session === undefined ? 'fresh' : 'resumed'}`);
        const socket = net.connect({ host: '127.0.0.1', port: srv.port });
        socket.once('connect', () => events.push('connected'));
        return socket;
      },
      2,
      'h',
    );
    await Promise.all(Array.from({ length: 4 }, () => pool.request(get(), 0, timeout)));
    // over TCP there is no session: the second connection is fresh, but opened after the first connected
    expect(events.slice(0, 3)).toEqual(['open fresh', 'connected', 'open fresh']);
    expect(srv.connections()).toBe(2);
    pool.close();
  });

  it('a connection the server closed while idle is replaced, and one answered with Connection: close is not reused', async () => {
    const srv = await scripted((s, req) => {
      if (req.head.startsWith('GET /close')) s.end(ok('{}', 'Connection: close\r\n'));
      else s.write(ok('{}'));
    });
    const pool = srv.pool(1);
    await pool.request(get(), 0, timeout);
    for (const s of srv.sockets) s.destroy(); // the server drops the idle connection
    await new Promise((r) => setTimeout(r, 20));
    expect((await pool.request(get(), 0, timeout)).status).toBe(200);
    await pool.request(get('/close'), 0, timeout);
    await pool.request(get(), 0, timeout);
    expect(srv.received.map((r) => r.conn)).toEqual([1, 2, 2, 3]);
    pool.close();
  });

  it('a connection lost mid-answer is ECONNRESET (retried by KubeClient when idempotent)', async () => {
    const srv = await scripted((s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"partial'));
    const pool = srv.pool();
    await expect(pool.request(get(), 0, timeout)).rejects.toMatchObject({ code: 'ECONNRESET' });
    pool.close();
  });

  it('a malformed answer fails the request with EBADRESPONSE and drops the connection', async () => {
    const srv = await scripted((s, req) => s.write(req.head.startsWith('GET /bad') ? 'HTTP/1.1 OK\r\n\r\n' : ok('{}')));
    const pool = srv.pool(1);
    await expect(pool.request(get('/bad'), 0, timeout)).rejects.toMatchObject({ code: 'EBADRESPONSE' });
    expect((await pool.request(get(), 0, timeout)).status).toBe(200);
    expect(srv.connections()).toBe(2);
    pool.close();
  });

  it('the deadline covers a server that accepts and never answers: the request fails, the connection goes', async () => {
    const srv = await scripted(() => undefined);
    const pool = srv.pool(1);
    const started = Date.now();
    await expect(pool.request(get(), 150, timeout)).rejects.toMatchObject({ code: 'EDEADLINE' });
    expect(Date.now() - started).toBeLessThan(2000);
    await new Promise((r) => setTimeout(r, 20));
    expect(srv.sockets.size).toBe(0);
    // a request waiting for the only connection has its own deadline too
    const busy = pool.request(get(), 300, timeout);
    await expect(pool.request(get(), 100, timeout)).rejects.toMatchObject({ code: 'EDEADLINE' });
    await expect(busy).rejects.toMatchObject({ code: 'EDEADLINE' });
    pool.close();
  });

  it('a refused connection is ECONNREFUSED; a closed pool fails what waits and what comes', async () => {
    const srv = await scripted(() => undefined);
    const dead = new Http1Pool(() => net.connect({ host: '127.0.0.1', port: 1 }), 1, 'h');
    await expect(dead.request(get(), 0, timeout)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    dead.close();
    const pool = srv.pool(1);
    const first = pool.request(get(), 0, timeout).catch((e: unknown) => e);
    const second = pool.request(get(), 0, timeout).catch((e: unknown) => e);
    pool.close();
    expect(await first).toMatchObject({ code: 'ECONNRESET' });
    expect(await second).toMatchObject({ message: 'the connection pool was closed' });
    await expect(pool.request(get(), 0, timeout)).rejects.toThrow(/pool was closed/);
  });
});
