import { describe, expect, it } from 'vitest';
import { UsageError, UserError } from '../../../src/errors.js';
import {
  componentEnabled,
  parseSettingsFile,
  parseSettingTokens,
  parseToleration,
  validateSettings,
} from '../../../src/model/extension/settings.js';
import { minKubernetesFor, resolveVersion } from '../../../src/model/extension/versions.js';
import { compareVersions } from '../../../src/model/version.js';

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as UserError;
  }
  throw new Error('did not throw');
};

describe('configuration settings', () => {
  it('splits each token on the first = only; later tokens win', () => {
    expect(
      parseSettingTokens(
        ['a=1', 'source-controller.ssh-host-key-args=--ssh-hostkey-algos=rsa-sha2-512', 'a=2'],
        '--configuration-settings',
      ),
    ).toEqual({ a: '2', 'source-controller.ssh-host-key-args': '--ssh-hostkey-algos=rsa-sha2-512' });
  });

  it("a token without '=' is az's usage error", () => {
    const err = thrown(() => parseSettingTokens(['helm-controller.enabled'], '--configuration-settings'));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe(
      'Usage error: --configuration-settings configuration_setting_key=configuration_setting_value',
    );
    const p = thrown(() => parseSettingTokens(['x'], '--configuration-protected-settings', true));
    expect(p.message).toBe(
      'Usage error: --configuration-protected-settings configuration_protected_setting_key=configuration_protected_setting_value',
    );
  });

  it('reads a settings file as a JSON object of strings, with az messages for empty and invalid files', () => {
    expect(
      parseSettingsFile('{"helm-controller.enabled": false, "kustomize-controller.concurrent": 8}', 'f.json'),
    ).toEqual({
      'helm-controller.enabled': 'false',
      'kustomize-controller.concurrent': '8',
    });
    expect(thrown(() => parseSettingsFile('{}', 'f.json')).message).toBe('File f.json is empty');
    expect(thrown(() => parseSettingsFile('{nope', 'f.json')).message).toBe('File f.json is not a valid JSON file');
    expect(thrown(() => parseSettingsFile('[1]', 'f.json')).message).toBe('File f.json is not a valid JSON file');
  });

  it('unknown keys are an error listing the known ones', () => {
    const err = thrown(() =>
      validateSettings({ 'helm-controller.enabled': 'false', 'helm-controler.enabled': 'false' }),
    );
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toBe("unknown configuration setting 'helm-controler.enabled' for microsoft.flux");
    expect(err.hint).toMatch(/^known settings: source-controller\.enabled, kustomize-controller\.enabled, /);
    expect(err.hint).toContain('multiTenancy.enforce');
    expect(err.hint).toContain('helm-controller.detectDrift');
  });

  it.each([
    ['helm-controller.enabled', 'yes', "expected 'true' or 'false'"],
    ['source-controller.log-level', 'verbose', "expected one of 'debug', 'info', 'error', 'trace'"],
    ['kustomize-controller.resources.limits.memory', '2GB', "expected a Kubernetes quantity such as '512Mi' or '1Gi'"],
    ['kustomize-controller.concurrent', '0', 'expected a positive integer'],
    ['kustomize-controller.requeue-dependency', '5', "expected a duration such as '30s', '500ms' or '1m'"],
    ['helm-controller.outOfMemoryWatch.memoryThreshold', '101', 'expected a whole percentage between 1 and 100'],
    [
      'source-controller.ssh-host-key-args',
      'rsa',
      'expected --ssh-hostkey-algos=<algorithms> or --ssh-kex-algos=<algorithms>',
    ],
    ['source-controller.ssh-host-key-args', '--storage-path=/', 'expected --ssh-hostkey-algos=<algorithms>'],
    [
      'image-automation-controller.ssh-host-key-args',
      '--ssh-hostkey-algos=a --x',
      'expected --ssh-hostkey-algos=<algorithms>',
    ],
    ['toleration-keys', 'a b', 'expected comma-separated toleration keys'],
  ])('%s=%s is refused', (key, value, expected) => {
    const err = thrown(() => validateSettings({ [key]: value }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(
      new RegExp(
        `^invalid value '${value}' for configuration setting '${key.replace(/\./g, '\\.')}': ${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );
  });

  it('workload identity needs the client id', () => {
    expect(thrown(() => validateSettings({ 'workloadIdentity.enable': 'true' })).message).toBe(
      'workloadIdentity.enable=true needs workloadIdentity.azureClientId',
    );
  });

  it('Azure-only keys are accepted with a note that they have no effect here', () => {
    expect(validateSettings({ useKubeletIdentity: 'true', 'fluxconfig-agent.log-level': 'error' })).toEqual([
      "configuration setting 'useKubeletIdentity' has no effect outside Azure: the AKS kubelet identity is not known outside AKS; use workloadIdentity.* instead",
      "configuration setting 'fluxconfig-agent.log-level' has no effect outside Azure: fluxcfg runs no fluxconfig-agent",
    ]);
  });

  it('the four default controllers are on, the image controllers off', () => {
    expect(componentEnabled({}, 'helm-controller')).toBe(true);
    expect(componentEnabled({}, 'image-reflector-controller')).toBe(false);
    expect(componentEnabled({ 'helm-controller.enabled': 'FALSE' }, 'helm-controller')).toBe(false);
    expect(componentEnabled({ 'image-reflector-controller.enabled': 'true' }, 'image-reflector-controller')).toBe(true);
  });

  it('parses tolerations as flux install --toleration-keys does, plus key=value:Effect', () => {
    expect(parseToleration('CriticalAddonsOnly')).toEqual({ key: 'CriticalAddonsOnly', operator: 'Exists' });
    expect(parseToleration('CriticalAddonsOnly=true:NoSchedule')).toEqual({
      key: 'CriticalAddonsOnly',
      operator: 'Equal',
      value: 'true',
      effect: 'NoSchedule',
    });
    expect(parseToleration('a b')).toBeUndefined();
  });
});

describe('versions', () => {
  it('maps microsoft.flux versions to their Flux release and accepts Flux versions', () => {
    expect(resolveVersion(undefined)).toEqual({ flux: 'v2.7.5' });
    expect(resolveVersion('1.23.0')).toEqual({ requested: '1.23.0', flux: 'v2.7.5' });
    expect(resolveVersion('1.20.4')).toEqual({ requested: '1.20.4', flux: 'v2.6.4' });
    expect(resolveVersion('2.8.1')).toEqual({ requested: '2.8.1', flux: 'v2.8.1' });
    expect(resolveVersion('v2.7.5')).toEqual({ requested: 'v2.7.5', flux: 'v2.7.5' });
    expect(thrown(() => resolveVersion('1.2.0')).message).toBe(
      "microsoft.flux version '1.2.0' is not known to fluxcfg",
    );
    expect(thrown(() => resolveVersion('latest')).message).toBe("argument --version: invalid value 'latest'");
  });

  it('knows the minimum Kubernetes of each Flux minor and compares versions', () => {
    expect(minKubernetesFor('v2.7.5')).toBe('1.32.0');
    expect(minKubernetesFor('v3.0.0')).toBeUndefined();
    expect(compareVersions('v1.20.2', '1.32.0')).toBeLessThan(0);
    expect(compareVersions('v1.33.1-eks-1', '1.32.0')).toBeGreaterThan(0);
    expect(compareVersions('1.32.0', 'v1.32.0')).toBe(0);
  });
});
