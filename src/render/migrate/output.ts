// What the plan looks like to the user: `-o table` rows (per operator, v1 → v2 lines), the v2 objects for `--export`
// (no Secret values: the Git Secrets are created by the execute phase from the v1 ones) and, for the execute phase,
// the v2 objects of one fluxd with its Git Secret. Pure.
import type { KubeObject } from '../../k8s/types.js';
import { describeRef } from '../../k8s/types.js';
import type { ProtectedSettings } from '../../model/flux-configuration.js';
import { kustomizationObjectName } from '../../model/naming.js';
import { renderFluxConfiguration } from '../flux-configuration.js';
import { toYaml } from '../yaml.js';
import { allFindings } from './plan.js';
import type { FluxdPlan, MigrationPlan, SecretPlan } from './types.js';

/** The secret values the execute phase read for one fluxd's Git Secret (never part of the plan). */
export interface GitSecretMaterial {
  identity?: string;
  knownHosts?: string;
  username?: string;
  password?: string;
}

/**
 * One fluxd's v2 objects via renderFluxConfiguration. With `material` they include the Git Secret; without (export),
 * the Secret is left out and the GitRepository still references it by name.
 */
export function renderFluxdObjects(fluxd: FluxdPlan, material?: GitSecretMaterial): KubeObject[] {
  const config = structuredClone(fluxd.configuration);
  const protectedSettings: ProtectedSettings = {};
  const extra: { knownHosts?: string } = {};
  const secret = fluxd.secret;
  if (secret) {
    // Placeholders only decide which keys the renderer writes; the Secret is dropped below when there is no material.
    const placeholder = material === undefined;
    if ('identity' in secret.data) {
      protectedSettings.sshPrivateKey = placeholder ? '<identity>' : material.identity;
      if (!config.gitRepository!.sshKnownHosts) extra.knownHosts = placeholder ? '<known_hosts>' : material.knownHosts;
    }
    if ('password' in secret.data) protectedSettings.httpsKey = placeholder ? '<password>' : material.password;
    // A username read from a Secret becomes the configuration's httpsUser, as az stores it.
    if (!placeholder && material.username !== undefined) config.gitRepository!.httpsUser = material.username;
  }
  const objects = renderFluxConfiguration({ config, protectedSettings, extra });
  if (material !== undefined || !secret) return objects;
  return objects.filter((o) => !(o.kind === 'Secret' && o.metadata.name === secret.name));
}

/** Every v2 object of the plan, in export order: configurations, Helm sources and releases, automation drafts. */
export function planObjects(plan: MigrationPlan): KubeObject[] {
  return [
    ...plan.fluxd.flatMap((f) => renderFluxdObjects(f)),
    ...plan.helmSources,
    ...plan.helmReleases.flatMap((h) => (h.helmRelease ? [h.helmRelease] : [])),
    ...plan.imageAutomation,
  ];
}

/** `--export`: the v2 objects as YAML. */
export function exportYaml(plan: MigrationPlan): string {
  return toYaml(planObjects(plan));
}

/** Where a Secret value comes from, for the table. */
function describeSource(src: SecretPlan['data'][string]): string {
  if ('literal' in src) return 'literal';
  if ('kind' in src) return `Secret ${src.namespace}/${src.name}`;
  if (src.from === 'inline') return 'inline';
  if (src.from === 'image') return `image scan ${src.host}`;
  return `${src.from} ${src.namespace}/${src.name}`;
}

export interface PlanRow {
  operator: string;
  v1: string;
  v2: string;
}

const seconds = (s: number) => (s % 60 === 0 ? `${s / 60}m` : `${s}s`);

/** Warnings the table shows on their own row (the Arc ones are the `arc` rows). */
const tableWarnings = (findings: MigrationPlan['findings']) =>
  findings.filter((x) => x.severity === 'warning' && x.code !== 'arc-configuration' && x.code !== 'arc-delete-first');

