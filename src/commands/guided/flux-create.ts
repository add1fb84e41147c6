// Guided `flux create` on a terminal: asks for what the flags leave out, checks every answer as it is typed with the
// validator its flag goes through (az's message under the prompt, asked again), builds the flags of the answers,
// runs the verb's own parse on them, shows a summary and the equivalent command line, and asks for confirmation.
// Nothing is sent to the cluster before the confirmation; secrets typed here go to parse in-process only.
import { UsageError } from '../../errors.js';
import type { KindFlag } from '../../model/flux-configuration.js';
import { parseKustomizationTokens } from '../../model/kustomization-spec.js';
import { readPrivateKey } from '../../model/secret-input.js';
import { checkUrl, readSourceFlags, SOURCE_KINDS } from '../../model/source-kinds/index.js';
import { pretty } from '../../model/source-kinds/params.js';
import { validateLabelName, validateSubdomainName } from '../../model/validate.js';
import { makeAsker, type Asker, type Check } from '../../ui/ask.js';
import { readTextFile } from '../k8s-configuration/flux/prepare.js';
import type { Flags, GuideContext } from '../verb.js';
import { checkWith, confirmGuided } from './shared.js';
import {
  fluxAnswersToFlags,
  type Auth,
  type FluxAnswers,
  type KustomizationAnswer,
  type RefType,
} from './flux-answers.js';

/** az's message for a required property left empty. */
function required(param: string, kind: KindFlag): Check {
  return checkWith((v) => {
    if (!v)
      throw new UsageError(`Error! Required properties [${pretty(param)}] were not specified for kind '${kind}'`, {
        hint: 'Add the missing required properties and try again',
      });
  });
}

const nonEmpty =
  (what: string): Check =>
  (v) =>
    v ? undefined : `${what} must not be empty`;

/** Whether the flags lack something `flux create` requires: then, on a terminal, the guide asks. */
export function fluxCreateMissing(flags: Flags): boolean {
  return flags.name === undefined || flags.url === undefined;
}

const REFS: Record<KindFlag, readonly RefType[]> = {
  git: ['branch', 'tag', 'semver', 'commit'],
  oci: ['tag', 'semver', 'digest'],
  bucket: [],
  azblob: [],
};

async function askRef(ask: Asker, kind: KindFlag): Promise<FluxAnswers['ref']> {
  const types = REFS[kind];
  if (types.length === 0) return undefined;
  const choices = types.map((t) => ({ value: t, name: t }));
  const type = await ask.select(`Reference to reconcile (--${types.join('/--')})`, choices, types[0]);
  const value = await ask.input(`${type}:`, {
    default: type === 'branch' ? 'main' : undefined,
    check: nonEmpty(`--${type}`),
  });
  return { type, value };
}

