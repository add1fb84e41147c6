// validateGitSource with a scripted git: what it runs, how credentials travel, cleanup, and the
// unreachable-source warning. The real clone over HTTP is in test/integration/validate-git.test.ts.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import type { Exec, ExecOptions, ExecResult } from '../../../src/exec.js';
import { validateGitSource, type TenancyContext } from '../../../src/validate/index.js';
import { fixtures } from './helpers.js';

const ctx: TenancyContext = { namespace: 'cluster-config', scope: 'cluster', multiTenancy: true };
const release = readFileSync(path.join(fixtures, 'seed-cross-namespace/helmrelease.yaml'), 'utf8');

interface Call {
  args: readonly string[];
  env: Record<string, string>;
  cwd?: string;
  /** Files named in the env while the call ran: path → [mode, content]. */
  files: Record<string, [number, string]>;
}

/** A git that answers from a script: each call gets the next answer; a clone/checkout writes the manifests. */
function scriptedGit(answers: ((args: readonly string[], o: ExecOptions) => Partial<ExecResult> | Error)[]) {
  const calls: Call[] = [];
  const exec: Exec = async (file, args, options = {}) => {
    expect(file).toBe('git');
    const env = options.env ?? {};
    const files: Call['files'] = {};
    for (const m of `${env.GIT_SSH_COMMAND ?? ''} ${env.GIT_SSL_CAINFO ?? ''}`.matchAll(/'?(\/[^' ]+)'?/g))
      if (!m[1]!.startsWith('/dev/') && existsSync(m[1]!))
        files[m[1]!] = [statSync(m[1]!).mode & 0o777, readFileSync(m[1]!, 'utf8')];
    calls.push({ args, env, cwd: options.cwd, files });
    const answer = answers[calls.length - 1]?.(args, options) ?? { exitCode: 0 };
    if (answer instanceof Error) throw answer;
    return { exitCode: 0, stdout: '', stderr: '', ...answer };
  };
  return { exec, calls };
}

const writeRepo = (dir: string) => {
  mkdirSync(path.join(dir, 'apps'), { recursive: true });
  writeFileSync(path.join(dir, 'apps/release.yaml'), release);
};
const cloneWrites = (args: readonly string[]) => {
  writeRepo(args.at(-1)!);
  return { exitCode: 0 };
};

const input = { url: 'https://git.example.com/org/repo.git', kustomizations: [{ name: 'apps', path: './apps' }] };

