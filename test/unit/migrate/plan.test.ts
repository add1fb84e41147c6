// The migration plan: goldens of the full plan (-o json), the export (--export) and the table rows (-o table) for
// the upstream manifests, a namespace-scoped Arc fluxd and the az --from-file path; then the rules one by one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/k8s/types.js';
import {
  arcFluxdArgs,
  arcFromAz,
  helmVersionsFromChartValues,
  inventoryFromAzList,
} from '../../../src/model/migrate/az-list.js';
import { discover, selectOperators } from '../../../src/model/migrate/discover.js';
import {
  exportYaml,
  findingCounts,
  planObjects,
  planTable,
  renderFluxdObjects,
} from '../../../src/render/migrate/output.js';
import {
  allFindings,
  arcDeleteCommand,
  buildPlan,
  kustomizationsForPaths,
  redactArgs,
  redactUrl,
} from '../../../src/render/migrate/plan.js';
import {
  FLUX_DEPLOY,
  HELM_OPERATOR_DEPLOY,
  RELEASE_FIXTURES,
  arcFluxd,
  b64,
  helmReleaseFixture,
  load,
  releaseSecret,
  schemaViolations,
} from './helpers.js';

const azList = (): unknown =>
  JSON.parse(readFileSync(new URL('../../fixtures/flux-v1/az/k8s-configuration-list.json', import.meta.url), 'utf8'));

/** The upstream flux + helm-operator deploy/ manifests, the e2e HelmReleases with running releases, one automated app. */
function upstream(): KubeObject[] {
  const hrs = RELEASE_FIXTURES.map(helmReleaseFixture);
  const releases = hrs.map((hr) => {
    const spec = hr.spec as { releaseName: string; chart: { name?: string; version?: string } };
    const chart = { name: spec.chart.name ?? 'podinfo', version: spec.chart.version ?? '3.2.0' };
    return releaseSecret(spec.releaseName, hr.metadata.namespace!, 2, 'deployed', chart);
  });
  const app = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'podinfo',
      namespace: 'demo',
      annotations: { 'fluxcd.io/automated': 'true', 'fluxcd.io/tag.podinfod': 'semver:~3.1' },
    },
    spec: { template: { spec: { containers: [{ name: 'podinfod', image: 'ghcr.io/stefanprodan/podinfo:3.1.0' }] } } },
  } as KubeObject;
  return [...FLUX_DEPLOY.flatMap(load), ...HELM_OPERATOR_DEPLOY.flatMap(load), ...hrs, ...releases, app].map((o) =>
    o.kind === 'Secret' && o.metadata.name === 'flux-git-deploy' ? { ...o, data: { identity: b64('PRIVATE KEY') } } : o,
  );
}

