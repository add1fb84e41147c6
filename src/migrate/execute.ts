// The cluster changes of migrate-from-v1, each idempotent (a re-run after a failure or Ctrl-C resumes): stop Flux v1,
// remove the HelmRelease v1 objects without uninstalling their releases, install Flux v2 when absent, check that
// nothing brought Flux v1 back. Helm's release Secrets are never read for writing, patched or deleted here.
import type { Deps } from '../deps.js';
import { KubeError, UserError } from '../errors.js';
import { createExtension, DEFAULT_WAIT_TIMEOUT_MS, type SettingsInput } from '../extension/install.js';
import { mapLimit, type KubeClient } from '../k8s/client.js';
import { poll } from '../k8s/poll.js';
import { describeRef, type KubeObject, type ObjectRef } from '../k8s/types.js';
import { DEFAULT_EXTENSION_NAME, INSTALL_FLUX_COMMAND } from '../model/extension/versions.js';
import { HELM_RELEASE_V1_API } from '../model/migrate/inventory.js';
import { KUSTOMIZE_API_VERSION, SOURCE_API_VERSION } from '../model/naming.js';

const isHelmReleaseV1 = (r: ObjectRef) => r.kind === 'HelmRelease' && r.apiVersion === HELM_RELEASE_V1_API;
const isCrd = (r: ObjectRef) => r.kind === 'CustomResourceDefinition';
const key = (r: ObjectRef) => `${r.apiVersion}|${r.kind}|${r.namespace ?? ''}|${r.name}`;

/** The plan's delete list split into the steps that carry it out. */
export function deleteSteps(refs: readonly ObjectRef[]) {
  return {
    /** Step 2: helm-operator and fluxd Deployments, memcached, their RBAC, in the plan's order. */
    operators: refs.filter((r) => !isHelmReleaseV1(r) && !isCrd(r)),
    /** Step 3. */
    helmReleases: refs.filter(isHelmReleaseV1),
    crds: refs.filter(isCrd),
  };
}

/** Waits until no Pod of these Deployments runs (so a stopping helm-operator cannot act on a HelmRelease). */
async function waitForPodsGone(
  kube: KubeClient,
  deployments: readonly KubeObject[],
  timeoutMs: number,
  log: StepLog,
): Promise<void> {
  const selectors = deployments
    .map((d) => {
      const labels = (d.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector
        ?.matchLabels;
      if (!labels || Object.keys(labels).length === 0) return undefined;
      const selector = Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return { namespace: d.metadata.namespace ?? 'default', selector, name: describeRef(refOfObj(d)) };
    })
    .filter((s): s is { namespace: string; selector: string; name: string } => s !== undefined);
  if (selectors.length === 0) return;
  try {
    await kube.list('v1', 'Pod', { namespace: selectors[0]!.namespace, labelSelector: selectors[0]!.selector });
  } catch (err) {
    if (!(err instanceof KubeError && err.status === 403)) throw err;
    log.warn('no right to list Pods: not waiting for the Flux v1 Pods to stop; give them a minute before going on');
    return;
  }
  await poll({
    timeoutMs,
    intervalMs: 1000,
    check: async () => {
      const running = await mapLimit(selectors, 8, async (s) => {
        const pods = await kube.list('v1', 'Pod', { namespace: s.namespace, labelSelector: s.selector });
        return pods.length > 0 ? s.name : undefined;
      });
      const left = running.filter((r): r is string => r !== undefined);
      return { done: left.length === 0, state: left };
    },
    onTimeout: (left) =>
      new UserError(`timed out waiting for the Pods of ${left.join(', ')} to stop`, {
        hint: 'nothing was changed after stopping them; check the Pods, then run the same command again to resume',
      }),
  });
}

const refOfObj = (o: KubeObject): ObjectRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  namespace: o.metadata.namespace,
});

export interface StepLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * Step 2: deletes the operators' Deployments (helm-operator first), waits for their Pods to stop, then deletes
 * memcached and the RBAC. Applications are left running. Returns what was deleted now (already gone: left out).
 */
export async function stopV1(
  kube: KubeClient,
  refs: readonly ObjectRef[],
  deployments: readonly KubeObject[],
  log: StepLog,
  timeoutMs: number,
): Promise<ObjectRef[]> {
  const deleted: ObjectRef[] = [];
  const del = async (r: ObjectRef) => {
    if (await kube.delete(r)) {
      deleted.push(r);
      log.info(`deleted ${describeRef(r)}`);
    }
  };
  const operatorDeployments = refs.filter(
    (r) => r.kind === 'Deployment' && deployments.some((d) => key(refOfObj(d)) === key(r)),
  );
  // The plan lists helm-operator Deployments first: delete them before fluxd, one batch each way.
  await mapLimit(operatorDeployments, 8, del);
  await waitForPodsGone(
    kube,
    deployments.filter((d) => operatorDeployments.some((r) => key(r) === key(refOfObj(d)))),
    timeoutMs,
    log,
  );
  const rest = refs.filter((r) => !operatorDeployments.includes(r));
  await mapLimit(rest, 8, del);
  return deleted;
}

