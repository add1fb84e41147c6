import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseTimeoutMs } from '../../src/model/duration.js';
import { runCli } from '../helpers/cli.js';
import { testFixtures } from '../helpers/test-fixtures.js';

const fixtures = testFixtures();
const manifests = fixtures?.installManifest ?? '';
/** Any API call fails the test: these commands must be decided before connecting. */
const noCluster = {
  connect: async () => {
    throw new Error('no API call expected');
  },
};
const create = (...args: string[]) =>
  runCli(['k8s-extension', 'create', '-n', 'flux', '--extension-type', 'microsoft.flux', ...args], noCluster);

describe('k8s-extension create flags', () => {
  it.skipIf(!fixtures)(
    '--export prints the rendered install, settings applied, without touching the cluster',
    async () => {
      const r = await create(
        '--manifests',
        manifests,
        '--export',
        '--config',
        'helm-controller.enabled=false',
        'kustomize-controller.concurrent=8',
      );
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      expect(r.stdout.startsWith('---\napiVersion: v1\nkind: Namespace\n')).toBe(true);
      const docs = yaml.loadAll(r.stdout) as { kind: string; metadata: { name: string } }[];
      expect(docs.filter((d) => d.kind === 'Deployment').map((d) => d.metadata.name)).toEqual([
        'source-controller',
        'kustomize-controller',
        'notification-controller',
      ]);
      expect(r.stdout).toContain("- '--concurrent=8'");
    },
  );

  it.skipIf(!fixtures)('accepts the extension type in any case, as az lower-cases it', async () => {
    const r = await runCli(
      [
        'k8s-extension',
        'create',
        '-n',
        'flux',
        '--extension-type',
        'Microsoft.Flux',
        '--manifests',
        manifests,
        '--export',
      ],
      noCluster,
    );
    expect(r.exitCode).toBe(0);
  });

  it.skipIf(!fixtures).each([
    [['--extension-type', 'microsoft.dapr'], "error: extension type 'microsoft.dapr' is not supported by fluxcfg"],
    [
      ['--scope', 'namespace'],
      'error: The microsoft.flux extension can only be installed at cluster scope; --scope namespace is not supported',
    ],
    [['--target-namespace', 'x'], "error: When --scope is 'cluster', --target-namespace must not be given."],
    [['--release-namespace', 'flux'], "error: --release-namespace 'flux' is not supported"],
    [
      ['--config', 'helm-controller.enabled'],
      'error: Usage error: --configuration-settings configuration_setting_key=configuration_setting_value',
    ],
    [
      ['--config', 'a=1', '--config-file', 'x.json'],
      'error: Error! Both configuration-settings and configuration-settings-file cannot be provided.',
    ],
    [
      ['--config-protected', 'a=1', '--config-protected-file', 'x.json'],
      'error: Error! Both configuration-protected-settings and configuration-protected-settings-file cannot be provided.',
    ],
    [
      ['--version', '1.23.0', '--auto-upgrade-minor-version', 'true'],
      "error: To pin to specific version, auto-upgrade-minor-version must be set to 'false'.",
    ],
    [['--version', 'latest'], "error: argument --version: invalid value 'latest'"],
    [['--wait-timeout', 'soon'], 'error: Error! Invalid --wait-timeout.'],
    [['-n', 'Flux_'], "error: invalid extension name 'Flux_'"],
  ])('%j is a usage error (exit 2) with no API call', async (args, message) => {
    const r = await runCli(
      [
        'k8s-extension',
        'create',
        '-n',
        'flux',
        '--extension-type',
        'microsoft.flux',
        '--manifests',
        manifests,
        '--export',
        ...args,
      ],
      noCluster,
    );
    expect(r.stderr).toContain(message);
    expect(r.stderr).toMatch(/\nhint: /);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
  });

  it.skipIf(!fixtures)('unknown setting keys are refused with the list of known ones', async () => {
    const r = await create('--manifests', manifests, '--export', '--config', 'helm-controller.drift=true');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error: unknown configuration setting 'helm-controller.drift' for microsoft.flux");
    expect(r.stderr).toMatch(/hint: known settings: source-controller\.enabled, .*multiTenancy\.enforce/);
  });

  it.skipIf(!fixtures)('reads a settings file; inline keys would override it on update', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-settings-'));
    const file = path.join(dir, 'settings.json');
    writeFileSync(file, JSON.stringify({ 'multiTenancy.enforce': 'false' }));
    const r = await create('--manifests', manifests, '--export', '--config-settings-file', file);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toContain('--no-cross-namespace-refs');
    writeFileSync(file, '{}');
    const empty = await create('--manifests', manifests, '--export', '--configuration-settings-file', file);
    expect(empty.exitCode).toBe(1);
    expect(empty.stderr).toContain(`error: File ${file} is empty`);
  });

  it.skipIf(!fixtures)(
    '--version for k8s-extension create is the extension version; fluxcfg --version is still the program version',
    async () => {
      const mismatch = await create(
        '--manifests',
        manifests,
        '--export',
        '--version',
        '1.20.4',
        '--auto-upgrade',
        'false',
      );
      expect(mismatch.exitCode).toBe(2);
      expect(mismatch.stderr).toContain(
        `error: --version 1.20.4 means Flux v2.6.4, but --manifests ${manifests} is Flux v2.7.5`,
      );
      const same = await create('--manifests', manifests, '--export', '--version=2.7.5');
      expect(same.exitCode).toBe(0);
      const program = await runCli(['--version']);
      expect(program.stdout).toMatch(/^\d+\.\d+\.\d+/);
      expect((await runCli(['k8s-extension', 'show', '--version'])).exitCode).toBe(2);
    },
  );

  it.skipIf(!fixtures)(
    'an Azure-only setting warns that it has no effect; --release-train is noted under --verbose',
    async () => {
      const r = await create('--manifests', manifests, '--export', '--config', 'useKubeletIdentity=true');
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe(
        "Warning: configuration setting 'useKubeletIdentity' has no effect outside Azure: the AKS kubelet identity is not known outside AKS; use workloadIdentity.* instead\n",
      );
      const verbose = await create('--manifests', manifests, '--export', '--release-train', 'Preview', '--verbose');
      expect(verbose.exitCode).toBe(0);
      expect(verbose.stderr).toContain(
        'INFO: --release-train is recorded but has no effect here: fluxcfg installs Flux releases',
      );
      expect((await create('--manifests', manifests, '--export', '--release-train', 'Preview')).stderr).toBe('');
    },
  );

  it('parses --wait-timeout durations', () => {
    expect(parseTimeoutMs('1h30m', '--wait-timeout')).toBe(5_400_000);
    expect(parseTimeoutMs('90s', '--wait-timeout')).toBe(90_000);
    expect(() => parseTimeoutMs('90', '--wait-timeout')).toThrow('Error! Invalid --wait-timeout.');
  });

  it('create --help lists az flags and the fluxcfg additions', async () => {
    const r = await runCli(['k8s-extension', 'create', '--help']);
    for (const flag of [
      '--extension-type',
      '--scope',
      '--release-namespace',
      '--configuration-settings, --config',
      '--config-settings-file, --config-file',
      '--config-protected-settings, --config-protected',
      '--version',
      '--auto-upgrade-minor-version',
      '--release-train',
      '--manifests',
      '--no-wait',
      '--wait-timeout',
      '--skip-preflight',
      '--export',
      '--force',
    ])
      expect(r.stdout).toContain(flag);
  });
});
