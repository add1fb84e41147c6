// HelmRelease v1 → v2: goldens per chart source kind (repository, git) and values shape (inline, valuesFrom
// ConfigMap/Secret, chart file, external URL), each rendered object checked against its Flux v2.9 CRD.
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/k8s/types.js';
import { discover } from '../../../src/model/migrate/discover.js';
import type { HelmOperatorInstance, HelmReleaseV1 } from '../../../src/model/migrate/inventory.js';
import {
  convertHelmRelease,
  effectiveHelmVersion,
  HelmSources,
  slugName,
  v2GitUrl,
} from '../../../src/render/migrate/helm-release.js';
import type { HelmReleasePlan } from '../../../src/render/migrate/types.js';
import { toYaml } from '../../../src/render/yaml.js';
import {
  HELM_OPERATOR_DEPLOY,
  RELEASE_FIXTURES,
  b64,
  helmReleaseFixture,
  load,
  releaseSecret,
  schemaViolations,
} from './helpers.js';

/** The upstream helm-operator with Helm v3 only and the deploy key mounted (for ssh:// chart repositories). */
function operatorObjects(): KubeObject[] {
  return [
    ...HELM_OPERATOR_DEPLOY.flatMap(load).map((o) => {
      if (o.kind !== 'Deployment') return o;
      const d = structuredClone(o) as KubeObject & {
        spec: {
          template: { spec: { volumes?: unknown[]; containers: { args: string[]; volumeMounts?: unknown[] }[] } };
        };
      };
      const spec = d.spec.template.spec;
      spec.volumes = [{ name: 'git-key', secret: { secretName: 'flux-git-deploy' } }];
      spec.containers[0]!.volumeMounts = [{ name: 'git-key', mountPath: '/etc/fluxd/ssh' }];
      spec.containers[0]!.args = ['--enabled-helm-versions=v3'];
      return d;
    }),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'flux-git-deploy', namespace: 'flux' },
      data: { identity: b64('KEY') },
    },
  ];
}

function convert(objects: KubeObject[]): {
  plans: HelmReleasePlan[];
  sources: HelmSources;
  inventory: ReturnType<typeof discover>;
} {
  const inventory = discover(objects);
  const sources = new HelmSources();
  const plans = inventory.helmReleases.map((hr) => convertHelmRelease(hr, sources, inventory.helmOperators[0]));
  return { plans, sources, inventory };
}

/** Golden text: the source(s) and the HelmRelease, then the findings and Secret plans as comments. */
function golden(plan: HelmReleasePlan, sources: HelmSources): string {
  const source = sources
    .objects()
    .filter((o) => o.metadata.name === plan.sourceRef?.name && o.metadata.namespace === plan.sourceRef?.namespace);
  const comments = yaml
    .dump({ findings: plan.findings, secrets: sources.secretPlans() }, { lineWidth: -1, noRefs: true })
    .trimEnd()
    .split('\n')
    .map((l) => `# ${l}`)
    .join('\n');
  return `${toYaml([...source, ...(plan.helmRelease ? [plan.helmRelease] : [])])}${comments}\n`;
}

const running = (name: string, ns = 'demo') => releaseSecret(name, ns, 3, 'deployed');

