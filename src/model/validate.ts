// Name rules of az §3.1 and the cross-kustomization rules az leaves to the service (§9): unknown depends_on targets,
// dependency cycles, `<config>-<kustomization>` longer than 63 characters, target namespaces of namespace scope.
import { UsageError } from '../errors.js';
import type { FluxConfiguration } from './flux-configuration.js';
import { kustomizationObjectName } from './naming.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([.\-a-z0-9]*[a-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes namespace name: an RFC 1123 label of at most 63 characters. */
export function isNamespaceName(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

function lengthError(param: string, max: number): UsageError {
  return new UsageError(`Error! Invalid ${param}`, {
    hint: `Parameter ${param} can be a maximum of ${max} characters. Specify a shorter name and try again.`,
  });
}

/** az `__validate_k8s_cr_name`: flux `--name`, `-k name=` (param `name`). */
export function validateSubdomainName(value: string, param: string, max = 63): void {
  if (value.length > max) throw lengthError(param, max);
  if (DNS_SUBDOMAIN.test(value)) return;
  if (value.startsWith('-') || value.endsWith('-')) {
    throw new UsageError(`Error! Invalid ${param}`, { hint: `Parameter ${param} cannot begin or end with a hyphen.` });
  }
  if (value.startsWith('.') || value.endsWith('.')) {
    throw new UsageError(`Error! Invalid ${param}`, { hint: `Parameter ${param} cannot begin or end with a period.` });
  }
  // az passes the error text as help here (a bug); the help it meant is used instead.
  throw new UsageError(`Error! Invalid ${param}`, {
    hint: `Parameter ${param} can only contain lowercase alphanumeric characters, hyphens, and periods`,
  });
}

/** az `__validate_k8s_name`: `--namespace` (253). */
export function validateLabelName(value: string, param: string, max: number): void {
  if (value.length > max) throw lengthError(param, max);
  if (DNS_LABEL.test(value)) return;
  if (value.startsWith('-') || value.endsWith('-')) {
    throw new UsageError(`Error! Invalid ${param}`, { hint: `Parameter ${param} cannot begin or end with a hyphen.` });
  }
  throw new UsageError(`Error! Invalid ${param}`, {
    hint: `Parameter ${param} can only contain lowercase alphanumeric characters and hyphens`,
  });
}

export const KUSTOMIZATION_NAME_TOO_LONG_HELP =
  'Shorten the flux configuration or the kustomization name and try again';

/**
 * The rules across kustomizations (run after every create/update/kustomization change):
 * `<config>-<kustomization>` ≤ 63 characters, every depends_on target exists, no cycles, and for scope namespace
 * no target_namespace other than the configuration namespace.
 */
export function validateConfiguration(config: FluxConfiguration): void {
  const names = Object.keys(config.kustomizations);
  for (const name of names) {
    if (kustomizationObjectName(config.name, name).length > 63) {
      throw new UsageError(
        `Error! Invalid Kustomization list. Flux configuration name '${config.name}' combined with kustomization name '${name}' cannot be greater than 62 characters`,
        { hint: KUSTOMIZATION_NAME_TOO_LONG_HELP },
      );
    }
  }
  for (const name of names) {
    const k = config.kustomizations[name]!;
    for (const dep of k.dependsOn ?? []) {
      if (!Object.hasOwn(config.kustomizations, dep)) {
        throw new UsageError(
          `Error! Invalid kustomization list. Kustomization '${name}' depends on '${dep}', which is not a kustomization of configuration '${config.name}'`,
          { hint: `Define a kustomization named '${dep}' or remove it from the dependencies of '${name}'` },
        );
      }
    }
    if (config.scope === 'namespace' && k.targetNamespace !== undefined && k.targetNamespace !== config.namespace) {
      throw new UsageError(
        `Error! Invalid kustomization '${name}': target_namespace '${k.targetNamespace}' is not the namespace '${config.namespace}' of this namespace-scoped configuration`,
        { hint: 'A configuration with --scope namespace deploys into its own namespace only; remove target_namespace' },
      );
    }
  }
  const cycle = findCycle(config);
  if (cycle) {
    throw new UsageError(
      `Error! Invalid kustomization list. Dependency cycle between kustomizations: ${cycle.map((c) => `'${c}'`).join(' -> ')}`,
      { hint: 'Remove one of the dependencies so that the kustomizations can be applied in order' },
    );
  }
}

/** The first dependency cycle (in map order), as a path that starts and ends with the same name. */
export function findCycle(config: FluxConfiguration): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of config.kustomizations[name]?.dependsOn ?? []) {
      if (!Object.hasOwn(config.kustomizations, dep)) continue;
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(config.kustomizations)) {
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}
