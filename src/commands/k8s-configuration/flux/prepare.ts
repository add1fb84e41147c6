// From a parsed configuration to the objects to apply: SSH material, rendering, and the tenancy checks that
// must pass before anything is written. Shared by create, update and the kustomization verbs.
import { readFileSync } from 'node:fs';
import { UserError } from '../../../errors.js';
import type { KubeClient } from '../../../k8s/client.js';
import type { KubeObject } from '../../../k8s/types.js';
import type { FluxConfiguration, ProtectedSettings } from '../../../model/flux-configuration.js';
import { renderFluxConfiguration } from '../../../render/flux-configuration.js';
import {
  formatFindings,
  validateGitSource,
  validateRendered,
  type Finding,
  type TenancyContext,
} from '../../../validate/index.js';
import type { Deps } from '../../../deps.js';
import { generateDeployKey, isSshUrl, scanKnownHosts } from './ssh.js';

/** What flag parsing reads from disk (key, known-hosts and CA files). */
export const readTextFile = (file: string): string => readFileSync(file, 'utf8');

export interface AuthExtra {
  sshPublicKey?: string;
  knownHosts?: string;
}

/** The cluster's tenancy facts the checks need (the namespace and scope come from the configuration). */
export interface Tenancy extends Omit<TenancyContext, 'namespace' | 'scope'> {
  readonly noRemoteBases?: boolean;
}

export interface Prepared {
  readonly objects: KubeObject[];
  readonly protectedSettings: ProtectedSettings;
  readonly extra: AuthExtra;
}

/** Secret values of the live configuration (its auth Secret), as render inputs. */
export function carriedAuth(objects: readonly KubeObject[]): {
  protectedSettings: ProtectedSettings;
  extra: AuthExtra;
} {
  const secret = objects.find((o) => o.kind === 'Secret');
  const data = (secret?.data ?? {}) as Record<string, string>;
  const get = (k: string) => (data[k] !== undefined ? Buffer.from(data[k], 'base64').toString('utf8') : undefined);
  return {
    protectedSettings: {
      sshPrivateKey: get('identity'),
      httpsKey: get('password'),
      bucketSecretKey: get('secretkey'),
      accountKey: get('accountKey'),
      sasToken: get('sasKey'),
      spClientSecret: get('clientSecret'),
      spClientCertificate: get('clientCertificate'),
      spClientCertificatePassword: get('clientCertificatePassword'),
      tlsPrivateKey: get('tls.key'),
    },
    extra: { sshPublicKey: get('identity.pub'), knownHosts: get('known_hosts') },
  };
}

/** Secret settings that belong together: a new value for one replaces the whole group. */
const secretGroups: (keyof ProtectedSettings)[][] = [
  ['sshPrivateKey'],
  ['httpsKey'],
  ['bucketSecretKey'],
  ['accountKey', 'sasToken', 'spClientSecret', 'spClientCertificate', 'spClientCertificatePassword'],
  ['tlsPrivateKey'],
];

/**
 * What a re-render of a changed configuration uses: the secrets given now, and the live ones for every group the
 * command did not touch (so a deploy key or password is never rotated or dropped silently). Nothing is carried
 * across a change of source kind or of the Azure Blob auth method.
 */
export function mergeSecrets(
  live: { config: FluxConfiguration; objects: readonly KubeObject[] },
  next: FluxConfiguration,
  given: ProtectedSettings,
): { protectedSettings: ProtectedSettings; extra: AuthExtra } {
  if (live.config.sourceKind !== next.sourceKind) return { protectedSettings: { ...given }, extra: {} };
  const carried = carriedAuth(live.objects);
  const blobAuth = (c: FluxConfiguration) =>
    JSON.stringify([
      c.azureBlob?.servicePrincipal?.clientId,
      c.azureBlob?.servicePrincipal?.tenantId,
      c.azureBlob?.managedIdentity,
      c.azureBlob?.localAuthRef,
    ]);
  const out: ProtectedSettings = {};
  for (const group of secretGroups) {
    const touched = group.some((k) => given[k] !== undefined);
    const blobChanged = group.includes('accountKey') && blobAuth(live.config) !== blobAuth(next);
    for (const k of group) out[k] = touched || blobChanged ? given[k] : carried.protectedSettings[k];
  }
  const extra = { ...carried.extra };
  if (given.sshPrivateKey !== undefined) delete extra.sshPublicKey;
  return { protectedSettings: out, extra };
}

