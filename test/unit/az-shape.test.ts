// The output of show/list/kustomization/deployed-object/k8s-extension against az's shapes, key for key.
//
// The az shapes below are written down from az's sources, not from fluxcfg's output:
// - Azure/azure-cli-extensions src/k8s-configuration/.../vendored_sdks/v2024_11_01/models/_models_py3.py (the
//   FluxConfiguration, GitRepositoryDefinition, RepositoryRefDefinition, BucketDefinition, AzureBlobDefinition,
//   OCIRepositoryDefinition, KustomizationDefinition, PostBuildDefinition, ObjectStatusDefinition,
//   ObjectStatusConditionDefinition, HelmReleasePropertiesDefinition, ObjectReferenceDefinition and SystemData
//   attribute maps; the FluxConfigurationClient defaults to api 2024-11-01);
// - azure-cli's todict (every attribute of the SDK object, camelCased from its Python name, so `httpsCaCert`;
//   datetimes through isoformat) and its transform adding `resourceGroup` parsed from `id`;
// - the k8s-extension Extension model (api 2023-05-01) as listed in ../shared/reference/az-k8s-extension-flux.md §4.
// A leaf is '*' (any scalar or null); `null | shape` is written as nullable(shape); [shape] is a list of shape;
// mapOf(shape) is a map of any keys.
import { describe, expect, it } from 'vitest';
import { generateDeployKey } from '../../src/commands/k8s-configuration/flux/ssh.js';
import {
  configurationView,
  kustomizationView,
  sourceSyncedCommitId,
  statusOf,
} from '../../src/commands/k8s-configuration/flux/view.js';
import type { KubeObject } from '../../src/k8s/types.js';
import { armScope, azTime, extensionId, fluxConfigurationId } from '../../src/model/arm.js';
import type { FluxConfiguration, FluxConfigurationView } from '../../src/model/flux-configuration.js';
import { extensionView } from '../../src/model/extension/status.js';
import type { ExtensionRecord } from '../../src/model/extension/record.js';
import { formatResult } from '../../src/ui/output.js';
import { Chalk } from 'chalk';

// --- az's shapes, hand-written ----------------------------------------------------------------------------

type Shape = '*' | { [key: string]: Shape } | [Shape] | { nullable: Shape } | { mapOf: Shape };
const nullable = (s: Shape): Shape => ({ nullable: s });
const mapOf = (s: Shape): Shape => ({ mapOf: s });

