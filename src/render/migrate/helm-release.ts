// HelmRelease helm.fluxcd.io/v1 → helm.toolkit.fluxcd.io/v2 (reference flux-v1-migration.md §3–§5): the v2 object
// pinned to the running release (releaseName, targetNamespace, storageNamespace) so helm-controller adopts it, its
// chart source (HelmRepository per repository URL, GitRepository per Git URL and ref, shared per namespace), and a
// finding for everything that cannot convert. Pure.
import type { KubeObject } from '../../k8s/types.js';
import { formatGoDuration, formatGoDurationNoHours } from '../../model/duration.js';
import { MANAGED_BY_LABEL, MANAGER, SOURCE_API_VERSION } from '../../model/naming.js';
import type {
  HelmOperatorInstance,
  HelmReleaseV1,
  KnownHostsSource,
  SecretKeyRef,
} from '../../model/migrate/inventory.js';
import { sshHostOf } from '../../model/migrate/discover.js';
import { fluxGitUrl } from '../flux-configuration.js';
import { reporter, type Finding, type HelmReleasePlan, type SecretPlan } from './types.js';

export const HELM_API_VERSION = 'helm.toolkit.fluxcd.io/v2';
/** Annotation on every migrated object: the v1 object it replaces. */
export const MIGRATED_FROM_ANNOTATION = 'fluxcfg.io/migrated-from';
/** helm-controller refuses (hashes) release names longer than this. */
const MAX_RELEASE_NAME = 53;

/** A DNS-1123 name from free text (URL host + path): lowercase, `-` separated, ≤ max characters. */
export function slugName(text: string, max = 63): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '') || 'source';
}

/** URL → the name part of a source: host and path without scheme, credentials, `.git` or `www.`. */
function urlStem(url: string): string {
  return url
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^[^@/]*@/, '')
    .replace(/:\d+(?=\/)/, '')
    .replace(/\.git\/?$/, '')
    .replace(/^www\./, '')
    .replace(/\/+$/, '');
}

/** v1 chart Git URL → what GitRepository accepts (`git://` → `https://`, scp-like → `ssh://`). */
export function v2GitUrl(url: string): string {
  return fluxGitUrl(url.replace(/^git:\/\//i, 'https://'));
}

/** A ref that is a full or abbreviated commit SHA (v1 `chart.ref` was "a branch or other reference"). */
const SHA = /^[0-9a-f]{7,40}$/;

export interface GitChartAuth {
  identity: SecretKeyRef;
  knownHosts?: KnownHostsSource;
}

/** The chart sources the HelmReleases share: one object per (namespace, URL[, ref]), unique names per namespace. */
export class HelmSources {
  private readonly byKey = new Map<string, KubeObject>();
  private readonly secrets = new Map<string, SecretPlan>();

  /** Intervals in seconds: HelmRepository, GitRepository (the operator's --git-poll-interval) and Git timeout. */
  constructor(
    private readonly intervals: { repository: number; git: number; gitTimeout: number } = {
      repository: 600,
      git: 300,
      gitTimeout: 20,
    },
  ) {}

  private unique(namespace: string, base: string): string {
    const inNamespace = [...this.byKey.values()].filter((o) => o.metadata.namespace === namespace);
    const taken = new Set(inNamespace.map((o) => o.metadata.name));
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) {
      const name = `${base.slice(0, 60)}-${i}`;
      if (!taken.has(name)) return name;
    }
  }

  helmRepository(namespace: string, url: string): { kind: 'HelmRepository'; name: string; namespace: string } {
    const normalized = url.replace(/\/+$/, '');
    const key = `HelmRepository\0${namespace}\0${normalized}`;
    let obj = this.byKey.get(key);
    if (!obj) {
      const oci = /^oci:\/\//i.test(normalized);
      obj = {
        apiVersion: SOURCE_API_VERSION,
        kind: 'HelmRepository',
        metadata: {
          name: this.unique(namespace, slugName(urlStem(normalized))),
          namespace,
          labels: { [MANAGED_BY_LABEL]: MANAGER },
        },
        spec: {
          url: normalized,
          interval: formatGoDuration(this.intervals.repository),
          ...(oci ? { type: 'oci' } : {}),
        },
      };
      this.byKey.set(key, obj);
    }
    return { kind: 'HelmRepository', name: obj.metadata.name, namespace };
  }

  gitRepository(
    namespace: string,
    url: string,
    ref: string,
    auth: { secretName?: string; ssh?: GitChartAuth },
  ): { kind: 'GitRepository'; name: string; namespace: string } {
    const v2url = v2GitUrl(url);
    const key = `GitRepository\0${namespace}\0${v2url}\0${ref}`;
    let obj = this.byKey.get(key);
    if (!obj) {
      const name = this.unique(namespace, slugName(`${urlStem(v2url)}-${SHA.test(ref) ? ref.slice(0, 12) : ref}`));
      let secretRef: { name: string } | undefined;
      if (auth.secretName) secretRef = { name: auth.secretName };
      else if (auth.ssh && /^ssh:\/\//.test(v2url)) {
        const secretName = `${name.slice(0, 58)}-auth`;
        const data: SecretPlan['data'] = { identity: auth.ssh.identity };
        if (auth.ssh.knownHosts) data.known_hosts = auth.ssh.knownHosts;
        this.secrets.set(`${namespace}/${secretName}`, { namespace, name: secretName, data, renderedBy: 'object' });
        secretRef = { name: secretName };
      }
      obj = {
        apiVersion: SOURCE_API_VERSION,
        kind: 'GitRepository',
        metadata: { name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGER } },
        spec: {
          url: v2url,
          interval: formatGoDuration(this.intervals.git),
          timeout: formatGoDurationNoHours(this.intervals.gitTimeout),
          ref: SHA.test(ref) ? { commit: ref } : { branch: ref },
          ...(secretRef ? { secretRef } : {}),
        },
      };
      this.byKey.set(key, obj);
    }
    return { kind: 'GitRepository', name: obj.metadata.name, namespace };
  }

  objects(): KubeObject[] {
    return [...this.byKey.values()];
  }

  secretPlans(): SecretPlan[] {
    return [...this.secrets.values()];
  }
}

