// Discovery over the upstream Flux v1 manifests and built Arc / Helm storage objects.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/k8s/types.js';
import {
  defaultReleaseName,
  discover,
  expandEnv,
  selectOperators,
  sshHostOf,
} from '../../../src/model/migrate/discover.js';
import { decodeReleasePayload, findRelease, readReleaseSecret } from '../../../src/model/migrate/helm-storage.js';
import { isFluxdImage, isHelmOperatorImage, parseImage } from '../../../src/model/migrate/inventory.js';
import {
  FLUX_DEPLOY,
  HELM_OPERATOR_DEPLOY,
  RELEASE_FIXTURES,
  arcFluxd,
  b64,
  helmReleaseFixture,
  load,
  releaseSecret,
} from './helpers.js';

const fluxObjects = (): KubeObject[] => FLUX_DEPLOY.flatMap(load);
const helmObjects = (): KubeObject[] => HELM_OPERATOR_DEPLOY.flatMap(load);

function withImage(objects: KubeObject[], name: string, image: string): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Deployment' || o.metadata.name !== name) return o;
    const copy = structuredClone(o) as KubeObject & {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    copy.spec.template.spec.containers[0]!.image = image;
    return copy;
  });
}

describe('images', () => {
  it.each([
    ['docker.io/fluxcd/flux:1.25.4', true],
    ['fluxcd/flux:1.21.0', true],
    ['registry.example.com/mirror/fluxcd/flux:1.21.0', true],
    ['docker.io/fluxcd/flux@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', true],
    ['registry.example.com:5000/fluxcd/flux:1.25.4@sha256:abc', true],
    ['quay.io/weaveworks/flux:1.12.0', true],
    ['mcr.microsoft.com/oss/fluxcd/flux:1.21.0', true],
    ['ghcr.io/fluxcd/source-controller:v1.6.0', false],
    ['docker.io/fluxcd/flux-recv:0.1', false],
    ['docker.io/fluxcd/helm-operator:1.4.4', false],
    ['docker.io/notfluxcd/flux:1', false],
  ])('isFluxdImage(%s) = %s', (image, expected) => expect(isFluxdImage(image)).toBe(expected));

  it.each([
    ['docker.io/fluxcd/helm-operator:1.4.4', true],
    ['registry.example.com/mirror/fluxcd/helm-operator:1.2.0', true],
    ['docker.io/fluxcd/helm-operator-prerelease:abc', true],
    ['quay.io/weaveworks/helm-operator:0.10.1', true],
    ['ghcr.io/fluxcd/helm-controller:v1.3.0', false],
  ])('isHelmOperatorImage(%s) = %s', (image, expected) => expect(isHelmOperatorImage(image)).toBe(expected));

  it('parseImage splits registry, repository, tag and digest', () => {
    expect(parseImage('registry.example.com:5000/mirror/fluxcd/flux:1.21.0@sha256:ab')).toEqual({
      image: 'registry.example.com:5000/mirror/fluxcd/flux:1.21.0@sha256:ab',
      registry: 'registry.example.com:5000',
      repository: 'mirror/fluxcd/flux',
      tag: '1.21.0',
      digest: 'sha256:ab',
    });
    expect(parseImage('fluxcd/flux')).toEqual({
      image: 'fluxcd/flux',
      registry: undefined,
      repository: 'fluxcd/flux',
      tag: undefined,
      digest: undefined,
    });
  });
});

