import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { parseFluxManifest, type FluxManifest } from '../../../src/model/extension/manifest.js';
import { addFeatureGates, renderFluxInstall, setArg } from '../../../src/render/extension.js';
import { validateSettings, type Settings } from '../../../src/model/extension/settings.js';
import type { KubeObject } from '../../../src/k8s/types.js';
import { testFixtures } from '../../helpers/test-fixtures.js';
import { objectsDiff } from './diff.js';

const fixtures = testFixtures();
// Without fixtures (locally only: CI fails in global setup) the describes below are skipped and never read these.
const manifest = fixtures
  ? parseFluxManifest(readFileSync(fixtures.installManifest, 'utf8'), fixtures.installManifest)
  : (undefined as never);
const render = (settings: Settings, m: FluxManifest = manifest) => {
  validateSettings(settings);
  return renderFluxInstall(m, settings, 'flux');
};
const defaults = fixtures ? render({}) : (undefined as never);

/** The fixture plus image controllers made at test time from source-controller (the fixture has none). */
function withImageControllers(): FluxManifest {
  const extra = manifest.objects
    .filter(
      (o) =>
        o.metadata.labels?.['app.kubernetes.io/component'] === 'source-controller' &&
        ['Deployment', 'ServiceAccount'].includes(o.kind),
    )
    .flatMap((o) =>
      ['image-reflector-controller', 'image-automation-controller'].map((c): KubeObject => {
        const copy = JSON.parse(JSON.stringify(o).replaceAll('source-controller', c)) as KubeObject;
        return copy;
      }),
    );
  return { ...manifest, objects: [...manifest.objects, ...extra] };
}

describe.skipIf(!fixtures)('parseFluxManifest', () => {
  it('reads the Flux version and every object of the install manifest', () => {
    expect(manifest.fluxVersion).toBe('v2.7.5');
    expect(manifest.objects).toHaveLength(32);
  });

  it('refuses what is not a Flux install manifest', () => {
    expect(() => parseFluxManifest('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', 'x.yaml')).toThrow(
      'x.yaml is not a Flux install manifest: it has no CustomResourceDefinition gitrepositories.source.toolkit.fluxcd.io',
    );
    expect(() => parseFluxManifest('a: [', 'bad.yaml')).toThrow(/^bad.yaml is not valid YAML/);
  });
});

