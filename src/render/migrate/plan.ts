// Flux v1 → Flux v2 migration plan (issue #10, `fluxcfg k8s-configuration flux migrate-from-v1`).
//
// Design note
// -----------
// Pure (this module and everything it imports from src/model/migrate and src/render/migrate): no I/O, clock, env.
//   discover(objects)            model/migrate/discover.ts   listed objects → Inventory (fluxd, helm-operator,
//                                                            HelmRelease v1 + running release, memcached, RBAC, Arc)
//   inventoryFromAzList(json)    model/migrate/az-list.ts    `--from-file` (az k8s-configuration list -o json)
//   selectOperators(inv, filter) model/migrate/discover.ts   `--name` / `--namespace`
//   buildPlan(inventory)         here                        Inventory → MigrationPlan (JSON-able, no secret values)
//   planTable / planObjects / exportYaml   render/migrate/output.ts   `-o table`, `--export`
//   renderFluxdObjects(plan, material)     render/migrate/output.ts   the v2 objects with the Secret, for execute
// Phase 2 (built): the verb src/commands/k8s-configuration/flux/migrate-from-v1.ts orders the steps; the cluster I/O
// (discovery reads, backup folder, stop v1, HelmRelease v1 removal, Flux install, rollback) is in src/migrate/, the
// secret lookups in model/migrate/material.ts, the Helm source Secrets in render/migrate/secrets.ts.
// What the execute phase needs from the cluster:
//   - to discover: list Deployments, Services, ServiceAccounts, Secrets (the deploy key and `helm.sh/release.v1`
//     ones, by label owner=helm), ConfigMaps (known_hosts, Tiller's OWNER=TILLER), ClusterRole(Binding)s,
//     Role(Binding)s, StatefulSets/DaemonSets/CronJobs (automation annotations), CRDs, helmreleases.helm.fluxcd.io
//     and gitconfigs.clusterconfig.azure.com objects (when those kinds are served);
//   - to execute: read the values a SecretPlan points to (deploy key `identity`, known_hosts from a ConfigMap/Secret,
//     or an ssh-keyscan of the host when fluxd trusted its image's keys), save every `backup` ref, refuse while an
//     Arc configuration listed in `arc` still exists, delete `delete` refs in order (HelmRelease v1: drop finalizers
//     first, never touch the release Secrets), install Flux v2 if absent, apply renderFluxdObjects(...) and the
//     HelmReleases with their sources; every step idempotent, so a re-run resumes.
import type { ObjectRef } from '../../k8s/types.js';
import { describeRef } from '../../k8s/types.js';
import type { FluxConfiguration, KustomizationDefinition } from '../../model/flux-configuration.js';
import { authSecretName, kustomizationObjectName } from '../../model/naming.js';
import { DEFAULT_KUSTOMIZATION_NAME } from '../../model/kustomization-spec.js';
import { validateConfiguration } from '../../model/validate.js';
import {
  HELM_RELEASE_V1_CRD,
  LEGACY_V1_CRDS,
  type ArcConfiguration,
  type FluxdInstance,
  type HelmOperatorInstance,
  type Inventory,
} from '../../model/migrate/inventory.js';
import { convertHelmRelease, HelmSources, slugName, v2GitUrl } from './helm-release.js';
import { convertImageAutomation } from './image-automation.js';
import {
  reporter,
  type ArcPlan,
  type Finding,
  type FluxdPlan,
  type HelmOperatorPlan,
  type MigrationPlan,
  type SecretPlan,
} from './types.js';

export type { MigrationPlan } from './types.js';

/** Whole seconds for the az model (fractions round up so `500ms` does not become 0). */
const wholeSeconds = (s: number): number => Math.max(1, Math.ceil(s));

/** `az k8s-configuration delete` for a Flux v1 (sourceControlConfiguration) configuration. */
export function arcDeleteCommand(arc: ArcConfiguration): string {
  return [
    'az k8s-configuration delete',
    `--name ${arc.name}`,
    `--cluster-name ${arc.clusterName ?? '<cluster-name>'}`,
    `--resource-group ${arc.resourceGroup ?? '<resource-group>'}`,
    `--cluster-type ${arc.clusterType ?? 'connectedClusters'}`,
    '--yes',
  ].join(' ');
}