type Spec = Record<string, unknown>;
const obj = (v: unknown): Spec => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Spec) : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The Helm version v1 used for this release: spec.helmVersion, else the lowest one the operator enabled. */
export function effectiveHelmVersion(hr: HelmReleaseV1, operator?: HelmOperatorInstance): string {
  const given = str(hr.spec.helmVersion);
  if (given) return given;
  const enabled = operator?.settings.enabledHelmVersions ?? ['v2', 'v3'];
  return [...enabled].sort()[0] ?? 'v3';
}

/** One HelmRelease v1 → its v2 HelmRelease (sources registered in `sources`) and findings. */
export function convertHelmRelease(
  hr: HelmReleaseV1,
  sources: HelmSources,
  operator?: HelmOperatorInstance,
): HelmReleasePlan {
  const subject = `HelmRelease ${hr.namespace}/${hr.name}`;
  const findings: Finding[] = [];
  const { warn, note } = reporter(findings, subject);
  const spec = hr.spec;
  const chart = obj(spec.chart);
  const plan: HelmReleasePlan = {
    v1: hr.ref,
    releaseName: hr.releaseName,
    targetNamespace: hr.targetNamespace,
    storageNamespace: hr.targetNamespace,
    chartSource: 'unsupported',
    findings,
  };
  const current = hr.release.current;
  if (current) {
    plan.running = { revision: current.revision, secret: current.secret };
    if (current.status) plan.running.status = current.status;
    if (current.chart) plan.running.chart = current.chart;
    if (current.chartVersion) plan.running.chartVersion = current.chartVersion;
  }

  // Helm v2 releases cannot be adopted.
  const helmVersion = effectiveHelmVersion(hr, operator);
  if (hr.release.helmV2 || (helmVersion === 'v2' && !current)) {
    warn(
      'helm-v2-release',
      hr.release.helmV2
        ? `release ${hr.releaseName} is a Helm v2 (Tiller) release; helm-controller only manages Helm v3 releases`
        : `the HelmRelease targets Helm v2 (spec.helmVersion, else the operator's lowest enabled version) and no ` +
            `Helm v3 release ${hr.releaseName} was found in ${hr.targetNamespace}; ` +
            'helm-controller only manages Helm v3 releases',
      `convert it first (helm 2to3 convert ${hr.releaseName}), then plan again`,
    );
  } else if (helmVersion === 'v2') {
    note(
      'helm-v2-converted',
      `spec.helmVersion resolves to v2, but a Helm v3 release ${hr.releaseName} exists: it is the one adopted`,
    );
  }

  // Chart source.
  let sourceRef: { kind: string; name: string; namespace: string } | undefined;
  const chartSpec: Spec = {};
  const repoUrl = str(chart.repository);
  const gitUrl = str(chart.git);
  if (repoUrl) {
    if (!/^(https?|oci):\/\//i.test(repoUrl)) {
      warn(
        'chart-repository-scheme',
        `chart repository ${repoUrl} needs a Helm downloader plugin, which Flux v2 does not support`,
        'serve the chart over HTTP(S) or OCI, or use a Bucket source, then write the HelmRelease by hand',
      );
    } else {
      if (/^oci:\/\//i.test(repoUrl)) {
        note(
          'chart-oci',
          'OCI chart repository: rendered as HelmRepository type oci; OCIRepository + chartRef is the recommended form',
        );
      }
      sourceRef = sources.helmRepository(hr.namespace, repoUrl);
      plan.chartSource = 'repository';
      chartSpec.chart = str(chart.name) ?? hr.name;
      if (str(chart.version)) chartSpec.version = chart.version;
      if (current?.chartVersion && str(chart.version) && current.chartVersion !== chart.version) {
        note(
          'chart-version-differs',
          `running chart version ${current.chartVersion} differs from spec.chart.version ${String(chart.version)}: ` +
            `the first reconcile upgrades to ${String(chart.version)}`,
        );
      }
      if (chart.chartPullSecret) {
        note(
          'chart-pull-secret',
          'spec.chart.chartPullSecret was never implemented by the Helm Operator: ignored',
          'if the repository needs credentials, add spec.secretRef (username/password) to the HelmRepository',
        );
      }
    }
  } else if (gitUrl) {
    const ref = str(chart.ref) ?? operator?.settings.gitDefaultRef ?? 'master';
    const secret = obj(chart.secretRef);
    let secretName: string | undefined;
    if (str(secret.name)) {
      secretName = secret.name as string;
      if (str(secret.namespace) && secret.namespace !== hr.namespace) {
        warn(
          'chart-secret-namespace',
          `spec.chart.secretRef points to Secret ${String(secret.namespace)}/${secretName}; a GitRepository only ` +
            `reads Secrets of its own namespace`,
          `copy Secret ${String(secret.namespace)}/${secretName} into namespace ${hr.namespace}`,
        );
      }
    }
    const ssh = !secretName && /^(ssh:\/\/|[^@/:]+@[^:/]+:)/i.test(gitUrl);
    if (ssh && !operator?.gitKey) {
      warn(
        'chart-git-key',
        `chart Git repository ${gitUrl} is reached over SSH, and no deploy key mounted in the Helm Operator was found`,
        'create the GitRepository Secret (identity, known_hosts) by hand and set its secretRef',
      );
    }
    sourceRef = sources.gitRepository(hr.namespace, gitUrl, ref, {
      ...(secretName ? { secretName } : {}),
      ...(ssh && operator?.gitKey ? { ssh: { identity: operator.gitKey, ...gitKnownHosts(operator, gitUrl) } } : {}),
    });
    plan.chartSource = 'git';
    chartSpec.chart = str(chart.path) ?? '.';
    chartSpec.reconcileStrategy = 'Revision';
    if (/^git:\/\//i.test(gitUrl)) {
      note('git-url-rewritten', `git:// URL ${gitUrl} rewritten to https://; check the server serves HTTPS`);
    }
    if (chart.skipDepUpdate === true) {
      note(
        'skip-dep-update',
        'spec.chart.skipDepUpdate has no v2 field: dependencies must be vendored in the chart (charts/) or resolvable',
      );
    }
  } else {
    warn(
      'chart-missing',
      'spec.chart has neither repository nor git: nothing to convert',
      'write the v2 HelmRelease by hand',
    );
  }
  if (sourceRef) {
    chartSpec.sourceRef = { kind: sourceRef.kind, name: sourceRef.name };
    plan.sourceRef = sourceRef;
  }

  // Values.
  const valuesFrom: Spec[] = [];
  const valuesFiles: string[] = [];
  for (const entry of Array.isArray(spec.valuesFrom) ? (spec.valuesFrom as unknown[]) : []) {
    const e = obj(entry);
    const keyRef = (kind: 'ConfigMap' | 'Secret', r: Spec) => {
      const v: Spec = { kind, name: r.name };
      if (str(r.key)) v.valuesKey = r.key;
      if (r.optional === true) v.optional = true;
      if (str(r.namespace) && r.namespace !== hr.namespace) {
        warn(
          'values-from-other-namespace',
          `valuesFrom ${kind} ${String(r.namespace)}/${String(r.name)} is in another namespace; v2 reads ${kind}s of ` +
            `the HelmRelease namespace only`,
          `copy ${kind} ${String(r.namespace)}/${String(r.name)} into namespace ${hr.namespace} before the execute ` +
            `phase`,
        );
      }
      valuesFrom.push(v);
    };
    if (e.configMapKeyRef) keyRef('ConfigMap', obj(e.configMapKeyRef));
    else if (e.secretKeyRef) keyRef('Secret', obj(e.secretKeyRef));
    else if (e.externalSourceRef) {
      const ext = obj(e.externalSourceRef);
      warn(
        'values-from-url',
        `valuesFrom externalSourceRef ${String(ext.url)} (a URL) is not supported by Flux v2 and is left ` +
          `out${ext.optional === true ? ' (it was optional)' : ''}`,
        `fetch ${String(ext.url)} into a ConfigMap in ${hr.namespace} (the Helm migration guide's CronJob) and add ` +
          `it to spec.valuesFrom`,
      );
    } else if (e.chartFileRef) {
      const path = str(obj(e.chartFileRef).path);
      if (path) {
        if (valuesFiles.length === 0) valuesFiles.push('values.yaml');
        if (!valuesFiles.includes(path)) valuesFiles.push(path);
      }
    }
  }
  for (const s of Array.isArray(spec.valueFileSecrets) ? (spec.valueFileSecrets as unknown[]) : []) {
    const name = str(obj(s).name);
    if (name) valuesFrom.push({ kind: 'Secret', name });
  }
  if (valuesFiles.length > 0) chartSpec.valuesFiles = valuesFiles;

  // Actions.
  const rollback = obj(spec.rollback);
  const test = obj(spec.test);
  const waits = typeof spec.wait === 'boolean' ? spec.wait : rollback.enable === true || test.enable === true;
  const install: Spec = { remediation: { retries: -1 } };
  const upgrade: Spec = {};
  if (spec.skipCRDs === true) install.crds = 'Skip';
  if (!waits) {
    install.disableWait = true;
    upgrade.disableWait = true;
  }
  if (spec.disableOpenAPIValidation === true) {
    install.disableOpenAPIValidation = true;
    upgrade.disableOpenAPIValidation = true;
  }
  if (spec.forceUpgrade === true) upgrade.force = true;
  if (spec.resetValues === false) upgrade.preserveValues = true;
  let v2rollback: Spec | undefined;
  if (rollback.enable === true) {
    upgrade.remediation =
      rollback.retry === true ? { retries: num(rollback.maxRetries) ?? 5 } : { retries: 0, remediateLastFailure: true };
    v2rollback = {};
    if (num(rollback.timeout) !== undefined) v2rollback.timeout = formatGoDuration(rollback.timeout as number);
    if (rollback.wait !== true) v2rollback.disableWait = true;
    if (rollback.disableHooks === true) v2rollback.disableHooks = true;
    if (rollback.force === true) v2rollback.force = true;
    if (rollback.recreate === true) {
      v2rollback.recreate = true;
      note('rollback-recreate', "spec.rollback.recreate is a no-op with helm-controller's Helm 4 SDK");
    }
  }
  let v2test: Spec | undefined;
  if (test.enable === true) {
    v2test = { enable: true };
    if (test.ignoreFailures === true) v2test.ignoreFailures = true;
    if (num(test.timeout) !== undefined) v2test.timeout = formatGoDuration(test.timeout as number);
    if (test.cleanup !== undefined) note('test-cleanup', 'spec.test.cleanup only applied to Helm 2: dropped');
  }

  // The running release.
  if (hr.releaseName.length > MAX_RELEASE_NAME) {
    warn(
      'release-name-too-long',
      `release name ${hr.releaseName} is longer than ${MAX_RELEASE_NAME} characters: helm-controller would shorten ` +
        `it and install a second release`,
      'keep this release on Helm by hand, or reinstall it under a shorter name',
    );
  }
  if (!current && !hr.release.helmV2 && helmVersion !== 'v2') {
    warn(
      'release-not-found',
      `no Helm release ${hr.releaseName} (sh.helm.release.v1.${hr.releaseName}.v<N> Secrets) in namespace ` +
        `${hr.targetNamespace}`,
      'helm-controller will install it anew; check `helm ls -n ' + hr.targetNamespace + '` first',
    );
  } else if (current) {
    note(
      'first-reconcile-upgrade',
      `helm-controller adopts release ${hr.releaseName} (revision ${current.revision}) with an upgrade on its first ` +
        `reconcile`,
    );
    if (current.status && current.status !== 'deployed') {
      warn(
        'release-not-deployed',
        `the latest revision of ${hr.releaseName} is ${current.status}`,
        'fix or roll back the release before migrating it',
      );
    }
  }
  if (hr.releaseNameDefaulted) {
    note('release-name-pinned', `spec.releaseName was not set: pinned to the Helm Operator default ${hr.releaseName}`);
  }
  if (Object.keys(hr.annotations).some((k) => /^(fluxcd\.io\/(automated|tag\.)|filter\.fluxcd\.io\/)/.test(k))) {
    warn(
      'image-automation',
      'image-automation annotations on the HelmRelease are ignored by Flux v2',
      'see the ImageRepository/ImagePolicy drafts and add $imagepolicy markers to the values in Git',
    );
  }

  if (plan.chartSource !== 'unsupported' && !(hr.release.helmV2 || (helmVersion === 'v2' && !current))) {
    const interval = operator?.settings.chartsSyncInterval ?? 180;
    plan.helmRelease = {
      apiVersion: HELM_API_VERSION,
      kind: 'HelmRelease',
      metadata: {
        name: hr.name,
        namespace: hr.namespace,
        labels: { [MANAGED_BY_LABEL]: MANAGER },
        annotations: { [MIGRATED_FROM_ANNOTATION]: `helm.fluxcd.io/v1 HelmRelease ${hr.namespace}/${hr.name}` },
      },
      spec: {
        interval: formatGoDuration(interval),
        releaseName: hr.releaseName,
        targetNamespace: hr.targetNamespace,
        storageNamespace: hr.targetNamespace,
        chart: { spec: chartSpec },
        ...(num(spec.timeout) !== undefined ? { timeout: formatGoDuration(spec.timeout as number) } : {}),
        maxHistory: num(spec.maxHistory) ?? 10,
        install,
        ...(Object.keys(upgrade).length > 0 ? { upgrade } : {}),
        ...(v2rollback && Object.keys(v2rollback).length > 0 ? { rollback: v2rollback } : {}),
        ...(v2test ? { test: v2test } : {}),
        ...(valuesFrom.length > 0 ? { valuesFrom } : {}),
        ...(spec.values !== undefined && Object.keys(obj(spec.values)).length > 0 ? { values: spec.values } : {}),
      },
    };
  }
  return plan;
}

function gitKnownHosts(operator: HelmOperatorInstance, url: string): { knownHosts?: KnownHostsSource } {
  if (operator.knownHosts && operator.knownHosts.from !== 'image') return { knownHosts: operator.knownHosts };
  const host = sshHostOf(url);
  return host ? { knownHosts: { from: 'image', ...host } } : {};
}