/** Keys in the SDK models' attribute order: az (todict) prints them in that order, table output keeps it. */
const AZ_SYSTEM_DATA = {
  createdBy: '*',
  createdByType: '*',
  createdAt: '*',
  lastModifiedBy: '*',
  lastModifiedByType: '*',
  lastModifiedAt: '*',
} as const;
const AZ_REPOSITORY_REF = { branch: '*', tag: '*', semver: '*', commit: '*' } as const;
const AZ_GIT_REPOSITORY: Shape = {
  url: '*',
  timeoutInSeconds: '*',
  syncIntervalInSeconds: '*',
  repositoryRef: nullable(AZ_REPOSITORY_REF),
  sshKnownHosts: '*',
  httpsUser: '*',
  httpsCaCert: '*',
  localAuthRef: '*',
  provider: '*',
};
const AZ_BUCKET: Shape = {
  url: '*',
  bucketName: '*',
  insecure: '*',
  timeoutInSeconds: '*',
  syncIntervalInSeconds: '*',
  accessKey: '*',
  localAuthRef: '*',
};
const AZ_POST_BUILD: Shape = {
  substitute: nullable(mapOf('*')),
  substituteFrom: nullable([{ kind: '*', name: '*', optional: '*' }]),
};
const AZ_KUSTOMIZATION: Shape = {
  name: '*',
  path: '*',
  dependsOn: nullable(['*']),
  timeoutInSeconds: '*',
  syncIntervalInSeconds: '*',
  retryIntervalInSeconds: '*',
  prune: '*',
  force: '*',
  wait: '*',
  postBuild: nullable(AZ_POST_BUILD),
};
const AZ_OBJECT_REFERENCE = { name: '*', namespace: '*' } as const;
const AZ_HELM_RELEASE_PROPERTIES: Shape = {
  lastRevisionApplied: '*',
  helmChartRef: nullable(AZ_OBJECT_REFERENCE),
  failureCount: '*',
  installFailureCount: '*',
  upgradeFailureCount: '*',
};
const AZ_STATUS: Shape = {
  name: '*',
  namespace: '*',
  kind: '*',
  complianceState: '*',
  appliedBy: nullable(AZ_OBJECT_REFERENCE),
  statusConditions: [{ lastTransitionTime: '*', message: '*', reason: '*', status: '*', type: '*' }],
  helmReleaseProperties: nullable(AZ_HELM_RELEASE_PROPERTIES),
};
/** Only the source kind in use is an object; the other three print null (checked per test). */
const azConfiguration = (sources: Partial<Record<'gitRepository' | 'bucket', Shape>>): Shape => ({
  id: '*',
  name: '*',
  type: '*',
  systemData: AZ_SYSTEM_DATA,
  scope: '*',
  namespace: '*',
  sourceKind: '*',
  suspend: '*',
  gitRepository: sources.gitRepository ?? '*',
  bucket: sources.bucket ?? '*',
  azureBlob: '*',
  ociRepository: '*',
  kustomizations: mapOf(AZ_KUSTOMIZATION),
  configurationProtectedSettings: mapOf('*'),
  statuses: [AZ_STATUS],
  repositoryPublicKey: '*',
  sourceSyncedCommitId: '*',
  sourceUpdatedAt: '*',
  statusUpdatedAt: '*',
  waitForReconciliation: '*',
  reconciliationWaitDuration: '*',
  complianceState: '*',
  provisioningState: '*',
  errorMessage: '*',
  resourceGroup: '*',
});
const AZ_EXTENSION_STATUS = { code: '*', displayStatus: '*', level: '*', message: '*', time: '*' } as const;
/** Extension + `fluxVersion`, fluxcfg's one addition (documented in the README). */
const AZ_EXTENSION: Shape = {
  id: '*',
  name: '*',
  type: '*',
  systemData: AZ_SYSTEM_DATA,
  identity: '*',
  plan: '*',
  extensionType: '*',
  autoUpgradeMinorVersion: '*',
  releaseTrain: '*',
  version: '*',
  scope: { cluster: { releaseNamespace: '*' }, namespace: '*' },
  configurationSettings: mapOf('*'),
  configurationProtectedSettings: mapOf('*'),
  currentVersion: '*',
  provisioningState: '*',
  statuses: [AZ_EXTENSION_STATUS],
  errorInfo: '*',
  customLocationSettings: '*',
  packageUri: '*',
  aksAssignedIdentity: '*',
  isSystemExtension: '*',
  fluxVersion: '*',
  resourceGroup: '*',
};

/** Asserts `value` has exactly the keys of `shape` at every level, in the shape's order. */
function expectShape(value: unknown, shape: Shape, at = '$'): void {
  if (shape === '*') {
    expect(value === null || typeof value !== 'object', `${at} is a scalar or null`).toBe(true);
    return;
  }
  if ('nullable' in shape && Object.keys(shape).length === 1) {
    if (value !== null) expectShape(value, (shape as { nullable: Shape }).nullable, at);
    return;
  }
  if ('mapOf' in shape && Object.keys(shape).length === 1) {
    expect(value !== null && typeof value === 'object' && !Array.isArray(value), `${at} is a map`).toBe(true);
    const inner = (shape as { mapOf: Shape }).mapOf;
    for (const [k, v] of Object.entries(value as object)) expectShape(v, inner, `${at}.${k}`);
    return;
  }
  if (Array.isArray(shape)) {
    expect(Array.isArray(value), `${at} is a list`).toBe(true);
    (value as unknown[]).forEach((v, i) => expectShape(v, shape[0], `${at}[${i}]`));
    return;
  }
  expect(value !== null && typeof value === 'object' && !Array.isArray(value), `${at} is an object`).toBe(true);
  expect(Object.keys(value as object), `keys of ${at}`).toEqual(Object.keys(shape));
  for (const [k, s] of Object.entries(shape)) expectShape((value as Record<string, unknown>)[k], s, `${at}.${k}`);
}

