// `k8s-configuration flux create` on a cluster without Flux: install the extension with defaults first, as az does.
import type { Deps } from '../deps.js';
import { UserError } from '../errors.js';
import { DEFAULT_EXTENSION_NAME, INSTALL_FLUX_COMMAND } from '../model/extension/versions.js';

export interface EnsureOptions {
  /** false with --no-install-extension: a missing Flux is an error instead. */
  readonly install: boolean;
  /** Tests and callers that know better: skip the Kubernetes version check. @default false */
  readonly skipPreflight?: boolean;
  /** Wait for the controllers to become available, as az waits for the extension. @default true */
  readonly wait?: boolean;
  readonly waitTimeoutMs?: number;
}

/**
 * Returns when the Flux CRDs (GitRepository and Kustomization) are served. Otherwise installs the microsoft.flux
 * extension named `flux` with defaults (announced on stderr), or, with install false, throws a UserError.
 */
export async function ensureFluxExtension(deps: Deps, options: EnsureOptions): Promise<void> {
  const kube = await deps.kube();
  const [git, kustomization] = await Promise.all([
    kube.hasResource('source.toolkit.fluxcd.io/v1', 'GitRepository'),
    kube.hasResource('kustomize.toolkit.fluxcd.io/v1', 'Kustomization'),
  ]);
  if (git && kustomization) return;
  if (!options.install)
    throw new UserError("'Microsoft.Flux' extension not found on the cluster, and --no-install-extension was given", {
      hint: `run ${INSTALL_FLUX_COMMAND}`,
    });
  deps.log.warn(
    "'Microsoft.Flux' extension not found on the cluster, installing it now. This may take a few minutes...",
  );
  // the installer is loaded only here: a create on a cluster that has Flux (and --export) never needs it
  const { createExtension, DEFAULT_WAIT_TIMEOUT_MS } = await import('./install.js');
  await createExtension(deps, {
    name: DEFAULT_EXTENSION_NAME,
    input: { settings: {}, protectedSettings: {} },
    skipPreflight: options.skipPreflight ?? false,
    wait: options.wait ?? true,
    waitTimeoutMs: options.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
    export: false,
    dryRun: false,
    force: false,
  });
  deps.log.warn("'Microsoft.Flux' extension was successfully installed on the cluster");
}
