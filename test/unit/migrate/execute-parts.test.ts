// The pure parts of migrate-from-v1's execute phase: secret material looked up in read objects, the Secrets it
// renders, flag parsing (every conflict a usage error before any cluster access), backup names, restorable copies.
import { describe, expect, it } from 'vitest';
import { parseMigrate } from '../../../src/commands/k8s-configuration/flux/migrate-from-v1.js';
import { UsageError } from '../../../src/errors.js';
import type { KubeObject } from '../../../src/k8s/types.js';
import { backupFileName, defaultBackupDir } from '../../../src/migrate/backup.js';
import { deleteSteps } from '../../../src/migrate/execute.js';
import { restorable } from '../../../src/migrate/rollback.js';
import { hostKey, hostsToScan, resolveValues } from '../../../src/model/migrate/material.js';
import { renderPlannedSecret } from '../../../src/render/migrate/secrets.js';
import { b64 } from './helpers.js';

const KNOWN = 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n';
const objects: KubeObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'flux-git-deploy', namespace: 'flux' },
    data: { identity: b64('KEY') },
  },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'empty', namespace: 'flux' }, data: {} },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssh', namespace: 'flux' }, data: { known_hosts: KNOWN } },
];
const secret = (name: string, key = 'identity') =>
  ({ kind: 'Secret', namespace: 'flux', name, key, found: true, hasValue: true }) as const;

describe('resolveValues', () => {
  it('reads Secret keys (base64), ConfigMap keys, inline known_hosts and literals', () => {
    const r = resolveValues(
      {
        identity: secret('flux-git-deploy'),
        known_hosts: { from: 'ConfigMap', namespace: 'flux', name: 'ssh', key: 'known_hosts', found: true },
        username: { literal: 'git' },
        extra: { from: 'inline', base64: b64(KNOWN) },
      },
      objects,
      new Map(),
    );
    expect(r).toEqual({ values: { identity: 'KEY', known_hosts: KNOWN, username: 'git', extra: KNOWN }, missing: [] });
  });

  it('image known_hosts come from the scan (by host and port) or from --known-hosts for every host', () => {
    const data = { known_hosts: { from: 'image', host: 'git.example.com', port: 2222 } } as const;
    expect(resolveValues(data, objects, new Map([['[git.example.com]:2222', KNOWN]])).values.known_hosts).toBe(KNOWN);
    expect(resolveValues(data, objects, new Map(), 'given\n').values.known_hosts).toBe('given\n');
    expect(resolveValues(data, objects, new Map()).missing).toEqual([
      'known_hosts: no host key for [git.example.com]:2222',
    ]);
    expect(hostKey('github.com', 22)).toBe('github.com');
  });

  it('says what is missing, never a value', () => {
    const r = resolveValues({ identity: secret('empty'), password: secret('absent', 'password') }, objects, new Map());
    expect(r.values).toEqual({});
    expect(r.missing).toEqual([
      'identity: Secret flux/empty has no key identity',
      'password: Secret flux/absent has no key password',
    ]);
  });

  it('lists each host to scan once', () => {
    const img = { from: 'image', host: 'github.com' } as const;
    expect(hostsToScan([{ known_hosts: img }, { known_hosts: img, identity: secret('x') }])).toEqual([img]);
  });
});

it('renderPlannedSecret: the values base64-encoded under the planned keys, labelled managed-by fluxcfg', () => {
  const s = renderPlannedSecret(
    {
      namespace: 'demo',
      name: 'chart-auth',
      renderedBy: 'object',
      data: { identity: secret('k'), known_hosts: secret('k') },
    },
    { identity: 'KEY', known_hosts: KNOWN },
  );
  expect(s).toEqual({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'chart-auth', namespace: 'demo', labels: { 'app.kubernetes.io/managed-by': 'fluxcfg' } },
    type: 'Opaque',
    data: { identity: b64('KEY'), known_hosts: b64(KNOWN) },
  });
});