function arcObjects(): KubeObject[] {
  return arcFluxd({
    instance: 'team-a-config',
    namespace: 'team-a',
    url: 'git@github.com:org/team-a',
    params: ['--git-readonly', '--git-path=apps,infra', '--sync-garbage-collection'],
    scope: 'namespace',
  });
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const table = (rows: ReturnType<typeof planTable>) =>
  rows.map((r) => `${r.operator} | ${r.v1} | ${r.v2}`).join('\n') + '\n';

describe('plan goldens', () => {
  const scenarios: [string, () => ReturnType<typeof buildPlan>][] = [
    ['upstream', () => buildPlan(discover(upstream()))],
    ['arc-namespace-scoped', () => buildPlan(discover(arcObjects()))],
    ['az-from-file', () => buildPlan(inventoryFromAzList(azList()))],
  ];

  it.each(scenarios)('%s: plan, export, table', async (name, plan) => {
    const p = plan();
    await expect(json(p)).toMatchFileSnapshot(`golden/plan-${name}.json`);
    await expect(exportYaml(p)).toMatchFileSnapshot(`golden/export-${name}.yaml`);
    await expect(table(planTable(p))).toMatchFileSnapshot(`golden/table-${name}.txt`);
    expect(
      buildPlan(
        name === 'az-from-file'
          ? inventoryFromAzList(azList())
          : discover(name === 'upstream' ? upstream() : arcObjects()),
      ),
    ).toEqual(p);
    for (const o of planObjects(p)) expect(schemaViolations(o)).toEqual([]);
  });

  it('no secret value anywhere in the plan or the export', () => {
    const p = buildPlan(discover(upstream()));
    for (const text of [json(p), exportYaml(p), table(planTable(p))]) {
      expect(text).not.toContain(b64('PRIVATE KEY'));
      expect(text).not.toContain('PRIVATE KEY');
      expect(text).not.toContain('<identity>');
    }
  });
});

describe('plan: fluxd → Flux configuration', () => {
  const p = buildPlan(discover(upstream()));
  const f = p.fluxd[0]!;

  it('name/namespace from the Deployment, cluster scope, ssh:// URL, branch, root kustomization, v1 intervals', () => {
    expect(f.configuration).toEqual({
      name: 'flux',
      namespace: 'flux',
      scope: 'cluster',
      sourceKind: 'GitRepository',
      suspend: false,
      gitRepository: {
        url: 'ssh://git@github.com/fluxcd/flux-get-started',
        repositoryRef: { branch: 'master' },
        syncIntervalInSeconds: 300,
        timeoutInSeconds: 20,
      },
      kustomizations: {
        'kustomization-1': {
          name: 'kustomization-1',
          path: '',
          syncIntervalInSeconds: 300,
          timeoutInSeconds: 60,
          prune: false,
          force: false,
          wait: false,
          dependsOn: [],
        },
      },
    });
  });

  it('the deploy key is reused by reference', () => {
    expect(f.secret).toEqual({
      namespace: 'flux',
      name: 'git-auth-flux',
      data: {
        identity: {
          kind: 'Secret',
          namespace: 'flux',
          name: 'flux-git-deploy',
          key: 'identity',
          found: true,
          hasValue: true,
        },
        known_hosts: { from: 'image', host: 'github.com' },
      },
      renderedBy: 'configuration',
    });
  });

  it('with the material read by the execute phase, the objects carry the Git Secret', () => {
    const objects = renderFluxdObjects(f, { identity: 'KEY TEXT', knownHosts: 'github.com ssh-ed25519 AAAA' });
    const secret = objects.find((o) => o.kind === 'Secret')!;
    expect(secret.metadata.name).toBe('git-auth-flux');
    expect(secret.stringData).toEqual({ identity: 'KEY TEXT', known_hosts: 'github.com ssh-ed25519 AAAA' });
    const exported = renderFluxdObjects(f);
    expect(exported.some((o) => o.kind === 'Secret')).toBe(false);
    expect((exported.find((o) => o.kind === 'GitRepository')!.spec as { secretRef: unknown }).secretRef).toEqual({
      name: 'git-auth-flux',
    });
    // Same objects apart from the Secret.
    expect(objects.filter((o) => o.kind !== 'Secret')).toEqual(exported);
  });

  it('warns about write-back; notes memcached and the host key scan', () => {
    expect(f.findings.map((x) => `${x.severity} ${x.code}`)).toEqual([
      'note no-health-wait',
      'note atomic-apply',
      'note known-hosts-scan',
      'warning git-write-back',
      'note memcached',
    ]);
  });

  it('backup and delete: helm-operator first, fluxd, memcached, RBAC (bindings first), HelmReleases, the CRD last', () => {
    const d = p.delete.map((r) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`);
    expect(d).toEqual([
      'Deployment flux/helm-operator',
      'Deployment flux/flux',
      'Service flux/memcached',
      'Deployment flux/memcached',
      'ClusterRoleBinding helm-operator',
      'ClusterRoleBinding flux',
      'ClusterRole helm-operator',
      'ClusterRole flux',
      'ServiceAccount flux/helm-operator',
      'ServiceAccount flux/flux',
      'HelmRelease demo/podinfo-helm-repository',
      'HelmRelease demo/podinfo-git',
      'HelmRelease demo/skip-crd',
      'HelmRelease default/configmap-values',
      'HelmRelease default/secret-values',
      'HelmRelease default/external-source-values',
      'HelmRelease default/chartfile-values',
      'CustomResourceDefinition helmreleases.helm.fluxcd.io',
    ]);
    expect(p.backup.map((r) => r.name)).toEqual([...p.delete.map((r) => r.name), 'flux-git-deploy']);
  });

  it('image automation: drafts for semver filters', () => {
    expect(p.imageAutomation.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ImageRepository demo/podinfo',
      'ImagePolicy demo/podinfo-podinfod',
    ]);
    expect(p.imageAutomation[1]!.spec).toEqual({
      imageRepositoryRef: { name: 'podinfo' },
      policy: { semver: { range: '~3.1' } },
    });
    const w = p.findings.find((x) => x.code === 'image-automation')!;
    expect(w.action).toContain('podinfod: # {"$imagepolicy": "demo:podinfo-podinfod"}');
  });

  it('counts', () => {
    expect(findingCounts(p)).toEqual({
      warnings: allFindings(p).filter((x) => x.severity === 'warning').length,
      notes: allFindings(p).filter((x) => x.severity === 'note').length,
    });
  });
});

describe('plan: rules', () => {
  const withArgs = (args: string[]) => {
    const objects = FLUX_DEPLOY.flatMap(load).map((o) => {
      if (o.kind !== 'Deployment' || o.metadata.name !== 'flux') return o;
      const d = structuredClone(o) as KubeObject & {
        spec: { template: { spec: { containers: { args: string[] }[] } } };
      };
      d.spec.template.spec.containers[0]!.args = args;
      return d;
    });
    return buildPlan(discover(objects)).fluxd[0]!;
  };
  const codes = (f: ReturnType<typeof withArgs>) =>
    f.findings.filter((x) => x.severity === 'warning').map((x) => x.code);

  it('one kustomization per --git-path, prune from --sync-garbage-collection, namespace scope from --k8s-allow-namespace', () => {
    const f = withArgs([
      '--git-url=ssh://git@example.com:2222/org/repo',
      '--git-branch=main',
      '--git-path=apps/prod,infra',
      '--git-path=/abs',
      '--sync-garbage-collection',
      '--k8s-allow-namespace=flux',
      '--git-readonly',
      '--sync-interval=10m',
    ]);
    expect(f.configuration.scope).toBe('namespace');
    expect(
      Object.entries(f.configuration.kustomizations).map(
        ([k, v]) => `${k}=${v.path} prune=${v.prune} ${v.syncIntervalInSeconds}s`,
      ),
    ).toEqual(['apps-prod=./apps/prod prune=true 600s', 'infra=./infra prune=true 600s', 'abs=./abs prune=true 600s']);
    expect(codes(f)).toEqual(['git-path-absolute', 'deploy-key-empty']);
    expect(f.secret?.data.known_hosts).toEqual({ from: 'image', host: 'example.com', port: 2222 });
  });

  it('what does not convert is a warning with an action', () => {
    const f = withArgs([
      '--git-url=git://example.com/repo',
      '--manifest-generation',
      '--git-secret',
      '--sops',
      '--git-verify-signatures',
      '--k8s-default-namespace=apps',
      '--k8s-allow-namespace=a,b',
      '--sync-garbage-collection-dry',
      '--mystery=1',
    ]);
    expect(codes(f)).toEqual([
      'unknown-flags',
      'allow-namespace',
      'git-url-rewritten',
      'gc-dry-run',
      'git-write-back',
      'manifest-generation',
      'git-secret',
      'sops',
      'verify-signatures',
      'default-namespace',
    ]);
    for (const w of f.findings.filter((x) => x.severity === 'warning')) expect(w.action ?? '').not.toBe('');
    expect(f.configuration.gitRepository?.url).toBe('https://example.com/repo');
    expect(f.secret).toBeUndefined(); // git:// has no authentication
    expect(f.findings.find((x) => x.code === 'unknown-flags')?.message).toBe(
      'flags fluxcfg does not know are kept in the plan but not converted: --mystery',
    );
    expect(f.configuration.scope).toBe('cluster');
    expect(Object.values(f.configuration.kustomizations)[0]!.prune).toBe(false);
  });

  it('HTTPS credentials leave the URL', () => {
    const f = withArgs(['--git-url=https://bot:$(GIT_AUTHKEY)@github.com/org/repo', '--git-readonly']);
    expect(f.configuration.gitRepository).toMatchObject({ url: 'https://github.com/org/repo', httpsUser: 'bot' });
    expect(f.findings.map((x) => x.code)).toContain('fluxd');
  });

  it('credentials never reach the plan: --token and URL passwords are redacted', () => {
    const f = withArgs([
      '--git-url=https://bot:s3cret@github.com/org/repo',
      '--token',
      'abc123',
      '--connect=wss://x',
      '--git-readonly',
    ]);
    expect(f.v1.args).toEqual([
      '--git-url=https://bot:<redacted>@github.com/org/repo',
      '--token',
      '<redacted>',
      '--connect=wss://x',
      '--git-readonly',
    ]);
    expect(f.v1.gitUrl).toBe('https://bot:<redacted>@github.com/org/repo');
    expect(f.configuration.gitRepository?.url).toBe('https://github.com/org/repo');
    expect(JSON.stringify(f)).not.toContain('s3cret');
    expect(JSON.stringify(f)).not.toContain('abc123');
    expect(redactArgs(['--token=abc', '--git-url=https://u:$(KEY)@h/r'])).toEqual([
      '--token=<redacted>',
      '--git-url=https://u:$(KEY)@h/r',
    ]);
    expect(redactUrl('ssh://git@host/repo')).toBe('ssh://git@host/repo');
  });

  it('HTTPS credentials from a Secret: exported without the Secret, rendered with it when the execute phase has them', () => {
    const objects = FLUX_DEPLOY.flatMap(load).map((o) => {
      if (o.kind !== 'Deployment' || o.metadata.name !== 'flux') return o;
      const d = structuredClone(o) as KubeObject & {
        spec: { template: { spec: { containers: Record<string, unknown>[] } } };
      };
      d.spec.template.spec.containers[0]!.args = [
        '--git-url=https://$(GIT_AUTHUSER):$(GIT_AUTHKEY)@github.com/org/repo',
        '--git-readonly',
      ];
      d.spec.template.spec.containers[0]!.envFrom = [{ secretRef: { name: 'flux-git-auth' } }];
      return d;
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'flux-git-auth', namespace: 'flux' },
      data: { GIT_AUTHUSER: b64('bot'), GIT_AUTHKEY: b64('tok') },
    });
    const f = buildPlan(discover(objects)).fluxd[0]!;
    expect(f.secret).toMatchObject({
      name: 'git-auth-flux',
      data: { username: { name: 'flux-git-auth', key: 'GIT_AUTHUSER' }, password: { key: 'GIT_AUTHKEY' } },
    });
    const exported = renderFluxdObjects(f);
    expect(exported.some((o) => o.kind === 'Secret')).toBe(false);
    expect(exported.find((o) => o.kind === 'GitRepository')!.spec as Record<string, unknown>).toMatchObject({
      url: 'https://github.com/org/repo',
      secretRef: { name: 'git-auth-flux' },
    });
    const full = renderFluxdObjects(f, { username: 'bot', password: 'tok' });
    expect(full.find((o) => o.kind === 'Secret')!.stringData).toEqual({ username: 'bot', password: 'tok' });
  });

  it('kustomization names stay within 63 characters with the configuration name', () => {
    const long = 'a'.repeat(50);
    const ks = kustomizationsForPaths(long, ['very/long/path/name/that/goes/on', 'x'], { prune: false });
    for (const name of Object.keys(ks)) expect(`${long}-${name}`.length).toBeLessThanOrEqual(63);
    expect(kustomizationsForPaths('c', ['.', ''], {})).toEqual({
      'kustomization-1': { name: 'kustomization-1', path: '', dependsOn: [] },
    });
  });

  it('a partial plan (--name) keeps the v1 CRD; an unconvertible HelmRelease keeps it too', () => {
    const inv = selectOperators(discover(upstream()), { name: 'flux' });
    const p = buildPlan(inv, { partial: true });
    expect(p.delete.some((r) => r.kind === 'CustomResourceDefinition')).toBe(false);
    expect(p.findings.map((x) => x.code)).toContain('crd-kept');
    const v2 = {
      apiVersion: 'helm.fluxcd.io/v1',
      kind: 'HelmRelease',
      metadata: { name: 'old', namespace: 'demo' },
      spec: { releaseName: 'old', chart: { repository: 'https://x', name: 'x' } },
    } as KubeObject;
    const q = buildPlan(discover([...upstream(), v2]));
    expect(q.delete.some((r) => r.kind === 'CustomResourceDefinition' || r.name === 'old')).toBe(false);
    expect(q.backup.some((r) => r.name === 'old')).toBe(true);
  });
});

describe('Arc and --from-file', () => {
  it('a namespace-scoped Arc fluxd: scope namespace, both paths, the az delete command', () => {
    const p = buildPlan(discover(arcObjects()));
    const f = p.fluxd[0]!;
    expect(f.configuration.scope).toBe('namespace');
    expect(Object.keys(f.configuration.kustomizations)).toEqual(['apps', 'infra']);
    expect(p.arc.map((a) => a.deleteCommand)).toEqual([
      'az k8s-configuration delete --name team-a-config --cluster-name <cluster-name> --resource-group <resource-group> --cluster-type connectedClusters --yes',
    ]);
    expect(f.findings.find((x) => x.code === 'arc-configuration')?.action).toBe(`run: ${p.arc[0]!.deleteCommand}`);
    expect(p.findings.find((x) => x.code === 'arc-delete-first')?.severity).toBe('warning');
    expect(f.secret?.data.known_hosts).toEqual({
      from: 'ConfigMap',
      namespace: 'team-a',
      name: 'team-a-config-ssh-config',
      key: 'known_hosts',
      found: true,
    });
  });

  it('az list entries → Arc facts and fluxd args', () => {
    const [first, second] = azList() as Record<string, unknown>[];
    const a = arcFromAz(first!);
    expect(a).toMatchObject({
      name: 'cluster-config',
      operatorNamespace: 'cluster-config',
      operatorScope: 'cluster',
      resourceGroup: 'arc-rg',
      clusterName: 'arc-cluster',
      clusterType: 'connectedClusters',
      enableHelmOperator: true,
    });
    expect(arcFluxdArgs(a)).toEqual([
      '--git-url=git@github.com:Azure/arc-k8s-demo.git',
      '--git-readonly',
      '--git-path=releases',
    ]);
    const b = arcFromAz(second!);
    expect(b).toMatchObject({
      clusterType: 'managedClusters',
      clusterName: 'aks-1',
      operatorInstanceName: 'team-a-flux',
    });
    expect(arcFluxdArgs(b)).toEqual([
      '--git-url=https://github.com/org/team-a',
      '--k8s-allow-namespace=team-a',
      '--git-readonly',
      '--git-branch=main',
      '--git-poll-interval=1m',
      '--sync-garbage-collection',
    ]);
    expect(arcDeleteCommand(b)).toBe(
      'az k8s-configuration delete --name team-a --cluster-name aks-1 --resource-group aks-rg --cluster-type managedClusters --yes',
    );
    expect(helmVersionsFromChartValues('--set helm.versions=v3')).toEqual(['v3']);
    expect(helmVersionsFromChartValues('')).toBeUndefined();
  });

  it('inventoryFromAzList: fluxd per configuration, helm-operator when enabled, known hosts inline', () => {
    const inv = inventoryFromAzList(azList());
    expect(inv.source).toBe('file');
    expect(inv.fluxd.map((f) => `${f.namespace}/${f.name} ${f.settings.gitBranch} ${f.auth.kind}`)).toEqual([
      'cluster-config/cluster-config master ssh',
      'team-a/team-a-flux main none',
    ]);
    expect(
      inv.helmOperators.map((h) => `${h.namespace}/${h.name} ${h.settings.enabledHelmVersions.join(',')}`),
    ).toEqual(['cluster-config/cluster-config-helm-cluster-config-helm-operator v3']);
    expect(inv.fluxd[0]!.auth).toMatchObject({ identitySource: 'az', knownHosts: { from: 'inline' } });
    expect(inventoryFromAzList({ value: azList() }).fluxd).toHaveLength(2);
    expect(inventoryFromAzList((azList() as unknown[])[0]).fluxd).toHaveLength(1);
    expect(() => inventoryFromAzList('nope')).toThrow(
      'Error! The file is not the output of az k8s-configuration list -o json',
    );
    expect(
      inventoryFromAzList([{ name: 'v2', type: 'Microsoft.KubernetesConfiguration/fluxConfigurations' }]).fluxd,
    ).toEqual([]);
  });

  it('discover completes GitConfig facts with the az ones', () => {
    const az = (azList() as Record<string, unknown>[]).map(arcFromAz);
    const objects = arcFluxd({
      instance: 'cluster-config',
      namespace: 'cluster-config',
      url: 'git@github.com:Azure/arc-k8s-demo.git',
      params: ['--git-readonly'],
      scope: 'cluster',
    });
    const inv = discover(objects, { arcConfigurations: az });
    expect(inv.fluxd[0]!.arc).toMatchObject({
      name: 'cluster-config',
      resourceGroup: 'arc-rg',
      clusterName: 'arc-cluster',
      origin: 'GitConfig',
    });
    expect(inv.arc.configurations.map((c) => c.name)).toEqual(['cluster-config', 'team-a']);
  });
});
