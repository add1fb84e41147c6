// az's extension shape (show/list/create/update output) from the record and the controllers' Deployments. Pure.
import type { KubeObject, ObjectRef } from '../../k8s/types.js';
import { extensionId, EXTENSION_TYPE_ARM, systemData, type ArmScope, type SystemData } from '../arm.js';
import type { ExtensionRecord, ProvisioningState } from './record.js';
import { DEFAULT_EXTENSION_VERSION, DEFAULT_FLUX_VERSION } from './versions.js';

export interface ExtensionStatus {
  code: string;
  displayStatus: string;
  level: 'Information' | 'Warning' | 'Error';
  message: string;
  time: string | null;
}

/**
 * az's Extension (api 2023-05-01 model) as azure-cli's todict prints it: every attribute, unset ones null, in the
 * model's order, `resourceGroup` appended; plus `fluxVersion`, fluxcfg's own field (az has none for it).
 */
export interface ExtensionView {
  id: string;
  name: string;
  type: typeof EXTENSION_TYPE_ARM;
  systemData: SystemData;
  identity: null;
  plan: null;
  extensionType: string;
  autoUpgradeMinorVersion: boolean;
  releaseTrain: string;
  version: string | null;
  scope: { cluster: { releaseNamespace: string }; namespace: null };
  configurationSettings: Record<string, string>;
  /** Keys only: the values are never shown. */
  configurationProtectedSettings: Record<string, null>;
  /** The microsoft.flux version installed (`1.23.0`); null for a Flux release no microsoft.flux version ships. */
  currentVersion: string | null;
  provisioningState: ProvisioningState;
  /** One per controller Deployment that is not available; empty when all are, as az shows a healthy extension. */
  statuses: ExtensionStatus[];
  errorInfo: { code: string; message: string; target: null; details: null; additionalInfo: null } | null;
  customLocationSettings: null;
  packageUri: null;
  aksAssignedIdentity: null;
  isSystemExtension: false;
  /** fluxcfg addition: the Flux release installed (`v2.7.5`). */
  fluxVersion: string;
  resourceGroup: string;
}

/**
 * The microsoft.flux version az would report as currentVersion: the one asked for with --version, else the pinned
 * default when its Flux release is installed; null when a Flux release was installed directly (`--version 2.8.1`).
 */
export function extensionVersionOf(record: Pick<ExtensionRecord, 'version' | 'fluxVersion'>): string | null {
  if (record.version && /^1\./.test(record.version)) return record.version;
  return record.fluxVersion === DEFAULT_FLUX_VERSION ? DEFAULT_EXTENSION_VERSION : null;
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
    return {
      code: 'Missing',
      displayStatus: `${ref.name}: Missing`,
      level: 'Error',
      message: `Deployment ${ref.namespace}/${ref.name} does not exist`,
      time: null,
    };
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
 * the last create/update recorded (Creating, Updating, or Failed after a wait timeout). `arm` places it in Azure's
 * resource tree (az's -g/-c/-t/--subscription, or the stand-ins).
 */
export function extensionView(
  record: ExtensionRecord,
  deployments: readonly KubeObject[],
  arm: ArmScope,
): ExtensionView {
  const refs = record.objects.filter((o) => o.kind === 'Deployment');
  const byName = new Map(deployments.map((d) => [d.metadata.name, d]));
  const statuses = refs.map((r) => statusOf(r, byName.get(r.name))).filter((s) => s.code !== 'Available');
  const provisioningState: ProvisioningState = statuses.length === 0 ? 'Succeeded' : record.provisioningState;
  const failed = provisioningState === 'Failed' ? statuses : [];
  return {
    id: extensionId(arm, record.name),
    name: record.name,
    type: EXTENSION_TYPE_ARM,
    systemData: systemData(record.createdAt, record.lastModifiedAt),
    identity: null,
    plan: null,
    extensionType: record.extensionType,
    autoUpgradeMinorVersion: record.autoUpgradeMinorVersion,
    releaseTrain: record.releaseTrain,
    version: record.version,
    scope: { cluster: { releaseNamespace: record.releaseNamespace }, namespace: null },
    configurationSettings: { ...record.configurationSettings },
    configurationProtectedSettings: Object.fromEntries(record.configurationProtectedSettingKeys.map((k) => [k, null])),
    currentVersion: extensionVersionOf(record),
    provisioningState,
    statuses,
    errorInfo: failed.length
      ? {
          code: 'ControllersNotAvailable',
          message: failed.map((s) => `${s.displayStatus}: ${s.message}`).join('; '),
          target: null,
          details: null,
          additionalInfo: null,
        }
      : null,
    customLocationSettings: null,
    packageUri: null,
    aksAssignedIdentity: null,
    isSystemExtension: false,
    fluxVersion: record.fluxVersion,
    resourceGroup: arm.resourceGroup,
  };
}

/** az's table transformer for k8s-extension show/list. */
export function extensionTable(result: unknown): unknown {
  const row = (e: ExtensionView) => ({
    name: e.name,
    extensionType: e.extensionType,
    version: e.version,
    provisioningState: e.provisioningState,
    lastModifiedAt: e.systemData.lastModifiedAt,
    isSystemExtension: e.isSystemExtension,
  });
  return Array.isArray(result) ? (result as ExtensionView[]).map(row) : row(result as ExtensionView);
}
