// What one source kind (az `--kind`) is: its flags, az's required/valid properties, its checks, how its block of
// the configuration is built from the flags and merged by `update`. One entry per kind in ./index.ts.
import type { FluxConfiguration, KindFlag, SourceKind } from '../flux-configuration.js';
import type { FlagSpec } from './flag-spec.js';
import type { SourceFlags, SourceInput, SourceParam } from './params.js';

export type BlockKey = 'gitRepository' | 'bucket' | 'azureBlob' | 'ociRepository';

export interface SourceKindSpec<B> {
  /** The `--kind` value. */
  readonly flag: KindFlag;
  /** The flags only this kind has (the common ones are in ./flag-spec.ts); declared by the flux verbs. */
  readonly flags: Readonly<Record<string, FlagSpec>>;
  readonly sourceKind: SourceKind;
  /** Where the configuration holds the block. */
  readonly blockKey: BlockKey;
  /** az's allow-list (§3.3), in az's order: "Invalid properties [...] were specified for kind". */
  readonly params: readonly SourceParam[];
  /** "Required properties [...] were not specified for kind". */
  readonly required: readonly SourceParam[];
  /** Whether the URL scheme suits the kind; `urlHint` is az's help when it does not. */
  readonly urlOk: (url: string) => boolean;
  readonly urlHint: string;
  /** Full validation after the required properties and URL (create, and update to this kind), az's order. */
  readonly validate: (f: SourceFlags, url: string) => void;
  /** `update` of a configuration already of this kind: checks of the flags given against the merged result. */
  readonly validateUpdate: (f: SourceFlags, url: string, old: B | undefined) => void;
  /** The block from the flags (`create`: the az defaults of absent flags). */
  readonly block: (s: SourceInput, create: boolean) => B;
  /** The block after `update`: the given flags merged into the old block field by field. */
  readonly merge: (old: B | undefined, s: SourceInput) => B;
}

export function blockOf<B>(config: FluxConfiguration, spec: SourceKindSpec<B>): B | undefined {
  return config[spec.blockKey] as B | undefined;
}
