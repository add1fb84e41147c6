// az's extension shape (show/list/create/update output) from the record and the controllers' Deployments. Pure.
import type { KubeObject, ObjectRef } from '../../k8s/types.js';
import type { ExtensionRecord, ProvisioningState } from './record.js';

export interface ExtensionStatus {
  code: string;
  displayStatus: string;
  level: 'Information' | 'Warning' | 'Error';
  message: string;
  time: string | null;
}

export interface ExtensionView {
  name: string;
  type: 'Microsoft.KubernetesConfiguration/extensions';
  extensionType: string;
  autoUpgradeMinorVersion: boolean;
  releaseTrain: string;
  version: string | null;
  /** The Flux release installed (`v2.7.5`). */
  currentVersion: string;
  scope: { cluster: { releaseNamespace: string }; namespace: null };
  configurationSettings: Record<string, string>;
  /** Keys only: the values are never shown. */
  configurationProtectedSettings: Record<string, null>;
  provisioningState: ProvisioningState;
  statuses: ExtensionStatus[];
  errorInfo: { code: string; message: string } | null;
  isSystemExtension: false;
  packageUri: null;
  plan: null;
  systemData: { createdAt: string | null; lastModifiedAt: string | null };
}

interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  conditions?: { type: string; status: string; message?: string; reason?: string; lastTransitionTime?: string }[];
}

/** A Deployment has rolled out: the current generation observed, every replica updated and available. */
export function deploymentAvailable(d: KubeObject | undefined): boolean {
  if (!d) return false;
  const status = (d.status ?? {}) as DeploymentStatus;
  const want = (d.spec as { replicas?: number } | undefined)?.replicas ?? 1;
  const available = status.conditions?.find((c) => c.type === 'Available');
  return (
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) &&
    available?.status === 'True' &&
    (status.updatedReplicas ?? 0) >= want &&
    (status.availableReplicas ?? 0) >= want
  );
}

function statusOf(ref: ObjectRef, d: KubeObject | undefined): ExtensionStatus {
  if (!d)
    return { code: 'Missing', displayStatus: `${ref.name}: Missing`, level: 'Error', message: `Deployment ${ref.namespace}/${ref.name} does not exist`, time: null };
  const cond = ((d.status ?? {}) as DeploymentStatus).conditions?.find((c) => c.type === 'Available');
  if (deploymentAvailable(d))
    return {
      code: 'Available',
      displayStatus: `${ref.name}: Available`,
      level: 'Information',
      message: cond?.message ?? 'Deployment has minimum availability.',
      time: cond?.lastTransitionTime ?? null,
    };
  return {
    code: 'NotAvailable',
    displayStatus: `${ref.name}: NotAvailable`,
    level: 'Warning',
    message: cond?.message ?? 'the Deployment has not rolled out yet (no available replicas reported)',
    time: cond?.lastTransitionTime ?? null,
  };
}

/**
 * The az shape of an extension. provisioningState: Succeeded once every controller is available; otherwise what
 * the last create/update recorded (Creating, Updating, or Failed after a wait timeout).
 */
export function extensionView(record: ExtensionRecord, deployments: readonly KubeObject[]): ExtensionView {
  const refs = record.objects.filter((o) => o.kind === 'Deployment');
  const byName = new Map(deployments.map((d) => [d.metadata.name, d]));
  const statuses = refs.map((r) => statusOf(r, byName.get(r.name)));
  const allAvailable = statuses.every((s) => s.code === 'Available');
  const provisioningState: ProvisioningState = allAvailable ? 'Succeeded' : record.provisioningState;
  const failed = provisioningState === 'Failed' ? statuses.filter((s) => s.code !== 'Available') : [];
  return {
    name: record.name,
    type: 'Microsoft.KubernetesConfiguration/extensions',
    extensionType: record.extensionType,
    autoUpgradeMinorVersion: record.autoUpgradeMinorVersion,
    releaseTrain: record.releaseTrain,
    version: record.version,
    currentVersion: record.fluxVersion,
    scope: { cluster: { releaseNamespace: record.releaseNamespace }, namespace: null },
    configurationSettings: { ...record.configurationSettings },
    configurationProtectedSettings: Object.fromEntries(record.configurationProtectedSettingKeys.map((k) => [k, null])),
    provisioningState,
    statuses,
    errorInfo: failed.length
      ? { code: 'ControllersNotAvailable', message: failed.map((s) => `${s.displayStatus}: ${s.message}`).join('; ') }
      : null,
    isSystemExtension: false,
    packageUri: null,
    plan: null,
    systemData: { createdAt: record.createdAt ?? null, lastModifiedAt: record.lastModifiedAt ?? null },
  };
}

/** az's table transformer for k8s-extension show/list. */
export function extensionTable(result: unknown): unknown {
  const row = (e: ExtensionView) => ({
    name: e.name,
    extensionType: e.extensionType,
    version: e.version ?? e.currentVersion,
    provisioningState: e.provisioningState,
    lastModifiedAt: e.systemData.lastModifiedAt,
    isSystemExtension: e.isSystemExtension,
  });
  return Array.isArray(result) ? (result as ExtensionView[]).map(row) : row(result as ExtensionView);
}