describe('validateGitSource', () => {
  it('clones the branch shallowly, scans the kustomization paths and removes the temp dir', async () => {
    const git = scriptedGit([cloneWrites]);
    const out = await validateGitSource({ ...input, ref: { branch: 'main' } }, ctx, { exec: git.exec });
    expect(out.warning).toBeUndefined();
    expect(out.findings.map((f) => [f.rule, `${f.file}:${f.line}`])).toEqual([
      ['no-flux-applier', 'apps/release.yaml:5'],
      ['cross-namespace-ref', 'apps/release.yaml:14'],
    ]);
    const [clone] = git.calls;
    const dest = clone!.args.at(-1)!;
    expect(clone!.args).toEqual([
      'clone',
      '-q',
      '--no-tags',
      '--single-branch',
      '--depth',
      '1',
      '--branch',
      'main',
      '--',
      input.url,
      dest,
    ]);
    expect(existsSync(path.dirname(dest))).toBe(false);
    expect(clone!.env).toMatchObject({
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'credential.helper',
      GIT_CONFIG_VALUE_0: '',
    });
  });

  it('sends HTTPS credentials in an http.extraHeader through GIT_CONFIG_* env, never in argv', async () => {
    const git = scriptedGit([cloneWrites]);
    await validateGitSource(
      { ...input, ref: { tag: 'v1.0.0' }, auth: { username: 'bot', password: 's3cr3t-token' } },
      ctx,
      { exec: git.exec },
    );
    const [clone] = git.calls;
    expect(clone!.args).toContain('v1.0.0');
    expect(clone!.args.join(' ')).not.toMatch(/s3cr3t|bot:|Basic/);
    expect(clone!.env.GIT_CONFIG_KEY_1).toBe('http.https://git.example.com/org/repo.git.extraHeader');
    expect(clone!.env.GIT_CONFIG_VALUE_1).toBe(
      `Authorization: Basic ${Buffer.from('bot:s3cr3t-token').toString('base64')}`,
    );
  });

  it('passes an SSH key as a 0600 file named by GIT_SSH_COMMAND, with the known hosts, and deletes both', async () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----';
    const knownHosts = 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    const git = scriptedGit([cloneWrites]);
    await validateGitSource(
      {
        ...input,
        url: 'ssh://git@github.com/org/repo.git',
        ref: { branch: 'main' },
        auth: { sshPrivateKey: key, knownHosts: Buffer.from(knownHosts).toString('base64') },
      },
      ctx,
      { exec: git.exec },
    );
    const [clone] = git.calls;
    expect(clone!.args.join(' ')).not.toContain('PRIVATE KEY');
    const ssh = clone!.env.GIT_SSH_COMMAND!;
    expect(ssh).toMatch(
      /^ssh -F \/dev\/null -i '\S+\/identity' -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile='\S+\/known_hosts' -o StrictHostKeyChecking=yes$/,
    );
    const files = Object.entries(clone!.files);
    expect(files.map(([f, [mode, content]]) => [path.basename(f), mode.toString(8), content])).toEqual([
      ['identity', '600', `${key}\n`],
      ['known_hosts', '600', knownHosts],
    ]);
    for (const [f] of files) expect(existsSync(f)).toBe(false);
  });

  it('falls back to a full clone when the server cannot do shallow (dumb HTTP)', async () => {
    const git = scriptedGit([
      () => ({ exitCode: 128, stderr: 'fatal: dumb http transport does not support shallow capabilities\n' }),
      cloneWrites,
    ]);
    const out = await validateGitSource({ ...input, ref: { branch: 'main' } }, ctx, { exec: git.exec });
    expect(out.findings).toHaveLength(2);
    expect(git.calls[1]!.args).not.toContain('--depth');
  });

  it('resolves ref.semver to the highest matching tag with ls-remote', async () => {
    const git = scriptedGit([
      () => ({ stdout: 'a1\trefs/tags/v1.0.0\nb2\trefs/tags/v1.4.2\nc3\trefs/tags/v2.0.0\n' }),
      cloneWrites,
    ]);
    await validateGitSource({ ...input, ref: { semver: '>=1.0.0 <2.0.0' } }, ctx, { exec: git.exec });
    expect(git.calls[0]!.args).toEqual(['ls-remote', '--tags', '--refs', '--', input.url]);
    expect(git.calls[1]!.args.slice(6, 8)).toEqual(['--branch', 'v1.4.2']);
  });

  it('checks out a commit: by id when the server allows it, else after fetching the branches', async () => {
    const sha = '0123456789abcdef0123456789abcdef01234567';
    const git = scriptedGit([
      () => ({ exitCode: 0 }), // init
      () => ({ exitCode: 128, stderr: 'fatal: remote error: upload-pack: not our ref\n' }),
      () => ({ exitCode: 0 }), // fetch branches
      (_args, o) => {
        writeRepo(o.cwd!);
        return { exitCode: 0 };
      },
    ]);
    const out = await validateGitSource({ ...input, ref: { commit: sha } }, ctx, { exec: git.exec });
    expect(out.findings).toHaveLength(2);
    expect(git.calls.map((c) => c.args.filter((a) => !a.startsWith('/')).join(' '))).toEqual([
      'init -q',
      `fetch -q --depth 1 -- ${input.url} ${sha}`,
      `fetch -q -- ${input.url} +refs/heads/*:refs/remotes/origin/*`,
      `-c advice.detachedHead=false checkout -q ${sha} --`,
    ]);
  });

  it('an unreachable source is a warning with no findings, credentials left out of it', async () => {
    const git = scriptedGit([
      () => ({
        exitCode: 128,
        stderr:
          "Cloning into '/tmp/x'...\nfatal: unable to access 'https://bot:s3cr3t-token@git.example.com/org/repo.git/': Could not resolve host: git.example.com\n",
      }),
    ]);
    const out = await validateGitSource(
      {
        ...input,
        url: 'https://bot:s3cr3t-token@git.example.com/org/repo.git',
        ref: { branch: 'main' },
        auth: { password: 's3cr3t-token' },
      },
      ctx,
      { exec: git.exec },
    );
    expect(out).toEqual({
      findings: [],
      warning:
        "the source https://git.example.com/org/repo.git was not validated: cannot clone branch main: fatal: unable to access 'https://git.example.com/org/repo.git/': Could not resolve host: git.example.com",
    });
  });

  it('git missing or timing out is a warning too', async () => {
    const git = scriptedGit([() => new UserError('git is not installed (not found on PATH)')]);
    const out = await validateGitSource({ ...input, ref: { branch: 'main' } }, ctx, { exec: git.exec });
    expect(out).toEqual({
      findings: [],
      warning:
        'the source https://git.example.com/org/repo.git was not validated: git is not installed (not found on PATH)',
    });
  });

  it('a semver range no tag satisfies is a warning', async () => {
    const git = scriptedGit([() => ({ stdout: 'a1\trefs/tags/v1.0.0\n' })]);
    const out = await validateGitSource({ ...input, ref: { semver: '>=5.0.0' } }, ctx, { exec: git.exec });
    expect(out.warning).toBe(
      'the source https://git.example.com/org/repo.git was not validated: no tag matches semver >=5.0.0',
    );
    expect(git.calls).toHaveLength(1);
  });
});
