// The migration plan: what `migrate-from-v1` prints (`-o json|yaml`), exports (`--export`) and, in the execute phase,
// carries out. JSON-able; secret values never appear, only where to read them.
import type { KubeObject, ObjectRef } from '../../k8s/types.js';
import type { FluxConfiguration } from '../../model/flux-configuration.js';
import type { ArcConfiguration, KnownHostsSource, SecretKeyRef } from '../../model/migrate/inventory.js';

/** Something that does not convert as is: what and what to do. Warnings need the user; notes are informational. */
export interface Finding {
  severity: 'warning' | 'note';
  code: string;
  /** The v1 thing it is about, e.g. `Deployment flux/flux`, `HelmRelease demo/podinfo`. */
  subject: string;
  message: string;
  action?: string;
}

/** warn(code, message, action?) / note(...) appending to `findings` for one subject. */
export function reporter(findings: Finding[], subject: string) {
  const add = (severity: Finding['severity']) => (code: string, message: string, action?: string) => {
    findings.push({ severity, code, subject, message, ...(action ? { action } : {}) });
  };
  return { warn: add('warning'), note: add('note') };
}

/** A Secret the execute phase creates by reading the listed sources (values never enter the plan). */
export interface SecretPlan {
  namespace: string;
  name: string;
  /** Data key → where its value comes from. */
  data: Record<string, SecretKeyRef | KnownHostsSource | { literal: string }>;
  /** `configuration`: passed to renderFluxConfiguration as protected settings; `object`: rendered on its own. */
  renderedBy: 'configuration' | 'object';
}

export interface FluxdPlan {
  v1: {
    deployment?: ObjectRef;
    name: string;
    namespace: string;
    image?: string;
    gitUrl?: string;
    gitBranch: string;
    gitPaths: string[];
    gitPollInterval: number;
    syncInterval: number;
    syncGarbageCollection: boolean;
    gitReadonly: boolean;
    allowNamespaces: string[];
    /** Every flag as given. */
    args: string[];
    unknownFlags: string[];
  };
  configuration: FluxConfiguration;
  /** The Git Secret to build from the v1 deploy key (renderedBy `configuration`); absent for public HTTPS. */
  secret?: SecretPlan;
  findings: Finding[];
}

export interface HelmReleasePlan {
  v1: ObjectRef;
  releaseName: string;
  targetNamespace: string;
  storageNamespace: string;
  /** The running release (latest deployed revision), when found. */
  running?: { revision: number; status?: string; chart?: string; chartVersion?: string; secret: string };
  chartSource: 'repository' | 'git' | 'unsupported';
  sourceRef?: { kind: string; name: string; namespace: string };
  /** The helm.toolkit.fluxcd.io/v2 HelmRelease (absent when it cannot be converted). */
  helmRelease?: KubeObject;
  findings: Finding[];
}

export interface HelmOperatorPlan {
  v1: {
    deployment?: ObjectRef;
    name: string;
    namespace: string;
    image?: string;
    allowNamespace?: string;
    enabledHelmVersions: string[];
  };
  helmReleases: ObjectRef[];
  findings: Finding[];
}

export interface ArcPlan {
  configuration: ArcConfiguration;
  /** What the user must run before the execute phase (the Arc agent would otherwise recreate fluxd). */
  deleteCommand: string;
}

export interface MigrationPlan {
  kind: 'FluxV1MigrationPlan';
  source: 'cluster' | 'file';
  fluxd: FluxdPlan[];
  helmOperators: HelmOperatorPlan[];
  helmReleases: HelmReleasePlan[];
  /** Shared sources for the HelmReleases (HelmRepository / GitRepository), one per URL (and ref) and namespace. */
  helmSources: KubeObject[];
  /** Secrets the execute phase creates for those sources. */
  helmSourceSecrets: SecretPlan[];
  /** Drafts for image automation (ImageRepository / ImagePolicy), to review and commit to Git. */
  imageAutomation: KubeObject[];
  arc: ArcPlan[];
  /** Findings not tied to one operator or release. */
  findings: Finding[];
  /** Objects the execute phase saves before changing anything. */
  backup: ObjectRef[];
  /** Objects the execute phase deletes, in order (HelmRelease v1: finalizers dropped first, release kept). */
  delete: ObjectRef[];
}
