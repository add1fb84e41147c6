// Guided create: the answers → flags mapping (through the verbs' real parse) and the printed command line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatCommandLine,
  redactArgv,
  secretVariable,
  shellQuote,
  type Word,
} from '../../src/commands/guided/command-line.js';
import {
  askExtension,
  extensionAnswersToFlags,
  extensionCreateMissing,
  extensionSettingTokens,
} from '../../src/commands/guided/extension-create.js';
import { fluxAnswersToFlags, SECRET_FLAGS, type FluxAnswers } from '../../src/commands/guided/flux-answers.js';
import { askFlux, fluxCreateMissing } from '../../src/commands/guided/flux-create.js';
import { checkWith, equivalentLine } from '../../src/commands/guided/shared.js';
import { parseCreate } from '../../src/model/configuration-params.js';
import { parseSettingTokens } from '../../src/model/extension/settings.js';
import { checkUrl } from '../../src/model/source-kinds/index.js';
import type { Asker } from '../../src/ui/ask.js';

const noFiles = (p: string): string => {
  throw new Error(`no file ${p}`);
};
const text = (words: readonly Word[]) => words.map((w) => w.text);

const tutorial: FluxAnswers = {
  name: 'cluster-config',
  namespace: 'cluster-config',
  scope: 'cluster',
  kind: 'git',
  url: 'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
  ref: { type: 'branch', value: 'main' },
  auth: { type: 'https', user: 'git', token: 's3cr3t-token' },
  kustomizations: [
    { name: 'infra', path: './infrastructure', prune: true },
    { name: 'apps', path: './apps/staging', prune: false, dependsOn: 'infra' },
  ],
};

describe('flux create answers → flags', () => {
  it('gives parse the flags the command line would (commander attribute names, one -k per kustomization)', () => {
    const { flags } = fluxAnswersToFlags(tutorial);
    expect(flags).toEqual({
      name: 'cluster-config',
      namespace: 'cluster-config',
      scope: 'cluster',
      kind: 'git',
      url: 'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
      branch: 'main',
      httpsUser: 'git',
      httpsKey: 's3cr3t-token',
      kustomization: [
        ['name=infra', 'path=./infrastructure', 'prune=true'],
        ['name=apps', 'path=./apps/staging', 'prune=false', 'dependsOn=infra'],
      ],
    });
    const { config, protectedSettings } = parseCreate(flags, noFiles);
    expect(config.gitRepository).toMatchObject({ repositoryRef: { branch: 'main' }, httpsUser: 'git' });
    expect(protectedSettings.httpsKey).toBe('s3cr3t-token');
    expect(config.kustomizations.apps).toMatchObject({ path: './apps/staging', prune: false, dependsOn: ['infra'] });
    expect(config.kustomizations.infra).toMatchObject({ prune: true, dependsOn: [] });
  });

  it('prints the token as a placeholder, never its value', () => {
    const { words } = fluxAnswersToFlags(tutorial);
    const line = formatCommandLine(words);
    expect(line).not.toContain('s3cr3t-token');
    expect(line).toBe(
      '--name cluster-config --namespace cluster-config --scope cluster --kind git ' +
        '--url https://github.com/Azure/gitops-flux2-kustomize-helm-mt --branch main --https-user git ' +
        '--https-key "$FLUXCFG_HTTPS_KEY" -k name=infra path=./infrastructure prune=true ' +
        '-k name=apps path=./apps/staging prune=false dependsOn=infra',
    );
  });

  it('each auth answer → its flags (generated SSH key: none, fluxcfg makes one)', () => {
    const ssh = { ...tutorial, url: 'ssh://git@example.com/r.git', kustomizations: [] };
    expect(fluxAnswersToFlags({ ...ssh, auth: { type: 'generate-ssh' } }).flags).not.toHaveProperty('sshPrivateKey');
    expect(fluxAnswersToFlags({ ...ssh, auth: { type: 'ssh-key-file', path: '/k/id' } }).flags.sshPrivateKeyFile).toBe(
      '/k/id',
    );
    const secret = fluxAnswersToFlags({ ...ssh, auth: { type: 'secret', name: 'my-auth' } });
    expect(secret.flags.localAuthRef).toBe('my-auth');
    expect(text(secret.words)).toContain('--local-ref');
    const bucket = fluxAnswersToFlags({
      name: 'b',
      kind: 'bucket',
      url: 'https://s3.example.com',
      bucketName: 'bk',
      auth: { type: 'bucket-keys', accessKey: 'AK', secretKey: 'SK' },
    });
    expect(bucket.flags).toMatchObject({ bucketName: 'bk', bucketAccessKey: 'AK', bucketSecretKey: 'SK' });
    expect(formatCommandLine(bucket.words)).toContain('--bucket-secret-key "$FLUXCFG_BUCKET_SECRET_KEY"');
    expect(formatCommandLine(bucket.words)).not.toContain('SK');
    const blob = fluxAnswersToFlags({ kind: 'azblob', auth: { type: 'sas-token', token: 'sv=1&sig=x' } });
    expect(formatCommandLine(blob.words)).toBe('--kind azblob --sas-token "$FLUXCFG_SAS_TOKEN"');
  });

  it('only what was asked: flags given on the command line are not repeated', () => {
    expect(fluxAnswersToFlags({ url: 'https://x/y' }).flags).toEqual({ url: 'https://x/y' });
  });

  it('guides only when -n or --url is missing', () => {
    expect(fluxCreateMissing({ name: 'a', url: 'https://x' })).toBe(false);
    expect(fluxCreateMissing({ url: 'https://x' })).toBe(true);
    expect(fluxCreateMissing({ name: 'a' })).toBe(true);
  });

  it("an answer is checked by its flag's validator, with az's message", () => {
    const url = checkWith((v) => checkUrl('git', v));
    expect(url('https://github.com/x/y')).toBeUndefined();
    expect(url('ftp://x')).toBe(
      "Error! Invalid --url. Url must begin with one of ['http://', 'https://', 'git@', 'ssh://']",
    );
    expect(checkWith((v) => checkUrl('oci', v))('https://x')).toBe(
      "Error! Invalid --url. Url must begin with 'oci://'",
    );
  });
});

