import type { Command } from 'commander';
import { validateLabelName, validateSubdomainName } from '../../../model/validate.js';
import type { Flags } from '../../verb.js';

/** Which configuration a verb works on: az's `-n`, plus `--namespace` to narrow the search by name. */
export interface Target {
  readonly name: string;
  readonly namespace?: string;
}

export function declareNamespaceFlag(cmd: Command): Command {
  return cmd.option('--ns, --namespace <namespace>', 'namespace of the configuration (default: found by name)');
}

export function declareTarget(cmd: Command): Command {
  return declareNamespaceFlag(cmd.requiredOption('-n, --name <name>', 'name of the Flux configuration'));
}

/** `--namespace` of the read verbs: a namespace name (it goes into a request path), or undefined. */
export function parseNamespace(flags: Flags): string | undefined {
  if (flags.namespace === undefined || flags.namespace === null) return undefined;
  const namespace = String(flags.namespace);
  validateLabelName(namespace, '--namespace', 63);
  return namespace;
}

/** -n and --namespace, checked as Kubernetes names: the name becomes a label selector, the namespace a path. */
export function parseTarget(flags: Flags): Target {
  const name = String(flags.name);
  validateSubdomainName(name, '--name', 63);
  return { name, namespace: parseNamespace(flags) };
}
