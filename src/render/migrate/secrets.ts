// A Secret the migration creates on its own (a Helm chart GitRepository's SSH key): the SecretPlan with the values
// read from the cluster. Pure.
import type { KubeObject } from '../../k8s/types.js';
import { MANAGED_BY_LABEL, MANAGER } from '../../model/naming.js';
import type { SecretPlan } from './types.js';

export function renderPlannedSecret(plan: SecretPlan, values: Readonly<Record<string, string>>): KubeObject {
  const data: Record<string, string> = {};
  for (const key of Object.keys(plan.data).sort()) {
    if (values[key] !== undefined) data[key] = Buffer.from(values[key], 'utf8').toString('base64');
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: plan.name, namespace: plan.namespace, labels: { [MANAGED_BY_LABEL]: MANAGER } },
    type: 'Opaque',
    data,
  };
}
