// Layer 2 on a git source: a shallow clone of the requested ref into a temp dir, the same credentials Flux would
// use (through env and 0600 files, never argv), a scan of the kustomization paths, and cleanup.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { trackTempDir, type Exec, type ExecResult } from '../exec.js';
import type { KubeClient } from '../k8s/client.js';
import { validateCheckout } from './checkout.js';
import type { Finding, TenancyContext } from './findings.js';
import type { KustomizationInput } from './scan.js';
import { pickTag } from './semver.js';

export interface GitRef {
  branch?: string;
  tag?: string;
  semver?: string;
  commit?: string;
}

export interface GitAuth {
  /** PEM / OpenSSH private key text. */
  sshPrivateKey?: string;
  /** known_hosts text (base64 of it is accepted too, as az sends it). */
  knownHosts?: string;
  username?: string;
  password?: string;
  /** PEM CA certificate text (or its base64). */
  caCert?: string;
}

export interface GitSourceInput {
  url: string;
  ref: GitRef;
  auth?: GitAuth;
  kustomizations: KustomizationInput[];
}

export interface GitSourceDeps {
  exec: Exec;
  kube?: KubeClient;
  noRemoteBases?: boolean;
  /** @default 120000 per git command */
  timeoutMs?: number;
}

/** Text that may arrive base64-encoded (az sends known_hosts and CA certificates that way). */
export function maybeBase64(text: string): string {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/=\s]+$/.test(t) || t.length % 4 !== 0) return text;
  const decoded = Buffer.from(t, 'base64').toString('utf8');
  return /^[\x09\x0a\x0d\x20-\x7e]+$/.test(decoded) && /\s/.test(decoded) ? decoded : text;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function stripUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/** Env (and files under authDir) carrying the credentials; nothing secret goes into argv. */
async function credentialEnv(url: string, auth: GitAuth | undefined, authDir: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    GIT_TERMINAL_PROMPT: '0',
    GCM_INTERACTIVE: 'never',
    GIT_LFS_SKIP_SMUDGE: '1',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const config: [string, string][] = [['credential.helper', '']];
  await mkdir(authDir, { mode: 0o700 });
  const secretFile = async (name: string, content: string) => {
    const file = path.join(authDir, name);
    await writeFile(file, content, { mode: 0o600 });
    await chmod(file, 0o600);
    return file;
  };
  if (auth?.sshPrivateKey) {
    const key = await secretFile(
      'identity',
      auth.sshPrivateKey.endsWith('\n') ? auth.sshPrivateKey : `${auth.sshPrivateKey}\n`,
    );
    const knownHosts = await secretFile('known_hosts', auth.knownHosts ? maybeBase64(auth.knownHosts) : '');
    env.GIT_SSH_COMMAND = [
      'ssh -F /dev/null',
      `-i ${shellQuote(key)}`,
      '-o IdentitiesOnly=yes -o BatchMode=yes',
      `-o UserKnownHostsFile=${shellQuote(knownHosts)}`,
      `-o StrictHostKeyChecking=${auth.knownHosts ? 'yes' : 'accept-new'}`,
    ].join(' ');
  } else if (auth?.knownHosts) {
    const knownHosts = await secretFile('known_hosts', maybeBase64(auth.knownHosts));
    env.GIT_SSH_COMMAND = `ssh -F /dev/null -o BatchMode=yes -o UserKnownHostsFile=${shellQuote(knownHosts)} -o StrictHostKeyChecking=yes`;
  }
  if (auth?.password !== undefined || auth?.username !== undefined) {
    const basic = Buffer.from(`${auth.username ?? 'git'}:${auth.password ?? ''}`).toString('base64');
    config.push([`http.${stripUserinfo(url)}.extraHeader`, `Authorization: Basic ${basic}`]);
  }
  if (auth?.caCert) env.GIT_SSL_CAINFO = await secretFile('ca.crt', maybeBase64(auth.caCert));
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

/** Last meaningful line of git's stderr, with credentials taken out. */
function gitReason(result: ExecResult, secrets: (string | undefined)[]): string {
  let text = result.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('hint:') && !/^Cloning into/.test(l))
    .slice(-2)
    .join(' ');
  text = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
  for (const s of secrets) if (s && s.length >= 3) text = text.split(s).join('***');
  return text || `git exited with ${result.exitCode}`;
}