// --- fixtures: what create stores and what the controllers write ------------------------------------------

const NS = 'cluster-config';
const created = '2026-11-01T09:00:00Z';
const applied = '2026-11-01T09:30:00Z';
const json = (v: unknown) => formatResult(v, { format: 'json', color: new Chalk({ level: 0 }) });
const arm = armScope({ resourceGroup: 'my-rg', clusterName: 'my-cluster', clusterType: 'connectedClusters' }, 'kind');

const meta = (name: string, labels: Record<string, string> = {}) => ({
  name,
  namespace: NS,
  labels,
  creationTimestamp: created,
  managedFields: [{ manager: 'fluxcfg', operation: 'Apply', time: applied }],
});
const ready = (status: 'True' | 'False', message: string, time: string) => ({
  conditions: [
    { type: 'Ready', status, reason: status === 'True' ? 'Succeeded' : 'Failed', message, lastTransitionTime: time },
  ],
});
const gitSource = (name: string, revision?: string): KubeObject => ({
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  metadata: meta(name),
  status: revision
    ? {
        ...ready('True', `stored artifact for revision '${revision}'`, '2026-11-01T10:00:00Z'),
        artifact: { revision, lastUpdateTime: '2026-11-01T10:00:00Z' },
      }
    : undefined,
});
const kustomization = (config: string, k: string, status?: object): KubeObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: meta(`${config}-${k}`, { 'fluxcfg.io/kustomization': k }),
  status,
});

const httpsConfig: FluxConfiguration = {
  name: 'cluster-config',
  namespace: NS,
  scope: 'cluster',
  sourceKind: 'GitRepository',
  suspend: false,
  gitRepository: {
    url: 'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
    repositoryRef: { branch: 'main' },
    httpsUser: 'bot',
    httpsCACert: Buffer.from('-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n').toString('base64'),
  },
  kustomizations: {
    infra: { path: './infrastructure', prune: true },
    apps: { path: './apps/staging', prune: true, dependsOn: ['infra'] },
  },
};

function httpsView(): FluxConfigurationView {
  const source = gitSource('cluster-config', 'main@sha1:0b0c3f1d2e4a5b6c7d8e9f00112233445566778899');
  return configurationView({
    config: httpsConfig,
    source,
    objects: [
      source,
      kustomization('cluster-config', 'infra', ready('True', 'Applied revision', '2026-11-01T10:01:00Z')),
      kustomization('cluster-config', 'apps', ready('True', 'Applied revision', '2026-11-01T10:02:00.5Z')),
    ],
    deployed: [],
    arm,
  });
}