describe.skipIf(!fixtures)('renderFluxInstall: each setting against the default render (golden diffs)', () => {
  it('defaults: the manifest with fluxcfg labels and the multi-tenancy lockdown flags', async () => {
    await expect(objectsDiff(manifest.objects, defaults)).toMatchFileSnapshot('golden/defaults.diff');
    expect(defaults.map((o) => o.kind)).toContain('CustomResourceDefinition');
    expect(defaults.every((o) => o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'fluxcfg')).toBe(true);
    expect(defaults.every((o) => o.metadata.labels?.['fluxcfg.io/extension'] === 'flux')).toBe(true);
  });

  const cases: [string, Settings][] = [
    ['helm-controller-disabled', { 'helm-controller.enabled': 'false' }],
    ['notification-controller-disabled', { 'notification-controller.enabled': 'false' }],
    [
      'source-and-kustomize-disabled',
      { 'source-controller.enabled': 'false', 'kustomize-controller.enabled': 'False' },
    ],
    ['multitenancy-off', { 'multiTenancy.enforce': 'false' }],
    ['log-levels', { 'source-controller.log-level': 'debug', 'helm-controller.log-level': 'error' }],
    [
      'resources',
      {
        'kustomize-controller.resources.limits.memory': '2Gi',
        'kustomize-controller.resources.requests.cpu': '200m',
        'source-controller.resources.limits.cpu': '2',
      },
    ],
    [
      'kustomize-vertical-scaling',
      { 'kustomize-controller.concurrent': '10', 'kustomize-controller.requeue-dependency': '5s' },
    ],
    ['kustomize-in-memory-build', { 'kustomize-controller.enable-in-memory-build': 'true' }],
    ['kustomize-strict-substitution', { 'kustomize-controller.strict-substitution-mode': 'true' }],
    [
      'helm-drift-and-oom',
      {
        'helm-controller.detectDrift': 'true',
        'helm-controller.outOfMemoryWatch.enabled': 'true',
        'helm-controller.outOfMemoryWatch.memoryThreshold': '90',
        'helm-controller.outOfMemoryWatch.interval': '1s',
      },
    ],
    ['ssh-host-key-args', { 'source-controller.ssh-host-key-args': '--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256' }],
    [
      'workload-identity',
      {
        'workloadIdentity.enable': 'true',
        'workloadIdentity.azureClientId': 'c1d2',
        'workloadIdentity.azureTenantId': 't3',
      },
    ],
    ['set-kube-service-host-fqdn', { setKubeServiceHostFqdn: 'true' }],
    ['toleration-keys', { 'toleration-keys': 'CriticalAddonsOnly,dedicated=flux:NoSchedule' }],
  ];
  it.each(cases)('%s', async (name, settings) => {
    await expect(objectsDiff(defaults, render(settings))).toMatchFileSnapshot(`golden/${name}.diff`);
  });

  it('helm-controller.enabled=false drops its Deployment and ServiceAccount, keeps the HelmRelease CRD', () => {
    const out = render({ 'helm-controller.enabled': 'false' });
    const names = out.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names).not.toContain('Deployment/helm-controller');
    expect(names).not.toContain('ServiceAccount/helm-controller');
    expect(names).toContain('CustomResourceDefinition/helmreleases.helm.toolkit.fluxcd.io');
    expect(out).toHaveLength(defaults.length - 2);
  });

  it('multiTenancy.enforce (default true) puts the lockdown flags on the controllers that take them, false removes them', () => {
    const args = (objs: KubeObject[], name: string) =>
      (
        objs.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!.spec as {
          template: { spec: { containers: { args: string[] }[] } };
        }
      ).template.spec.containers[0]!.args;
    expect(args(defaults, 'kustomize-controller')).toEqual(
      expect.arrayContaining(['--no-cross-namespace-refs=true', '--default-service-account=flux-applier']),
    );
    expect(args(defaults, 'helm-controller')).toEqual(
      expect.arrayContaining(['--no-cross-namespace-refs=true', '--default-service-account=flux-applier']),
    );
    expect(args(defaults, 'notification-controller')).toContain('--no-cross-namespace-refs=true');
    expect(args(defaults, 'notification-controller').join(' ')).not.toContain('--default-service-account');
    expect(args(defaults, 'source-controller').join(' ')).not.toMatch(
      /no-cross-namespace-refs|default-service-account/,
    );
    const off = render({ 'multiTenancy.enforce': 'false' });
    for (const c of ['kustomize-controller', 'helm-controller', 'notification-controller'])
      expect(args(off, c).join(' ')).not.toMatch(/no-cross-namespace-refs|default-service-account/);
  });

  it('image controllers are off by default and on when enabled (release install.yaml has them)', async () => {
    const m = withImageControllers();
    const off = render({}, m);
    expect(off.filter((o) => o.metadata.name.startsWith('image-'))).toEqual([]);
    const on = render(
      { 'image-reflector-controller.enabled': 'true', 'image-automation-controller.enabled': 'true' },
      m,
    );
    await expect(objectsDiff(off, on)).toMatchFileSnapshot('golden/image-controllers-enabled.diff');
  });

  it('an enabled component missing from the manifest is an error naming it', () => {
    const err = (() => {
      try {
        render({ 'image-reflector-controller.enabled': 'true' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(
      'the Flux install manifest has no image-reflector-controller, which the settings enable (image-reflector-controller.enabled)',
    );
  });

  it('does not modify the parsed manifest (pure)', () => {
    const before = JSON.stringify(manifest.objects);
    render({ 'helm-controller.detectDrift': 'true', 'toleration-keys': 'x', 'multiTenancy.enforce': 'true' });
    expect(JSON.stringify(manifest.objects)).toBe(before);
  });
});

describe('argument helpers', () => {
  it('setArg replaces in place or appends', () => {
    expect(setArg(['--a=1', '--log-level=info', '--b'], '--log-level', 'debug')).toEqual([
      '--a=1',
      '--log-level=debug',
      '--b',
    ]);
    expect(setArg(['--a=1'], '--c', '2')).toEqual(['--a=1', '--c=2']);
  });
  it('addFeatureGates merges into one --feature-gates flag', () => {
    expect(addFeatureGates(['--feature-gates=ExternalArtifact=true'], { DetectDrift: true })).toEqual([
      '--feature-gates=ExternalArtifact=true,DetectDrift=true',
    ]);
    expect(addFeatureGates(['--x'], {})).toEqual(['--x']);
  });
});
