import { describe, expect, it } from 'vitest';
import { applyPatch, parsePatch } from '../../../src/model/configuration-params.js';
import { parseKustomizationChange, updateKustomization } from '../../../src/model/kustomization-params.js';
import { create, errorOf, expectUsage, files, kustomizationOpts, updateOpts } from './helpers.js';

const existing = () =>
  create(['-n', 'cfg', '--ns', 'flux', '--kind', 'oci', '-u', 'oci://ghcr.io/org/m', '--tag', 'v1', '-k', 'name=apps'])
    .config;

describe('flux update in two halves: parsePatch (flags only) → applyPatch (with the live configuration)', () => {
  it('parsePatch checks everything the flags alone decide, with no configuration at hand', () => {
    const patch = (argv: string[]) =>
      parsePatch(
        updateOpts(['-n', 'cfg', ...argv]),
        files({
          '/kh': 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n',
        }),
      );
    expectUsage(() => patch(['--interval', '5x']), 'Error! Invalid --sync-interval.');
    expectUsage(
      () => patch(['--kind', 'bucket', '--branch', 'main']),
      "Error! Invalid properties ['--branch'] were specified for kind 'bucket'",
    );
    expectUsage(
      () => patch(['--known-hosts', 'eA==', '--known-hosts-file', '/kh']),
      'Error! Both textual key and key filepath cannot be provided',
    );
    expectUsage(
      () => patch(['--match-oidc-identity', 'nope']),
      "Each entry for --match-oidc-identity must be a JSON string with 'issuer' and 'subject' fields.",
    );
    expect(errorOf(() => patch(['--known-hosts-file', '/missing'])).message).toMatch(
      /^Error! Unable to read key file specified with: ENOENT/,
    );
    expect(patch(['--known-hosts-file', '/kh', '--suspend']).suspend).toBe(true);
  });

  it('applyPatch checks against the live kind what only it can tell', () => {
    const patch = parsePatch(updateOpts(['-n', 'cfg', '--branch', 'main']), files());
    expectUsage(
      () => applyPatch(existing(), patch),
      "Error! Invalid properties ['--branch'] were specified for kind 'oci'",
    );
    const ok = applyPatch(existing(), parsePatch(updateOpts(['-n', 'cfg', '--tag', 'v2']), files()));
    expect(ok.config.ociRepository?.repositoryRef).toEqual({ tag: 'v2' });
    expect(ok.kindChanged).toBe(false);
  });

  it('kustomization update: the change is parsed first, its existence checked against the live configuration', () => {
    expectUsage(
      () => parseKustomizationChange(kustomizationOpts('update', ['-n', 'cfg', '-k', 'x', '--timeout', '5']), 'update'),
      'Error! Invalid --timeout.',
    );
    const change = parseKustomizationChange(
      kustomizationOpts('update', ['-n', 'cfg', '-k', 'apps', '--prune']),
      'update',
    );
    expect(updateKustomization(existing(), change).kustomizations.apps?.prune).toBe(true);
    expect(errorOf(() => updateKustomization(existing(), { ...change, name: 'nope' })).message).toMatch(
      /^Error! Cannot update a kustomization that doesn't exist/,
    );
  });
});
