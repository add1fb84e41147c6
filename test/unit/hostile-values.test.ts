// The value checks of the hostile review (issue #9 part B), from the good side too: what az users pass every day
// must still be accepted.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import type { Exec } from '../../src/exec.js';
import { scanKnownHosts } from '../../src/commands/k8s-configuration/flux/ssh.js';
import { parseDuration, parseRequestTimeoutMs } from '../../src/model/duration.js';
import {
  renderRecord,
  recordName,
  validateExtensionName,
  type ExtensionRecord,
} from '../../src/model/extension/record.js';
import { checkKustomizationPath } from '../../src/model/kustomization-spec.js';
import { checkUrlValue, isSemverRange, s3BucketNameProblem } from '../../src/model/source-kinds/values.js';

describe('accepted as before', () => {
  it.each([
    '>=1.0.0 <2.0.0',
    '~1.2',
    '^1.4',
    '1.x',
    '*',
    '1.2.3 - 1.4.5',
    '>=1.0.0, <2.0.0',
    '>= 1.0',
    '1.0.0 || 2.x',
    'v1.2.3',
    '~> 1.2',
  ])('semver %j', (range) => expect(isSemverRange(range)).toBe(true));
  it.each(['latest', '-1', '>=', 'a.b.c', '1.0.0 ||', ''])('not a semver range: %j', (range) =>
    expect(isSemverRange(range)).toBe(false),
  );
  it.each(['my-bucket', 'manifests', 'a.b.c', 'bkt'])('bucket %j', (name) =>
    expect(s3BucketNameProblem(name)).toBeUndefined(),
  );
  it.each([
    'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
    'ssh://git@ssh.dev.azure.com/v3/org/proj/repo',
    'git@github.com:org/repo.git',
    'http://minio.minio.svc:9000',
    'oci://ghcr.io/org/manifests',
    'https://[::1]:8443/repo',
  ])('url %s', (url) => expect(() => checkUrlValue(url)).not.toThrow());
  it.each(['./apps/staging', 'apps', '', './', 'a/b/..c'])('kustomization path %j', (p) =>
    expect(checkKustomizationPath(p, 'path')).toBe(p),
  );
  it('durations up to 24 days; request timeouts as kubectl', () => {
    expect(parseDuration('576h', '--timeout')).toBe(576 * 3600);
    expect(() => parseDuration('577h', '--timeout')).toThrow(UsageError);
    expect(parseRequestTimeoutMs('0')).toBe(0);
  });
});

describe('extension names as ARM accepts them', () => {
  it.each(['flux', 'Flux', 'flux_1', 'My.Flux-2'])('%s is accepted', (name) =>
    expect(() => validateExtensionName(name)).not.toThrow(),
  );
  it.each(['', 'a b', 'a,b', '-flux', 'flux_', 'x/y', 'a'.repeat(64), 'a._b'])('%j is refused', (name) =>
    expect(() => validateExtensionName(name)).toThrow(UsageError),
  );
  it('a mixed-case name maps to a lower-case object name; the record keeps the name as given', () => {
    const record = { name: 'My_Flux', configurationSettings: {} } as unknown as Omit<ExtensionRecord, 'createdAt'>;
    const cm = renderRecord(record, 'manifest');
    expect(cm.metadata.name).toBe('fluxcfg-extension-my-flux');
    expect(recordName('My_Flux')).toBe(recordName('my-flux'));
    expect(cm.metadata.labels?.['fluxcfg.io/extension']).toBe('My_Flux');
    expect(
      JSON.parse((cm.data as Record<string, string>)['record.json'] ?? Object.values(cm.data as object)[0]),
    ).toMatchObject({
      name: 'My_Flux',
    });
  });
});

describe('child argv', () => {
  it('ssh-keyscan gets -- before the host', async () => {
    const calls: string[][] = [];
    const exec: Exec = async (file, args) => {
      calls.push([file, ...args]);
      return {
        exitCode: 0,
        stdout: 'example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n',
        stderr: '',
      };
    };
    await scanKnownHosts(exec, 'ssh://git@example.com:2222/org/repo');
    expect(calls).toEqual([['ssh-keyscan', '-T', '30', '-p', '2222', '--', 'example.com']]);
    await expect(scanKnownHosts(exec, 'git@-oProxyCommand=x:repo')).rejects.toThrow('cannot tell the SSH host');
    expect(calls).toHaveLength(1);
  });
});