async function askAuth(ask: Asker, kind: KindFlag, url: string): Promise<Auth> {
  const secretName = async (): Promise<Auth> => ({
    type: 'secret',
    name: await ask.input('Name of the existing Secret in the configuration namespace (--local-auth-ref):', {
      check: checkWith((v) => validateSubdomainName(v, '--local-auth-ref', 253)),
    }),
  });
  const existing = { value: 'secret', name: 'an existing Secret (--local-auth-ref)' } as const;
  if (kind === 'git' && /^https?:\/\//i.test(url)) {
    const type = await ask.select(
      'Authentication',
      [{ value: 'none', name: 'none (public repository)' }, { value: 'https', name: 'HTTPS user and token' }, existing],
      'none',
    );
    if (type === 'none') return { type };
    if (type === 'secret') return secretName();
    const user = await ask.input('HTTPS user (--https-user):', { check: nonEmpty('--https-user') });
    const token = await ask.secret('HTTPS token or password (--https-key, not shown):', {
      check: nonEmpty('--https-key'),
    });
    return { type: 'https', user, token };
  }
  if (kind === 'git') {
    const type = await ask.select(
      'Authentication',
      [
        { value: 'generate-ssh', name: 'generate an SSH key (its public key is printed, to add as a deploy key)' },
        { value: 'ssh-key-file', name: 'an SSH private key file (--ssh-private-key-file)' },
        existing,
      ],
      'generate-ssh',
    );
    if (type === 'generate-ssh') return { type };
    if (type === 'secret') return secretName();
    const path = await ask.input('SSH private key file:', {
      check: checkWith((v) => void readPrivateKey(readSourceFlags({ sshPrivateKeyFile: v }), readTextFile)),
    });
    return { type: 'ssh-key-file', path };
  }
  if (kind === 'bucket') {
    const type = await ask.select(
      'Authentication',
      [{ value: 'bucket-keys', name: 'access key and secret key' }, existing],
      'bucket-keys',
    );
    if (type === 'secret') return secretName();
    const accessKey = await ask.input('Access key ID (--bucket-access-key):', {
      check: nonEmpty('--bucket-access-key'),
    });
    const secretKey = await ask.secret('Secret key (--bucket-secret-key, not shown):', {
      check: nonEmpty('--bucket-secret-key'),
    });
    return { type: 'bucket-keys', accessKey, secretKey };
  }
  if (kind === 'azblob') {
    const type = await ask.select(
      'Authentication',
      [
        { value: 'account-key', name: 'storage account key (--account-key)' },
        { value: 'sas-token', name: 'SAS token (--sas-token)' },
        existing,
      ],
      'account-key',
    );
    if (type === 'secret') return secretName();
    if (type === 'account-key')
      return { type, key: await ask.secret('Account key (not shown):', { check: nonEmpty('--account-key') }) };
    return { type, token: await ask.secret('SAS token (not shown):', { check: nonEmpty('--sas-token') }) };
  }
  const type = await ask.select(
    'Authentication',
    [{ value: 'none', name: 'none (public registry)' }, existing],
    'none',
  );
  return type === 'none' ? { type } : secretName();
}

async function askKustomizations(ask: Asker): Promise<KustomizationAnswer[]> {
  const list: KustomizationAnswer[] = [];
  while (await ask.confirm(list.length ? 'Add another kustomization?' : 'Add a kustomization (-k)?', !list.length)) {
    const name = await ask.input('Kustomization name:', {
      check: checkWith((v) => {
        parseKustomizationTokens([`name=${v}`]);
        if (list.some((k) => k.name === v))
          throw new UsageError(
            `Error! Invalid kustomization list. Kustomization name '${v}' duplicated in multiple Kustomization objects`,
            { hint: 'Ensure that all Kustomization names are unique and try again' },
          );
      }),
    });
    const path = await ask.input('Path in the source:', {
      default: './',
      check: checkWith((v) => parseKustomizationTokens([`name=${name}`, `path=${v}`])),
    });
    const prune = await ask.confirm('Prune (garbage-collect what is removed from the source)?', true);
    const dependsOn = list.length
      ? await ask.select(
          'Depends on',
          [{ value: '', name: '(nothing)' }, ...list.map((k) => ({ value: k.name, name: k.name }))],
          '',
        )
      : '';
    list.push({ name, path, prune, dependsOn: dependsOn || undefined });
  }
  return list;
}