/**
 * Step 3: each HelmRelease v1 loses its finalizers (merge patch), then is deleted — with helm-operator gone nothing
 * uninstalls the release. The v1 CRDs go last, only when no HelmRelease v1 is left anywhere.
 */
export async function removeHelmReleasesV1(
  kube: KubeClient,
  helmReleases: readonly ObjectRef[],
  crds: readonly ObjectRef[],
  log: StepLog,
): Promise<{ removed: ObjectRef[]; crdsRemoved: ObjectRef[] }> {
  const removed: ObjectRef[] = [];
  await mapLimit(helmReleases, 8, async (r) => {
    const live = await kube.get(r);
    if (!live) return;
    if ((live.metadata.finalizers ?? []).length > 0) {
      await kube.mergePatch(r, { metadata: { finalizers: null } });
      log.info(`removed the finalizers of ${describeRef(r)}`);
    }
    if (await kube.delete(r)) {
      removed.push(r);
      log.info(`deleted ${describeRef(r)} (its Helm release keeps running)`);
    }
  });
  const crdsRemoved: ObjectRef[] = [];
  if (crds.length === 0) return { removed, crdsRemoved };
  let left: KubeObject[];
  try {
    left = (await kube.hasResource(HELM_RELEASE_V1_API, 'HelmRelease'))
      ? await kube.list(HELM_RELEASE_V1_API, 'HelmRelease')
      : [];
  } catch (err) {
    if (err instanceof KubeError && err.status === 403) {
      log.warn('cannot list HelmRelease v1 objects cluster-wide: the HelmRelease v1 CRD is kept');
      return { removed, crdsRemoved };
    }
    throw err;
  }
  if (left.length > 0) {
    log.warn(
      `${left.length} HelmRelease v1 object(s) remain (${left.map((o) => describeRef(refOfObj(o))).join(', ')}): ` +
        'the HelmRelease v1 CRD is kept',
    );
    return { removed, crdsRemoved };
  }
  for (const crd of crds) {
    if (await kube.delete(crd)) {
      crdsRemoved.push(crd);
      log.info(`deleted ${describeRef(crd)}`);
    }
  }
  await kube.waitForGone(crds, 60_000);
  return { removed, crdsRemoved };
}

export interface FluxInstallOptions {
  install: boolean;
  input: SettingsInput;
  manifests?: string;
  skipPreflight: boolean;
}

/**
 * Step 4: Flux v2 when its kinds are not served, through the `k8s-extension create` path (the extension `flux`,
 * with --configuration-settings / --manifests / --skip-preflight passed through). True when it installed.
 */
export async function ensureFlux(deps: Deps, kube: KubeClient, options: FluxInstallOptions): Promise<boolean> {
  const served = await Promise.all([
    kube.hasResource(SOURCE_API_VERSION, 'GitRepository'),
    kube.hasResource(KUSTOMIZE_API_VERSION, 'Kustomization'),
  ]);
  if (!served.includes(false)) return false;
  if (!options.install)
    throw new UserError("'Microsoft.Flux' extension not found on the cluster, and --no-install-extension was given", {
      hint: `install it (${INSTALL_FLUX_COMMAND}), then run the same migrate-from-v1 command again: it resumes`,
    });
  deps.log.warn(
    "'Microsoft.Flux' extension not found on the cluster, installing it now. This may take a few minutes...",
  );
  await createExtension(deps, {
    name: DEFAULT_EXTENSION_NAME,
    input: options.input,
    manifests: options.manifests,
    skipPreflight: options.skipPreflight,
    wait: true,
    waitTimeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
    export: false,
    dryRun: false,
    force: false,
  });
  deps.log.warn("'Microsoft.Flux' extension was successfully installed on the cluster");
  return true;
}

/** Before any v2 object: the stopped Deployments must still be gone (an Azure Arc agent may recreate them). */
export async function verifyStopped(kube: KubeClient, deployments: readonly ObjectRef[], arcCommands: string[]) {
  const back = (await mapLimit(deployments, 8, async (r) => ((await kube.get(r)) ? r : undefined))).filter(
    (r): r is ObjectRef => r !== undefined,
  );
  if (back.length === 0) return;
  throw new UserError(`Flux v1 is running again: ${back.map(describeRef).join(', ')}; no Flux v2 object was created`, {
    hint: arcCommands.length
      ? `its Azure Arc configuration recreates it: run ${arcCommands.join(' && ')}, then run the same command again`
      : 'something recreated it (a GitOps pipeline, Helm, an Arc agent): stop that, then run the same command again',
  });
}
