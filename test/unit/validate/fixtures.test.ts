// The fixtures of test/fixtures/validate: the seeds' multi-tenancy example (and its corrected layout), a
// namespace-scoped tenant repository, kustomization.yaml trees, a generated (no kustomization.yaml) tree, and
// malformed files.
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatFindings, validateCheckout, type TenancyContext } from '../../../src/validate/index.js';
import { fixtures, writeTree } from './helpers.js';

const clusterConfig: TenancyContext = { namespace: 'cluster-config', scope: 'cluster', multiTenancy: true };
const at = (dir: string) => path.join(fixtures, dir);

describe("the seeds' example: Update manifests for multi-tenancy", () => {
  it('finds the cross-namespace HelmRelease with file, line and the documented fix', async () => {
    const findings = await validateCheckout(at('seed-cross-namespace'), [], clusterConfig);
    expect(findings).toEqual([
      {
        rule: 'no-flux-applier',
        severity: 'error',
        file: 'helmrelease.yaml',
        line: 5,
        object: 'HelmRelease nginx/nginx',
        message:
          'has no spec.serviceAccountName, so Flux impersonates ServiceAccount flux-applier of namespace nginx, which does not exist (flux-applier exists in cluster-config)',
        fix: 'move it into namespace cluster-config and set spec.targetNamespace: nginx, or set spec.serviceAccountName to a ServiceAccount of nginx that has the rights it needs',
      },
      {
        rule: 'cross-namespace-ref',
        severity: 'error',
        file: 'helmrelease.yaml',
        line: 14,
        object: 'HelmRelease nginx/nginx',
        message:
          'spec.chart.spec.sourceRef names HelmRepository flux-system/bitnami in another namespace: cross-namespace references are blocked (multiTenancy.enforce=true)',
        fix: "move HelmRelease nginx and HelmRepository bitnami into namespace cluster-config (the configuration's namespace), point spec.chart.spec.sourceRef at namespace cluster-config and set spec.targetNamespace: nginx",
      },
    ]);
    expect(formatFindings(findings)).toBe(
      [
        'error helmrelease.yaml:5 HelmRelease nginx/nginx: has no spec.serviceAccountName, so Flux impersonates ServiceAccount flux-applier of namespace nginx, which does not exist (flux-applier exists in cluster-config) [no-flux-applier]',
        '  fix: move it into namespace cluster-config and set spec.targetNamespace: nginx, or set spec.serviceAccountName to a ServiceAccount of nginx that has the rights it needs',
        'error helmrelease.yaml:14 HelmRelease nginx/nginx: spec.chart.spec.sourceRef names HelmRepository flux-system/bitnami in another namespace: cross-namespace references are blocked (multiTenancy.enforce=true) [cross-namespace-ref]',
        "  fix: move HelmRelease nginx and HelmRepository bitnami into namespace cluster-config (the configuration's namespace), point spec.chart.spec.sourceRef at namespace cluster-config and set spec.targetNamespace: nginx",
      ].join('\n'),
    );
  });

  it('the corrected layout (everything in cluster-config, targetNamespace nginx) passes', async () => {
    expect(await validateCheckout(at('seed-corrected'), [], clusterConfig)).toEqual([]);
  });

  it('with multi-tenancy off the original layout passes too', async () => {
    expect(await validateCheckout(at('seed-cross-namespace'), [], { ...clusterConfig, multiTenancy: false })).toEqual(
      [],
    );
  });

  it('a namespace-scoped configuration may not target nginx even in the corrected layout', async () => {
    const findings = await validateCheckout(at('seed-corrected'), [], { ...clusterConfig, scope: 'namespace' });
    expect(findings.map((f) => [f.rule, `${f.file}:${f.line}`, f.message])).toEqual([
      [
        'other-namespace',
        'helmrelease.yaml:8',
        'spec.targetNamespace is nginx; a namespace-scoped configuration may only deploy into cluster-config',
      ],
    ]);
  });
});