describe('discover: upstream deploy/ manifests', () => {
  const inv = discover([...fluxObjects(), ...helmObjects()]);

  it('finds fluxd flux/flux with its arguments, deploy key volume, memcached and RBAC', () => {
    expect(inv.fluxd).toHaveLength(1);
    const f = inv.fluxd[0]!;
    expect(f).toMatchObject({ name: 'flux', namespace: 'flux', container: 'flux', serviceAccount: 'flux' });
    expect(f.image).toMatchObject({ registry: 'docker.io', repository: 'fluxcd/flux', tag: '1.25.4' });
    expect(f.settings).toMatchObject({
      gitUrl: 'git@github.com:fluxcd/flux-get-started',
      gitBranch: 'master',
      gitLabel: 'flux-sync',
      gitReadonly: false,
    });
    expect(f.auth).toEqual({
      kind: 'ssh',
      identity: {
        kind: 'Secret',
        namespace: 'flux',
        name: 'flux-git-deploy',
        key: 'identity',
        found: true,
        hasValue: false,
      },
      identitySource: 'volume',
      knownHosts: { from: 'image', host: 'github.com' },
    });
    expect(f.memcached.map((r) => `${r.kind}/${r.name}`)).toEqual(['Service/memcached', 'Deployment/memcached']);
    expect(f.rbac.map((r) => `${r.kind}/${r.name}`)).toEqual([
      'ServiceAccount/flux',
      'ClusterRoleBinding/flux',
      'ClusterRole/flux',
    ]);
    expect(f.problems).toEqual([]);
  });

  it('finds helm-operator flux/helm-operator with its settings and RBAC, and the v1 CRD', () => {
    expect(inv.helmOperators).toHaveLength(1);
    const h = inv.helmOperators[0]!;
    expect(h).toMatchObject({ name: 'helm-operator', namespace: 'flux', serviceAccount: 'helm-operator' });
    expect(h.settings).toMatchObject({ enabledHelmVersions: ['v2', 'v3'], tillerNamespace: 'kube-system' });
    expect(h.settings.allowNamespace).toBeUndefined();
    expect(h.rbac.map((r) => `${r.kind}/${r.name}`)).toEqual([
      'ServiceAccount/helm-operator',
      'ClusterRoleBinding/helm-operator',
      'ClusterRole/helm-operator',
    ]);
    expect(inv.crds.map((c) => c.name)).toEqual(['helmreleases.helm.fluxcd.io']);
    expect(inv.arc).toEqual({ configurations: [] });
  });

  it.each([
    'registry.example.com/mirror/fluxcd/flux:1.21.0',
    'docker.io/fluxcd/flux@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  ])('a fluxd from a mirror or by digest (%s)', (image) => {
    const found = discover(withImage(fluxObjects(), 'flux', image));
    expect(found.fluxd.map((f) => f.image?.image)).toEqual([image]);
  });

  it('nothing when the Deployments run something else', () => {
    const other = withImage(
      withImage([...fluxObjects(), ...helmObjects()], 'flux', 'nginx:1'),
      'helm-operator',
      'ghcr.io/fluxcd/helm-controller:v1',
    );
    const found = discover(other);
    expect(found.fluxd).toEqual([]);
    expect(found.helmOperators).toEqual([]);
  });

  it('the deploy key Secret with a key is reported as having a value, never copied', () => {
    const objects = fluxObjects().map((o) => (o.kind === 'Secret' ? { ...o, data: { identity: b64('PRIVATE') } } : o));
    const f = discover(objects).fluxd[0]!;
    expect(f.auth).toMatchObject({ identity: { found: true, hasValue: true } });
    expect(JSON.stringify(discover(objects))).not.toContain(b64('PRIVATE'));
  });

  it('without a mounted key volume the key comes from --k8s-secret-name', () => {
    const objects = fluxObjects().map((o) => {
      if (o.kind !== 'Deployment' || o.metadata.name !== 'flux') return o;
      const d = structuredClone(o) as KubeObject & {
        spec: { template: { spec: { volumes: unknown[]; containers: { args: string[]; volumeMounts: unknown[] }[] } } };
      };
      d.spec.template.spec.volumes = [];
      d.spec.template.spec.containers[0]!.volumeMounts = [];
      d.spec.template.spec.containers[0]!.args.push('--k8s-secret-name=other-key', '--k8s-secret-data-key=ssh');
      return d;
    });
    expect(discover(objects).fluxd[0]!.auth).toMatchObject({
      kind: 'ssh',
      identitySource: 'k8s-secret-name',
      identity: { namespace: 'flux', name: 'other-key', key: 'ssh', found: false },
    });
  });

  it('known hosts from a ConfigMap mounted at /root/.ssh', () => {
    const objects = fluxObjects().map((o) => {
      if (o.kind !== 'Deployment' || o.metadata.name !== 'flux') return o;
      const d = structuredClone(o) as KubeObject & {
        spec: { template: { spec: { volumes: unknown[]; containers: { volumeMounts: unknown[] }[] } } };
      };
      d.spec.template.spec.volumes.push({ name: 'ssh-config', configMap: { name: 'flux-ssh-config' } });
      d.spec.template.spec.containers[0]!.volumeMounts.push({ name: 'ssh-config', mountPath: '/root/.ssh' });
      return d;
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'flux-ssh-config', namespace: 'flux' },
      data: { known_hosts: 'git.example.com ssh-rsa AAAA' },
    });
    expect(discover(objects).fluxd[0]!.auth).toMatchObject({
      knownHosts: { from: 'ConfigMap', namespace: 'flux', name: 'flux-ssh-config', key: 'known_hosts', found: true },
    });
  });

  it('HTTPS credentials through $(GIT_AUTHUSER):$(GIT_AUTHKEY) and envFrom flux-git-auth', () => {
    const objects = fluxObjects().map((o) => {
      if (o.kind !== 'Deployment' || o.metadata.name !== 'flux') return o;
      const d = structuredClone(o) as KubeObject & {
        spec: { template: { spec: { containers: Record<string, unknown>[] } } };
      };
      const c = d.spec.template.spec.containers[0]!;
      c.args = ['--git-url=https://$(GIT_AUTHUSER):$(GIT_AUTHKEY)@github.com/org/repo.git'];
      c.envFrom = [{ secretRef: { name: 'flux-git-auth' } }];
      return d;
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'flux-git-auth', namespace: 'flux' },
      data: { GIT_AUTHUSER: b64('bot'), GIT_AUTHKEY: b64('token') },
    });
    expect(discover(objects).fluxd[0]!.auth).toEqual({
      kind: 'https',
      username: {
        kind: 'Secret',
        namespace: 'flux',
        name: 'flux-git-auth',
        key: 'GIT_AUTHUSER',
        found: true,
        hasValue: true,
      },
      password: {
        kind: 'Secret',
        namespace: 'flux',
        name: 'flux-git-auth',
        key: 'GIT_AUTHKEY',
        found: true,
        hasValue: true,
      },
    });
  });

  it('memcached elsewhere via --memcached-hostname=<svc>.<ns>.svc.cluster.local', () => {
    const objects = [...fluxObjects()].map((o) => {
      if (o.metadata.name === 'memcached') return { ...o, metadata: { ...o.metadata, namespace: 'cache' } };
      if (o.kind !== 'Deployment' || o.metadata.name !== 'flux') return o;
      const d = structuredClone(o) as KubeObject & {
        spec: { template: { spec: { containers: { args: string[] }[] } } };
      };
      d.spec.template.spec.containers[0]!.args.push('--memcached-hostname=memcached.cache.svc.cluster.local');
      return d;
    });
    expect(discover(objects).fluxd[0]!.memcached.map((r) => `${r.kind} ${r.namespace}/${r.name}`)).toEqual([
      'Service cache/memcached',
      'Deployment cache/memcached',
    ]);
  });

  it('a binding with other subjects is kept and reported', () => {
    const objects = fluxObjects().map((o) =>
      o.kind === 'ClusterRoleBinding'
        ? { ...o, subjects: [...(o.subjects as unknown[]), { kind: 'User', name: 'alice' }] }
        : o,
    );
    const f = discover(objects).fluxd[0]!;
    expect(f.rbac.map((r) => r.kind)).toEqual(['ServiceAccount']);
    expect(f.problems).toEqual([
      'ClusterRoleBinding flux also binds other subjects: it is kept; remove ServiceAccount flux/flux from it',
    ]);
  });

  it('$(VAR) expansion uses literal env values only', () => {
    expect(
      expandEnv('--git-url=$(URL) $(SECRET) $$(URL)', [
        { name: 'URL', value: 'x' },
        { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
      ]),
    ).toBe('--git-url=x $(SECRET) $(URL)');
  });

  it('sshHostOf', () => {
    expect(sshHostOf('git@github.com:org/repo')).toEqual({ host: 'github.com' });
    expect(sshHostOf('ssh://git@git.example.com:2222/org/repo')).toEqual({ host: 'git.example.com', port: 2222 });
    expect(sshHostOf('https://github.com/org/repo')).toBeUndefined();
  });
});

