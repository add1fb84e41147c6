// The multi-tenancy and namespace-scope rules, on rendered objects (layer 1) and on the source's manifests
// (layer 2). Pure: the cluster's answers (scopes, applier namespaces) come in as data.
import { FLUX_APPLIER } from '../model/naming.js';
import type { KubeObject } from '../k8s/types.js';
import { groupOf, kindKey } from './cluster-scope.js';
import type { Finding, TenancyContext } from './findings.js';
import type { ScannedObject } from './scan.js';
import { lineOf } from './yaml.js';

type Path = (string | number)[];

interface RefSite {
  /** Path of the reference object (the one holding name/namespace). */
  path: Path;
  ref: { kind?: string; name?: string; namespace?: string };
  /** Kind named when the reference has no `kind` field. */
  defaultKind: string;
}

const FLUX_GROUP = /\.toolkit\.fluxcd\.io$/;

function get(obj: unknown, path: Path): unknown {
  let node = obj;
  for (const p of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[p];
  }
  return node;
}

function asRef(value: unknown): RefSite['ref'] | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  return { kind: str(v.kind), name: str(v.name), namespace: str(v.namespace) };
}

/** The references of a Flux object that may name another namespace (blocked by --no-cross-namespace-refs). */
export function referenceSites(obj: KubeObject): RefSite[] {
  const group = groupOf(obj.apiVersion);
  if (!FLUX_GROUP.test(group)) return [];
  const one = (path: Path, defaultKind: string): RefSite[] => {
    const ref = asRef(get(obj, path));
    return ref ? [{ path, ref, defaultKind }] : [];
  };
  const many = (path: Path, defaultKind: string): RefSite[] => {
    const list = get(obj, path);
    if (!Array.isArray(list)) return [];
    return list.flatMap((_, i) => one([...path, i], defaultKind));
  };
  const key = `${group.split('.')[0]}/${obj.kind}`;
  switch (key) {
    case 'kustomize/Kustomization':
      return [...one(['spec', 'sourceRef'], 'GitRepository'), ...many(['spec', 'dependsOn'], 'Kustomization')];
    case 'helm/HelmRelease':
      return [
        ...one(['spec', 'chart', 'spec', 'sourceRef'], 'HelmRepository'),
        ...one(['spec', 'chartRef'], 'OCIRepository'),
        ...many(['spec', 'dependsOn'], 'HelmRelease'),
      ];
    case 'source/HelmChart':
      return one(['spec', 'sourceRef'], 'HelmRepository');
    case 'image/ImagePolicy':
      return one(['spec', 'imageRepositoryRef'], 'ImageRepository');
    case 'image/ImageUpdateAutomation':
      return one(['spec', 'sourceRef'], 'GitRepository');
    case 'notification/Alert':
      return [...one(['spec', 'providerRef'], 'Provider'), ...many(['spec', 'eventSources'], 'Kustomization')];
    case 'notification/Receiver':
      return many(['spec', 'resources'], 'GitRepository');
    default:
      return one(['spec', 'sourceRef'], 'GitRepository');
  }
}

/** Flux kinds reconciled by impersonating a ServiceAccount (spec.serviceAccountName, else the default one). */
export function impersonates(obj: Pick<KubeObject, 'apiVersion' | 'kind'>): boolean {
  const group = groupOf(obj.apiVersion);
  return (
    (group === 'kustomize.toolkit.fluxcd.io' && obj.kind === 'Kustomization') ||
    (group === 'helm.toolkit.fluxcd.io' && obj.kind === 'HelmRelease')
  );
}

/** Whether the kind has spec.targetNamespace (the docs' fix: stay in the configuration namespace, target another). */
const hasTargetNamespace = impersonates;

