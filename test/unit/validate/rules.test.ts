import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  validateCheckout,
  type Finding,
  type KustomizationInput,
  type TenancyContext,
} from '../../../src/validate/index.js';
import { writeTree } from './helpers.js';

const cfg: TenancyContext = { namespace: 'cluster-config', scope: 'cluster', multiTenancy: true };

const kustomization = (name: string, ns: string | undefined, spec: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}${ns ? `\n  namespace: ${ns}` : ''}
spec:
  interval: 10m
  prune: true
${spec}`;

interface Case {
  name: string;
  files: Record<string, string>;
  ctx?: Partial<TenancyContext>;
  kustomizations?: KustomizationInput[];
  options?: { noRemoteBases?: boolean; maxFileBytes?: number };
  expected: Finding[];
}

const cases: Case[] = [
  {
    name: 'cross-namespace-ref: Kustomization sourceRef in the configuration namespace pointing elsewhere',
    files: {
      'k.yaml': kustomization(
        'apps',
        'cluster-config',
        '  sourceRef:\n    kind: GitRepository\n    name: platform\n    namespace: flux-system\n',
      ),
    },
    expected: [
      {
        rule: 'cross-namespace-ref',
        severity: 'error',
        file: 'k.yaml',
        line: 12,
        object: 'Kustomization cluster-config/apps',
        message:
          'spec.sourceRef names GitRepository flux-system/platform in another namespace: cross-namespace references are blocked (multiTenancy.enforce=true)',
        fix: 'move GitRepository platform into namespace cluster-config and drop spec.sourceRef.namespace',
      },
    ],
  },
  {
    name: 'cross-namespace-ref: HelmRelease chartRef and dependsOn (with a service account, in the configuration namespace)',
    files: {
      'hr.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: cluster-config
spec:
  interval: 1h
  chartRef:
    kind: OCIRepository
    name: web-chart
    namespace: charts
  dependsOn:
    - name: db
    - name: cache
      namespace: infra
`,
    },
    expected: [
      {
        rule: 'cross-namespace-ref',
        severity: 'error',
        file: 'hr.yaml',
        line: 11,
        object: 'HelmRelease cluster-config/web',
        message:
          'spec.chartRef names OCIRepository charts/web-chart in another namespace: cross-namespace references are blocked (multiTenancy.enforce=true)',
        fix: 'move OCIRepository web-chart into namespace cluster-config and drop spec.chartRef.namespace',
      },
      {
        rule: 'cross-namespace-ref',
        severity: 'error',
        file: 'hr.yaml',
        line: 15,
        object: 'HelmRelease cluster-config/web',
        message:
          'spec.dependsOn[1] names HelmRelease infra/cache in another namespace: cross-namespace references are blocked (multiTenancy.enforce=true)',
        fix: 'move HelmRelease cache into namespace cluster-config and drop spec.dependsOn[1].namespace',
      },
    ],
  },
  {
    name: 'cross-namespace-ref: HelmChart, ImagePolicy, ImageUpdateAutomation, Alert, Receiver',
    files: {
      'all.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: { name: c, namespace: cluster-config }
spec:
  chart: c
  sourceRef: { kind: HelmRepository, name: r, namespace: x1 }
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: { name: p, namespace: cluster-config }
spec:
  imageRepositoryRef: { name: repo, namespace: x2 }
---
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImageUpdateAutomation
metadata: { name: u, namespace: cluster-config }
spec:
  sourceRef: { kind: GitRepository, name: g, namespace: x3 }
---
apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata: { name: a, namespace: cluster-config }
spec:
  providerRef: { name: slack }
  eventSources:
    - { kind: Kustomization, name: '*', namespace: x4 }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: rc, namespace: cluster-config }
spec:
  resources:
    - { kind: GitRepository, name: g, namespace: x5 }
`,
    },
    expected: [
      ['HelmChart cluster-config/c', 6, 'spec.sourceRef names HelmRepository x1/r'],
      ['ImagePolicy cluster-config/p', 12, 'spec.imageRepositoryRef names ImageRepository x2/repo'],
      ['ImageUpdateAutomation cluster-config/u', 18, 'spec.sourceRef names GitRepository x3/g'],
      ['Alert cluster-config/a', 26, 'spec.eventSources[0] names Kustomization x4/*'],
      ['Receiver cluster-config/rc', 33, 'spec.resources[0] names GitRepository x5/g'],
    ].map(([object, line, msg]) => ({
      rule: 'cross-namespace-ref',
      severity: 'error' as const,
      file: 'all.yaml',
      line: line as number,
      object: object as string,
      message: `${msg} in another namespace: cross-namespace references are blocked (multiTenancy.enforce=true)`,
      fix: expect.stringMatching(/^move \S+ \S+ into namespace cluster-config and drop spec\./),
    })),
  },
  {
    name: 'references within the object namespace pass',
    files: {
      'ok.yaml': kustomization(
        'apps',
        'cluster-config',
        '  sourceRef:\n    kind: GitRepository\n    name: platform\n    namespace: cluster-config\n',
      ),
    },
    expected: [],
  },
  {
    name: 'no-flux-applier: a Kustomization in another namespace without serviceAccountName',
    files: { 'k.yaml': kustomization('team', 'team-a', '  sourceRef:\n    kind: GitRepository\n    name: repo\n') },
    expected: [
      {
        rule: 'no-flux-applier',
        severity: 'error',
        file: 'k.yaml',
        line: 5,
        object: 'Kustomization team-a/team',
        message:
          'has no spec.serviceAccountName, so Flux impersonates ServiceAccount flux-applier of namespace team-a, which does not exist (flux-applier exists in cluster-config)',
        fix: 'move it into namespace cluster-config and set spec.targetNamespace: team-a, or set spec.serviceAccountName to a ServiceAccount of team-a that has the rights it needs',
      },
    ],
  },
  {
    name: 'no-flux-applier: not when it names a service account',
    files: {
      'k.yaml': kustomization(
        'team',
        'team-a',
        '  serviceAccountName: team-a-deployer\n  sourceRef:\n    kind: GitRepository\n    name: repo\n',
      ),
    },
    expected: [],
  },
  {
    name: 'no-flux-applier: not when another fluxcfg configuration gives that namespace a flux-applier',
    files: { 'k.yaml': kustomization('team', 'team-a', '  sourceRef:\n    kind: GitRepository\n    name: repo\n') },
    ctx: { applierNamespaces: ['team-a'] },
    expected: [],
  },
  {
    name: 'no-flux-applier: not when the manifests create flux-applier in that namespace',
    files: {
      'k.yaml': kustomization('team', 'team-a', '  sourceRef:\n    kind: GitRepository\n    name: repo\n'),
      'sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: flux-applier\n  namespace: team-a\n',
    },
    expected: [],
  },
  {
    name: 'multi-tenancy off: cross-namespace references and missing flux-applier are fine',
    files: {
      'k.yaml': kustomization(
        'team',
        'team-a',
        '  sourceRef:\n    kind: GitRepository\n    name: repo\n    namespace: flux-system\n',
      ),
    },
    ctx: { multiTenancy: false },
    expected: [],
  },
  {
    name: "the kustomization's target_namespace puts namespace-less objects there",
    files: {
      'apps/hr.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 1h
  chart: { spec: { chart: web, sourceRef: { kind: HelmRepository, name: charts } } }
`,
    },
    kustomizations: [{ name: 'apps', path: './apps', targetNamespace: 'team-b' }],
    expected: [
      {
        rule: 'no-flux-applier',
        severity: 'error',
        file: 'apps/hr.yaml',
        line: 1,
        object: 'HelmRelease team-b/web',
        message:
          'has no spec.serviceAccountName, so Flux impersonates ServiceAccount flux-applier of namespace team-b, which does not exist (flux-applier exists in cluster-config)',
        fix: 'move it into namespace cluster-config and set spec.targetNamespace: team-b, or set spec.serviceAccountName to a ServiceAccount of team-b that has the rights it needs',
      },
    ],
  },
  {
    name: 'cluster-scoped-kind: built-in kinds and a CRD of the manifests with scope Cluster (scope namespace)',
    files: {
      'kinds.yaml': `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: fast }
provisioner: x
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: { name: hook }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Cluster
  names: { kind: Widget, plural: widgets }
---
apiVersion: example.com/v1
kind: Widget
metadata: { name: w }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: fine }
`,
    },
    ctx: { scope: 'namespace', namespace: 'team-a' },
    expected: [
      [
        'StorageClass fast',
        1,
        'StorageClass',
        'remove it from this path and apply it from a cluster-scoped configuration',
      ],
      [
        'ValidatingWebhookConfiguration hook',
        6,
        'ValidatingWebhookConfiguration',
        'remove it from this path and apply it from a cluster-scoped configuration',
      ],
      [
        'CustomResourceDefinition widgets.example.com',
        10,
        'CustomResourceDefinition',
        'install CRDs from a cluster-scoped configuration (or have a cluster admin install them)',
      ],
      ['Widget w', 18, 'Widget', 'remove it from this path and apply it from a cluster-scoped configuration'],
    ].map(([object, line, kind, fix]) => ({
      rule: 'cluster-scoped-kind',
      severity: 'error' as const,
      file: 'kinds.yaml',
      line: line as number,
      object: object as string,
      message: `${kind} is cluster-scoped: a namespace-scoped configuration may only create objects in namespace team-a`,
      fix: fix as string,
    })),
  },
  {
    name: 'other-namespace: metadata.namespace, a kustomization.yaml namespace, storageNamespace (scope namespace)',
    files: {
      'kustomization.yaml': 'resources:\n  - cm.yaml\n  - sub\n',
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: kube-system\n',
      'sub/kustomization.yaml': 'namespace: team-z\nresources:\n  - hr.yaml\n',
      'sub/hr.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 1h
  storageNamespace: helm-records
  chart: { spec: { chart: web, sourceRef: { kind: HelmRepository, name: charts } } }
`,
    },
    ctx: { scope: 'namespace', namespace: 'team-a' },
    expected: [
      {
        rule: 'other-namespace',
        severity: 'error',
        file: 'cm.yaml',
        line: 5,
        object: 'ConfigMap kube-system/cm',
        message: 'is in namespace kube-system; a namespace-scoped configuration may only deploy into team-a',
        fix: 'remove the namespace (objects without one land in team-a) or deploy it from a cluster-scoped configuration',
      },
      {
        rule: 'other-namespace',
        severity: 'error',
        file: 'sub/hr.yaml',
        line: 1,
        object: 'HelmRelease team-z/web',
        message:
          'is in namespace team-z (set by sub/kustomization.yaml:1); a namespace-scoped configuration may only deploy into team-a',
        fix: 'remove the namespace (objects without one land in team-a) or deploy it from a cluster-scoped configuration',
      },
      {
        rule: 'other-namespace',
        severity: 'error',
        file: 'sub/hr.yaml',
        line: 7,
        object: 'HelmRelease team-a/web',
        message: 'spec.storageNamespace is helm-records; a namespace-scoped configuration may only deploy into team-a',
        fix: 'set spec.storageNamespace: team-a or remove it',
      },
    ],
  },
  {
    name: 'remote-base: a warning by default',
    files: { 'kustomization.yaml': 'resources:\n  - github.com/example/infra//base?ref=v1\n' },
    expected: [
      {
        rule: 'remote-base',
        severity: 'warning',
        file: 'kustomization.yaml',
        line: 2,
        message:
          'remote base github.com/example/infra//base?ref=v1: not validated here, and refused where kustomize-controller runs with --no-remote-bases=true',
        fix: 'vendor the remote manifests into this repository (or reference them as a separate Flux source)',
      },
    ],
  },
  {
    name: 'remote-base: an error with noRemoteBases',
    files: { 'kustomization.yaml': 'resources:\n  - https://example.com/manifests.yaml\n' },
    options: { noRemoteBases: true },
    expected: [
      {
        rule: 'remote-base',
        severity: 'error',
        file: 'kustomization.yaml',
        line: 2,
        message:
          'remote base https://example.com/manifests.yaml: kustomize-controller runs with --no-remote-bases=true and refuses it',
        fix: 'vendor the remote manifests into this repository (or reference them as a separate Flux source)',
      },
    ],
  },
  {
    name: 'missing-resource and a path that leaves the checkout',
    files: { 'apps/kustomization.yaml': 'resources:\n  - gone.yaml\n  - ../../outside\n' },
    kustomizations: [{ name: 'apps', path: 'apps' }],
    expected: [
      {
        rule: 'missing-resource',
        severity: 'error',
        file: 'apps/kustomization.yaml',
        line: 2,
        message: 'resources entry gone.yaml does not exist (kustomize build would fail)',
        fix: 'create apps/gone.yaml or remove the entry',
      },
      {
        rule: 'symlink-escape',
        severity: 'error',
        file: 'apps/kustomization.yaml',
        line: 3,
        message: 'refused: ../outside is outside the checkout',
        fix: 'reference only files inside the repository (kustomize-controller refuses paths that leave the source)',
      },
    ],
  },
  {
    name: 'path-not-found: a kustomization path that is missing, or a file',
    files: { 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n' },
    kustomizations: [
      { name: 'infra', path: './infrastructure' },
      { name: 'file', path: './a.yaml' },
    ],
    expected: [
      {
        rule: 'path-not-found',
        severity: 'error',
        message: 'kustomization infra: path ./infrastructure does not exist in the source',
        fix: 'fix path= of the kustomization (relative to the repository root)',
      },
      {
        rule: 'path-not-found',
        severity: 'error',
        file: 'a.yaml',
        message: 'kustomization file: path ./a.yaml is a file; a Kustomization path is a directory',
        fix: 'point path= at the directory that holds the manifests',
      },
    ],
  },
  {
    name: 'file-too-large',
    files: {
      'big.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: big, namespace: x }\ndata:\n  a: "${'x'.repeat(2000)}"\n`,
    },
    options: { maxFileBytes: 1000 },
    expected: [
      {
        rule: 'file-too-large',
        severity: 'error',
        file: 'big.yaml',
        message: 'refused: 2083 bytes, more than the 1000-byte limit for a manifest file',
        fix: 'split the file, or keep generated or binary data out of the kustomization path',
      },
    ],
  },
];