describe('convertHelmRelease goldens', () => {
  const cases: [string, string, boolean][] = [
    ['repository-inline-values', 'releases/helm-repository.yaml', true],
    ['git-chart-ssh', 'releases/git.yaml', true],
    ['repository-skip-crds', 'releases/skip-crd.yaml', true],
    ['values-from-configmap', 'values_from/configmap.yaml', true],
    ['values-from-secret', 'values_from/secret.yaml', true],
    ['values-from-external-url', 'values_from/externalsource.yaml', true],
    ['values-from-chart-file', 'values_from/chartfile.yaml', true],
    ['repository-release-not-found', 'releases/helm-repository.yaml', false],
  ];

  it.each(cases)('%s', async (name, file, withRelease) => {
    const hr = helmReleaseFixture(file);
    const release = (hr.spec as { releaseName: string }).releaseName;
    const objects = [...operatorObjects(), hr, ...(withRelease ? [running(release, hr.metadata.namespace)] : [])];
    const { plans, sources } = convert(objects);
    expect(plans).toHaveLength(1);
    await expect(golden(plans[0]!, sources)).toMatchFileSnapshot(`golden/hr-${name}.yaml`);
    for (const o of [...sources.objects(), ...(plans[0]!.helmRelease ? [plans[0]!.helmRelease] : [])])
      expect(schemaViolations(o)).toEqual([]);
  });

  it('every upstream example converts; the whole set shares one HelmRepository per namespace and URL', () => {
    const hrs = RELEASE_FIXTURES.map(helmReleaseFixture);
    const { plans, sources } = convert([...operatorObjects(), ...hrs]);
    expect(plans.map((p) => p.chartSource)).toEqual([
      'repository',
      'git',
      'repository',
      'repository',
      'repository',
      'repository',
      'git',
    ]);
    expect(sources.objects().map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'HelmRepository demo/stefanprodan-github-io-podinfo',
      'GitRepository demo/gitsrv-git-server-repos-cluster-master',
      'HelmRepository demo/charts-konghq-com',
      'HelmRepository default/stefanprodan-github-io-podinfo',
      'GitRepository default/gitsrv-git-server-repos-cluster-master',
    ]);
    expect(sources.secretPlans().map((s) => `${s.namespace}/${s.name}`)).toEqual([
      'demo/gitsrv-git-server-repos-cluster-master-auth',
      'default/gitsrv-git-server-repos-cluster-master-auth',
    ]);
  });
});