export function describeObject(obj: KubeObject, namespace: string | undefined): string {
  const name = obj.metadata?.name || '(no name)';
  return `${obj.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

const dotted = (path: Path) =>
  path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .slice(1);

// ---------------------------------------------------------------------------------------------------------------
// Layer 1: rendered objects.

const RENDERED_CLUSTER_KINDS = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

/** Layer 1: the objects a configuration renders (source, Kustomizations, Secret, SA, bindings). */
export function validateRendered(objects: KubeObject[], ctx: TenancyContext): Finding[] {
  const findings: Finding[] = [];
  const ns = ctx.namespace;
  for (const obj of objects) {
    const objNs = obj.metadata?.namespace;
    const object = describeObject(obj, objNs);
    const clusterKind = RENDERED_CLUSTER_KINDS.has(obj.kind) && !objNs;
    if (clusterKind) {
      if (ctx.scope === 'namespace' && (obj.kind === 'ClusterRole' || obj.kind === 'ClusterRoleBinding'))
        findings.push({
          rule: 'rendered-cluster-rbac',
          severity: 'error',
          object,
          message: `a namespace-scoped configuration must not render a ${obj.kind}: ${FLUX_APPLIER} gets its rights in ${ns} from a RoleBinding`,
          fix: `render a RoleBinding in ${ns} for ServiceAccount ${ns}/${FLUX_APPLIER}`,
        });
      if (obj.kind === 'Namespace' && obj.metadata.name !== ns)
        findings.push({
          rule: 'rendered-namespace',
          severity: 'error',
          object,
          message: `renders Namespace ${obj.metadata.name}, but the configuration lives in ${ns}`,
          fix: `render only Namespace ${ns}`,
        });
    } else if (objNs !== ns) {
      findings.push({
        rule: 'rendered-namespace',
        severity: 'error',
        object,
        message: `rendered in namespace ${objNs ?? '(none)'}, but everything a configuration renders lives in its namespace ${ns}`,
        fix: `set metadata.namespace: ${ns}`,
      });
    }
    if (
      ctx.scope === 'namespace' &&
      groupOf(obj.apiVersion) === 'kustomize.toolkit.fluxcd.io' &&
      obj.kind === 'Kustomization'
    ) {
      const target = get(obj, ['spec', 'targetNamespace']);
      if (target !== ns)
        findings.push({
          rule: 'rendered-target-namespace',
          severity: 'error',
          object,
          message: `spec.targetNamespace is ${typeof target === 'string' ? target : 'not set'}; a namespace-scoped configuration targets only ${ns}`,
          fix: `set spec.targetNamespace: ${ns}`,
        });
    }
    for (const site of referenceSites(obj))
      if (site.ref.namespace !== undefined && site.ref.namespace !== ns)
        findings.push({
          rule: 'rendered-cross-namespace-ref',
          severity: 'error',
          object,
          message: `${dotted(site.path)} names ${site.ref.kind ?? site.defaultKind} ${site.ref.namespace}/${site.ref.name ?? ''}, outside the configuration namespace ${ns}`,
          fix: `reference objects of namespace ${ns} only`,
        });
    if (obj.kind === 'RoleBinding' || obj.kind === 'ClusterRoleBinding') {
      const subjects = Array.isArray(obj.subjects)
        ? (obj.subjects as { kind?: string; name?: string; namespace?: string }[])
        : [];
      for (const s of subjects)
        if (s.kind === 'ServiceAccount' && s.namespace !== undefined && s.namespace !== ns)
          findings.push({
            rule: 'rendered-cross-namespace-ref',
            severity: 'error',
            object,
            message: `binds ServiceAccount ${s.namespace}/${s.name ?? ''}, outside the configuration namespace ${ns}`,
            fix: `bind ServiceAccount ${ns}/${FLUX_APPLIER}`,
          });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------------
// Layer 2: the source's manifests.

export interface ManifestRuleInput {
  readonly objects: readonly ScannedObject[];
  /** kindKey → cluster-scoped (from resolveScopes). */
  readonly clusterScoped: ReadonlyMap<string, boolean>;
}

const clusterScopedFix: Record<string, (ns: string) => string> = {
  ClusterRole: (ns) =>
    `use a Role in namespace ${ns}, or have a cluster admin apply the ClusterRole (e.g. from a cluster-scoped configuration)`,
  ClusterRoleBinding: (ns) =>
    `use a RoleBinding in namespace ${ns}, or have a cluster admin apply the ClusterRoleBinding (e.g. from a cluster-scoped configuration)`,
  Namespace: (ns) =>
    `remove it: namespace ${ns} exists already; other namespaces belong to a cluster-scoped configuration`,
  CustomResourceDefinition: () =>
    'install CRDs from a cluster-scoped configuration (or have a cluster admin install them)',
};

/** Layer 2 rules over the scanned manifests of a configuration. */
export function checkManifests(input: ManifestRuleInput, ctx: TenancyContext): Finding[] {
  const findings: Finding[] = [];
  const ns = ctx.namespace;
  const isClusterScoped = (o: KubeObject) => input.clusterScoped.get(kindKey(o.apiVersion, o.kind)) ?? false;
  const effective = (s: ScannedObject) => {
    if (isClusterScoped(s.obj)) return undefined;
    const target = ctx.scope === 'namespace' ? ns : s.kustomization.targetNamespace;
    return target || s.namespaceOverride?.value || s.obj.metadata.namespace || ns;
  };
  const appliers = new Set([ns, ...(ctx.applierNamespaces ?? [])]);
  for (const s of input.objects)
    if (s.obj.kind === 'ServiceAccount' && s.obj.apiVersion === 'v1' && s.obj.metadata.name === FLUX_APPLIER) {
      const where = effective(s);
      if (where) appliers.add(where);
    }

  for (const s of input.objects) {
    const { obj } = s;
    const at = (path: Path) => lineOf(s.doc, s.node, path);
    const base = { file: s.file };
    const clusterScoped = isClusterScoped(obj);
    const effNs = effective(s);
    const object = describeObject(obj, effNs);

    if (ctx.scope === 'namespace') {
      if (clusterScoped) {
        findings.push({
          rule: 'cluster-scoped-kind',
          severity: 'error',
          ...base,
          line: s.line,
          object,
          message: `${obj.kind} is cluster-scoped: a namespace-scoped configuration may only create objects in namespace ${ns}`,
          fix: (
            clusterScopedFix[obj.kind] ??
            (() => 'remove it from this path and apply it from a cluster-scoped configuration')
          )(ns),
        });
        continue;
      }
      const declared = s.namespaceOverride?.value ?? obj.metadata.namespace;
      if (declared && declared !== ns) {
        const viaKustomize = s.namespaceOverride
          ? ` (set by ${s.namespaceOverride.file}:${s.namespaceOverride.line})`
          : '';
        findings.push({
          rule: 'other-namespace',
          severity: 'error',
          ...base,
          line: s.namespaceOverride ? s.line : at(['metadata', 'namespace']),
          object: describeObject(obj, declared),
          message: `is in namespace ${declared}${viaKustomize}; a namespace-scoped configuration may only deploy into ${ns}`,
          fix: `remove the namespace (objects without one land in ${ns}) or deploy it from a cluster-scoped configuration`,
        });
      }
      if (hasTargetNamespace(obj))
        for (const field of ['targetNamespace', 'storageNamespace']) {
          const value = get(obj, ['spec', field]);
          if (typeof value === 'string' && value !== ns)
            findings.push({
              rule: 'other-namespace',
              severity: 'error',
              ...base,
              line: at(['spec', field]),
              object,
              message: `spec.${field} is ${value}; a namespace-scoped configuration may only deploy into ${ns}`,
              fix: `set spec.${field}: ${ns} or remove it`,
            });
        }
    }

    if (!ctx.multiTenancy || clusterScoped || !effNs) continue;

    for (const site of referenceSites(obj)) {
      const refNs = site.ref.namespace;
      if (refNs === undefined || refNs === effNs) continue;
      const refKind = site.ref.kind ?? site.defaultKind;
      const refName = site.ref.name ?? '';
      const where = dotted(['spec', ...site.path.slice(1)]);
      const target = get(obj, ['spec', 'targetNamespace']);
      const fix =
        effNs !== ns && hasTargetNamespace(obj)
          ? `move ${obj.kind} ${obj.metadata.name} and ${refKind} ${refName} into namespace ${ns} (the configuration's namespace), point ${where} at namespace ${ns}` +
            (typeof target === 'string' ? '' : ` and set spec.targetNamespace: ${effNs}`)
          : `move ${refKind} ${refName} into namespace ${effNs} and drop ${where}.namespace`;
      findings.push({
        rule: 'cross-namespace-ref',
        severity: 'error',
        ...base,
        line: at([...site.path, 'namespace']),
        object,
        message: `${where} names ${refKind} ${refNs}/${refName} in another namespace: cross-namespace references are blocked (multiTenancy.enforce=true)`,
        fix,
      });
    }

    if (impersonates(obj) && !get(obj, ['spec', 'serviceAccountName']) && !appliers.has(effNs)) {
      const target = get(obj, ['spec', 'targetNamespace']);
      findings.push({
        rule: 'no-flux-applier',
        severity: 'error',
        ...base,
        line: obj.metadata.namespace ? at(['metadata', 'namespace']) : s.line,
        object,
        message: `has no spec.serviceAccountName, so Flux impersonates ServiceAccount ${FLUX_APPLIER} of namespace ${effNs}, which does not exist (${FLUX_APPLIER} exists in ${[...appliers].sort().join(', ')})`,
        fix:
          `move it into namespace ${ns}` +
          (typeof target === 'string' ? '' : ` and set spec.targetNamespace: ${effNs}`) +
          `, or set spec.serviceAccountName to a ServiceAccount of ${effNs} that has the rights it needs`,
      });
    }
  }
  return findings;
}