describe('parseMigrate', () => {
  const files: Record<string, string> = { kh: KNOWN, 'az.json': '[]', 'bad.json': '{' };
  const read = (f: string) => {
    if (!(f in files)) throw new Error(`ENOENT: ${f}`);
    return files[f]!;
  };
  const parse = (flags: Record<string, unknown>) => parseMigrate({ timeout: '5m', ...flags }, read);

  it('plan is the default; --export and --execute select the others', () => {
    expect(parse({}).mode).toBe('plan');
    expect(parse({ export: true }).mode).toBe('export');
    expect(parse({ execute: true, name: 'flux', namespace: 'flux' })).toMatchObject({
      mode: 'execute',
      filter: { name: 'flux', namespace: 'flux' },
      validate: true,
      timeoutMs: 300_000,
      install: { install: true, skipPreflight: false },
    });
    expect(parse({ rollback: 'dir' })).toMatchObject({ mode: 'rollback', rollbackDir: 'dir' });
  });

  it('passes the extension flags through', () => {
    const o = parse({
      execute: true,
      config: ['multiTenancy.enforce=false'],
      manifests: 'm.yaml',
      skipPreflight: true,
    });
    expect(o.install).toEqual({
      install: true,
      input: { settings: { 'multiTenancy.enforce': 'false' }, protectedSettings: {} },
      manifests: 'm.yaml',
      skipPreflight: true,
    });
    expect(parse({ installExtension: false, validate: false })).toMatchObject({
      validate: false,
      install: { install: false },
    });
  });

  it('reads --known-hosts(-file) and --from-file now', () => {
    expect(parse({ knownHostsFile: 'kh' }).knownHosts).toBe(KNOWN);
    expect(parse({ knownHosts: b64(KNOWN) }).knownHosts).toBe(KNOWN);
    expect(parse({ fromFile: 'az.json' }).azList).toEqual([]);
  });

  it.each([
    [{ export: true, execute: true }, '--export and --execute cannot be used together'],
    [{ rollback: 'd', execute: true, namespace: 'x' }, '--rollback cannot be used with --execute, --namespace'],
    [{ knownHosts: b64(KNOWN), knownHostsFile: 'kh' }, '--known-hosts and --known-hosts-file cannot be used together'],
    [{ knownHosts: b64('not a key line') }, 'Error! ssh known_hosts provided in wrong format'],
    [{ fromFile: 'bad.json' }, '--from-file bad.json is not JSON'],
    [{ fromFile: 'missing.json' }, 'cannot read --from-file missing.json'],
    [{ timeout: 'soon' }, '--timeout'],
  ])('%o is a usage error', (flags, message) => {
    expect(() => parse(flags)).toThrow(message);
    expect(() => parse(flags)).toThrow(UsageError);
  });
});

describe('backup and rollback helpers', () => {
  it('one file per object, by kind, group, namespace and name; the folder named by UTC time', () => {
    expect(backupFileName({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'flux', name: 'flux' })).toBe(
      'Deployment.apps_flux_flux.yaml',
    );
    expect(backupFileName({ apiVersion: 'v1', kind: 'Secret', namespace: 'flux', name: 'k' })).toBe(
      'Secret.core_flux_k.yaml',
    );
    expect(
      backupFileName({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'x.io' }),
    ).toBe('CustomResourceDefinition.apiextensions.k8s.io__cluster_x.io.yaml');
    expect(defaultBackupDir(new Date('2026-11-30T10:15:00.123Z'), '/w')).toBe(
      '/w/fluxcfg-migrate-backup-20261130T101500Z',
    );
  });

  it('restorable strips what the server sets (and a Service its cluster IP), keeps finalizers', () => {
    const live: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'memcached',
        namespace: 'flux',
        uid: 'u',
        resourceVersion: '5',
        creationTimestamp: 't',
        generation: 1,
        managedFields: [{ manager: 'kubectl' }],
        finalizers: ['x'],
        labels: { a: 'b' },
      },
      spec: { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'], ports: [{ port: 11211 }] },
      status: { loadBalancer: {} },
    };
    expect(restorable(live)).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'memcached', namespace: 'flux', finalizers: ['x'], labels: { a: 'b' } },
      spec: { ports: [{ port: 11211 }] },
    });
    expect(live.metadata.uid).toBe('u'); // a copy
  });

  it('deleteSteps: operators and RBAC, then HelmRelease v1 objects, then CRDs', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'flux', name: 'flux' };
    const hr = { apiVersion: 'helm.fluxcd.io/v1', kind: 'HelmRelease', namespace: 'demo', name: 'p' };
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: 'helmreleases.helm.fluxcd.io',
    };
    expect(deleteSteps([d, hr, crd])).toEqual({ operators: [d], helmReleases: [hr], crds: [crd] });
  });
});