describe('the command line printer', () => {
  it('quotes for a POSIX shell', () => {
    expect(shellQuote('./apps/staging')).toBe('./apps/staging');
    expect(shellQuote('name=a')).toBe('name=a');
    expect(shellQuote('dependsOn=["infra"]')).toBe(`'dependsOn=["infra"]'`);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('a b')).toBe(`'a b'`);
    expect(shellQuote('$HOME')).toBe(`'$HOME'`);
    expect(shellQuote('')).toBe(`''`);
  });

  it('names placeholders after the flag', () => {
    expect(secretVariable('--https-key')).toBe('FLUXCFG_HTTPS_KEY');
    expect(secretVariable('--sp-client-secret')).toBe('FLUXCFG_SP_CLIENT_SECRET');
  });

  it('continues long lines before a flag', () => {
    const words = Array.from({ length: 12 }, (_, i) => [{ text: `--flag-${i}` }, { text: `value-${i}` }]).flat();
    const out = formatCommandLine(words, 60);
    for (const l of out.split('\n')) expect(l.length).toBeLessThanOrEqual(60);
    expect(
      out
        .split(' \\\n')
        .map((l) => l.trim())
        .join(' '),
    ).toBe(formatCommandLine(words));
    expect(out).toMatch(/ \\\n {4}--flag-/);
  });

  it('keeps a flag with its value, and breaks a long list of values between them', () => {
    const words = [
      { text: 'fluxcfg' },
      { text: '--kubeconfig' },
      { text: `/tmp/${'k'.repeat(30)}` },
      { text: '--config' },
      ...Array.from({ length: 10 }, (_, i) => ({ text: `component-${i}.enabled=true` })),
    ];
    const out = formatCommandLine(words, 60);
    const lines = out.split(' \\\n');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(58);
    expect(lines[0]).toBe(`fluxcfg --kubeconfig /tmp/${'k'.repeat(30)}`);
    expect(lines[1]).toMatch(/^ {4}--config component-0.enabled=true$/);
    expect(lines.slice(2).every((l) => /^ {4}component-\d/.test(l))).toBe(true);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(formatCommandLine(words));
  });

  it('hides secrets typed on the command line (--flag value, --flag=value, protected settings)', () => {
    const argv = ['k8s-configuration', 'flux', 'create', '--https-key', 'tok', '--sas-token=sig', '--kubeconfig', 'k'];
    const line = formatCommandLine(redactArgv(argv, SECRET_FLAGS));
    expect(line).toBe(
      'k8s-configuration flux create --https-key "$FLUXCFG_HTTPS_KEY" --sas-token="$FLUXCFG_SAS_TOKEN" --kubeconfig k',
    );
    const ext = redactArgv(['--config-protected', 'a.b=x', 'c=y', '--yes'], [], ['--config-protected']);
    expect(formatCommandLine(ext)).toBe('--config-protected a.b="$FLUXCFG_A_B" c="$FLUXCFG_C" --yes');
  });

  it('the equivalent line starts with fluxcfg, keeps what was typed and lists the variables to set', () => {
    const { line, vars } = equivalentLine(
      ['k8s-configuration', 'flux', 'create', '--no-validate'],
      fluxAnswersToFlags(tutorial).words,
    );
    expect(line.replace(/ \\\n\s+/g, ' ')).toMatch(/^fluxcfg k8s-configuration flux create --no-validate --name /);
    expect(vars).toEqual(['FLUXCFG_HTTPS_KEY']);
    expect(line).not.toContain('s3cr3t');
  });
});