const REDACTED = '<redacted>';
/** Flags whose value is a credential (fluxd's Weave Cloud token). */
const SECRET_FLAGS = new Set(['token']);

/** A URL with its password (not a `$(VAR)` reference) replaced, so plans can be shared. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:)([^@/]+)@/i, (all, head: string, pass: string) =>
    /^\$\([^)]+\)$/.test(pass) ? all : `${head}${REDACTED}@`,
  );
}

/** fluxd arguments as shown in the plan: credentials redacted (`--token`, URL passwords). */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--([^=]+)(=?)/.exec(a);
    if (m && SECRET_FLAGS.has(m[1]!)) {
      if (m[2]) out.push(`--${m[1]}=${REDACTED}`);
      else {
        out.push(a);
        if (i + 1 < args.length) {
          out.push(REDACTED);
          i++;
        }
      }
      continue;
    }
    out.push(a.replace(/[a-z][a-z0-9+.-]*:\/\/\S*/gi, (u) => redactUrl(u)));
  }
  return out;
}

/** `--git-path` values → kustomization name → definition (`kustomization-1` at the root when none). */
export function kustomizationsForPaths(
  configName: string,
  paths: readonly string[],
  base: Omit<KustomizationDefinition, 'name' | 'path'>,
): Record<string, KustomizationDefinition> {
  const clean = (p: string) =>
    p
      .trim()
      .replace(/^\.?\/+/, '')
      .replace(/\/+$/, '')
      .replace(/^\.$/, '');
  const cleaned = [...new Set(paths.map(clean))];
  if (cleaned.every((p) => p === '')) {
    return { [DEFAULT_KUSTOMIZATION_NAME]: { name: DEFAULT_KUSTOMIZATION_NAME, path: '', ...base, dependsOn: [] } };
  }
  const out: Record<string, KustomizationDefinition> = {};
  cleaned.forEach((p, i) => {
    const max = Math.max(1, 62 - configName.length);
    let name = p === '' ? 'root' : slugName(p, max);
    if (Object.hasOwn(out, name)) name = slugName(`${name.slice(0, max - 3)}-${i + 1}`, max);
    out[name] = { name, path: p === '' ? '' : `./${p}`, ...base, dependsOn: [] };
  });
  return out;
}

/** The Flux v2 Git URL and credentials of a v1 `--git-url` (credentials leave the URL). */
function cleanGitUrl(url: string): string {
  const v2 = v2GitUrl(url);
  return /^https?:\/\//i.test(v2) ? v2.replace(/^(https?:\/\/)[^@/]*@/i, '$1') : v2;
}

