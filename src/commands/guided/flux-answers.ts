// The answers of a guided `flux create` → the flags its parse reads (commander attribute names, exactly as the
// command line would give them) and the words of the equivalent command line (secrets as placeholders).
import type { KindFlag } from '../../model/flux-configuration.js';
import { attributeOf, flagName } from '../../model/source-kinds/flag-spec.js';
import { sourceFlagSpecs, type SourceParam } from '../../model/source-kinds/index.js';
import { secretPlaceholder, type GuidedFlags, type Word } from './command-line.js';
import type { Flags } from '../verb.js';

export type RefType = 'branch' | 'tag' | 'semver' | 'commit' | 'digest';

export type Auth =
  | { readonly type: 'none' }
  /** git over SSH without a key: fluxcfg generates one (as az does) and prints its public half. */
  | { readonly type: 'generate-ssh' }
  | { readonly type: 'ssh-key-file'; readonly path: string }
  | { readonly type: 'https'; readonly user: string; readonly token: string }
  | { readonly type: 'secret'; readonly name: string }
  | { readonly type: 'bucket-keys'; readonly accessKey: string; readonly secretKey: string }
  | { readonly type: 'account-key'; readonly key: string }
  | { readonly type: 'sas-token'; readonly token: string };

export interface KustomizationAnswer {
  readonly name: string;
  readonly path: string;
  readonly prune: boolean;
  readonly dependsOn?: string;
}

/** What the guide asked; a field left out was given on the command line (or not asked for this kind). */
export interface FluxAnswers {
  readonly name?: string;
  readonly namespace?: string;
  readonly scope?: 'cluster' | 'namespace';
  readonly kind?: KindFlag;
  readonly url?: string;
  readonly bucketName?: string;
  readonly containerName?: string;
  readonly ref?: { readonly type: RefType; readonly value: string };
  readonly auth?: Auth;
  readonly kustomizations?: readonly KustomizationAnswer[];
}

/** The source flags that carry a secret: printed as placeholders, never as given. */
export const SECRET_PARAMS: readonly SourceParam[] = [
  'ssh_private_key',
  'https_key',
  'bucket_secret_key',
  'account_key',
  'sas_token',
  'sp_client_secret',
  'sp_client_cert',
  'sp_client_cert_password',
  'tls_private_key',
];

/** The long flag names of the secret source flags (all of their names). */
export const SECRET_FLAGS: readonly string[] = SECRET_PARAMS.flatMap((p) =>
  [...sourceFlagSpecs[p].flags.matchAll(/--[\w-]+/g)].map((m) => m[0]),
);

/** Builds flags and words together, so the printed line says exactly what parse is given. */
class Builder {
  readonly flags: Flags = {};
  readonly words: Word[] = [];
  set(attribute: string, flag: string, value: string): this {
    this.flags[attribute] = value;
    this.words.push({ text: flag }, { text: value });
    return this;
  }
  source(param: SourceParam, value: string): this {
    const spec = sourceFlagSpecs[param];
    if (!SECRET_PARAMS.includes(param)) return this.set(attributeOf(spec), flagName(spec), value);
    this.flags[attributeOf(spec)] = value;
    this.words.push({ text: flagName(spec) }, secretPlaceholder(flagName(spec)));
    return this;
  }
}

/** The `-k` tokens of one kustomization answer, in az's key names. */
export function kustomizationTokens(k: KustomizationAnswer): string[] {
  const tokens = [`name=${k.name}`, `path=${k.path}`, `prune=${k.prune}`];
  if (k.dependsOn) tokens.push(`dependsOn=${k.dependsOn}`);
  return tokens;
}

function authFlags(b: Builder, auth: Auth): void {
  switch (auth.type) {
    case 'none':
    case 'generate-ssh':
      return;
    case 'ssh-key-file':
      b.source('ssh_private_key_file', auth.path);
      return;
    case 'https':
      b.source('https_user', auth.user).source('https_key', auth.token);
      return;
    case 'secret':
      b.source('local_auth_ref', auth.name);
      return;
    case 'bucket-keys':
      b.source('bucket_access_key', auth.accessKey).source('bucket_secret_key', auth.secretKey);
      return;
    case 'account-key':
      b.source('account_key', auth.key);
      return;
    case 'sas-token':
      b.source('sas_token', auth.token);
  }
}

/** The answers as flags (what parse reads) and words (the command line printed), in the order they were asked. */
export function fluxAnswersToFlags(a: FluxAnswers): GuidedFlags {
  const b = new Builder();
  if (a.name !== undefined) b.set('name', '--name', a.name);
  if (a.namespace !== undefined) b.set('namespace', '--namespace', a.namespace);
  if (a.scope !== undefined) b.set('scope', '--scope', a.scope);
  if (a.kind !== undefined) b.set('kind', '--kind', a.kind);
  if (a.url !== undefined) b.source('url', a.url);
  if (a.bucketName !== undefined) b.source('bucket_name', a.bucketName);
  if (a.containerName !== undefined) b.source('container_name', a.containerName);
  if (a.ref) b.source(a.ref.type, a.ref.value);
  if (a.auth) authFlags(b, a.auth);
  if (a.kustomizations?.length) {
    b.flags.kustomization = a.kustomizations.map(kustomizationTokens);
    for (const k of a.kustomizations) b.words.push({ text: '-k' }, ...kustomizationTokens(k).map((text) => ({ text })));
  }
  return { flags: b.flags, words: b.words };
}