describe('flux show: az FluxConfiguration shape', () => {
  it('git https: every az key at every level, in the SDK order; az values for the ARM fields', async () => {
    const view = httpsView();
    expectShape(view, azConfiguration({ gitRepository: AZ_GIT_REPOSITORY }));
    expect(view).toMatchObject({
      id:
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg/providers/Microsoft.Kubernetes/' +
        'connectedClusters/my-cluster/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/cluster-config',
      type: 'Microsoft.KubernetesConfiguration/fluxConfigurations',
      resourceGroup: 'my-rg',
      systemData: { createdAt: '2026-11-01T09:00:00+00:00', lastModifiedAt: '2026-11-01T09:30:00+00:00' },
      bucket: null,
      azureBlob: null,
      ociRepository: null,
      repositoryPublicKey: '',
      errorMessage: '',
      sourceSyncedCommitId: 'main/0b0c3f1d2e4a5b6c7d8e9f00112233445566778899',
      sourceUpdatedAt: '2026-11-01T10:00:00+00:00',
      statusUpdatedAt: '2026-11-01T10:02:00.500000+00:00',
      complianceState: 'Compliant',
      provisioningState: 'Succeeded',
      configurationProtectedSettings: {},
      waitForReconciliation: null,
      reconciliationWaitDuration: null,
    });
    expect(view.gitRepository).toEqual({
      url: 'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
      timeoutInSeconds: 600,
      syncIntervalInSeconds: 600,
      repositoryRef: { branch: 'main', tag: null, semver: null, commit: null },
      sshKnownHosts: null,
      httpsUser: 'bot',
      httpsCaCert: httpsConfig.gitRepository!.httpsCACert,
      localAuthRef: null,
      provider: null,
    });
    expect(view.kustomizations.infra).toMatchObject({
      dependsOn: null,
      retryIntervalInSeconds: null,
      wait: true,
      postBuild: null,
    });
    expect(view.kustomizations.apps!.dependsOn).toEqual(['infra']);
    for (const s of view.statuses) expect(s).toMatchObject({ appliedBy: null, helmReleaseProperties: null });
    await expect(json(view)).toMatchFileSnapshot('golden/az-shape/flux-show-git-https.json');
  });

  it('git ssh with a generated key: repositoryPublicKey is the deploy key', async () => {
    const key = generateDeployKey();
    const config: FluxConfiguration = {
      ...httpsConfig,
      name: 'ssh-config',
      gitRepository: {
        url: 'ssh://git@github.com/org/repo',
        repositoryRef: { tag: 'v1.2.0' },
        sshKnownHosts: Buffer.from(
          'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n',
        ).toString('base64'),
      },
      kustomizations: { apps: { path: './apps' } },
    };
    const source = gitSource('ssh-config', 'v1.2.0@sha1:1111111111111111111111111111111111111111');
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('git-auth-ssh-config'),
      data: {
        identity: Buffer.from(key.privateKey).toString('base64'),
        'identity.pub': Buffer.from(`${key.publicKey}\n`).toString('base64'),
      },
    };
    const view = configurationView({
      config,
      source,
      objects: [source, kustomization('ssh-config', 'apps'), secret],
      deployed: [],
      arm,
    });
    expectShape(view, azConfiguration({ gitRepository: AZ_GIT_REPOSITORY }));
    expect(view.repositoryPublicKey).toBe(key.publicKey);
    expect(JSON.stringify(view)).not.toContain('PRIVATE KEY');
    expect(view).toMatchObject({
      sourceSyncedCommitId: 'v1.2.0/1111111111111111111111111111111111111111',
      complianceState: 'Pending',
    });
    expect(view.gitRepository!.repositoryRef).toEqual({ branch: null, tag: 'v1.2.0', semver: null, commit: null });
    await expect(json({ ...view, repositoryPublicKey: '<generated ssh-rsa key>' })).toMatchFileSnapshot(
      'golden/az-shape/flux-show-git-ssh.json',
    );
  });

  it('bucket: gitRepository, azureBlob and ociRepository null; the bucket block with every key', async () => {
    const config: FluxConfiguration = {
      name: 'bkt',
      namespace: NS,
      scope: 'namespace',
      sourceKind: 'Bucket',
      suspend: false,
      bucket: { url: 'https://minio.example.com:9000', bucketName: 'manifests', accessKey: 'AK' },
      kustomizations: { 'kustomization-1': {} },
    };
    const source: KubeObject = {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'Bucket',
      metadata: meta('bkt'),
      status: {
        ...ready('True', 'stored artifact', '2026-11-01T10:00:00Z'),
        artifact: { revision: 'sha256:abcdef0123', lastUpdateTime: '2026-11-01T10:00:00Z' },
      },
    };
    const objects = [source, kustomization('bkt', 'kustomization-1')];
    const view = configurationView({ config, source, objects, deployed: [], arm });
    expectShape(view, azConfiguration({ bucket: AZ_BUCKET }));
    expect(view).toMatchObject({
      gitRepository: null,
      azureBlob: null,
      ociRepository: null,
      sourceSyncedCommitId: 'abcdef0123',
    });
    expect(view.bucket).toEqual({
      url: 'https://minio.example.com:9000',
      bucketName: 'manifests',
      insecure: false,
      timeoutInSeconds: 600,
      syncIntervalInSeconds: 600,
      accessKey: 'AK',
      localAuthRef: null,
    });
    expect(view.kustomizations['kustomization-1']).toEqual({
      name: 'kustomization-1',
      path: '',
      dependsOn: null,
      timeoutInSeconds: 600,
      syncIntervalInSeconds: 600,
      retryIntervalInSeconds: null,
      prune: false,
      force: false,
      wait: true,
      postBuild: null,
    });
    await expect(json(view)).toMatchFileSnapshot('golden/az-shape/flux-show-bucket.json');
  });

  it('Non-Compliant with a HelmRelease: failures in statuses, errorMessage "", lastRevisionApplied 0', async () => {
    const source = gitSource('cluster-config', 'main@sha1:2222222222222222222222222222222222222222');
    const apps = kustomization('cluster-config', 'apps', ready('False', 'Health check failed', '2026-11-01T10:05:00Z'));
    const release: KubeObject = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: { name: 'nginx', namespace: 'apps' },
      status: {
        ...ready('False', 'install retries exhausted', '2026-11-01T10:04:00Z'),
        installFailures: 2,
        failures: 3,
      },
    };
    const view = configurationView({
      config: httpsConfig,
      source,
      objects: [source, kustomization('cluster-config', 'infra', ready('True', 'ok', '2026-11-01T10:01:00Z')), apps],
      deployed: [statusOf(release, { name: 'cluster-config-apps', namespace: NS })],
      arm,
    });
    expectShape(view, azConfiguration({ gitRepository: AZ_GIT_REPOSITORY }));
    expect(view).toMatchObject({ complianceState: 'Non-Compliant', provisioningState: 'Succeeded', errorMessage: '' });
    const helm = view.statuses.find((s) => s.kind === 'HelmRelease')!;
    expect(helm).toEqual({
      name: 'nginx',
      namespace: 'apps',
      kind: 'HelmRelease',
      complianceState: 'Non-Compliant',
      appliedBy: { name: 'cluster-config-apps', namespace: NS },
      statusConditions: [
        {
          lastTransitionTime: '2026-11-01T10:04:00+00:00',
          message: 'install retries exhausted',
          reason: 'Failed',
          status: 'False',
          type: 'Ready',
        },
      ],
      helmReleaseProperties: {
        lastRevisionApplied: 0,
        helmChartRef: null,
        failureCount: 3,
        installFailureCount: 2,
        upgradeFailureCount: 0,
      },
    });
    await expect(json(view)).toMatchFileSnapshot('golden/az-shape/flux-show-non-compliant-helm.json');
    // deployed-object list is the statuses array, each an ObjectStatusDefinition
    expectShape(view.statuses, [AZ_STATUS]);
    await expect(json(view.statuses)).toMatchFileSnapshot('golden/az-shape/deployed-object-list.json');
  });

  it('a kustomization missing from the cluster is the service error: provisioningState Failed, errorMessage', () => {
    const source = gitSource('cluster-config');
    const view = configurationView({ config: httpsConfig, source, objects: [source], deployed: [], arm });
    expect(view).toMatchObject({
      provisioningState: 'Failed',
      errorMessage: 'Kustomization object(s) missing from the cluster: infra, apps',
      sourceSyncedCommitId: null,
      sourceUpdatedAt: null,
    });
  });

  it("hub mode: kubeConfigSecret is fluxcfg's own addition, last, only when set", () => {
    const source = gitSource('cluster-config');
    const config = { ...httpsConfig, kubeConfigSecret: { name: 'spoke-kubeconfig', key: 'value' } };
    const view = configurationView({ config, source, objects: [source], deployed: [], arm });
    const { kubeConfigSecret, ...az } = view;
    expect(kubeConfigSecret).toEqual({ name: 'spoke-kubeconfig', key: 'value' });
    expect(Object.keys(view).at(-1)).toBe('kubeConfigSecret');
    expectShape(az, azConfiguration({ gitRepository: AZ_GIT_REPOSITORY }));
    expect(Object.keys(httpsView())).not.toContain('kubeConfigSecret');
  });

  it('flux list is a list of configurations, each of az shape', async () => {
    const list = [httpsView(), httpsView()];
    expectShape(list, [azConfiguration({ gitRepository: AZ_GIT_REPOSITORY })]);
    await expect(json([httpsView()])).toMatchFileSnapshot('golden/az-shape/flux-list.json');
  });

  it('kustomization show is a one-entry map of az KustomizationDefinition; postBuild with both keys', async () => {
    const shown = {
      apps: kustomizationView('apps', {
        path: './apps',
        dependsOn: ['infra'],
        retryIntervalInSeconds: 60,
        postBuild: { substitute: { cluster: 'dev' } },
      }),
    };
    expectShape(shown, mapOf(AZ_KUSTOMIZATION));
    expect(shown.apps.postBuild).toEqual({ substitute: { cluster: 'dev' }, substituteFrom: null });
    await expect(json(shown)).toMatchFileSnapshot('golden/az-shape/kustomization-show.json');
    // fluxcfg's own addition, only when set
    expect(kustomizationView('t', { targetNamespace: 'team-a' }).targetNamespace).toBe('team-a');
    expect(Object.keys(kustomizationView('t', {}))).not.toContain('targetNamespace');
  });
});

