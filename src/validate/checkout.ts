import { stat } from 'node:fs/promises';
import { UserError } from '../errors.js';
import type { KubeClient } from '../k8s/client.js';
import { resolveScopes } from './cluster-scope.js';
import { sortFindings, type Finding, type TenancyContext } from './findings.js';
import { checkManifests } from './rules.js';
import { scanKustomization, type KustomizationInput, type ScannedObject } from './scan.js';

export interface CheckoutOptions {
  /** Connected: API discovery decides which kinds are cluster-scoped. */
  kube?: KubeClient;
  /** kustomize-controller runs with --no-remote-bases=true: remote bases are errors. */
  noRemoteBases?: boolean;
  /** Larger manifest files are refused. @default 4 MiB */
  maxFileBytes?: number;
  /** Told when something limits the validation (e.g. discovery failed). */
  onWarning?: (message: string) => void;
}

/** The name used when no kustomization is given: the whole checkout is one Kustomization. */
export const WHOLE_CHECKOUT = 'root';

/** Layer 2 on a local directory: kustomizations = [{ name, path }] (paths relative to dir; empty list = the whole dir). */
export async function validateCheckout(
  dir: string,
  kustomizations: KustomizationInput[],
  ctx: TenancyContext,
  options: CheckoutOptions = {},
): Promise<Finding[]> {
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory())
    throw new UserError(`${dir} is not a directory`, {
      hint: 'pass --path the root of a checkout of the source repository',
    });
  const list = kustomizations.length ? kustomizations : [{ name: WHOLE_CHECKOUT, path: '' }];
  const objects: ScannedObject[] = [];
  const findings: Finding[] = [];
  for (const k of list) {
    const scanned = await scanKustomization(dir, k, {
      noRemoteBases: options.noRemoteBases,
      maxFileBytes: options.maxFileBytes,
    });
    objects.push(...scanned.objects);
    findings.push(...scanned.findings);
  }
  const scopes = await resolveScopes(
    objects.map((o) => o.obj),
    options.kube,
  );
  for (const note of scopes.notes) options.onWarning?.(note);
  findings.push(...checkManifests({ objects, clusterScoped: scopes.clusterScoped }, ctx));
  return sortFindings(findings);
}