/** Asks for what `flags` leave out; `given` tells which flags were typed. */
export async function askFlux(ask: Asker, flags: Flags, given: (attribute: string) => boolean): Promise<FluxAnswers> {
  const a: { -readonly [K in keyof FluxAnswers]: FluxAnswers[K] } = {};
  if (flags.name === undefined)
    a.name = await ask.input('Name of the configuration (--name):', {
      check: checkWith((v) => validateSubdomainName(v, '--name', 63)),
    });
  if (!given('namespace'))
    a.namespace = await ask.input('Namespace (--namespace):', {
      default: String(flags.namespace ?? 'default'),
      check: checkWith((v) => validateLabelName(v, '--namespace', 253)),
    });
  if (!given('scope'))
    a.scope = await ask.select<'cluster' | 'namespace'>(
      'Scope (--scope)',
      [
        { value: 'cluster', name: 'cluster: the Kustomizations may apply objects anywhere' },
        { value: 'namespace', name: 'namespace: only in the configuration namespace' },
      ],
      'cluster',
    );
  let kind = (flags.kind ?? 'git') as KindFlag;
  if (!given('kind')) {
    const choices = Object.keys(SOURCE_KINDS).map((k) => ({ value: k as KindFlag, name: k }));
    a.kind = kind = await ask.select('Source kind (--kind)', choices, kind);
  }
  let url = flags.url === undefined ? undefined : String(flags.url);
  if (url === undefined)
    a.url = url = await ask.input('URL of the source (--url):', {
      check: checkWith((v) => checkUrl(kind, v)),
    });
  if (kind === 'bucket' && flags.bucketName === undefined)
    a.bucketName = await ask.input('Bucket name (--bucket-name):', { check: required('bucket_name', kind) });
  if (kind === 'azblob' && flags.containerName === undefined)
    a.containerName = await ask.input('Container name (--container-name):', {
      check: required('container_name', kind),
    });
  const refGiven = ['branch', 'tag', 'semver', 'commit', 'digest'].some((r) => flags[r] !== undefined);
  if (!refGiven) a.ref = await askRef(ask, kind);
  const authFlags = ['sshPrivateKey', 'sshPrivateKeyFile', 'httpsUser', 'httpsKey', 'localAuthRef', 'provider'];
  const authGiven = [...authFlags, 'bucketAccessKey', 'accountKey', 'sasToken', 'spClientId', 'miClientId'];
  if (!authGiven.some((f) => flags[f] !== undefined)) a.auth = await askAuth(ask, kind, url);
  if (flags.kustomization === undefined) a.kustomizations = await askKustomizations(ask);
  return a;
}

/** The summary shown before the confirmation, from the completed flags. */
export function fluxSummary(flags: Flags, answers: FluxAnswers): string[] {
  const kind = String(flags.kind ?? 'git');
  const rows: [string, string][] = [
    ['name', String(flags.name)],
    ['namespace', String(flags.namespace ?? 'default')],
    ['scope', String(flags.scope ?? 'cluster')],
    ['kind', kind],
    ['url', String(flags.url)],
  ];
  if (flags.bucketName !== undefined) rows.push(['bucket', String(flags.bucketName)]);
  if (flags.containerName !== undefined) rows.push(['container', String(flags.containerName)]);
  for (const r of ['branch', 'tag', 'semver', 'commit', 'digest'])
    if (flags[r] !== undefined) rows.push([r, String(flags[r])]);
  const auth = answers.auth;
  const authText: Record<Auth['type'], string> = {
    none: 'none',
    'generate-ssh': 'a generated SSH key (its public key is printed after the create)',
    'ssh-key-file': `SSH private key file ${auth?.type === 'ssh-key-file' ? auth.path : ''}`,
    https: `HTTPS user '${auth?.type === 'https' ? auth.user : ''}' and a token (hidden)`,
    secret: `existing Secret '${auth?.type === 'secret' ? auth.name : ''}'`,
    'bucket-keys': `access key '${auth?.type === 'bucket-keys' ? auth.accessKey : ''}' and a secret key (hidden)`,
    'account-key': 'an account key (hidden)',
    'sas-token': 'a SAS token (hidden)',
  };
  if (auth) rows.push(['auth', authText[auth.type]]);
  const ks = (flags.kustomization ?? []) as string[][];
  if (ks.length === 0) rows.push(['kustomization', 'none given: the default kustomization-1 (path ./, prune false)']);
  for (const tokens of ks) rows.push(['kustomization', tokens.join(' ')]);
  return rows.map(([k, v]) => `  ${k.padEnd(14)} ${v}`);
}

/** VerbSpec.guide of `flux create`. */
export async function guideFluxCreate(flags: Flags, context: GuideContext): Promise<Flags> {
  if (!fluxCreateMissing(flags)) return flags;
  const ask = makeAsker(context.deps.io);
  const answers = await askFlux(ask, flags, context.given);
  const guided = fluxAnswersToFlags(answers);
  const merged = { ...flags, ...guided.flags };
  context.parse(merged); // az's checks across the answers, before anything is shown as final
  await confirmGuided(ask, context, 'Create this configuration?', fluxSummary(merged, answers), guided.words);
  return merged;
}
