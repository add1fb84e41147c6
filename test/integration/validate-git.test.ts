// validateGitSource against a real git repository served from loopback (git http-backend): shallow clones of a
// branch, tag, semver range and commit, basic auth through env, and an unreachable source. Needs git, not the
// API server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/exec.js';
import { validateGitSource, type TenancyContext } from '../../src/validate/index.js';
import { startGitServer, type GitServer } from '../helpers/git-server.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/validate');
const read = (f: string) => readFileSync(path.join(fixtures, f), 'utf8');
const ctx: TenancyContext = { namespace: 'cluster-config', scope: 'cluster', multiTenancy: true };
const seedFindings = [
  ['no-flux-applier', 'apps/nginx/helmrelease.yaml:5'],
  ['cross-namespace-ref', 'apps/nginx/helmrelease.yaml:14'],
];
const summary = (r: { findings: { rule: string; file?: string; line?: number }[] }) =>
  r.findings.map((f) => [f.rule, `${f.file}:${f.line}`]);

describe('validateGitSource against a loopback git server', () => {
  let server: GitServer;
  const auth = { username: 'ci-bot', password: 'loopback-token-123' };

  beforeAll(async () => {
    server = await startGitServer(
      {
        'apps/nginx/helmrelease.yaml': read('seed-cross-namespace/helmrelease.yaml'),
        'infrastructure/helmrepository.yaml': read('seed-cross-namespace/helmrepository.yaml'),
        'fixed/helmrelease.yaml': read('seed-corrected/helmrelease.yaml'),
        'fixed/helmrepository.yaml': read('seed-corrected/helmrepository.yaml'),
      },
      { tags: ['v1.0.0', 'v1.1.0', 'v2.0.0'], auth, symlinks: { 'escape/passwd.yaml': '/etc/passwd' } },
    );
  });
  afterAll(() => server?.stop());

  const kustomizations = [
    { name: 'apps', path: './apps' },
    { name: 'infra', path: './infrastructure' },
  ];

  it.each([
    ['branch', { branch: 'main' }],
    ['tag', { tag: 'v1.1.0' }],
    ['semver', { semver: '>=1.0.0 <2.0.0' }],
  ])('clones the %s and finds the seed example', async (_what, ref) => {
    const r = await validateGitSource({ url: server.url, ref, auth, kustomizations }, ctx, { exec });
    expect(r.warning).toBeUndefined();
    expect(summary(r)).toEqual(seedFindings);
  });

  it('clones a commit by id', async () => {
    const r = await validateGitSource({ url: server.url, ref: { commit: server.commit }, auth, kustomizations }, ctx, {
      exec,
    });
    expect(r.warning).toBeUndefined();
    expect(summary(r)).toEqual(seedFindings);
  });

  it('the corrected layout passes; the credentials went as a basic auth header', async () => {
    const before = server.authorizations.length;
    const r = await validateGitSource(
      { url: server.url, ref: { branch: 'main' }, auth, kustomizations: [{ name: 'fixed', path: 'fixed' }] },
      ctx,
      { exec },
    );
    expect(r).toEqual({ findings: [] });
    const sent = server.authorizations.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent)).toEqual(new Set([`Basic ${Buffer.from('ci-bot:loopback-token-123').toString('base64')}`]));
  });

  it('refuses a committed symlink that leaves the checkout', async () => {
    const r = await validateGitSource(
      { url: server.url, ref: { branch: 'main' }, auth, kustomizations: [{ name: 'escape', path: 'escape' }] },
      ctx,
      { exec },
    );
    expect(r.findings.map((f) => [f.rule, f.file])).toEqual([['symlink-escape', 'escape/passwd.yaml']]);
  });

  it('wrong credentials or an unreachable server: a warning, no findings', async () => {
    const denied = await validateGitSource(
      { url: server.url, ref: { branch: 'main' }, auth: { ...auth, password: 'wrong-password' }, kustomizations },
      ctx,
      { exec },
    );
    expect(denied.findings).toEqual([]);
    expect(denied.warning).toMatch(
      new RegExp(`^the source ${server.url} was not validated: cannot clone branch main: `),
    );
    expect(denied.warning).not.toContain('wrong-password');

    const closed = await startGitServer({ 'a.yaml': 'a: 1\n' });
    const url = closed.url;
    await closed.stop();
    const gone = await validateGitSource({ url, ref: { branch: 'main' }, kustomizations }, ctx, { exec });
    expect(gone.findings).toEqual([]);
    expect(gone.warning).toMatch(
      /was not validated: cannot clone branch main: .*(Failed to connect|Connection refused|Couldn't connect)/,
    );
  });

  it('a branch that does not exist is a warning', async () => {
    const r = await validateGitSource({ url: server.url, ref: { branch: 'nope' }, auth, kustomizations }, ctx, {
      exec,
    });
    expect(r.findings).toEqual([]);
    expect(r.warning).toMatch(/cannot clone branch nope: .*nope/);
  });
});
