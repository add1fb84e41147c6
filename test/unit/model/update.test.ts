import { describe, expect, it } from 'vitest';
import {
  applyKustomizationCreate,
  applyKustomizationDelete,
  applyKustomizationUpdate,
  kustomizationName,
} from '../../../src/model/kustomization-params.js';
import { b64, create, errorOf, expectUsage, fixture, kustomizationOpts, update } from './helpers.js';

const base = () =>
  create([
    '-n',
    'cfg',
    '--ns',
    'flux',
    '-u',
    'https://github.com/org/repo',
    '--branch',
    'main',
    '--https-user',
    'bot',
    '--https-key',
    'k',
    '-k',
    'name=infra',
    'path=./infra',
    'prune=true',
    'timeout=5m',
    'disable_health_check=true',
    '-k',
    'name=apps',
    'path=./apps',
    'depends_on=infra',
    'substitute.ENV=prod',
  ]).config;

describe('flux update (az §4.1)', () => {
  it('merges kustomizations by name, field by field, and adds new ones with defaults', () => {
    const existing = base();
    const { config, kindChanged } = update(existing, [
      '-k',
      'name=infra',
      'force=true',
      '-k',
      'name=apps',
      'substitute.REGION=eu',
      '-k',
      'name=mon',
      'path=./mon',
    ]);
    expect(kindChanged).toBe(false);
    expect(config.kustomizations.infra).toEqual({ ...existing.kustomizations.infra, force: true });
    expect(config.kustomizations.infra).toMatchObject({
      prune: true,
      timeoutInSeconds: 300,
      wait: false,
      path: './infra',
    });
    expect(config.kustomizations.apps?.postBuild).toEqual({ substitute: { ENV: 'prod', REGION: 'eu' } });
    expect(config.kustomizations.mon).toEqual({
      name: 'mon',
      path: './mon',
      dependsOn: [],
      timeoutInSeconds: 600,
      syncIntervalInSeconds: 600,
      prune: false,
      force: false,
      wait: true,
    });
    expect(existing.kustomizations.infra?.force).toBe(false); // input untouched
  });

  it('merges source fields, replaces the ref, keeps scope/namespace/other fields', () => {
    const existing = base();
    const { config, protectedSettings } = update(existing, [
      '--tag',
      'v1.2.3',
      '--interval',
      '1m',
      '--https-key',
      'new',
      '--suspend',
    ]);
    expect(config.gitRepository).toEqual({
      ...existing.gitRepository,
      repositoryRef: { tag: 'v1.2.3' },
      syncIntervalInSeconds: 60,
    });
    expect(config).toMatchObject({ namespace: 'flux', scope: 'cluster', suspend: true });
    expect(protectedSettings).toEqual({ httpsKey: 'new' });
  });

  it('without flags nothing changes', () => {
    const existing = base();
    expect(update(existing, []).config).toEqual(existing);
  });

  it('same kind: the allow-list still applies; refs and url/auth checked on what is given', () => {
    const existing = base();
    expectUsage(
      () => update(existing, ['--bucket-name', 'bkt']),
      "Error! Invalid properties ['--bucket-name'] were specified for kind 'git'",
    );
    expectUsage(
      () => update(existing, ['--tag', 'a', '--commit', 'b123456']),
      'Error! Repository reference is invalid',
      'Specifying more than one repository ref argument is invalid',
    );
    expectUsage(
      () => update(existing, ['--known-hosts', b64(fixture('known_hosts'))]),
      'Error! --ssh-known-hosts cannot be used with an http(s) url',
    );
    expectUsage(() => update(existing, ['-u', 'ftp://x']), 'Error! Invalid --url.');
    expectUsage(
      () => update(existing, ['-k', 'name=apps', 'depends_on=nope']),
      "Error! Invalid kustomization list. Kustomization 'apps' depends on 'nope', which is not a kustomization of configuration 'cfg'",
    );
    expectUsage(
      () => update(existing, ['-k', 'name=infra', 'depends_on=apps']),
      "Error! Invalid kustomization list. Dependency cycle between kustomizations: 'infra' -> 'apps' -> 'infra'",
    );
  });

  it('kind change: full validation of the new kind, other blocks dropped', () => {
    const existing = base();
    expectUsage(
      () => update(existing, ['--kind', 'bucket']),
      "Error! Required properties ['--url','--bucket-name'] were not specified for kind 'bucket'",
    );
    expectUsage(
      () => update(existing, ['--kind', 'bucket', '-u', 'https://s3', '--bucket-name', 'bkt']),
      "Error! Auth properties must be specified for kind 'bucket'",
    );
    const { config, kindChanged, protectedSettings } = update(existing, [
      '--kind',
      'bucket',
      '-u',
      'https://s3.example.com',
      '--bucket-name',
      'bkt',
      '--bucket-access-key',
      'a',
      '--bucket-secret-key',
      's',
    ]);
    expect(kindChanged).toBe(true);
    expect(config.sourceKind).toBe('Bucket');
    expect(config.gitRepository).toBeUndefined();
    expect(config.bucket).toEqual({
      url: 'https://s3.example.com',
      bucketName: 'bkt',
      insecure: false,
      accessKey: 'a',
      timeoutInSeconds: 600,
      syncIntervalInSeconds: 600,
    });
    expect(protectedSettings).toEqual({ bucketSecretKey: 's' });
    expect(config.kustomizations).toEqual(existing.kustomizations);
  });

  it('kind change back to git needs url and a ref', () => {
    const bucket = update(base(), [
      '--kind',
      'bucket',
      '-u',
      'https://s3',
      '--bucket-name',
      'bkt',
      '--local-auth-ref',
      's',
    ]).config;
    expectUsage(
      () => update(bucket, ['--kind', 'git', '-u', 'https://github.com/o/r']),
      'Error! Repository reference is invalid',
      'Specifying one of [--branch, --tag, --semver, --commit] is required',
    );
    const { config } = update(bucket, ['--kind', 'git', '-u', 'git@github.com:o/r', '--commit', 'abc1234']);
    expect(config.sourceKind).toBe('GitRepository');
    expect(config.bucket).toBeUndefined();
    expect(config.gitRepository).toEqual({
      url: 'git@github.com:o/r',
      repositoryRef: { commit: 'abc1234' },
      timeoutInSeconds: 600,
      syncIntervalInSeconds: 600,
    });
  });

  it('azblob same kind: a new auth method replaces the old one', () => {
    const blob = create([
      '-n',
      'b',
      '--kind',
      'azblob',
      '-u',
      'https://a.blob.core.windows.net',
      '--container-name',
      'cfg',
      '--mi-client-id',
      'mi',
    ]).config;
    const { config, protectedSettings } = update(blob, ['--sas-token', 'sv=1']);
    expect(config.azureBlob?.managedIdentity).toBeUndefined();
    expect(protectedSettings).toEqual({ sasToken: 'sv=1' });
    expectUsage(
      () => update(blob, ['--sas-token', 't', '--account-key', 'k']),
      'Error! Too many authentication methods provided for Azure Blob',
    );
  });
});