describe('a namespace-scoped tenant repository', () => {
  it('refuses its ClusterRole, ClusterRoleBinding, Namespace and objects in other namespaces; passes its Role', async () => {
    const findings = await validateCheckout(at('tenant-namespace-scoped'), [], {
      namespace: 'team-a',
      scope: 'namespace',
      multiTenancy: true,
    });
    expect(findings.map((f) => [f.rule, `${f.file}:${f.line}`, f.object, f.fix])).toEqual([
      [
        'other-namespace',
        'elsewhere.yaml:5',
        'ConfigMap kube-system/shared-settings',
        'remove the namespace (objects without one land in team-a) or deploy it from a cluster-scoped configuration',
      ],
      [
        'cluster-scoped-kind',
        'namespace.yaml:1',
        'Namespace team-a-extra',
        'remove it: namespace team-a exists already; other namespaces belong to a cluster-scoped configuration',
      ],
      [
        'cluster-scoped-kind',
        'rbac.yaml:10',
        'ClusterRole team-a-node-reader',
        'use a Role in namespace team-a, or have a cluster admin apply the ClusterRole (e.g. from a cluster-scoped configuration)',
      ],
      [
        'cluster-scoped-kind',
        'rbac.yaml:19',
        'ClusterRoleBinding team-a-node-reader',
        'use a RoleBinding in namespace team-a, or have a cluster admin apply the ClusterRoleBinding (e.g. from a cluster-scoped configuration)',
      ],
      [
        'other-namespace',
        'release.yaml:15',
        'HelmRelease team-a/podinfo',
        'set spec.targetNamespace: team-a or remove it',
      ],
    ]);
    expect(findings.find((f) => f.object === 'ClusterRole team-a-node-reader')?.message).toBe(
      'ClusterRole is cluster-scoped: a namespace-scoped configuration may only create objects in namespace team-a',
    );
  });

  it('the same repository in a cluster-scoped configuration is fine', async () => {
    expect(
      await validateCheckout(at('tenant-namespace-scoped'), [], {
        namespace: 'team-a',
        scope: 'cluster',
        multiTenancy: true,
      }),
    ).toEqual([]);
  });
});

describe('kustomization.yaml trees', () => {
  it('follows resources (files, directories, recursively, ../ inside the checkout) and nothing else', async () => {
    const findings = await validateCheckout(at('kustomize-tree'), [], {
      namespace: 'apps',
      scope: 'cluster',
      multiTenancy: true,
    });
    expect(findings.map((f) => [f.rule, f.severity, `${f.file}:${f.line}`, f.object ?? ''])).toEqual([
      ['missing-resource', 'error', 'kustomization.yaml:7', ''],
      ['remote-base', 'warning', 'kustomization.yaml:8', ''],
      // namespace: apps of the outer kustomization.yaml applies to shared/sync.yaml, reached through base/
      ['cross-namespace-ref', 'error', 'shared/sync.yaml:12', 'Kustomization apps/sync'],
    ]);
    // shared/not-listed.yaml (a cross-namespace HelmRelease) is in no resources list: not checked
    expect(findings.some((f) => f.file === 'shared/not-listed.yaml')).toBe(false);
  });

  it('without kustomization.yaml: every YAML file below, a subdirectory with one follows its resources, dotfiles skipped', async () => {
    const findings = await validateCheckout(at('generated'), [], clusterConfig);
    expect(findings.map((f) => [f.rule, `${f.file}:${f.line}`, f.object])).toEqual([
      ['no-flux-applier', 'a.yaml:5', 'Kustomization team-x/a'],
      ['cross-namespace-ref', 'withkust/listed.yaml:14', 'Alert team-z/on-call'],
    ]);
  });

  it('checks only the kustomization paths asked for', async () => {
    const findings = await validateCheckout(at('generated'), [{ name: 'sub', path: './sub' }], clusterConfig);
    expect(findings).toEqual([]);
  });
});

describe('robustness', () => {
  it('reports malformed YAML with file and line, refuses the alias bomb, and scans on', async () => {
    const findings = await validateCheckout(at('malformed'), [], clusterConfig);
    expect(findings.map((f) => [f.rule, `${f.file}:${f.line}`, f.object ?? '', f.message])).toEqual([
      [
        'yaml-alias-bomb',
        'alias-bomb.yaml:1',
        '',
        'refused: YAML aliases expand this document to more than 200000 nodes (110 written); an alias bomb is not a manifest',
      ],
      ['yaml-invalid', 'bad.yaml:7', '', 'invalid YAML: unexpected end of the stream within a double quoted scalar'],
      [
        'no-flux-applier',
        'good.yaml:5',
        'Kustomization apps/after-the-bad-ones',
        'has no spec.serviceAccountName, so Flux impersonates ServiceAccount flux-applier of namespace apps, which does not exist (flux-applier exists in cluster-config)',
      ],
      ['yaml-invalid', 'multi.yaml:10', '', 'invalid YAML: unexpected end of the stream within a flow collection'],
      // the third document of multi.yaml, after the broken second one
      [
        'cross-namespace-ref',
        'multi.yaml:26',
        'HelmRelease apps/third',
        'spec.chart.spec.sourceRef names HelmRepository flux-system/charts in another namespace: cross-namespace references are blocked (multiTenancy.enforce=true)',
      ],
    ]);
  });

  it('refuses a file over the default 4 MiB limit without reading it', async () => {
    const dir = writeTree({});
    cpSync(at('seed-cross-namespace'), dir, { recursive: true });
    writeFileSync(path.join(dir, 'huge.yaml'), `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
    const findings = await validateCheckout(dir, [], clusterConfig);
    expect(findings.map((f) => [f.rule, f.file])).toEqual([
      ['no-flux-applier', 'helmrelease.yaml'],
      ['cross-namespace-ref', 'helmrelease.yaml'],
      ['file-too-large', 'huge.yaml'],
    ]);
    expect(findings[2]!.message).toBe('refused: 5242883 bytes, more than the 4194304-byte limit for a manifest file');
  });
});
