// fluxd arguments read as pflag reads them (fluxd 1.25.4 flag set), plus Go durations and az operatorParams.
import { describe, expect, it } from 'vitest';
import { parseFluxdArgs, parseHelmOperatorArgs } from '../../../src/model/migrate/fluxd.js';
import { parseFlags, parseGoDuration, splitArgs, splitCsv } from '../../../src/model/migrate/go-flags.js';

type Settings = ReturnType<typeof parseFluxdArgs>;

const cases: [string, string[], Partial<Omit<Settings, 'flags'>>][] = [
  [
    'defaults',
    [],
    {
      gitBranch: 'master',
      gitPaths: [],
      gitReadonly: false,
      gitPollInterval: 300,
      syncInterval: 300,
      k8sSecretName: 'flux-git-deploy',
      k8sSecretDataKey: 'identity',
      syncState: 'git',
    },
  ],
  ['--flag=value', ['--git-url=git@github.com:org/repo'], { gitUrl: 'git@github.com:org/repo' }],
  [
    '--flag value',
    ['--git-url', 'ssh://git@host/repo', '--git-branch', 'main'],
    { gitUrl: 'ssh://git@host/repo', gitBranch: 'main' },
  ],
  ['value starting with - is still taken', ['--git-label', '-weird'], { gitLabel: '-weird' }],
  ['last scalar wins', ['--git-branch=a', '--git-branch=b'], { gitBranch: 'b' }],
  ['comma list', ['--git-path=a,b'], { gitPaths: ['a', 'b'] }],
  ['repeated slice accumulates', ['--git-path=a', '--git-path', 'b,c'], { gitPaths: ['a', 'b', 'c'] }],
  ['quoted csv item keeps its comma', ['--git-path="a,b",c'], { gitPaths: ['a,b', 'c'] }],
  ['empty slice value', ['--git-path='], { gitPaths: [] }],
  ['bare boolean', ['--git-readonly'], { gitReadonly: true, syncState: 'secret' }],
  ['boolean =false', ['--git-readonly=false'], { gitReadonly: false, syncState: 'git' }],
  [
    'boolean =true, Go spellings',
    ['--sync-garbage-collection=T', '--manifest-generation=1'],
    { syncGarbageCollection: true, manifestGeneration: true },
  ],
  ['boolean does not take the next argument', ['--git-readonly', 'false'], { gitReadonly: true }],
  [
    'durations',
    ['--git-poll-interval=1m30s', '--sync-interval=1h', '--git-timeout=500ms'],
    { gitPollInterval: 90, syncInterval: 3600, gitTimeout: 0.5 },
  ],
  [
    'dry gc implies gc',
    ['--sync-garbage-collection-dry'],
    { syncGarbageCollection: true, syncGarbageCollectionDry: true },
  ],
  [
    'allow-namespace list + deprecated whitelist merge',
    ['--k8s-namespace-whitelist=a', '--k8s-allow-namespace=b,c'],
    { allowNamespaces: ['a', 'b', 'c'] },
  ],
  [
    'k8s secret name and key',
    ['--k8s-secret-name=my-key', '--k8s-secret-data-key=ssh'],
    { k8sSecretName: 'my-key', k8sSecretDataKey: 'ssh' },
  ],
  [
    '--git-secret is a boolean, not a Secret name',
    ['--git-secret'],
    { gitSecret: true, k8sSecretName: 'flux-git-deploy' },
  ],
  [
    'registry flags',
    ['--registry-disable-scanning', '--registry-poll-interval=10m'],
    { registryDisableScanning: true, automationInterval: 600 },
  ],
  [
    'automation-interval wins over the deprecated poll interval',
    ['--registry-poll-interval=10m', '--automation-interval=2m'],
    { automationInterval: 120 },
  ],
  [
    'git user/email',
    ['--git-user=Flux automation', '--git-email=flux@example.com'],
    { gitUser: 'Flux automation', gitEmail: 'flux@example.com' },
  ],
  ['verify signatures deprecated flag', ['--git-verify-signatures'], { gitVerifySignaturesMode: 'all' }],
  [
    'memcached empty service',
    ['--memcached-service=', '--memcached-hostname=memcached.flux.svc.cluster.local'],
    { memcachedService: '', memcachedHostname: 'memcached.flux.svc.cluster.local' },
  ],
  ['-- ends the flags', ['--git-branch=main', '--', '--git-branch=other'], { gitBranch: 'main' }],
  ['shorthand -l', ['-l', ':4040'], {}],
];