function planFluxd(f: FluxdInstance, inventory: Inventory): FluxdPlan {
  const s = f.settings;
  const subject = f.deployment ? describeRef(f.deployment) : `fluxd ${f.namespace}/${f.name}`;
  const findings: Finding[] = [];
  const { warn, note } = reporter(findings, subject);

  for (const p of f.problems) warn('fluxd', p);
  for (const e of s.flags.errors) warn('fluxd-flag-error', `fluxd would refuse this argument: ${e}`);
  if (s.flags.unknown.length > 0) {
    warn(
      'unknown-flags',
      'flags fluxcfg does not know are kept in the plan but not converted: ' +
        s.flags.unknown.map((u) => `--${u.name}`).join(' '),
      'check whether they change how the repository is synced',
    );
  }

  // Scope: a fluxd limited to its own namespace is a namespace-scoped configuration.
  const allowed = [...new Set(s.allowNamespaces)];
  let scope: FluxConfiguration['scope'] = 'cluster';
  if (allowed.length === 1 && allowed[0] === f.namespace) scope = 'namespace';
  else if (allowed.length > 0) {
    warn(
      'allow-namespace',
      `fluxd was limited to namespaces ${allowed.join(', ')}; Flux v2 limits a configuration to its own namespace or ` +
        `none`,
      `planned as a cluster-scoped configuration; to keep the limit, replace the flux-applier ClusterRoleBinding by ` +
        `RoleBindings in ${allowed.join(', ')}`,
    );
  }

  const url = s.gitUrl ?? '';
  const v2url = url ? cleanGitUrl(url) : '';
  if (/^git:\/\//i.test(url)) {
    warn(
      'git-url-rewritten',
      `git:// URL ${url} becomes ${v2url}; Flux v2 accepts only http(s):// and ssh://`,
      'check the server serves HTTPS, or use its ssh:// URL',
    );
  }

  const badPaths = s.gitPaths.filter((p) => p.startsWith('/'));
  if (badPaths.length > 0) {
    warn(
      'git-path-absolute',
      `--git-path ${badPaths.join(',')} has a leading /, which fluxd refused; read as relative`,
    );
  }

  const prune = s.syncGarbageCollection && !s.syncGarbageCollectionDry;
  if (s.syncGarbageCollectionDry) {
    warn(
      'gc-dry-run',
      '--sync-garbage-collection-dry only logged what it would delete; Flux v2 has no dry-run pruning',
      'planned with prune false; use `flux diff kustomization` to preview, then set prune=true',
    );
  }
  const kustomizations = kustomizationsForPaths(f.name, s.gitPaths, {
    syncIntervalInSeconds: wholeSeconds(s.syncInterval),
    timeoutInSeconds: wholeSeconds(s.syncTimeout),
    prune,
    force: false,
    wait: false,
  });
  note(
    'no-health-wait',
    'fluxd applied without waiting for health: the Kustomizations are planned with wait false',
    'set wait=true (-k ... disable_health_check=false) to get health checks',
  );
  note(
    'atomic-apply',
    'Flux v2 applies each Kustomization atomically with server-side apply: one invalid manifest blocks the others of ' +
      'its path',
  );

  const configuration: FluxConfiguration = {
    name: f.name,
    namespace: f.namespace,
    scope,
    sourceKind: 'GitRepository',
    suspend: false,
    gitRepository: {
      url: v2url,
      repositoryRef: { branch: s.gitBranch },
      syncIntervalInSeconds: wholeSeconds(s.gitPollInterval),
      timeoutInSeconds: wholeSeconds(s.gitTimeout),
    },
    kustomizations,
  };

  let secret: SecretPlan | undefined;
  const secretName = authSecretName(f.name, 'GitRepository');
  if (f.auth.kind === 'ssh') {
    const { identity, knownHosts } = f.auth;
    const data = { identity, known_hosts: knownHosts };
    secret = { namespace: f.namespace, name: secretName, data, renderedBy: 'configuration' };
    if (knownHosts.from === 'inline') configuration.gitRepository!.sshKnownHosts = knownHosts.base64;
    if (f.auth.identitySource === 'az') {
      note(
        'deploy-key-from-cluster',
        'az does not return the SSH key: the execute phase reads the Secret mounted in the fluxd Deployment ' +
          `(fluxd's default: ${identity.namespace}/${identity.name}, key ${identity.key})`,
      );
    } else if (!identity.found) {
      warn(
        'deploy-key-missing',
        `deploy key Secret ${identity.namespace}/${identity.name} was not found`,
        'create it with the private key (key ' + identity.key + ') or pass the key to the execute phase',
      );
    } else if (!identity.hasValue) {
      warn(
        'deploy-key-empty',
        `deploy key Secret ${identity.namespace}/${identity.name} has no ${identity.key}: fluxd never generated a key`,
        'add the key to the Secret, or generate a new deploy key and register it with the Git host',
      );
    }
    if (knownHosts.from === 'image') {
      note(
        'known-hosts-scan',
        `no known_hosts was mounted: fluxd trusted the host keys in its image; the execute phase scans ` +
          `${knownHosts.host}${knownHosts.port ? `:${knownHosts.port}` : ''}`,
        'compare the scanned fingerprint with the one your Git host publishes',
      );
    } else if (knownHosts.from !== 'inline' && !knownHosts.found) {
      warn(
        'known-hosts-missing',
        `known_hosts ${knownHosts.from} ${knownHosts.namespace}/${knownHosts.name} was not found`,
      );
    }
  } else if (f.auth.kind === 'https') {
    const data: SecretPlan['data'] = {};
    if (f.auth.username) {
      if ('literal' in f.auth.username) configuration.gitRepository!.httpsUser = f.auth.username.literal;
      else data.username = f.auth.username;
    }
    if (f.auth.password) data.password = f.auth.password;
    if (Object.keys(data).length > 0 || configuration.gitRepository!.httpsUser) {
      secret = { namespace: f.namespace, name: secretName, data, renderedBy: 'configuration' };
      note(
        'https-credentials',
        `the Git credentials move out of the URL into Secret ${f.namespace}/${secretName} (username, password)`,
      );
    }
  }

  if (!s.gitReadonly) {
    warn(
      'git-write-back',
      `fluxd had write access (no --git-readonly): it pushed its sync tag${s.gitLabel ? ` ${s.gitLabel}` : ''} and ` +
        `image-update commits; Flux v2 sources are read-only`,
      'image updates need an ImageUpdateAutomation with a write deploy key; the old sync tag and notes can be ' +
        'deleted from the repository',
    );
  }
  if (s.manifestGeneration) {
    warn(
      'manifest-generation',
      '--manifest-generation (.flux.yaml generators, commandUpdated/patchUpdated) is not supported by Flux v2',
      'remove .flux.yaml; point the kustomization at the kustomize overlay it built, or render in CI',
    );
  }
  if (s.gitSecret) {
    warn(
      'git-secret',
      '--git-secret (git-secret reveal) has no Flux v2 equivalent',
      're-encrypt the files with SOPS and add spec.decryption to the Kustomizations',
    );
  }
  if (s.sops) {
    warn(
      'sops',
      '--sops decrypted with keys in the fluxd pod; Flux v2 needs them in a Secret',
      'put the keys (*.asc / *.agekey) in a Secret and add spec.decryption {provider: sops, secretRef} to the ' +
        'Kustomizations',
    );
  }
  if (s.gitVerifySignaturesMode !== 'none') {
    warn(
      'verify-signatures',
      `--git-verify-signatures-mode=${s.gitVerifySignaturesMode} is not carried over`,
      'add spec.verify (mode HEAD, secretRef with the *.asc keys) to the GitRepository',
    );
  }
  if (s.defaultNamespace) {
    warn(
      'default-namespace',
      `--k8s-default-namespace=${s.defaultNamespace} filled in missing namespaces; Flux v2 targetNamespace overrides ` +
        `every namespace`,
      'write explicit namespaces into the manifests (not converted)',
    );
  }
  const automated = inventory.automated.some((w) => w.ref.namespace === f.namespace || scope === 'cluster');
  if (!s.registryDisableScanning && !automated) {
    note(
      'registry-scanning',
      'fluxd scanned image registries; nothing in the plan replaces it (no automated workloads were found)',
    );
  }
  if (f.memcached.length > 0) {
    note(
      'memcached',
      `memcached (${f.memcached.map(describeRef).join(', ')}) only cached registry scans: it is deleted`,
    );
  }
  if (f.arc) {
    warn(
      'arc-configuration',
      `this fluxd belongs to Azure Arc configuration ${f.arc.name}; while it exists Azure's config-agent may ` +
        `recreate fluxd`,
      `run: ${arcDeleteCommand(f.arc)}`,
    );
  }
  try {
    validateConfiguration(configuration);
  } catch (e) {
    warn('configuration-invalid', (e as Error).message, (e as { hint?: string }).hint);
  }
  for (const name of Object.keys(kustomizations)) {
    if (kustomizationObjectName(f.name, name).length > 63) {
      warn('kustomization-name', `Kustomization ${kustomizationObjectName(f.name, name)} is longer than 63 characters`);
    }
  }

  const plan: FluxdPlan = {
    v1: {
      name: f.name,
      namespace: f.namespace,
      gitBranch: s.gitBranch,
      gitPaths: s.gitPaths,
      gitPollInterval: s.gitPollInterval,
      syncInterval: s.syncInterval,
      syncGarbageCollection: s.syncGarbageCollection,
      gitReadonly: s.gitReadonly,
      allowNamespaces: allowed,
      args: redactArgs(f.args),
      unknownFlags: s.flags.unknown.map((u) => u.name),
    },
    configuration,
    findings,
  };
  if (f.deployment) plan.v1.deployment = f.deployment;
  if (f.image) plan.v1.image = f.image.image;
  if (s.gitUrl) plan.v1.gitUrl = redactUrl(s.gitUrl);
  if (secret) plan.secret = secret;
  return plan;
}