describe('sourceSyncedCommitId: the <ref>/<sha> form az prints, from Flux revisions', () => {
  const sha = '0b0c3f1d2e4a5b6c7d8e9f00112233445566778899'.slice(0, 40);
  it.each([
    ['branch', `main@sha1:${sha}`, `main/${sha}`],
    ['tag', `v1.2.0@sha1:${sha}`, `v1.2.0/${sha}`],
    ['semver (the tag that matched)', `v1.3.1@sha1:${sha}`, `v1.3.1/${sha}`],
    ['commit with a branch', `release@sha1:${sha}`, `release/${sha}`],
    ['commit alone', `sha1:${sha}`, `HEAD/${sha}`],
    ['a full ref name', `refs/heads/main@sha1:${sha}`, `refs/heads/main/${sha}`],
    ['a revision Flux 2 did not write', `main/${sha}`, `main/${sha}`],
  ])('GitRepository, %s', (_what, revision, expected) => {
    expect(sourceSyncedCommitId('GitRepository', revision)).toBe(expected);
    // and through the view, from the source's status
    const source = gitSource('cluster-config', revision);
    const view = configurationView({ config: httpsConfig, source, objects: [source], deployed: [], arm });
    expect(view.sourceSyncedCommitId).toBe(expected);
  });

  it('Bucket prints the digest, OCI <tag>/<digest>, nothing before the first artifact', () => {
    // the legacy forms source-controller's TransformLegacyRevision documents: `tag/<sha256>` and a bare digest
    expect(sourceSyncedCommitId('Bucket', 'sha256:abc123')).toBe('abc123');
    expect(sourceSyncedCommitId('OCIRepository', 'v1.0.0@sha256:abc123')).toBe('v1.0.0/abc123');
    expect(sourceSyncedCommitId('OCIRepository', 'sha256:abc123')).toBe('abc123');
    expect(sourceSyncedCommitId('GitRepository', undefined)).toBeNull();
  });
});

