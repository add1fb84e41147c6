import { stat } from 'node:fs/promises';
import { Option } from 'commander';
import { KubeError, UsageError } from '../../../errors.js';
import type { KubeClient } from '../../../k8s/client.js';
import {
  detectMultiTenancy,
  findApplierNamespaces,
  hasErrors,
  locationOf,
  summarize,
  validateCheckout,
  type Finding,
  type KustomizationInput,
  type TenancyContext,
} from '../../../validate/index.js';
import { FLUX_NAMESPACE } from '../../../model/naming.js';
import { isNamespaceName } from '../../../model/validate.js';
import { ResultWithExitCode } from '../../result.js';
import { defineVerb } from '../../verb.js';
import { caseInsensitiveChoices } from './shared/flags.js';

export type MultiTenancyMode = 'enforce' | 'off' | 'auto';

export interface ValidateOptions {
  readonly path: string;
  readonly namespace: string;
  readonly scope: 'cluster' | 'namespace';
  readonly multiTenancy: MultiTenancyMode;
  readonly kustomizations: KustomizationInput[];
  readonly noRemoteBases: boolean;
  /** Ask the cluster: API discovery for cluster-scoped kinds, flux-applier namespaces of other configurations. */
  readonly useCluster: boolean;
  /** Where the Flux controllers run (read by --multi-tenancy auto). */
  readonly fluxNamespace: string;
}

/** Keys of `-k` this verb uses; the other az keys (prune, interval, ...) are accepted and ignored. */
const KUSTOMIZATION_KEYS: Record<string, keyof KustomizationInput> = {
  name: 'name',
  path: 'path',
  target_namespace: 'targetNamespace',
  targetNamespace: 'targetNamespace',
};

/**
 * `-k name=a path=./x -k name=b path=./y`: commander gives one flat token list, so a `name=` (or any key seen
 * again) starts the next kustomization.
 */
export function parseKustomizationTokens(tokens: readonly string[]): KustomizationInput[] {
  const groups: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq <= 0)
      throw new UsageError('usage error: --kustomization KEY=VALUE [KEY=VALUE ...]', {
        hint: 'e.g. -k name=apps path=./apps',
      });
    const key = token.slice(0, eq);
    const value = token.slice(eq + 1);
    if (!current || key in current || (key === 'name' && 'name' in current)) groups.push((current = {}));
    current[key] = value;
  }
  return groups.map((g) => {
    if (!g.name)
      throw new UsageError("Error! Kustomization definition is invalid, required values {'name'} not found", {
        hint: 'Add the required values to the Kustomization object and try again',
      });
    const k: KustomizationInput = { name: g.name, path: '' };
    for (const [key, value] of Object.entries(g)) {
      const field = KUSTOMIZATION_KEYS[key];
      if (field) k[field] = value;
    }
    return k;
  });
}

function checkNamespace(flag: string, value: string): string {
  if (!isNamespaceName(value))
    throw new UsageError(`${flag} '${value}' is not a valid namespace name`, {
      hint: 'use up to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit',
    });
  return value;
}

/** -o table: one row per finding. */
export function findingsTable(result: unknown): unknown {
  return (result as Finding[]).map((f) => ({
    rule: f.rule,
    severity: f.severity,
    location: locationOf(f),
    object: f.object ?? '',
    message: f.message,
  }));
}

async function applierNamespaces(kube: KubeClient, namespace: string, warn: (m: string) => void): Promise<string[]> {
  try {
    return await findApplierNamespaces(kube, namespace);
  } catch (err) {
    if (err instanceof KubeError && err.status === 403) {
      warn(
        `cannot list ServiceAccounts across namespaces (${err.message}); assuming only ${namespace} has a flux-applier`,
      );
      return [];
    }
    throw err;
  }
}

