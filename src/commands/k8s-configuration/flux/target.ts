import type { Command } from 'commander';
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

export function parseTarget(flags: Flags): Target {
  return { name: String(flags.name), namespace: flags.namespace as string | undefined };
}
