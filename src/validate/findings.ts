// What a validation finds, and the rules that find it.

export type Severity = 'error' | 'warning';

export interface Finding {
  /** Rule id (see `rules`). */
  rule: string;
  severity: Severity;
  /** Path relative to the checkout root, `/`-separated; absent for rendered objects. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** `Kind namespace/name` (or `Kind name` when cluster-scoped). */
  object?: string;
  message: string;
  /** What to change. */
  fix?: string;
}

/** Where a configuration lives and what the cluster enforces. */
export interface TenancyContext {
  /** The configuration's namespace (where its `flux-applier` lives). */
  namespace: string;
  scope: 'cluster' | 'namespace';
  /** multiTenancy.enforce: cross-namespace references blocked, objects impersonate `flux-applier` of their namespace. */
  multiTenancy: boolean;
  /** namespaces that have a flux-applier from another fluxcfg configuration */
  applierNamespaces?: string[];
}

/** Every rule, with what it checks: the ids are stable (CI scripts may filter on them). */
export const rules = {
  // Layer 1: the objects a configuration renders.
  'rendered-namespace': 'every rendered namespaced object lives in the configuration namespace',
  'rendered-target-namespace': 'scope namespace: every Kustomization targets the configuration namespace',
  'rendered-cluster-rbac': 'scope namespace: flux-applier is bound by a RoleBinding, never cluster-wide',
  'rendered-cross-namespace-ref': 'no rendered object references another namespace',
  // Layer 2: the source's manifests.
  'cross-namespace-ref': 'multi-tenancy: sourceRef/chartRef/dependsOn/eventSources… stay in the object namespace',
  'no-flux-applier':
    'multi-tenancy: a Kustomization/HelmRelease outside the configuration namespace names a serviceAccountName',
  'cluster-scoped-kind': 'scope namespace: no cluster-scoped objects',
  'other-namespace': 'scope namespace: no objects (or targetNamespace/storageNamespace) in other namespaces',
  'remote-base': 'kustomization.yaml resources from remote URLs (an error with --no-remote-bases)',
  'missing-resource': 'every kustomization.yaml resource exists',
  'path-not-found': 'every kustomization path exists in the source',
  'yaml-invalid': 'every YAML file parses',
  'yaml-alias-bomb': 'no YAML document expands through aliases to a huge size',
  'file-too-large': 'no manifest file is larger than the size limit',
  'symlink-escape': 'no symlink or path leaves the checkout',
  'not-a-regular-file': 'FIFOs, sockets and devices are skipped (reading one would hang), with a warning',
} as const;

export type RuleId = keyof typeof rules;

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

/** `file:line`, `file`, or '' (the table's location column). */
export function locationOf(f: Finding): string {
  if (!f.file) return f.line ? `line ${f.line}` : '';
  return f.line ? `${f.file}:${f.line}` : f.file;
}

/** Stable order (file, line, rule, object) and no duplicates (a file reached by two kustomizations). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = JSON.stringify([f.rule, f.severity, f.file, f.line, f.object, f.message, f.fix]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out.sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.rule.localeCompare(b.rule) ||
      (a.object ?? '').localeCompare(b.object ?? ''),
  );
}

/**
 * Human text for an error message: one line per finding (`severity location object: message [rule]`) and an
 * indented `fix:` line under it.
 */
export function formatFindings(findings: Finding[]): string {
  return findings
    .map((f) => {
      const head = [f.severity, locationOf(f), f.object ? `${f.object}:` : ''].filter(Boolean).join(' ');
      const first = `${head} ${f.message} [${f.rule}]`;
      return f.fix ? `${first}\n  fix: ${f.fix}` : first;
    })
    .join('\n');
}

/** One-line count for stderr: `2 errors, 1 warning`. */
export function summarize(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