describe('discover: Azure Arc', () => {
  const objects = [
    ...arcFluxd({
      instance: 'team-a-config',
      namespace: 'team-a',
      url: 'git@github.com:org/team-a',
      params: ['--git-readonly', '--git-path=apps'],
      scope: 'namespace',
    }),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'config-agent', namespace: 'azure-arc' },
      spec: {
        template: {
          spec: { containers: [{ name: 'config-agent', image: 'mcr.microsoft.com/azurearck8s/config-agent:1.0' }] },
        },
      },
    },
  ] as KubeObject[];
  const inv = discover(objects);

  it('links the namespace-scoped fluxd to its GitConfig and the agent', () => {
    const f = inv.fluxd[0]!;
    expect(f).toMatchObject({ name: 'team-a-config', namespace: 'team-a' });
    expect(f.settings.allowNamespaces).toEqual(['team-a']);
    expect(f.arc).toEqual({
      name: 'team-a-config',
      operatorNamespace: 'team-a',
      operatorInstanceName: 'team-a-config',
      operatorScope: 'namespace',
      repositoryUrl: 'git@github.com:org/team-a',
      operatorParams: '--git-readonly --git-path=apps',
      enableHelmOperator: false,
      origin: 'GitConfig',
    });
    expect(inv.arc.agent).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'config-agent',
      namespace: 'azure-arc',
    });
    expect(f.auth).toMatchObject({
      identity: { name: 'team-a-config-git-deploy', found: true, hasValue: true },
      knownHosts: { from: 'ConfigMap', name: 'team-a-config-ssh-config', key: 'known_hosts', found: true },
    });
    expect(f.rbac.map((r) => `${r.kind}/${r.name}`)).toEqual([
      'ServiceAccount/team-a-config',
      'RoleBinding/team-a-config',
      'Role/team-a-config',
    ]);
  });

  it('the helm-operator Arc installed is linked by its release name <instance>-helm-<namespace>', () => {
    const hop = load('helm-operator/deploy/deployment.yaml').map((o) => {
      const d = structuredClone(o) as KubeObject & {
        spec: { template: { metadata: { labels: Record<string, string> } } };
      };
      d.metadata = { name: 'team-a-config-helm-team-a-helm-operator', namespace: 'team-a' };
      d.spec.template.metadata.labels = { app: 'helm-operator', release: 'team-a-config-helm-team-a' };
      return d;
    });
    const found = discover([...objects, ...hop]);
    expect(found.helmOperators.map((h) => `${h.namespace}/${h.name} → ${h.arc?.name}`)).toEqual([
      'team-a/team-a-config-helm-team-a-helm-operator → team-a-config',
    ]);
  });

  it('selectOperators narrows to one operator', () => {
    const both = discover([...objects, ...fluxObjects()]);
    expect(both.fluxd.map((f) => f.name).sort()).toEqual(['flux', 'team-a-config']);
    expect(selectOperators(both, { namespace: 'team-a' }).fluxd.map((f) => f.name)).toEqual(['team-a-config']);
    expect(selectOperators(both, { name: 'flux' }).fluxd.map((f) => f.name)).toEqual(['flux']);
    expect(selectOperators(both, { name: 'nope' }).fluxd).toEqual([]);
  });
});