describe('flux kustomization create|update|delete (az §4.2-4.4)', () => {
  const k = (verb: 'create' | 'update', argv: string[]) => kustomizationOpts(verb, ['-n', 'cfg', ...argv]);

  it('declares az flags and aliases', () => {
    const opts = k('create', [
      '-k',
      'x',
      '--path',
      './x',
      '--depends-on',
      '[infra]',
      '--interval',
      '1m',
      '--retry-interval',
      '30s',
      '--timeout',
      '2m',
      '--prune',
      '--force',
      'false',
      '--disable_health_check',
      'true',
      '--target-namespace',
      'web',
      '--substitute',
      'A=1',
      'B=2',
      '--substitute',
      'C=3',
      '--substitute-from',
      'ConfigMap/vars',
      'Secret/s?',
    ]);
    expect(kustomizationName(opts)).toBe('x');
    const config = applyKustomizationCreate(base(), opts);
    expect(config.kustomizations.x).toEqual({
      name: 'x',
      path: './x',
      dependsOn: ['infra'],
      syncIntervalInSeconds: 60,
      retryIntervalInSeconds: 30,
      timeoutInSeconds: 120,
      prune: true,
      force: false,
      wait: false,
      targetNamespace: 'web',
      postBuild: {
        substitute: { A: '1', B: '2', C: '3' },
        substituteFrom: [
          { kind: 'ConfigMap', name: 'vars' },
          { kind: 'Secret', name: 's', optional: true },
        ],
      },
    });
    expect(k('create', ['-k', 'y', '--depends', 'a,b']).dependencies).toBe('a,b');
    expect(k('create', ['--kustomization-name', 'y', '--dependencies', 'a']).dependencies).toBe('a');
    expect(k('create', ['-k', 'y', '--sync-interval', '5m']).syncInterval).toBe('5m');
  });

  it('create: az defaults (path "", wait true) and the already-exists error', () => {
    const config = applyKustomizationCreate(base(), k('create', ['-k', 'new']));
    expect(config.kustomizations.new).toEqual({
      name: 'new',
      path: '',
      dependsOn: [],
      timeoutInSeconds: 600,
      syncIntervalInSeconds: 600,
      prune: false,
      force: false,
      wait: true,
    });
    const err = errorOf(() => applyKustomizationCreate(base(), k('create', ['-k', 'apps'])));
    expect(err.message).toBe(
      "Error! Cannot create a kustomization that already exists. Kustomization name 'apps' already exists on configuration 'cfg'",
    );
    expect(err.hint).toBe(
      "You can update an already created kustomization with 'fluxcfg k8s-configuration flux kustomization update'",
    );
  });

  it('create: durations checked first, dependencies must exist, names ≤ 63 with the configuration', () => {
    expectUsage(
      () => applyKustomizationCreate(base(), k('create', ['-k', 'apps', '--timeout', '5'])),
      'Error! Invalid --timeout.',
    );
    expectUsage(
      () => applyKustomizationCreate(base(), k('create', ['-k', 'x', '--retry-interval', '1d'])),
      'Error! Invalid --retry-interval.',
    );
    expectUsage(
      () => applyKustomizationCreate(base(), k('create', ['-k', 'x', '--interval', 'x'])),
      'Error! Invalid --sync-interval.',
    );
    expectUsage(
      () => applyKustomizationCreate(base(), k('create', ['-k', 'x', '--depends', 'nope'])),
      "Error! Invalid kustomization list. Kustomization 'x' depends on 'nope', which is not a kustomization of configuration 'cfg'",
    );
    expectUsage(
      () => applyKustomizationCreate(base(), k('create', ['-k', 'x'.repeat(60)])),
      `Error! Invalid Kustomization list. Flux configuration name 'cfg' combined with kustomization name '${'x'.repeat(60)}' cannot be greater than 62 characters`,
    );
    expectUsage(
      () => applyKustomizationCreate(base(), k('create', ['-k', 'x', '--prune', 'yes'])),
      "argument --prune: invalid choice: 'yes' (choose from 'false', 'true')",
    );
  });

  it('update: only what is given changes; wait is not reset (az bug fixed)', () => {
    const existing = base();
    const config = applyKustomizationUpdate(existing, k('update', ['-k', 'infra', '--path', './infra2']));
    expect(config.kustomizations.infra).toEqual({ ...existing.kustomizations.infra, path: './infra2' });
    expect(config.kustomizations.infra?.wait).toBe(false);
    const enabled = applyKustomizationUpdate(existing, k('update', ['-k', 'infra', '--disable-health-check', 'false']));
    expect(enabled.kustomizations.infra?.wait).toBe(true);
    const err = errorOf(() => applyKustomizationUpdate(existing, k('update', ['-k', 'nope'])));
    expect(err.message).toBe(
      "Error! Cannot update a kustomization that doesn't exist. Kustomization name 'nope' does not exist on configuration 'cfg'",
    );
    expect(err.hint).toBe(
      "You can add the kustomization to the configuration with 'fluxcfg k8s-configuration flux kustomization create'",
    );
  });

  it('update: a dependency cycle is refused', () => {
    expectUsage(
      () => applyKustomizationUpdate(base(), k('update', ['-k', 'infra', '--depends-on', 'apps'])),
      "Error! Invalid kustomization list. Dependency cycle between kustomizations: 'infra' -> 'apps' -> 'infra'",
    );
  });

  it('delete: missing name error; a kustomization others depend on cannot go', () => {
    expect(errorOf(() => applyKustomizationDelete(base(), 'nope')).message).toBe(
      "Error! Cannot delete a kustomization that doesn't exist.",
    );
    expectUsage(
      () => applyKustomizationDelete(base(), 'infra'),
      "Error! Invalid kustomization list. Kustomization 'apps' depends on 'infra', which is not a kustomization of configuration 'cfg'",
    );
    expect(Object.keys(applyKustomizationDelete(base(), 'apps').kustomizations)).toEqual(['infra']);
  });
});

describe('flux update https pair', () => {
  it('--https-key alone needs a configured user', () => {
    const anon = create(['-n', 'cfg', '-u', 'https://github.com/org/repo', '--branch', 'main']).config;
    expectUsage(
      () => update(anon, ['--https-key', 'k']),
      'Error! --https-user and --https-key cannot be used separately',
    );
    expect(update(anon, ['--https-user', 'u', '--https-key', 'k']).config.gitRepository?.httpsUser).toBe('u');
  });
});