/** Layer 2 on a git source: clone, scan, clean up. Unreachable → { findings: [], warning: '...' }. */
export async function validateGitSource(
  input: GitSourceInput,
  ctx: TenancyContext,
  deps: GitSourceDeps,
): Promise<{ findings: Finding[]; warning?: string }> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'fluxcfg-validate-'));
  const untrack = trackTempDir(tmp); // a signal removes it (the deploy key is in it) and kills git/ssh
  const repo = path.join(tmp, 'repo');
  const secrets = [input.auth?.password, input.auth?.sshPrivateKey];
  const notValidated = (why: string) => ({
    findings: [],
    warning: `the source ${stripUserinfo(input.url)} was not validated: ${why}`,
  });
  try {
    const env = await credentialEnv(input.url, input.auth, path.join(tmp, 'auth'));
    const timeoutMs = deps.timeoutMs ?? 120_000;
    const git = (args: string[], cwd?: string) => deps.exec('git', args, { env, cwd, timeoutMs });
    const { ref } = input;
    let what: string;
    if (ref.commit) {
      what = `commit ${ref.commit}`;
      await mkdir(repo);
      const init = await git(['init', '-q', repo]);
      if (init.exitCode !== 0) return notValidated(`git init failed: ${gitReason(init, secrets)}`);
      let fetched = await git(['fetch', '-q', '--depth', '1', '--', input.url, ref.commit], repo);
      if (fetched.exitCode !== 0) {
        // servers that refuse to fetch a commit by id (or the dumb protocol): fetch the branches, then check out
        const refspec = ref.branch
          ? `+refs/heads/${ref.branch}:refs/remotes/origin/${ref.branch}`
          : '+refs/heads/*:refs/remotes/origin/*';
        fetched = await git(['fetch', '-q', '--', input.url, refspec], repo);
        if (fetched.exitCode !== 0) return notValidated(`cannot fetch ${what}: ${gitReason(fetched, secrets)}`);
      }
      const checkout = await git(['-c', 'advice.detachedHead=false', 'checkout', '-q', ref.commit, '--'], repo);
      if (checkout.exitCode !== 0) return notValidated(`cannot check out ${what}: ${gitReason(checkout, secrets)}`);
    } else {
      let name = ref.tag ?? ref.branch;
      what = ref.tag ? `tag ${ref.tag}` : ref.branch ? `branch ${ref.branch}` : 'the default branch';
      if (!ref.tag && ref.semver) {
        const listed = await git(['ls-remote', '--tags', '--refs', '--', input.url]);
        if (listed.exitCode !== 0) return notValidated(`cannot list tags: ${gitReason(listed, secrets)}`);
        const tags = listed.stdout
          .split('\n')
          .map((l) => /\trefs\/tags\/(.+)$/.exec(l)?.[1])
          .filter((t): t is string => Boolean(t));
        name = pickTag(tags, ref.semver);
        if (!name) return notValidated(`no tag matches semver ${ref.semver}`);
        what = `tag ${name} (semver ${ref.semver})`;
      }
      const branchArgs = name ? ['--branch', name] : [];
      const clone = (shallow: boolean) =>
        git([
          'clone',
          '-q',
          '--no-tags',
          '--single-branch',
          ...(shallow ? ['--depth', '1'] : []),
          ...branchArgs,
          '--',
          input.url,
          repo,
        ]);
      let cloned = await clone(true);
      if (cloned.exitCode !== 0 && /shallow|dumb http/i.test(cloned.stderr)) {
        await rm(repo, { recursive: true, force: true });
        cloned = await clone(false);
      }
      if (cloned.exitCode !== 0) return notValidated(`cannot clone ${what}: ${gitReason(cloned, secrets)}`);
    }
    const findings = await validateCheckout(repo, input.kustomizations, ctx, {
      kube: deps.kube,
      noRemoteBases: deps.noRemoteBases,
    });
    return { findings };
  } catch (err) {
    if (err instanceof UserError) return notValidated(err.message); // git missing, a timeout
    throw err;
  } finally {
    await rm(tmp, { recursive: true, force: true });
    untrack();
  }
}