describe('k8s-extension create answers → flags', () => {
  it('components → <component>.enabled, multi-tenancy → multiTenancy.enforce, through the --config parser', () => {
    const answers = {
      name: 'flux',
      extensionType: 'microsoft.flux',
      enabled: ['source-controller', 'kustomize-controller'] as const,
      multiTenancy: false,
    };
    const tokens = extensionSettingTokens(answers);
    expect(tokens).toEqual([
      'source-controller.enabled=true',
      'kustomize-controller.enabled=true',
      'helm-controller.enabled=false',
      'notification-controller.enabled=false',
      'image-automation-controller.enabled=false',
      'image-reflector-controller.enabled=false',
      'source-watcher.enabled=false',
      'multiTenancy.enforce=false',
    ]);
    expect(parseSettingTokens(tokens, '--configuration-settings')).toMatchObject({
      'helm-controller.enabled': 'false',
      'multiTenancy.enforce': 'false',
    });
    const { flags, words } = extensionAnswersToFlags(answers);
    expect(flags).toEqual({ name: 'flux', extensionType: 'microsoft.flux', config: tokens });
    expect(formatCommandLine(words)).toBe(`--name flux --extension-type microsoft.flux --config ${tokens.join(' ')}`);
  });

  it('guides only when -n or --extension-type is missing', () => {
    expect(extensionCreateMissing({ name: 'flux', extensionType: 'microsoft.flux' })).toBe(false);
    expect(extensionCreateMissing({ name: 'flux' })).toBe(true);
  });
});

/** An Asker that answers from a script: for a checked input it tries each scripted answer in turn, as a user
 * re-typing after the error, and records the errors shown. */