describe('discover: HelmRelease v1 and the running release', () => {
  it('default release name as the Helm Operator computes it', () => {
    expect(defaultReleaseName('demo', 'podinfo', 'demo')).toBe('demo-podinfo');
    expect(defaultReleaseName('flux', 'podinfo', 'kube-system')).toBe('flux-kube-system-podinfo');
  });

  it('reads every release fixture and finds the latest deployed revision in the target namespace', () => {
    const hrs = RELEASE_FIXTURES.map(helmReleaseFixture);
    const secrets = [
      releaseSecret('podinfo-helm-repository', 'demo', 1, 'superseded'),
      releaseSecret('podinfo-helm-repository', 'demo', 2, 'deployed', { name: 'podinfo', version: '3.2.0' }),
      releaseSecret('podinfo-helm-repository', 'demo', 3, 'failed', { name: 'podinfo', version: '3.2.1' }),
      releaseSecret('podinfo-helm-repository', 'other', 9, 'deployed'),
    ];
    const inv = discover([...helmObjects(), ...hrs, ...secrets]);
    expect(inv.helmReleases.map((h) => `${h.namespace}/${h.name} → ${h.targetNamespace}/${h.releaseName}`)).toEqual([
      'demo/podinfo-helm-repository → demo/podinfo-helm-repository',
      'demo/podinfo-git → demo/podinfo-git',
      'demo/skip-crd → demo/skip-crd',
      'default/configmap-values → default/configmap-values',
      'default/secret-values → default/secret-values',
      'default/external-source-values → default/external-source-values',
      'default/chartfile-values → default/chartfile-values',
    ]);
    const repo = inv.helmReleases[0]!;
    expect(repo.release).toEqual({
      name: 'podinfo-helm-repository',
      namespace: 'demo',
      revisions: 3,
      current: {
        secret: 'sh.helm.release.v1.podinfo-helm-repository.v2',
        release: 'podinfo-helm-repository',
        namespace: 'demo',
        revision: 2,
        status: 'deployed',
        chart: 'podinfo',
        chartVersion: '3.2.0',
        appVersion: '3.2.0',
      },
    });
    expect(repo.operator).toEqual({ name: 'helm-operator', namespace: 'flux' });
    expect(inv.helmReleases[1]!.release).toEqual({ name: 'podinfo-git', namespace: 'demo', revisions: 0 });
  });

  it('releaseName defaults and targetNamespace', () => {
    const hr = {
      apiVersion: 'helm.fluxcd.io/v1',
      kind: 'HelmRelease',
      metadata: { name: 'podinfo', namespace: 'flux' },
      spec: { targetNamespace: 'apps', chart: {} },
    } as KubeObject;
    const inv = discover([hr, releaseSecret('flux-apps-podinfo', 'apps', 4, 'deployed')]);
    expect(inv.helmReleases[0]).toMatchObject({
      releaseName: 'flux-apps-podinfo',
      releaseNameDefaulted: true,
      targetNamespace: 'apps',
      release: { current: { revision: 4 } },
    });
  });

  it('Helm v2 (Tiller) releases are flagged', () => {
    const hr = {
      apiVersion: 'helm.fluxcd.io/v1',
      kind: 'HelmRelease',
      metadata: { name: 'old', namespace: 'demo' },
      spec: { releaseName: 'old', helmVersion: 'v2', chart: {} },
    } as KubeObject;
    const tiller = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'old.v1',
        namespace: 'kube-system',
        labels: { OWNER: 'TILLER', NAME: 'old', VERSION: '1', STATUS: 'DEPLOYED' },
      },
    } as KubeObject;
    expect(discover([hr, tiller]).helmReleases[0]!.release).toEqual({
      name: 'old',
      namespace: 'demo',
      revisions: 0,
      helmV2: true,
    });
  });

  it('the helm-operator with --allow-namespace handles its namespace only', () => {
    const scoped = helmObjects().map((o) => {
      if (o.kind !== 'Deployment') return o;
      const d = structuredClone(o) as KubeObject & {
        metadata: { name: string };
        spec: { template: { spec: { containers: { args: string[] }[] } } };
      };
      d.metadata.name = 'team-hop';
      d.spec.template.spec.containers[0]!.args = ['--allow-namespace=demo', '--enabled-helm-versions=v3'];
      return d;
    });
    const inv = discover([
      ...helmObjects(),
      ...scoped,
      helmReleaseFixture('releases/git.yaml'),
      helmReleaseFixture('values_from/secret.yaml'),
    ]);
    expect(inv.helmReleases.map((h) => h.operator?.name)).toEqual(['team-hop', 'helm-operator']);
    expect(selectOperators(inv, { name: 'team-hop' }).helmReleases.map((h) => h.name)).toEqual(['podinfo-git']);
  });

  it('image-automation annotations on workloads and HelmReleases', () => {
    const hr = structuredClone(helmReleaseFixture('releases/helm-repository.yaml'));
    hr.metadata.annotations = { 'fluxcd.io/automated': 'true', 'filter.fluxcd.io/chart-image': 'semver:~3.2' };
    (hr.spec as { values: Record<string, unknown> }).values.image = {
      repository: 'ghcr.io/stefanprodan/podinfo',
      tag: '3.2.0',
    };
    const app = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'app',
        namespace: 'demo',
        annotations: { 'fluxcd.io/automated': 'true', 'fluxcd.io/tag.app': 'glob:main-*', 'other/x': 'y' },
      },
      spec: { template: { spec: { containers: [{ name: 'app', image: 'ghcr.io/org/app:main-1' }] } } },
    } as KubeObject;
    const inv = discover([hr, app]);
    expect(inv.automated).toEqual([
      {
        ref: {
          apiVersion: 'helm.fluxcd.io/v1',
          kind: 'HelmRelease',
          name: 'podinfo-helm-repository',
          namespace: 'demo',
        },
        annotations: hr.metadata.annotations,
        images: { 'chart-image': 'ghcr.io/stefanprodan/podinfo:3.2.0' },
      },
      {
        ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'app', namespace: 'demo' },
        annotations: { 'fluxcd.io/automated': 'true', 'fluxcd.io/tag.app': 'glob:main-*' },
        images: { app: 'ghcr.io/org/app:main-1' },
      },
    ]);
  });
});

