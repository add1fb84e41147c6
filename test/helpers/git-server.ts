// A git repository served over HTTP from loopback, for tests of code that clones: a bare repository behind
// `git http-backend` (the smart protocol, so shallow clones work) in a tiny Node http server, optionally behind
// basic auth. No network, no daemon left behind: stop() closes the server and removes the files.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface GitServerOptions {
  /** Branch the files are committed on. @default 'main' */
  readonly branch?: string;
  /** Tags on the commit. */
  readonly tags?: readonly string[];
  /** Required basic-auth credentials; requests without them get 401. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Symlinks to create in the commit: path → target. */
  readonly symlinks?: Record<string, string>;
}

export interface GitServer {
  /** Clone URL, e.g. http://127.0.0.1:PORT/repo.git */
  readonly url: string;
  /** Id of the commit holding the files. */
  readonly commit: string;
  /** Authorization headers the server received, in order (to assert how credentials were sent). */
  readonly authorizations: string[];
  stop(): Promise<void>;
}

const gitEnv = {
  GIT_AUTHOR_NAME: 'fluxcfg test',
  GIT_AUTHOR_EMAIL: 'test@fluxcfg.invalid',
  GIT_COMMITTER_NAME: 'fluxcfg test',
  GIT_COMMITTER_EMAIL: 'test@fluxcfg.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function git(args: string[], cwd: string): string {
  const r = spawnSync('git', args, { cwd, env: { ...process.env, ...gitEnv }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

function httpBackend(): string {
  const execPath = spawnSync('git', ['--exec-path'], { encoding: 'utf8' }).stdout.trim();
  for (const candidate of [path.join(execPath, 'git-http-backend'), '/usr/lib/git-core/git-http-backend'])
    if (existsSync(candidate)) return candidate;
  throw new Error('git-http-backend not found (it ships with the git package)');
}

/** Commits `files` (path → content) to a new repository and serves it on 127.0.0.1. */
export async function startGitServer(
  files: Record<string, string>,
  options: GitServerOptions = {},
): Promise<GitServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-git-'));
  const work = path.join(dir, 'work');
  const branch = options.branch ?? 'main';
  mkdirSync(work);
  git(['init', '-q', '-b', branch], work);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
    writeFileSync(path.join(work, file), content);
  }
  for (const [link, target] of Object.entries(options.symlinks ?? {})) {
    mkdirSync(path.dirname(path.join(work, link)), { recursive: true });
    symlinkSync(target, path.join(work, link));
  }
  git(['add', '-A'], work);
  git(['commit', '-q', '--allow-empty', '-m', 'manifests'], work);
  for (const tag of options.tags ?? []) git(['tag', tag], work);
  const commit = git(['rev-parse', 'HEAD'], work);
  git(['clone', '-q', '--bare', work, path.join(dir, 'repo.git')], dir);
  git(['config', 'http.receivepack', 'false'], path.join(dir, 'repo.git'));
  git(['config', 'uploadpack.allowReachableSHA1InWant', 'true'], path.join(dir, 'repo.git'));
  const backend = httpBackend();
  const authorizations: string[] = [];
  const expected = options.auth
    ? `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`
    : undefined;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    if (expected && req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="fluxcfg-test"' }).end();
      return;
    }
    const cgi = spawn(backend, [], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: dir,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
        REMOTE_USER: options.auth?.username ?? '',
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => {
      if (!headersDone) res.writeHead(500);
      res.end();
    });
    cgi.on('error', () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/repo.git`,
    commit,
    authorizations,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