describe('ARM fields', () => {
  const tail = '/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/cfg';
  it.each([
    [{ clusterType: 'connectedClusters' }, 'Microsoft.Kubernetes/connectedClusters'],
    [{ clusterType: 'managedclusters' }, 'Microsoft.ContainerService/managedClusters'],
    [
      { clusterType: 'provisionedClusters', clusterResourceProvider: 'microsoft.hybridcontainerservice' },
      'microsoft.hybridcontainerservice/provisionedClusters',
    ],
    [{ clusterType: 'provisionedClusters' }, 'Microsoft.HybridContainerService/provisionedClusters'],
    [{ clusterType: 'appliances' }, 'Microsoft.ResourceConnector/appliances'],
  ])('-t %j lives under %s', (flags, provider) => {
    const s = armScope({ subscription: 'sub', resourceGroup: 'rg', clusterName: 'c', ...flags }, 'ctx');
    expect(fluxConfigurationId(s, 'cfg')).toBe(`/subscriptions/sub/resourceGroups/rg/providers/${provider}/c${tail}`);
  });

  it('without az flags: the documented stand-ins and the kube context name (a / in it cannot split the id)', () => {
    const s = armScope({}, 'arn:aws:eks:eu-west-1:1:cluster/prod');
    expect(extensionId(s, 'flux')).toBe(
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/kubeconfig/providers/Microsoft.Kubernetes/' +
        'connectedClusters/arn:aws:eks:eu-west-1:1:cluster_prod/' +
        'providers/Microsoft.KubernetesConfiguration/extensions/flux',
    );
  });

  it('timestamps as az prints a datetime', () => {
    expect(azTime('2022-05-13T11:54:42Z')).toBe('2022-05-13T11:54:42+00:00');
    expect(azTime('2022-05-13T11:54:42.123Z')).toBe('2022-05-13T11:54:42.123000+00:00');
    expect(azTime('2022-05-13T11:54:42.1234567Z')).toBe('2022-05-13T11:54:42.123456+00:00');
    expect(azTime('2022-05-13T11:54:42.000000Z')).toBe('2022-05-13T11:54:42+00:00');
    expect(azTime(undefined)).toBeNull();
  });
});