function planHelmOperator(h: HelmOperatorInstance, inventory: Inventory): HelmOperatorPlan {
  const subject = h.deployment ? describeRef(h.deployment) : `helm-operator ${h.namespace}/${h.name}`;
  const findings: Finding[] = [];
  const mine = inventory.helmReleases.filter(
    (hr) => hr.operator?.name === h.name && hr.operator.namespace === h.namespace,
  );
  const { warn, note } = reporter(findings, subject);
  const versions = h.settings.enabledHelmVersions;
  if (versions.includes('v2')) {
    note(
      'helm-v2-enabled',
      `Helm v2 is enabled (--enabled-helm-versions=${versions.join(',')}); ` + 'helm-controller only knows Helm v3',
    );
  }
  note(
    'helm-operator-stopped-first',
    'the Helm Operator is deleted before any HelmRelease changes, so no release is uninstalled; ' +
      'helm-controller then upgrades each release once',
  );
  if (h.arc) {
    warn('arc-configuration', `installed by Azure Arc configuration ${h.arc.name}`, `run: ${arcDeleteCommand(h.arc)}`);
  }
  const plan: HelmOperatorPlan = {
    v1: { name: h.name, namespace: h.namespace, enabledHelmVersions: h.settings.enabledHelmVersions },
    helmReleases: mine.map((hr) => hr.ref),
    findings,
  };
  if (h.deployment) plan.v1.deployment = h.deployment;
  if (h.image) plan.v1.image = h.image.image;
  if (h.settings.allowNamespace) plan.v1.allowNamespace = h.settings.allowNamespace;
  return plan;
}

