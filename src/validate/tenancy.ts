// What the cluster enforces: multi-tenancy from the controllers' arguments, and which namespaces already have a
// flux-applier from a fluxcfg configuration.
import { UserError } from '../errors.js';
import type { KubeClient } from '../k8s/client.js';
import { INSTALL_FLUX_COMMAND } from '../model/extension/versions.js';
import { FLUX_APPLIER, FLUX_NAMESPACE, MANAGED_BY_LABEL, MANAGER } from '../model/naming.js';

export interface ClusterTenancy {
  /** kustomize-controller runs with --no-cross-namespace-refs=true (multiTenancy.enforce=true). */
  readonly enforce: boolean;
  /** kustomize-controller runs with --no-remote-bases=true. */
  readonly noRemoteBases: boolean;
  /** Where the answer came from, for --verbose. */
  readonly source: string;
}

/** Value of a boolean controller flag in an argument list: `--flag`, `--flag=true|false`; undefined when absent. */
export function boolFlag(args: readonly string[], flag: string): boolean | undefined {
  let value: boolean | undefined;
  for (const [i, arg] of args.entries()) {
    if (arg === flag) {
      const next = args[i + 1];
      value = next === 'false' ? false : true;
    } else if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1).toLowerCase() === 'true';
  }
  return value;
}

/**
 * The installed Flux's lockdown, read from the kustomize-controller Deployment in flux-system: what
 * multiTenancy.enforce=true sets, and what the controllers really do. Undefined when there is no such Deployment.
 */
export async function readClusterTenancy(
  kube: KubeClient,
  fluxNamespace = FLUX_NAMESPACE,
): Promise<ClusterTenancy | undefined> {
  // from the watch cache: the controller's flags change with an install, not between two reads of one command
  const deploy = await kube.get(
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'kustomize-controller', namespace: fluxNamespace },
    { cached: true },
  );
  if (!deploy) return undefined;
  const containers =
    (
      deploy.spec as
        { template?: { spec?: { containers?: { name?: string; args?: string[]; command?: string[] }[] } } } | undefined
    )?.template?.spec?.containers ?? [];
  const manager = containers.find((c) => c.name === 'manager') ?? containers[0];
  const args = [...(manager?.command ?? []), ...(manager?.args ?? [])];
  return {
    enforce: boolFlag(args, '--no-cross-namespace-refs') ?? false,
    noRemoteBases: boolFlag(args, '--no-remote-bases') ?? false,
    source: `${fluxNamespace}/kustomize-controller args`,
  };
}

/** `--multi-tenancy auto`: readClusterTenancy, a UserError when Flux is not installed. */
export async function detectMultiTenancy(kube: KubeClient, fluxNamespace = FLUX_NAMESPACE): Promise<ClusterTenancy> {
  const found = await readClusterTenancy(kube, fluxNamespace);
  if (found) return found;
  throw new UserError(
    `cannot tell whether multi-tenancy is enforced: there is no kustomize-controller Deployment in ${fluxNamespace} (context "${kube.contextName}")`,
    { hint: `install Flux with ${INSTALL_FLUX_COMMAND}, or pass --multi-tenancy enforce|off` },
  );
}

/**
 * multiTenancy.enforce for create/update: the kustomize-controller args, or true (the microsoft.flux default)
 * when Flux is not installed yet. API errors (e.g. 403) propagate.
 */
export async function resolveMultiTenancy(kube: KubeClient): Promise<boolean> {
  return (await readClusterTenancy(kube))?.enforce ?? true;
}

/** Namespaces holding a flux-applier ServiceAccount created by a fluxcfg configuration (except `exclude`). */
export async function findApplierNamespaces(kube: KubeClient, exclude?: string): Promise<string[]> {
  // flux-applier is shared by the configurations of a namespace, so it carries only the managed-by label.
  const accounts = await kube.list('v1', 'ServiceAccount', {
    labelSelector: `${MANAGED_BY_LABEL}=${MANAGER}`,
    cached: true,
  });
  return [
    ...new Set(
      accounts
        .filter((a) => a.metadata.name === FLUX_APPLIER && a.metadata.namespace && a.metadata.namespace !== exclude)
        .map((a) => a.metadata.namespace!),
    ),
  ].sort();
}
