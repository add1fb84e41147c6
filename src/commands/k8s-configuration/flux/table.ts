// az's table transformers for the flux verbs (../shared/reference/az-k8s-configuration.md §6).
import { formatAzDuration } from '../../../model/duration.js';
import type {
  FluxConfigurationView,
  KustomizationDefinition,
  ObjectStatus,
} from '../../../model/flux-configuration.js';

export function configurationRow(c: FluxConfigurationView): Record<string, unknown> {
  return {
    namespace: c.namespace,
    name: c.name,
    scope: c.scope,
    provisioningState: c.provisioningState,
    complianceState: c.complianceState,
    statusUpdatedAt: c.statusUpdatedAt,
    sourceUpdatedAt: c.sourceUpdatedAt,
  };
}

export function configurationTable(result: unknown): unknown {
  return Array.isArray(result)
    ? (result as FluxConfigurationView[]).map(configurationRow)
    : configurationRow(result as FluxConfigurationView);
}

export function kustomizationTable(result: unknown): unknown {
  return Object.entries(result as Record<string, KustomizationDefinition>).map(([name, k]) => ({
    name,
    path: k.path,
    dependsOn: (k.dependsOn ?? []).join(', '),
    syncInterval: formatAzDuration(k.syncIntervalInSeconds),
    timeout: formatAzDuration(k.timeoutInSeconds),
    prune: k.prune,
    force: k.force,
  }));
}

function objectRow(s: ObjectStatus): Record<string, unknown> {
  const ready = s.statusConditions?.find((c) => c.type === 'Ready');
  const message = ready?.message;
  return {
    kind: s.kind,
    namespace: s.namespace,
    name: s.name,
    complianceState: s.complianceState,
    message: message ? (message.length > 60 ? `${message.slice(0, 60)}...` : message) : 'None',
  };
}

export function deployedObjectTable(result: unknown): unknown {
  return Array.isArray(result) ? (result as ObjectStatus[]).map(objectRow) : objectRow(result as ObjectStatus);
}