/** `-o table`: per operator, what it had (v1) and what replaces it (v2), then one row per warning. */
export function planTable(plan: MigrationPlan): PlanRow[] {
  const rows: PlanRow[] = [];
  for (const f of plan.fluxd) {
    const operator = `fluxd ${f.v1.namespace}/${f.v1.name}`;
    const c = f.configuration;
    const git = c.gitRepository!;
    rows.push({
      operator,
      v1: `${f.v1.gitUrl ?? '(no --git-url)'} branch ${f.v1.gitBranch}, poll ${seconds(f.v1.gitPollInterval)}`,
      v2: `GitRepository ${c.namespace}/${c.name} ${git.url} branch ${git.repositoryRef?.branch}, scope ${c.scope}`,
    });
    for (const [name, k] of Object.entries(c.kustomizations)) {
      rows.push({
        operator,
        v1:
          `--git-path ${k.path ? k.path.replace(/^\.\//, '') : '(root)'}, sync ${seconds(f.v1.syncInterval)}, ` +
          `gc ${f.v1.syncGarbageCollection}`,
        v2:
          `Kustomization ${c.namespace}/${kustomizationObjectName(c.name, name)} path ${k.path || './'}, ` +
          `prune ${k.prune}`,
      });
    }
    if (f.secret) {
      const from = Object.entries(f.secret.data)
        .map(([key, src]) => `${key} ← ${describeSource(src)}`)
        .join(', ');
      rows.push({ operator, v1: 'Git credentials', v2: `Secret ${f.secret.namespace}/${f.secret.name} (${from})` });
    }
    for (const w of tableWarnings(f.findings)) rows.push({ operator, v1: `! ${w.code}`, v2: w.action ?? w.message });
  }
  for (const h of plan.helmOperators) {
    const operator = `helm-operator ${h.v1.namespace}/${h.v1.name}`;
    const scope = h.v1.allowNamespace ? ` (namespace ${h.v1.allowNamespace})` : '';
    rows.push({ operator, v1: `Helm Operator${scope}`, v2: 'helm-controller (Flux v2)' });
    const mine = new Set(h.helmReleases.map((r) => `${r.namespace}/${r.name}`));
    for (const hr of plan.helmReleases.filter((r) => mine.has(`${r.v1.namespace}/${r.v1.name}`))) {
      rows.push(...releaseRows(operator, hr));
    }
  }
  const handled = new Set(plan.helmOperators.flatMap((h) => h.helmReleases.map((r) => `${r.namespace}/${r.name}`)));
  for (const hr of plan.helmReleases.filter((r) => !handled.has(`${r.v1.namespace}/${r.v1.name}`))) {
    rows.push(...releaseRows('(no helm-operator)', hr));
  }
  for (const a of plan.arc) {
    const operator = `arc ${a.configuration.name}`;
    rows.push({ operator, v1: 'sourceControlConfiguration', v2: `delete first: ${a.deleteCommand}` });
  }
  for (const w of tableWarnings(plan.findings)) {
    rows.push({ operator: w.subject, v1: `! ${w.code}`, v2: w.action ?? w.message });
  }
  return rows;
}

function releaseRows(operator: string, hr: MigrationPlan['helmReleases'][number]): PlanRow[] {
  const chart = hr.running?.chartVersion ? `, chart ${hr.running.chartVersion}` : '';
  const running = hr.running ? `rev ${hr.running.revision}${chart}` : 'not found';
  const rows: PlanRow[] = [
    {
      operator,
      v1: `${describeRef(hr.v1)} → release ${hr.targetNamespace}/${hr.releaseName} (${running})`,
      v2: hr.helmRelease
        ? `HelmRelease ${hr.v1.namespace}/${hr.v1.name} from ${hr.sourceRef!.kind} ${hr.sourceRef!.name}`
        : 'not converted',
    },
  ];
  for (const w of tableWarnings(hr.findings)) rows.push({ operator, v1: `! ${w.code}`, v2: w.action ?? w.message });
  return rows;
}

/** Counts for a one-line summary (`3 warnings, 5 notes`). */
export function findingCounts(plan: MigrationPlan): { warnings: number; notes: number } {
  const all = allFindings(plan);
  const count = (severity: string) => all.filter((f) => f.severity === severity).length;
  return { warnings: count('warning'), notes: count('note') };
}