export const verb = defineVerb({
  flags: (cmd) =>
    cmd
      .option('--path <dir>', 'root of a local checkout of the source repository', '.')
      .option('--namespace <namespace>', 'namespace of the configuration (where its flux-applier lives)', 'default')
      .addOption(
        caseInsensitiveChoices(new Option('--scope <scope>', 'scope of the configuration'), [
          'cluster',
          'namespace',
        ]).default('cluster'),
      )
      .addOption(
        new Option('--multi-tenancy <mode>', 'multiTenancy.enforce to check against; auto reads it from the cluster')
          .choices(['enforce', 'off', 'auto'])
          .default('enforce'),
      )
      .option(
        '-k, --kustomization <key=value...>',
        'a kustomization of the configuration: name=NAME path=PATH [target_namespace=NS]; repeatable (default: the whole checkout)',
      )
      .option('--no-remote-bases', 'remote kustomize bases are errors (kustomize-controller --no-remote-bases=true)')
      .option(
        '--use-cluster',
        'ask the cluster of the kubeconfig context: API discovery, flux-applier of other configurations (implied by --multi-tenancy auto)',
      )
      .option(
        '--flux-namespace <namespace>',
        'namespace of the Flux controllers, read by --multi-tenancy auto',
        FLUX_NAMESPACE,
      ),
  parse: (flags): ValidateOptions => {
    const tokens = Array.isArray(flags.kustomization) ? (flags.kustomization as string[]) : [];
    const kustomizations = parseKustomizationTokens(tokens);
    for (const k of kustomizations) if (k.targetNamespace) checkNamespace('target_namespace', k.targetNamespace);
    return {
      path: String(flags.path ?? '.'),
      namespace: checkNamespace('--namespace', String(flags.namespace ?? 'default')),
      scope: flags.scope === 'namespace' ? 'namespace' : 'cluster',
      multiTenancy: (flags.multiTenancy as MultiTenancyMode | undefined) ?? 'enforce',
      kustomizations,
      // commander's --no-remote-bases sets remoteBases=false
      noRemoteBases: flags.remoteBases === false,
      useCluster: Boolean(flags.useCluster),
      fluxNamespace: checkNamespace('--flux-namespace', String(flags.fluxNamespace ?? FLUX_NAMESPACE)),
    };
  },
  run: async (o, deps) => {
    const st = await stat(o.path).catch(() => undefined);
    if (!st?.isDirectory())
      throw new UsageError(`--path ${o.path} is not a directory`, {
        hint: 'pass the root of a checkout of the source repository',
      });
    const warn = (m: string) => deps.log.warn(`Warning! ${m}`);
    const kube = o.useCluster || o.multiTenancy === 'auto' ? await deps.kube() : undefined;
    let multiTenancy = o.multiTenancy === 'enforce';
    let noRemoteBases = o.noRemoteBases;
    if (kube && o.multiTenancy === 'auto') {
      const detected = await detectMultiTenancy(kube, o.fluxNamespace);
      multiTenancy = detected.enforce;
      noRemoteBases ||= detected.noRemoteBases;
      deps.log.info(
        `multi-tenancy ${detected.enforce ? 'enforced' : 'off'}${detected.noRemoteBases ? ', remote bases refused' : ''} (from ${detected.source})`,
      );
    }
    const ctx: TenancyContext = {
      namespace: o.namespace,
      scope: o.scope,
      multiTenancy,
      applierNamespaces: kube && multiTenancy ? await applierNamespaces(kube, o.namespace, warn) : [],
    };
    const progress = deps.progress(`validating ${o.path}`);
    let findings: Finding[];
    try {
      findings = await validateCheckout(o.path, o.kustomizations, ctx, { kube, noRemoteBases, onWarning: warn });
    } finally {
      progress.stop();
    }
    deps.log.progress(
      `validate: ${summarize(findings)} (namespace ${ctx.namespace}, scope ${ctx.scope}, multi-tenancy ${multiTenancy ? 'enforced' : 'off'})`,
    );
    return new ResultWithExitCode(findings, hasErrors(findings) ? 1 : 0);
  },
  table: findingsTable,
});