describe('k8s-extension show: az Extension shape', () => {
  const record: ExtensionRecord = {
    name: 'flux',
    extensionType: 'microsoft.flux',
    version: null,
    fluxVersion: 'v2.7.5',
    autoUpgradeMinorVersion: true,
    releaseTrain: 'Stable',
    releaseNamespace: 'flux-system',
    configurationSettings: { 'helm-controller.enabled': 'false' },
    configurationProtectedSettingKeys: ['workloadIdentity.azureClientId'],
    provisioningState: 'Creating',
    namespaceCreated: true,
    manifestSource: 'test',
    manifestSha256: '0',
    objects: ['source-controller', 'kustomize-controller'].map((name) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name,
      namespace: 'flux-system',
    })),
    customResources: [],
    lastModifiedAt: '2026-11-01T09:30:00.000Z',
    createdAt: '2026-11-01T09:00:00Z',
  };
  const deployment = (name: string, available: boolean): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'flux-system', generation: 1 },
    spec: { replicas: 1 },
    status: {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      availableReplicas: available ? 1 : 0,
      conditions: [
        {
          type: 'Available',
          status: available ? 'True' : 'False',
          message: 'm',
          lastTransitionTime: '2026-11-01T09:31:00Z',
        },
      ],
    },
  });

  it('healthy: every az key, no statuses, currentVersion the microsoft.flux version, Flux apart', async () => {
    const deployments = [deployment('source-controller', true), deployment('kustomize-controller', true)];
    const view = extensionView(record, deployments, arm);
    expectShape(view, AZ_EXTENSION);
    expect(view).toMatchObject({
      id:
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg/providers/Microsoft.Kubernetes/' +
        'connectedClusters/my-cluster/providers/Microsoft.KubernetesConfiguration/extensions/flux',
      type: 'Microsoft.KubernetesConfiguration/extensions',
      resourceGroup: 'my-rg',
      currentVersion: '1.23.0',
      fluxVersion: 'v2.7.5',
      statuses: [],
      provisioningState: 'Succeeded',
      identity: null,
      aksAssignedIdentity: null,
      customLocationSettings: null,
      errorInfo: null,
      systemData: { createdAt: '2026-11-01T09:00:00+00:00', lastModifiedAt: '2026-11-01T09:30:00+00:00' },
    });
    await expect(json(view)).toMatchFileSnapshot('golden/az-shape/k8s-extension-show.json');
  });

  it('one status per controller that is not available; a pinned version is reported as is', () => {
    const pinned = { ...record, version: '1.22.1', fluxVersion: 'v2.6.4' };
    const view = extensionView(pinned, [deployment('source-controller', true)], arm);
    expectShape(view, AZ_EXTENSION);
    expect(view.statuses.map((s) => s.displayStatus)).toEqual(['kustomize-controller: Missing']);
    expect(view).toMatchObject({ provisioningState: 'Creating', currentVersion: '1.22.1', fluxVersion: 'v2.6.4' });
  });
});
