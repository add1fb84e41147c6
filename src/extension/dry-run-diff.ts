// The live side of an extension's --dry-run diff: the install plan knows its objects by the record's references
// only (src/extension/install.ts), so the objects it would write or remove are read once, in one parallel batch.
import { mapLimit, type KubeClient } from '../k8s/client.js';
import { planChanges, type ObjectChange } from '../k8s/plan-diff.js';
import { objectKey, type Plan } from '../k8s/plan.js';
import { refOf, type KubeObject } from '../k8s/types.js';

/** The plan's creates, updates and prunes paired with their live copies and the server's dry-run answers. */
export async function dryRunChanges(
  kube: KubeClient,
  p: Plan,
  answered: readonly KubeObject[],
): Promise<ObjectChange[]> {
  const objects = [...p.apply.map((a) => a.object), ...p.prune];
  const live = await mapLimit(objects, 8, (o) => kube.get(refOf(o)));
  const byKey = new Map(live.filter((o): o is KubeObject => Boolean(o)).map((o) => [objectKey(o), o]));
  return planChanges(p, answered, (o) => byKey.get(objectKey(o)));
}