describe('Helm storage', () => {
  it('decodes the release payload (base64 of base64 of gzip JSON)', () => {
    const s = releaseSecret('r', 'ns', 7, 'deployed', { name: 'c', version: '1.2.3' });
    expect(decodeReleasePayload((s.data as { release: string }).release)).toMatchObject({
      name: 'r',
      version: 7,
      chart: { metadata: { version: '1.2.3' } },
    });
    expect(readReleaseSecret(s)).toEqual({
      secret: 'sh.helm.release.v1.r.v7',
      release: 'r',
      namespace: 'ns',
      revision: 7,
      status: 'deployed',
      chart: 'c',
      chartVersion: '1.2.3',
      appVersion: '3.2.0',
    });
  });

  it('labels suffice when the payload cannot be read', () => {
    const s = { ...releaseSecret('r', 'ns', 2, 'deployed'), data: { release: 'not-base64-gzip' } };
    expect(readReleaseSecret(s)).toEqual({
      secret: 'sh.helm.release.v1.r.v2',
      release: 'r',
      namespace: 'ns',
      revision: 2,
      status: 'deployed',
    });
    expect(decodeReleasePayload(undefined)).toBeUndefined();
  });

  it('ignores other Secrets and picks the latest revision when none is deployed', () => {
    expect(
      readReleaseSecret({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x', namespace: 'n' } }),
    ).toBeUndefined();
    const records = [2, 5].map((n) => readReleaseSecret(releaseSecret('r', 'ns', n, 'failed'))!);
    expect(findRelease(records, 'r', 'ns').current?.revision).toBe(5);
  });
});