/** Warnings go to stderr; any error finding refuses the apply with all of them listed. */
function refuseOnErrors(deps: Deps, findings: readonly Finding[], what: string, hint: string): void {
  for (const w of findings.filter((f) => f.severity === 'warning')) deps.log.warn(formatFindings([w]));
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length) throw new UserError(`${what}:\n${formatFindings(errors)}`, { hint });
}

function tenancyContext(config: FluxConfiguration, tenancy: Tenancy): TenancyContext {
  return {
    namespace: config.namespace,
    scope: config.scope,
    multiTenancy: tenancy.multiTenancy,
    applierNamespaces: tenancy.applierNamespaces,
  };
}

/**
 * Fills in SSH material (a generated deploy key for an SSH URL without one, the host key through ssh-keyscan),
 * renders, and refuses objects that break namespace scope or multi-tenancy.
 */
export async function prepare(
  deps: Deps,
  config: FluxConfiguration,
  protectedSettings: ProtectedSettings,
  extra: AuthExtra,
  tenancy: Tenancy,
): Promise<Prepared> {
  const git = config.sourceKind === 'GitRepository' ? config.gitRepository : undefined;
  const ps = { ...protectedSettings };
  const ex = { ...extra };
  if (git && isSshUrl(git.url) && !git.localAuthRef) {
    if (!ps.sshPrivateKey) {
      const key = generateDeployKey();
      ps.sshPrivateKey = key.privateKey;
      ex.sshPublicKey = key.publicKey;
      deps.log.warn(
        `Generated an SSH deploy key for ${git.url}; add its public key (repositoryPublicKey) to the repository as a read-only deploy key:\n${key.publicKey}`,
      );
    }
    if (!git.sshKnownHosts && !ex.knownHosts) ex.knownHosts = await scanKnownHosts(deps.exec, git.url);
  }
  const objects = renderFluxConfiguration({ config, protectedSettings: ps, extra: ex });
  refuseOnErrors(
    deps,
    validateRendered(objects, tenancyContext(config, tenancy)),
    'the configuration breaks namespace scope or multi-tenancy rules',
    'fix the flags named above; nothing was applied',
  );
  return { objects, protectedSettings: ps, extra: ex };
}

/**
 * Layer 2: clones the git source and checks its manifests before applying. An unreachable source is a warning;
 * errors refuse the apply. Only git sources can be fetched here.
 */
export async function validateSource(
  deps: Deps,
  kube: KubeClient,
  config: FluxConfiguration,
  prepared: Prepared,
  tenancy: Tenancy,
): Promise<void> {
  const git = config.sourceKind === 'GitRepository' ? config.gitRepository : undefined;
  if (!git) {
    deps.log.info(`source validation skipped: ${config.sourceKind} sources cannot be fetched by fluxcfg`);
    return;
  }
  if (git.localAuthRef) {
    deps.log.warn(`source not validated: its credentials are in the existing Secret '${git.localAuthRef}'`);
    return;
  }
  const progress = deps.progress(`validating the manifests of ${git.url}`);
  const result = await validateGitSource(
    {
      url: git.url,
      ref: git.repositoryRef ?? {},
      auth: {
        sshPrivateKey: prepared.protectedSettings.sshPrivateKey,
        knownHosts: git.sshKnownHosts
          ? Buffer.from(git.sshKnownHosts, 'base64').toString('utf8')
          : prepared.extra.knownHosts,
        username: git.httpsUser,
        password: prepared.protectedSettings.httpsKey,
        caCert: git.httpsCACert ? Buffer.from(git.httpsCACert, 'base64').toString('utf8') : undefined,
      },
      kustomizations: Object.entries(config.kustomizations).map(([name, k]) => ({
        name,
        path: k.path ?? '',
        targetNamespace: k.targetNamespace,
      })),
    },
    tenancyContext(config, tenancy),
    { exec: deps.exec, kube, noRemoteBases: tenancy.noRemoteBases },
  );
  progress.stop();
  if (result.warning) deps.log.warn(`Warning! ${result.warning}`);
  refuseOnErrors(
    deps,
    result.findings,
    "the source's manifests would be rejected by Flux",
    'fix the manifests (see fix: lines), or skip this check with --no-validate; nothing was applied',
  );
}