describe('parseFluxdArgs', () => {
  it.each(cases)('%s', (_name, args, expected) => {
    expect(parseFluxdArgs(args)).toMatchObject(expected);
  });

  it('keeps unknown flags with their values and reports bad values', () => {
    const s = parseFluxdArgs([
      '--git-url=x',
      '--frobnicate=1',
      '--new-flag',
      'value',
      '--other',
      '--git-readonly=maybe',
      '--git-poll-interval=soon',
      '--git-branch',
    ]);
    expect(s.flags.unknown).toEqual([
      { name: 'frobnicate', value: '1' },
      { name: 'new-flag', value: 'value' },
      { name: 'other' },
    ]);
    expect(s.flags.errors).toEqual([
      'invalid argument "maybe" for "--git-readonly" flag',
      'invalid argument "soon" for "--git-poll-interval" flag',
      'flag needs an argument: --git-branch',
    ]);
    expect(s.gitReadonly).toBe(false);
    expect(s.gitPollInterval).toBe(300);
  });

  it('records which flags were given, in order', () => {
    const p = parseFlags(['--b=1', '--a', '--b=2'], { a: { type: 'bool' }, b: { type: 'string' } });
    expect(p.given).toEqual(['b', 'a']);
    expect(p.values).toEqual({ a: true, b: '2' });
  });

  it('the upstream deploy/flux-deployment.yaml arguments', () => {
    const s = parseFluxdArgs([
      '--memcached-service=',
      '--ssh-keygen-dir=/var/fluxd/keygen',
      '--git-url=git@github.com:fluxcd/flux-get-started',
      '--git-branch=master',
      '--git-label=flux-sync',
      '--git-user=Flux automation',
      '--git-email=flux@example.com',
      '--listen-metrics=:3031',
    ]);
    expect(s).toMatchObject({
      gitUrl: 'git@github.com:fluxcd/flux-get-started',
      gitBranch: 'master',
      gitLabel: 'flux-sync',
      memcachedService: '',
    });
    expect(s.flags.unknown).toEqual([]);
    expect(s.flags.errors).toEqual([]);
  });
});

describe('parseHelmOperatorArgs', () => {
  it('defaults: Helm v2 and v3 enabled, 3m charts sync, master', () => {
    expect(parseHelmOperatorArgs(['--tiller-namespace=kube-system'])).toMatchObject({
      enabledHelmVersions: ['v2', 'v3'],
      chartsSyncInterval: 180,
      gitDefaultRef: 'master',
      tillerNamespace: 'kube-system',
    });
  });
  it('--allow-namespace and --enabled-helm-versions', () => {
    expect(
      parseHelmOperatorArgs(['--allow-namespace', 'team', '--enabled-helm-versions=v3', '--charts-sync-interval=1m']),
    ).toMatchObject({
      allowNamespace: 'team',
      enabledHelmVersions: ['v3'],
      chartsSyncInterval: 60,
    });
  });
});

describe('Go helpers', () => {
  it.each([
    ['5m', 300],
    ['1h30m', 5400],
    ['1.5h', 5400],
    ['90s', 90],
    ['0', 0],
    ['250ms', 0.25],
    ['2h0m0s', 7200],
  ] as const)('parseGoDuration(%s) = %d', (text, seconds) => expect(parseGoDuration(text)).toBe(seconds));
  it.each(['', '5', '1d', 'm', '5 m'])('parseGoDuration(%j) is invalid', (text) =>
    expect(parseGoDuration(text)).toBeUndefined(),
  );
  it('splitCsv', () => {
    expect(splitCsv('a,b')).toEqual(['a', 'b']);
    expect(splitCsv('"x,y",z')).toEqual(['x,y', 'z']);
    expect(splitCsv('')).toEqual([]);
  });
  it.each([
    [
      '--git-readonly --sync-garbage-collection --git-branch=main',
      ['--git-readonly', '--sync-garbage-collection', '--git-branch=main'],
    ],
    ["'--git-readonly --git-path=a,b'", ['--git-readonly', '--git-path=a,b']],
    ['--git-user="Flux Bot" --git-email=a@b', ['--git-user=Flux Bot', '--git-email=a@b']],
    ["--git-path='my dir'", ['--git-path=my dir']],
    ['', []],
  ])('splitArgs(%j)', (text, args) => expect(splitArgs(text)).toEqual(args));
});
