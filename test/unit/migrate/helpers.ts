// Fixtures for the migrate-from-v1 tests: the upstream Flux v1 manifests (test/fixtures/flux-v1), plus builders for
// what no upstream repository publishes (Arc GitConfig and fluxd, Helm release storage Secrets).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import yaml from 'js-yaml';
import type { KubeObject } from '../../../src/k8s/types.js';
import { testFixtures } from '../../helpers/test-fixtures.js';
import { crdSchema, violations } from '../render/crd-schema.js';

const ROOT = new URL('../../fixtures/flux-v1/', import.meta.url);

/** Every document of a fixture file, as plain objects. */
export function load(path: string): KubeObject[] {
  return (yaml.loadAll(readFileSync(new URL(path, ROOT), 'utf8')) as (KubeObject | null)[]).filter(
    (o): o is KubeObject => o !== null,
  );
}

export const FLUX_DEPLOY = [
  'flux/deploy/flux-ns.yaml',
  'flux/deploy/flux-account.yaml',
  'flux/deploy/flux-secret.yaml',
  'flux/deploy/flux-deployment.yaml',
  'flux/deploy/memcache-dep.yaml',
  'flux/deploy/memcache-svc.yaml',
];
export const HELM_OPERATOR_DEPLOY = [
  'helm-operator/deploy/crds.yaml',
  'helm-operator/deploy/rbac.yaml',
  'helm-operator/deploy/deployment.yaml',
];
const E2E = 'helm-operator/examples/test/e2e/fixtures/';

/** HelmRelease v1 examples; those without a namespace are read as namespace `default`. */
export function helmReleaseFixture(name: string): KubeObject {
  const [o] = load(`${E2E}${name}`);
  return { ...o!, metadata: { namespace: 'default', ...o!.metadata } };
}

export const RELEASE_FIXTURES = [
  'releases/helm-repository.yaml',
  'releases/git.yaml',
  'releases/skip-crd.yaml',
  'values_from/configmap.yaml',
  'values_from/secret.yaml',
  'values_from/externalsource.yaml',
  'values_from/chartfile.yaml',
];

export const b64 = (s: string | Buffer): string => Buffer.from(s).toString('base64');

/** A Helm v3 storage Secret, as the Helm SDK writes it (data.release = base64(base64(gzip(json)))). */
export function releaseSecret(
  release: string,
  namespace: string,
  revision: number,
  status: string,
  chart: { name: string; version: string } = { name: 'podinfo', version: '3.2.0' },
): KubeObject {
  const json = JSON.stringify({
    name: release,
    namespace,
    version: revision,
    info: { status },
    chart: { metadata: { name: chart.name, version: chart.version, appVersion: '3.2.0' } },
  });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: `sh.helm.release.v1.${release}.v${revision}`,
      namespace,
      labels: { owner: 'helm', name: release, version: String(revision), status },
    },
    data: { release: b64(b64(gzipSync(json))) },
  };
}

/** The fluxd an Arc sourceControlConfiguration runs (reference §8.1): Deployment named after the instance. */
export function arcFluxd(opts: {
  instance: string;
  namespace: string;
  url: string;
  params: string[];
  scope: 'cluster' | 'namespace';
}): KubeObject[] {
  const args = [
    `--git-url=${opts.url}`,
    ...(opts.scope === 'namespace' ? [`--k8s-allow-namespace=${opts.namespace}`] : []),
    ...opts.params,
  ];
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: opts.instance, namespace: opts.namespace },
      spec: {
        selector: { matchLabels: { instanceName: opts.instance, name: 'flux' } },
        template: {
          metadata: { labels: { instanceName: opts.instance, name: 'flux' } },
          spec: {
            serviceAccountName: opts.instance,
            volumes: [
              { name: 'git-key', secret: { secretName: `${opts.instance}-git-deploy` } },
              { name: 'ssh-config', configMap: { name: `${opts.instance}-ssh-config` } },
            ],
            containers: [
              {
                name: 'flux',
                image: 'mcr.microsoft.com/oss/fluxcd/flux:1.21.0',
                args,
                volumeMounts: [
                  { name: 'git-key', mountPath: '/etc/fluxd/ssh', readOnly: true },
                  { name: 'ssh-config', mountPath: '/root/.ssh' },
                ],
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `${opts.instance}-git-deploy`, namespace: opts.namespace },
      data: { identity: b64('KEY') },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `${opts.instance}-ssh-config`, namespace: opts.namespace },
      data: { known_hosts: 'github.com ssh-ed25519 AAAA' },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: opts.instance, namespace: opts.namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: opts.instance, namespace: opts.namespace },
      rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: opts.instance, namespace: opts.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: opts.instance },
      subjects: [{ kind: 'ServiceAccount', name: opts.instance }],
    },
    {
      apiVersion: 'clusterconfig.azure.com/v1beta1',
      kind: 'GitConfig',
      metadata: { name: opts.instance, namespace: opts.namespace },
      spec: {
        giturl: opts.url,
        operatorInstanceName: opts.instance,
        operatorParams: opts.params.join(' '),
        operatorScope: opts.scope,
        operatorType: 'Flux',
        enableHelmOperator: 'false',
      },
    },
  ];
}

/**
 * Schema violations of a rendered Flux object's spec, against the Flux CRDs of the run's fixtures
 * (test/helpers/test-fixtures.ts); [] for kinds that are not Flux's, and when the run has no fixtures (locally only:
 * CI fails in global setup).
 */
export function schemaViolations(obj: KubeObject): string[] {
  const fixtures = testFixtures();
  if (!fixtures) return [];
  const schema = crdSchema(fixtures, obj.kind, obj.apiVersion);
  if (!schema?.properties?.spec) return [];
  return violations(schema.properties.spec, obj.spec, `${obj.kind}.spec`);
}