describe('convertHelmRelease rules', () => {
  const base = (spec: Record<string, unknown>, meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({
    apiVersion: 'helm.fluxcd.io/v1',
    kind: 'HelmRelease',
    metadata: { name: 'app', namespace: 'team', ...meta },
    spec: { chart: { repository: 'https://charts.example.com/', name: 'app', version: '1.0.0' }, ...spec },
  });
  const one = (hr: KubeObject, extra: KubeObject[] = []) => convert([...operatorObjects(), hr, ...extra]).plans[0]!;
  const spec = (p: HelmReleasePlan) => p.helmRelease!.spec as Record<string, unknown>;
  const codes = (p: HelmReleasePlan) => p.findings.map((f) => f.code);

  it('pins releaseName/targetNamespace/storageNamespace to the running release (default name with targetNamespace)', () => {
    const p = one(base({ targetNamespace: 'apps' }), [releaseSecret('team-apps-app', 'apps', 5, 'deployed')]);
    expect(spec(p)).toMatchObject({
      releaseName: 'team-apps-app',
      targetNamespace: 'apps',
      storageNamespace: 'apps',
      interval: '3m0s',
      maxHistory: 10,
    });
    expect(p.running).toEqual({
      revision: 5,
      status: 'deployed',
      chart: 'podinfo',
      chartVersion: '3.2.0',
      secret: 'sh.helm.release.v1.team-apps-app.v5',
    });
    expect(codes(p)).toEqual(['chart-version-differs', 'first-reconcile-upgrade', 'release-name-pinned']);
  });

  it('timeouts, history, resetValues, forceUpgrade, wait, rollback with retries, test', () => {
    const p = one(
      base({
        timeout: 600,
        maxHistory: 3,
        resetValues: false,
        forceUpgrade: true,
        disableOpenAPIValidation: true,
        rollback: {
          enable: true,
          retry: true,
          maxRetries: 2,
          timeout: 120,
          wait: true,
          disableHooks: true,
          force: true,
        },
        test: { enable: true, ignoreFailures: true, timeout: 90, cleanup: true },
      }),
      [releaseSecret('team-app', 'team', 1, 'deployed')],
    );
    expect(spec(p)).toMatchObject({
      timeout: '10m0s',
      maxHistory: 3,
      install: { remediation: { retries: -1 }, disableOpenAPIValidation: true },
      upgrade: { preserveValues: true, force: true, disableOpenAPIValidation: true, remediation: { retries: 2 } },
      rollback: { timeout: '2m0s', disableHooks: true, force: true },
      test: { enable: true, ignoreFailures: true, timeout: '1m30s' },
    });
    expect((spec(p).install as Record<string, unknown>).disableWait).toBeUndefined();
    expect((spec(p).rollback as Record<string, unknown>).disableWait).toBeUndefined();
    expect(codes(p)).toContain('test-cleanup');
    expect(schemaViolations(p.helmRelease!)).toEqual([]);
  });

  it('v1 did not wait unless rollback or test was enabled: disableWait on install and upgrade', () => {
    const p = one(base({}), [releaseSecret('team-app', 'team', 1, 'deployed')]);
    expect(spec(p)).toMatchObject({ install: { disableWait: true }, upgrade: { disableWait: true } });
    const waited = one(base({ wait: true }), [releaseSecret('team-app', 'team', 1, 'deployed')]);
    expect(spec(waited).upgrade).toBeUndefined();
  });

  it('rollback without retry: roll back once', () => {
    const p = one(base({ rollback: { enable: true } }), [releaseSecret('team-app', 'team', 1, 'deployed')]);
    expect(spec(p)).toMatchObject({
      upgrade: { remediation: { retries: 0, remediateLastFailure: true } },
      rollback: { disableWait: true },
    });
  });

  it('valuesFrom in another namespace: kept by name, with what to copy', () => {
    const p = one(
      base({
        valuesFrom: [
          { configMapKeyRef: { name: 'shared', namespace: 'config', key: 'app.yaml', optional: true } },
          { secretKeyRef: { name: 'creds' } },
        ],
        valueFileSecrets: [{ name: 'old' }],
      }),
    );
    expect(spec(p).valuesFrom).toEqual([
      { kind: 'ConfigMap', name: 'shared', valuesKey: 'app.yaml', optional: true },
      { kind: 'Secret', name: 'creds' },
      { kind: 'Secret', name: 'old' },
    ]);
    const f = p.findings.find((x) => x.code === 'values-from-other-namespace')!;
    expect(f).toEqual({
      severity: 'warning',
      code: 'values-from-other-namespace',
      subject: 'HelmRelease team/app',
      message:
        'valuesFrom ConfigMap config/shared is in another namespace; v2 reads ConfigMaps of the HelmRelease namespace only',
      action: 'copy ConfigMap config/shared into namespace team before the execute phase',
    });
  });

  it('Helm v2 releases are not converted', () => {
    const p = one(base({ helmVersion: 'v2' }));
    expect(p.helmRelease).toBeUndefined();
    expect(codes(p)).toContain('helm-v2-release');
    const hop = { settings: { enabledHelmVersions: ['v2', 'v3'] } } as HelmOperatorInstance;
    expect(effectiveHelmVersion({ spec: {} } as HelmReleaseV1, hop)).toBe('v2');
    expect(effectiveHelmVersion({ spec: { helmVersion: 'v3' } } as unknown as HelmReleaseV1, hop)).toBe('v3');
  });

  it('chart repositories over s3:// need a downloader plugin: not converted', () => {
    const p = one(base({ chart: { repository: 's3://bucket/charts', name: 'app', version: '1' } }));
    expect(p.chartSource).toBe('unsupported');
    expect(p.helmRelease).toBeUndefined();
    expect(codes(p)).toContain('chart-repository-scheme');
  });

  it('git chart: scp-like URL, commit ref, HTTPS secret in another namespace', () => {
    const p = one(
      base({
        chart: {
          git: 'https://git.example.com/org/charts.git',
          ref: '0123456789abcdef0123456789abcdef01234567',
          path: 'charts/app',
          secretRef: { name: 'git-creds', namespace: 'flux' },
        },
      }),
    );
    expect(spec(p).chart).toEqual({
      spec: {
        chart: 'charts/app',
        reconcileStrategy: 'Revision',
        sourceRef: { kind: 'GitRepository', name: 'git-example-com-org-charts-0123456789ab' },
      },
    });
    expect(codes(p)).toContain('chart-secret-namespace');
    expect(v2GitUrl('git@github.com:org/charts')).toBe('ssh://git@github.com/org/charts');
    expect(v2GitUrl('git://example.com/charts')).toBe('https://example.com/charts');
  });

  it('names: DNS-1123, at most 63 characters', () => {
    expect(slugName('Charts.Example.COM/stable/')).toBe('charts-example-com-stable');
    expect(slugName('a'.repeat(80)).length).toBe(63);
    expect(slugName('///')).toBe('source');
  });
});
