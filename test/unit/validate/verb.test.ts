// fluxcfg k8s-configuration flux validate, whole command in-process.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseKustomizationTokens } from '../../../src/commands/k8s-configuration/flux/validate.js';
import { UsageError } from '../../../src/errors.js';
import { runCli } from '../../helpers/cli.js';
import { fixtures, writeTree } from './helpers.js';

const validate = (...args: string[]) => runCli(['k8s-configuration', 'flux', 'validate', ...args]);
const at = (dir: string) => path.join(fixtures, dir);

describe('flux validate', () => {
  it('prints the findings as JSON on stdout and exits 1 when one is an error', async () => {
    const r = await validate('--path', at('seed-cross-namespace'), '--namespace', 'cluster-config');
    expect(r.exitCode).toBe(1);
    const findings = JSON.parse(r.stdout) as { rule: string; file: string; line: number; fix: string }[];
    expect(findings.map((f) => [f.rule, `${f.file}:${f.line}`])).toEqual([
      ['no-flux-applier', 'helmrelease.yaml:5'],
      ['cross-namespace-ref', 'helmrelease.yaml:14'],
    ]);
    expect(findings[1]!.fix).toBe(
      "move HelmRelease nginx and HelmRepository bitnami into namespace cluster-config (the configuration's namespace), point spec.chart.spec.sourceRef at namespace cluster-config and set spec.targetNamespace: nginx",
    );
    expect(r.stderr).toContain(
      'validate: 2 errors, 0 warnings (namespace cluster-config, scope cluster, multi-tenancy enforced)',
    );
    expect(r.stderr).not.toMatch(/^error:/m);
  });

  it('-o table: rule, severity, location, object, message', async () => {
    const r = await validate('--path', at('seed-cross-namespace'), '--namespace', 'cluster-config', '-o', 'table');
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Rule +Severity +Location +Object +Message$/);
    expect(lines[2]).toMatch(
      /^no-flux-applier +error +helmrelease\.yaml:5 +HelmRelease nginx\/nginx +has no spec\.serviceAccountName/,
    );
    expect(lines[3]).toMatch(
      /^cross-namespace-ref +error +helmrelease\.yaml:14 +HelmRelease nginx\/nginx +spec\.chart\.spec\.sourceRef names/,
    );
    expect(lines).toHaveLength(4);
  });

  it('exits 0 with an empty list when everything passes', async () => {
    const r = await validate('--path', at('seed-corrected'), '--namespace', 'cluster-config');
    expect(r).toMatchObject({ exitCode: 0, stdout: '[]\n' });
  });

  it('--multi-tenancy off accepts cross-namespace references', async () => {
    const r = await validate(
      '--path',
      at('seed-cross-namespace'),
      '--namespace',
      'cluster-config',
      '--multi-tenancy',
      'off',
    );
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('multi-tenancy off');
  });

  it('--scope namespace and -k with target_namespace', async () => {
    const r = await validate(
      '--path',
      at('tenant-namespace-scoped'),
      '--namespace',
      'team-a',
      '--scope',
      'namespace',
      '-k',
      'name=tenant',
      'path=./',
      'prune=true',
      '-o',
      'json',
      '--query',
      '[].rule',
    );
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      'other-namespace',
      'cluster-scoped-kind',
      'cluster-scoped-kind',
      'cluster-scoped-kind',
      'other-namespace',
    ]);
  });

  it('warnings alone exit 0; --no-remote-bases makes remote bases errors', async () => {
    const dir = writeTree({ 'kustomization.yaml': 'resources:\n  - https://github.com/org/repo//base?ref=v1\n' });
    const warned = await validate('--path', dir);
    expect(warned.exitCode).toBe(0);
    expect(JSON.parse(warned.stdout)).toMatchObject([
      { rule: 'remote-base', severity: 'warning', file: 'kustomization.yaml', line: 2 },
    ]);
    expect(warned.stderr).toContain('validate: 0 errors, 1 warning');
    const refused = await validate('--path', dir, '--no-remote-bases');
    expect(refused.exitCode).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject([{ rule: 'remote-base', severity: 'error' }]);
  });

  it('usage errors exit 2: a missing --path, a bad namespace, a bad -k token, a bad --scope', async () => {
    const missing = await validate('--path', '/nonexistent/checkout');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('error: --path /nonexistent/checkout is not a directory');
    expect(missing.stderr).toContain('hint: pass the root of a checkout of the source repository');
    const badNs = await validate('--path', at('seed-corrected'), '--namespace', 'Not_A_Namespace');
    expect(badNs.exitCode).toBe(2);
    expect(badNs.stderr).toContain("error: --namespace 'Not_A_Namespace' is not a valid namespace name");
    const badK = await validate('--path', at('seed-corrected'), '-k', 'apps');
    expect(badK.exitCode).toBe(2);
    expect(badK.stderr).toContain('error: usage error: --kustomization KEY=VALUE [KEY=VALUE ...]');
    const badScope = await validate('--path', at('seed-corrected'), '--scope', 'tenant');
    expect(badScope.exitCode).toBe(2);
    expect(badScope.stdout).toBe('');
  });
});

describe('parseKustomizationTokens', () => {
  it('starts a new kustomization at each name= (or a repeated key)', () => {
    expect(
      parseKustomizationTokens([
        'name=infra',
        'path=./infrastructure',
        'prune=true',
        'name=apps',
        'path=./apps',
        'target_namespace=web',
        'depends_on=infra',
      ]),
    ).toEqual([
      { name: 'infra', path: './infrastructure' },
      { name: 'apps', path: './apps', targetNamespace: 'web' },
    ]);
    expect(parseKustomizationTokens(['path=./a', 'name=a', 'path=./b', 'name=b'])).toEqual([
      { name: 'a', path: './a' },
      { name: 'b', path: './b' },
    ]);
  });

  it("requires name, with az's message", () => {
    const err = (() => {
      try {
        parseKustomizationTokens(['path=./a']);
      } catch (e) {
        return e as UsageError;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect(err?.message).toBe("Error! Kustomization definition is invalid, required values {'name'} not found");
    expect(err?.hint).toBe('Add the required values to the Kustomization object and try again');
  });
});
