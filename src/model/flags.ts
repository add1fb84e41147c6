// Reading az boolean flags; kept here for the verbs that import it. The flux flags are parsed in
// ./configuration-params.ts (configuration), ./kustomization-params.ts (kustomization verbs) and ./source-kinds/.
import { parseOptionalBool } from './kustomization-spec.js';

export type Flags = Record<string, unknown>;
export type { ReadFile } from './secret-input.js';

/** A three-state az boolean flag: undefined when not given, `true` alone, else strictly true/false (UsageError). */
export function parseBool(value: unknown, flagName: string): boolean | undefined {
  return parseOptionalBool(value, flagName);
}