function scripted(script: Record<string, readonly (string | boolean)[]>) {
  const asked: string[] = [];
  const errors: string[] = [];
  const next = (message: string) => {
    const key = Object.keys(script).find((k) => message.includes(k));
    if (!key || script[key]!.length === 0) throw new Error(`unexpected question: ${message}`);
    asked.push(key);
    return (script[key] as (string | boolean)[]).shift()!;
  };
  const ask: Asker = {
    async input(message, options = {}) {
      for (;;) {
        const a = String(next(message) || options.default || '');
        const error = options.check?.(a);
        if (!error) return a;
        errors.push(error);
      }
    },
    async secret(message) {
      return String(next(message));
    },
    async select<T extends string>(message: string, _c: unknown, initial?: T) {
      const a = next(message);
      return (a === '' ? initial : a) as T;
    },
    async checkbox<T extends string>(message: string) {
      return String(next(message)).split(',') as T[];
    },
    async confirm(message) {
      return Boolean(next(message));
    },
  };
  return { ask, asked, errors };
}

describe('the questions (a scripted terminal)', () => {
  it('asks what is missing, re-asks a bad answer with the flag message, and parse accepts the result', async () => {
    const s = scripted({
      '(--name)': ['Bad_Name', 'demo'],
      '--namespace': ['team-a'],
      '--scope': ['namespace'],
      '--kind': [''],
      '--url': ['ftp://x', 'git@github.com:org/repo.git'],
      Reference: ['tag'],
      'tag:': ['v1.2.3'],
      Authentication: ['ssh-key-file'],
      'SSH private key file': ['/no/such/key', 'test/unit/model/fixtures/id_test_ed25519'],
      'Add a kustomization': [true],
      'Add another': [true, false],
      'Kustomization name': ['infra', 'infra', 'apps'],
      'Path in the source': ['./infra', './apps'],
      Prune: [true, false],
      'Depends on': ['infra'],
    });
    const answers = await askFlux(s.ask, { namespace: 'default', scope: 'cluster', kind: 'git' }, () => false);
    expect(s.errors[0]).toMatch(/^Error! Invalid --name /);
    expect(s.errors[1]).toBe(
      "Error! Invalid --url. Url must begin with one of ['http://', 'https://', 'git@', 'ssh://']",
    );
    expect(s.errors[2]).toMatch(/^Error! Unable to read key file specified with: /);
    expect(s.errors[3]).toMatch(/Kustomization name 'infra' duplicated/);
    expect(s.errors).toHaveLength(4);
    const { flags, words } = fluxAnswersToFlags(answers);
    const { config, protectedSettings } = parseCreate({ ...flags }, (p) => readFileSync(p, 'utf8'));
    expect(config).toMatchObject({ name: 'demo', namespace: 'team-a', scope: 'namespace' });
    expect(config.gitRepository).toMatchObject({
      url: 'git@github.com:org/repo.git',
      repositoryRef: { tag: 'v1.2.3' },
    });
    expect(protectedSettings.sshPrivateKey).toContain('PRIVATE KEY');
    expect(config.kustomizations.apps).toMatchObject({ dependsOn: ['infra'], prune: false });
    expect(formatCommandLine(words)).toContain('--ssh-private-key-file test/unit/model/fixtures/id_test_ed25519');
  });

  it('does not ask what the command line gave', async () => {
    const s = scripted({ '(--name)': ['demo'], Authentication: ['none'], 'Add a kustomization': [false] });
    const given = new Set(['namespace', 'scope', 'kind', 'url', 'branch']);
    const flags = { namespace: 'x', scope: 'cluster', kind: 'git', url: 'https://github.com/o/r', branch: 'main' };
    const answers = await askFlux(s.ask, flags, (a) => given.has(a));
    expect(s.asked).toEqual(['(--name)', 'Authentication', 'Add a kustomization']);
    expect(answers).toEqual({ name: 'demo', auth: { type: 'none' }, kustomizations: [] });
  });

  it('extension: name, components and multi-tenancy, through the --config parser', async () => {
    const s = scripted({
      '(--name)': [''],
      components: ['source-controller,kustomize-controller'],
      'multi-tenancy': [true],
    });
    const answers = await askExtension(s.ask, {});
    expect(answers).toEqual({
      name: 'flux',
      extensionType: 'microsoft.flux',
      enabled: ['source-controller', 'kustomize-controller'],
      multiTenancy: true,
    });
  });
});