describe('manifest rules (validateCheckout)', () => {
  it.each(cases)('$name', async (c) => {
    const dir = writeTree(c.files);
    const findings = await validateCheckout(dir, c.kustomizations ?? [], { ...cfg, ...c.ctx }, c.options);
    expect(findings).toEqual(c.expected);
  });

  it('refuses symlinks that leave the checkout, follows those that stay inside', async () => {
    const outside = writeTree({
      'secret.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: s, namespace: elsewhere }\n',
    });
    const dir = writeTree({
      'real/k.yaml': kustomization('inner', 'team-a', '  sourceRef:\n    kind: GitRepository\n    name: repo\n'),
    });
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'leak.yaml'));
    symlinkSync(outside, path.join(dir, 'leakdir'));
    symlinkSync('real', path.join(dir, 'alias'));
    const findings = await validateCheckout(dir, [], cfg);
    expect(findings.map((f) => [f.rule, f.file, f.object])).toEqual([
      ['no-flux-applier', 'alias/k.yaml', 'Kustomization team-a/inner'],
      ['symlink-escape', 'leak.yaml', undefined],
      ['symlink-escape', 'leakdir', undefined],
    ]); // real/k.yaml is the same file as alias/k.yaml: read once
    const leak = findings.find((f) => f.file === 'leak.yaml')!;
    expect(leak.message).toBe(
      `refused: leak.yaml is a symlink that leaves the checkout (to ${path.join(outside, 'secret.yaml')})`,
    );
    expect(leak.fix).toBe(
      'replace the symlink by the file itself: the source artifact Flux builds from has only what is inside the repository',
    );
  });

  it('an object reached by two kustomizations is reported once per distinct finding', async () => {
    const dir = writeTree({
      'apps/k.yaml': kustomization('team', 'team-a', '  sourceRef:\n    kind: GitRepository\n    name: repo\n'),
    });
    const findings = await validateCheckout(
      dir,
      [
        { name: 'one', path: 'apps' },
        { name: 'two', path: './apps/' },
      ],
      cfg,
    );
    expect(findings.map((f) => f.rule)).toEqual(['no-flux-applier']);
  });
});