export interface PlanOptions {
  /** `--name` / `--namespace` were given: the inventory was narrowed, so shared objects (the CRD) stay. */
  partial?: boolean;
}

const refKey = (r: ObjectRef) => `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}|${r.name}`;
function uniqueRefs(refs: ObjectRef[]): ObjectRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => (seen.has(refKey(r)) ? false : (seen.add(refKey(r)), true)));
}

/** Inventory → the plan. Deterministic: the same inventory gives the same plan. */
export function buildPlan(inventory: Inventory, options: PlanOptions = {}): MigrationPlan {
  const findings: Finding[] = [];
  const fluxd = inventory.fluxd.map((f) => planFluxd(f, inventory));

  const first = inventory.helmOperators[0]?.settings;
  const sources = new HelmSources({
    repository: 600,
    git: first?.gitPollInterval ?? 300,
    gitTimeout: first?.gitTimeout ?? 20,
  });
  const helmReleases = inventory.helmReleases.map((hr) => {
    const operator = inventory.helmOperators.find(
      (h) => h.name === hr.operator?.name && h.namespace === hr.operator?.namespace,
    );
    return convertHelmRelease(hr, sources, operator);
  });
  for (const hr of inventory.helmReleases) {
    if (!hr.operator && inventory.helmOperators.length > 0) {
      const message = 'no Helm Operator handles this namespace (--allow-namespace): it is converted anyway';
      reporter(findings, describeRef(hr.ref)).note('helm-release-unhandled', message);
    }
  }
  const helmOperators = inventory.helmOperators.map((h) => planHelmOperator(h, inventory));
  const automationInterval = inventory.fluxd[0]?.settings.automationInterval ?? 300;
  const automation = convertImageAutomation(inventory.automated, automationInterval);
  findings.push(...automation.findings);

  const arc: ArcPlan[] = inventory.arc.configurations.map((configuration) => ({
    configuration,
    deleteCommand: arcDeleteCommand(configuration),
  }));
  if (arc.length > 0) {
    reporter(findings, 'Azure Arc').warn(
      'arc-delete-first',
      `${arc.length} Flux v1 sourceControlConfiguration(s) exist; Azure's config-agent recreates their operators ` +
        'until they are deleted in Azure',
      arc.map((a) => a.deleteCommand).join(' && '),
    );
  } else if (inventory.arc.agent) {
    reporter(findings, describeRef(inventory.arc.agent)).note(
      'arc-agent',
      'the Azure Arc config-agent runs, but no Flux v1 GitConfig was found',
      'check `az k8s-configuration list` for Flux v1 configurations',
    );
  }
  if (inventory.source === 'file') {
    reporter(findings, 'plan').note(
      'from-file',
      'planned from az output: the Deployments, RBAC and HelmReleases are read from the cluster when the ' +
        'migration runs',
    );
  }

  // Backup and delete lists.
  const unconverted = new Set(helmReleases.filter((h) => !h.helmRelease).map((h) => refKey(h.v1)));
  const hrRefs = inventory.helmReleases.map((h) => h.ref);
  const deletable = hrRefs.filter((r) => !unconverted.has(refKey(r)));
  const crds = inventory.crds.filter((c) => c.name === HELM_RELEASE_V1_CRD || LEGACY_V1_CRDS.includes(c.name));
  const keepCrd = options.partial === true || unconverted.size > 0;
  if (crds.length > 0 && keepCrd) {
    reporter(findings, crds.map(describeRef).join(', ')).note(
      'crd-kept',
      options.partial
        ? 'only part of Flux v1 is migrated: the HelmRelease v1 CRD stays'
        : 'some HelmReleases could not be converted: they and the HelmRelease v1 CRD stay',
    );
  }
  const hops = inventory.helmOperators;
  const deleteRefs = uniqueRefs([
    ...hops.flatMap((h) => (h.deployment ? [h.deployment] : [])),
    ...inventory.fluxd.flatMap((f) => (f.deployment ? [f.deployment] : [])),
    ...inventory.fluxd.flatMap((f) => f.memcached),
    ...[...hops.flatMap((h) => h.rbac), ...inventory.fluxd.flatMap((f) => f.rbac)].sort(
      (a, b) => rbacOrder(a.kind) - rbacOrder(b.kind),
    ),
    ...deletable,
    ...(keepCrd ? [] : crds),
  ]);
  const secretRefs: ObjectRef[] = inventory.fluxd.flatMap((f) => {
    if (f.auth.kind !== 'ssh' || !f.auth.identity.found) return [];
    return [{ apiVersion: 'v1', kind: 'Secret', namespace: f.auth.identity.namespace, name: f.auth.identity.name }];
  });
  const backup = uniqueRefs([...deleteRefs, ...hrRefs, ...crds, ...secretRefs]);

  return {
    kind: 'FluxV1MigrationPlan',
    source: inventory.source,
    fluxd,
    helmOperators,
    helmReleases,
    helmSources: sources.objects(),
    helmSourceSecrets: sources.secretPlans(),
    imageAutomation: automation.objects,
    arc,
    findings,
    backup,
    delete: deleteRefs,
  };
}

/** Bindings before the roles and accounts they use. */
function rbacOrder(kind: string): number {
  return ['ClusterRoleBinding', 'RoleBinding', 'ClusterRole', 'Role', 'ServiceAccount'].indexOf(kind);
}

/** Every finding of the plan, operators' first. */
export function allFindings(plan: MigrationPlan): Finding[] {
  return [
    ...plan.fluxd.flatMap((f) => f.findings),
    ...plan.helmOperators.flatMap((h) => h.findings),
    ...plan.helmReleases.flatMap((h) => h.findings),
    ...plan.findings,
  ];
}
