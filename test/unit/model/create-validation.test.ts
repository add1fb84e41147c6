// One row per az §3 rule (and per fixed gap of §9): the exact message and hint.
import { describe, expect, it } from 'vitest';
import { UsageError, UserError } from '../../../src/errors.js';
import { b64, create, errorOf, expectUsage, files, fixture } from './helpers.js';

const HTTPS = ['-n', 'cfg', '-u', 'https://github.com/org/repo', '--branch', 'main'];
const SSH = ['-n', 'cfg', '-u', 'git@github.com:org/repo', '--branch', 'main'];
const GO_DURATION = 'Specify a valid Go duration and try again (i.e. 1h2m5s)';
const URL_HELP = "Url must begin with one of ['http://', 'https://', 'git@', 'ssh://']";
const GIT_VALID =
  "Valid properties for kind 'git' include ['--url','--branch','--tag','--semver','--commit','--sync-interval','--timeout'," +
  "'--ssh-private-key','--ssh-private-key-file','--https-user','--https-key','--https-ca-cert','--https-ca-cert-file'," +
  "'--known-hosts','--known-hosts-file','--local-auth-ref','--provider']";
const AZBLOB = ['-n', 'cfg', '--kind', 'azblob', '-u', 'https://acct.blob.core.windows.net', '--container-name', 'cfg'];
const BAD_KEY = 'Error! --ssh-private-key provided in invalid format';
const BAD_KEY_HELP = 'Verify the key provided is a valid PEM-formatted key of type RSA, ECC, DSA, or Ed25519';

interface Row {
  rule: string;
  argv: string[];
  message: string;
  hint: string;
  files?: Record<string, string>;
}

const rows: Row[] = [
  // §3.1 names
  {
    rule: '--name longer than 63',
    argv: ['-n', 'a'.repeat(64), '-u', 'https://x/y', '--branch', 'm'],
    message: 'Error! Invalid --name',
    hint: 'Parameter --name can be a maximum of 63 characters. Specify a shorter name and try again.',
  },
  {
    rule: '--name ending with a hyphen',
    argv: ['--name=cfg-', '-u', 'https://x/y', '--branch', 'm'],
    message: 'Error! Invalid --name',
    hint: 'Parameter --name cannot begin or end with a hyphen.',
  },
  {
    rule: '--name starting with a period',
    argv: ['--name=.cfg', '-u', 'https://x/y', '--branch', 'm'],
    message: 'Error! Invalid --name',
    hint: 'Parameter --name cannot begin or end with a period.',
  },
  {
    rule: '--name with upper case',
    argv: ['-n', 'Cfg', '-u', 'https://x/y', '--branch', 'm'],
    message: 'Error! Invalid --name',
    hint: 'Parameter --name can only contain lowercase alphanumeric characters, hyphens, and periods',
  },
  {
    rule: '--namespace longer than 253',
    argv: [...HTTPS, '--namespace', 'a'.repeat(254)],
    message: 'Error! Invalid --namespace',
    hint: 'Parameter --namespace can be a maximum of 253 characters. Specify a shorter name and try again.',
  },
  {
    rule: '--namespace with a period (DNS label)',
    argv: [...HTTPS, '--ns', 'a.b'],
    message: 'Error! Invalid --namespace',
    hint: 'Parameter --namespace can only contain lowercase alphanumeric characters and hyphens',
  },
  {
    rule: '--namespace ending with a hyphen',
    argv: [...HTTPS, '--namespace', 'ns-'],
    message: 'Error! Invalid --namespace',
    hint: 'Parameter --namespace cannot begin or end with a hyphen.',
  },
  // §3.9 --kustomization
  {
    rule: '-k token without =',
    argv: [...HTTPS, '-k', 'name=a', 'prune'],
    message: 'usage error: --kustomization KEY=VALUE [KEY=VALUE ...]',
    hint: 'Each --kustomization value is KEY=VALUE, e.g. -k name=apps path=./apps prune=true',
  },
  {
    rule: '-k without name',
    argv: [...HTTPS, '-k', 'path=./apps'],
    message: "Error! Kustomization definition is invalid, required values {'name'} not found",
    hint: 'Add the required values to the Kustomization object and try again',
  },
  {
    rule: '-k without name after one with a name (az quirk fixed)',
    argv: [...HTTPS, '-k', 'name=a', '-k', 'path=./b'],
    message: "Error! Kustomization definition is invalid, required values {'name'} not found",
    hint: 'Add the required values to the Kustomization object and try again',
  },
  {
    rule: '-k name invalid',
    argv: [...HTTPS, '-k', 'name=Apps'],
    message: 'Error! Invalid name',
    hint: 'Parameter name can only contain lowercase alphanumeric characters, hyphens, and periods',
  },
  {
    rule: '-k name too long',
    argv: [...HTTPS, '-k', `name=${'k'.repeat(64)}`],
    message: 'Error! Invalid name',
    hint: 'Parameter name can be a maximum of 63 characters. Specify a shorter name and try again.',
  },
  {
    rule: '-k sync_interval bare number',
    argv: [...HTTPS, '-k', 'name=a', 'sync_interval=120'],
    message: 'Error! Invalid sync-interval.',
    hint: GO_DURATION,
  },
  {
    rule: '-k timeout in days',
    argv: [...HTTPS, '-k', 'name=a', 'timeout=1d'],
    message: 'Error! Invalid timeout.',
    hint: GO_DURATION,
  },
  {
    rule: '-k retry_interval with trailing junk (full match)',
    argv: [...HTTPS, '-k', 'name=a', 'retry_interval=10m5'],
    message: 'Error! Invalid retry-interval.',
    hint: GO_DURATION,
  },
  {
    rule: '-k prune not a strict boolean',
    argv: [...HTTPS, '-k', 'name=a', 'prune=yes'],
    message: "argument prune: invalid choice: 'yes' (choose from 'false', 'true')",
    hint: 'Specify true or false for prune',
  },
  {
    rule: '-k disable_health_check not a boolean',
    argv: [...HTTPS, '-k', 'name=a', 'disable_health_check=1'],
    message: "argument disable_health_check: invalid choice: '1' (choose from 'false', 'true')",
    hint: 'Specify true or false for disable_health_check',
  },
  {
    rule: 'duplicate kustomization names',
    argv: [...HTTPS, '-k', 'name=a', '-k', 'name=a', 'path=./x'],
    message: "Error! Invalid kustomization list. Kustomization name 'a' duplicated in multiple Kustomization objects",
    hint: 'Ensure that all Kustomization names are unique and try again',
  },
  {
    rule: 'unknown depends_on target',
    argv: [...HTTPS, '-k', 'name=apps', 'depends_on=infra'],
    message:
      "Error! Invalid kustomization list. Kustomization 'apps' depends on 'infra', which is not a kustomization of configuration 'cfg'",
    hint: "Define a kustomization named 'infra' or remove it from the dependencies of 'apps'",
  },
  {
    rule: 'dependency cycle',
    argv: [...HTTPS, '-k', 'name=a', 'depends_on=[c]', '-k', 'name=b', 'depends_on=a', '-k', 'name=c', 'depends=b'],
    message: "Error! Invalid kustomization list. Dependency cycle between kustomizations: 'a' -> 'c' -> 'b' -> 'a'",
    hint: 'Remove one of the dependencies so that the kustomizations can be applied in order',
  },
  {
    rule: 'self dependency',
    argv: [...HTTPS, '-k', 'name=a', 'dependsOn=a'],
    message: "Error! Invalid kustomization list. Dependency cycle between kustomizations: 'a' -> 'a'",
    hint: 'Remove one of the dependencies so that the kustomizations can be applied in order',
  },
  {
    rule: '<config>-<kustomization> longer than 63',
    argv: ['-n', 'c'.repeat(40), '-u', 'https://x/y', '--branch', 'm', '-k', `name=${'k'.repeat(23)}`],
    message: `Error! Invalid Kustomization list. Flux configuration name '${'c'.repeat(40)}' combined with kustomization name '${'k'.repeat(23)}' cannot be greater than 62 characters`,
    hint: 'Shorten the flux configuration or the kustomization name and try again',
  },
  {
    rule: 'target_namespace outside a namespace-scoped configuration',
    argv: [...HTTPS, '--scope', 'namespace', '--ns', 'team', '-k', 'name=a', 'target_namespace=other'],
    message:
      "Error! Invalid kustomization 'a': target_namespace 'other' is not the namespace 'team' of this namespace-scoped configuration",
    hint: 'A configuration with --scope namespace deploys into its own namespace only; remove target_namespace',
  },
  {
    rule: 'substitute_from not ConfigMap/ or Secret/',
    argv: [...HTTPS, '-k', 'name=a', 'substitute_from=Pod/x'],
    message: "Error! Invalid substitute_from 'Pod/x'",
    hint: "Use ConfigMap/<name> or Secret/<name>, with a trailing '?' when it is optional",
  },
  // §3.3 allow-list / required
  {
    rule: 'flag of another kind',
    argv: [...HTTPS, '--bucket-name', 'bkt', '--account-key', 'k'],
    message: "Error! Invalid properties ['--bucket-name','--account-key'] were specified for kind 'git'",
    hint: GIT_VALID,
  },
  {
    rule: 'required --url missing',
    argv: ['-n', 'cfg', '--branch', 'main'],
    message: "Error! Required properties ['--url'] were not specified for kind 'git'",
    hint: 'Add the missing required properties and try again',
  },
  {
    rule: 'bucket required properties missing',
    argv: ['-n', 'cfg', '--kind', 'bucket'],
    message: "Error! Required properties ['--url','--bucket-name'] were not specified for kind 'bucket'",
    hint: 'Add the missing required properties and try again',
  },
  {
    rule: 'azblob --container-name missing',
    argv: ['-n', 'cfg', '--kind', 'azblob', '-u', 'https://a.blob.core.windows.net'],
    message: "Error! Required properties ['--container-name'] were not specified for kind 'azblob'",
    hint: 'Add the missing required properties and try again',
  },
  // §3.10 durations
  {
    rule: '--timeout with a fraction',
    argv: [...HTTPS, '--timeout', '1.5h'],
    message: 'Error! Invalid --timeout.',
    hint: GO_DURATION,
  },
  {
    rule: '--interval bare number',
    argv: [...HTTPS, '--interval', '120'],
    message: 'Error! Invalid --sync-interval.',
    hint: GO_DURATION,
  },
  {
    rule: '--sync-interval out of order',
    argv: [...HTTPS, '--sync-interval', '30s10m'],
    message: 'Error! Invalid --sync-interval.',
    hint: GO_DURATION,
  },
  // §3.7 known hosts, §3.6 key/file
  {
    rule: '--known-hosts not base64',
    argv: [...SSH, '--known-hosts', 'not base64!'],
    message: 'Error! ssh known_hosts is not a valid utf-8 base64 encoded string',
    hint: 'Verify that the string provided safely decodes into a valid utf-8 format',
  },
  {
    rule: '--known-hosts line in wrong format',
    argv: [...SSH, '--known-hosts', b64('github.com ssh-rsa\n')],
    message: 'Error! ssh known_hosts provided in wrong format',
    hint: 'Verify that all lines in the known_hosts contents are provided in a valid sshd(8) format',
  },
  {
    rule: '--known-hosts-file with an unknown key type',
    argv: [...SSH, '--known-hosts-file', 'kh'],
    files: { kh: 'github.com ssh-foo AAAA\n' },
    message: 'Error! ssh known_hosts provided in wrong format',
    hint: 'Verify that all lines in the known_hosts contents are provided in a valid sshd(8) format',
  },
  {
    rule: '--known-hosts and --known-hosts-file',
    argv: [...SSH, '--known-hosts', 'eA==', '--known-hosts-file', 'kh'],
    message: 'Error! Both textual key and key filepath cannot be provided',
    hint: 'Try providing the file parameter without providing the plaintext parameter',
  },
  {
    rule: '--https-ca-cert and --https-ca-cert-file',
    argv: [...HTTPS, '--https-ca-cert', 'eA==', '--https-ca-cert-file', 'ca'],
    message: 'Error! Both textual key and key filepath cannot be provided',
    hint: 'Try providing the file parameter without providing the plaintext parameter',
  },
  // §3.4 URL rules
  {
    rule: 'git url with another scheme',
    argv: ['-n', 'cfg', '-u', 'ftp://host/repo', '--branch', 'm'],
    message: 'Error! Invalid --url.',
    hint: URL_HELP,
  },
  {
    rule: 'bucket url git@',
    argv: ['-n', 'cfg', '--kind', 'bucket', '-u', 'git@host:x', '--bucket-name', 'bkt', '--local-ref', 's'],
    message: 'Error! Invalid --url.',
    hint: URL_HELP,
  },
  {
    rule: 'oci url without oci://',
    argv: ['-n', 'cfg', '--kind', 'oci', '-u', 'https://ghcr.io/x'],
    message: 'Error! Invalid --url.',
    hint: "Url must begin with 'oci://'",
  },
  {
    rule: '--ssh-private-key with an https url',
    argv: [...HTTPS, '--ssh-private-key', b64(fixture('id_test_ed25519'))],
    message: 'Error! An --ssh-private-key cannot be used with an http(s) url',
    hint: 'Verify the url provided is a valid ssh url and not an http(s) url',
  },
  {
    rule: '--known-hosts with an http url',
    argv: ['-n', 'cfg', '-u', 'http://host/repo', '--branch', 'm', '--known-hosts', b64(fixture('known_hosts'))],
    message: 'Error! --ssh-known-hosts cannot be used with an http(s) url',
    hint: 'Verify the url provided is a valid ssh url and not an http(s) url',
  },
  {
    rule: 'https auth with an ssh url',
    argv: [...SSH, '--https-user', 'u', '--https-key', 'k'],
    message: 'Error! https auth (--https-user and --https-key) cannot be used with a non-http(s) url',
    hint: 'Verify the url provided is a valid http(s) url and not an ssh url',
  },
  {
    rule: '--https-user without --https-key',
    argv: [...HTTPS, '--https-user', 'u'],
    message: 'Error! --https-user and --https-key cannot be used separately',
    hint: 'Try providing both --https-user and --https-key together',
  },
  // §3.5 git ref
  {
    rule: 'no git ref',
    argv: ['-n', 'cfg', '-u', 'https://x/y'],
    message: 'Error! Repository reference is invalid',
    hint: 'Specifying one of [--branch, --tag, --semver, --commit] is required',
  },
  {
    rule: 'two git refs',
    argv: [...HTTPS, '--tag', 'v1'],
    message: 'Error! Repository reference is invalid',
    hint: 'Specifying more than one repository ref argument is invalid',
  },
  // §3.11 bucket, §3.12 azure blob
  {
    rule: 'bucket without auth',
    argv: [
      '-n',
      'cfg',
      '--kind',
      'bucket',
      '-u',
      'https://s3.example.com',
      '--bucket-name',
      'bkt',
      '--bucket-access-key',
      'a',
    ],
    message: "Error! Auth properties must be specified for kind 'bucket'",
    hint: "Provide either both of '--secret-key' and '--access-key' or '--local-auth-ref'",
  },
  {
    rule: 'service principal missing values',
    argv: [...AZBLOB, '--sp-client-id', 'id'],
    message: 'Error! Service principal is invalid because it is missing value(s)',
    hint: "Provide '--sp-client-id', '--sp-tenant-id', and either '--sp-client-secret' or '--sp-client-cert'",
  },
  {
    rule: 'service principal secret and certificate',
    argv: [
      ...AZBLOB,
      '--sp-client-id',
      'id',
      '--sp-tenant-id',
      't',
      '--sp-client-secret',
      's',
      '--sp-client-cert',
      'eA==',
    ],
    message: 'Error! Too many authentication methods provided for service principal',
    hint: "Provide either '--sp-client-secret' or '--sp-client-cert'",
  },
  {
    rule: 'certificate password without certificate',
    argv: [
      ...AZBLOB,
      '--service-principal-client-id',
      'id',
      '--service-principal-tenant-id',
      't',
      '--sp-client-secret',
      's',
      '--sp-cert-password',
      'p',
    ],
    message: 'Error! Service principal certificate password is invalid',
    hint: "Provide '--sp-client-id', '--sp-tenant-id', and '--sp-client-cert' with your '--sp-cert-password",
  },
  {
    rule: 'two Azure Blob auth methods',
    argv: [...AZBLOB, '--account-key', 'k', '--sas-token', 't'],
    message: 'Error! Too many authentication methods provided for Azure Blob',
    hint: "Specify one of the available authentication methods from the list: '--local-auth-ref', '--account-key', '--sas-token', '--mi-client-id', or service principal with '--sp-client-id', '--sp-tenant-id', and either '--sp-client-secret' or '--sp-client-cert'",
  },
  // §3.13 OCI
  {
    rule: '--match-oidc-identity not JSON with issuer and subject',
    argv: ['-n', 'cfg', '--kind', 'oci', '-u', 'oci://ghcr.io/x', '--match-oidc-identity', '{"issuer":"i"}'],
    message: "Each entry for --match-oidc-identity must be a JSON string with 'issuer' and 'subject' fields.",
    hint: '--match-oidc-identity \'{"issuer": "<regex>", "subject": "<regex>"}\'',
  },
  {
    rule: '--verification-config not key=value',
    argv: ['-n', 'cfg', '--kind', 'oci', '-u', 'oci://ghcr.io/x', '--verification-config', 'cosign.pub'],
    message: 'Each entry for --verification-config must be in key=value format.',
    hint: '--verification-config cosign.pub=<base64 public key>',
  },
  // §3.8 private key
  {
    rule: '--ssh-private-key not a key',
    argv: [...SSH, '--ssh-private-key', b64('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n')],
    message: BAD_KEY,
    hint: BAD_KEY_HELP,
  },
  {
    rule: '--ssh-private-key-file with a broken OpenSSH key',
    argv: [...SSH, '--ssh-private-key-file', 'id'],
    files: { id: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n' },
    message: BAD_KEY,
    hint: BAD_KEY_HELP,
  },
  {
    rule: '--ssh-private-key not base64',
    argv: [...SSH, '--ssh-private-key', '%%%'],
    message: BAD_KEY,
    hint: BAD_KEY_HELP,
  },
  {
    rule: '--ssh-private-key and --ssh-private-key-file',
    argv: [...SSH, '--ssh-private-key', 'eA==', '--ssh-private-key-file', 'id'],
    message: 'Error! Both textual key and key filepath cannot be provided',
    hint: 'Try providing the file parameter without providing the plaintext parameter',
  },
  // strict booleans on flags
  {
    rule: '--suspend not a boolean',
    argv: [...HTTPS, '--suspend', 'maybe'],
    message: "argument --suspend: invalid choice: 'maybe' (choose from 'false', 'true')",
    hint: 'Specify true or false for --suspend',
  },
];

describe('flux create validation (az §3, with the §9 gaps fixed)', () => {
  it.each(rows)('$rule', (row) => {
    expectUsage(() => create(row.argv, files(row.files)), row.message, row.hint);
  });

  it('an unreadable file is a UserError (exit 1) with az message and help', () => {
    const err = errorOf(() => create([...SSH, '--known-hosts-file', '/nope']));
    expect(err).not.toBeInstanceOf(UsageError);
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      "Error! Unable to read key file specified with: ENOENT: no such file or directory, open '/nope'",
    );
    expect(err.hint).toBe('Verify that the filepath specified exists and contains valid utf-8 data');
  });

  it('an empty file is unreadable for az', () => {
    const err = errorOf(() => create([...SSH, '--ssh-private-key-file', 'id'], files({ id: '' })));
    expect(err.message).toBe('Error! Unable to read key file specified with: File provided does not contain any data');
  });

  describe('checks run in az order (§3.14)', () => {
    it('-k before --name', () => {
      expectUsage(
        () => create(['-n', 'BAD', '-u', 'ftp://x', '-k', 'path=x']),
        "Error! Kustomization definition is invalid, required values {'name'} not found",
      );
    });
    it('--name before the kind allow-list', () => {
      expectUsage(() => create(['-n', 'BAD', '-u', 'https://x/y', '--bucket-name', 'bkt']), 'Error! Invalid --name');
    });
    it('allow-list before durations', () => {
      expectUsage(
        () => create([...HTTPS, '--bucket-name', 'bkt', '--timeout', 'x']),
        "Error! Invalid properties ['--bucket-name'] were specified for kind 'git'",
      );
    });
    it('durations before known hosts', () => {
      expectUsage(() => create([...SSH, '--timeout', 'x', '--known-hosts', 'abc']), 'Error! Invalid --timeout.');
    });
    it('known hosts before required properties', () => {
      expectUsage(
        () => create(['-n', 'cfg', '--known-hosts', 'abc']),
        'Error! ssh known_hosts is not a valid utf-8 base64 encoded string',
      );
    });
    it('required before url before url/auth before ref', () => {
      expectUsage(
        () => create(['-n', 'cfg']),
        "Error! Required properties ['--url'] were not specified for kind 'git'",
      );
      expectUsage(() => create(['-n', 'cfg', '-u', 'x', '--https-user', 'u']), 'Error! Invalid --url.');
      expectUsage(
        () => create(['-n', 'cfg', '-u', 'https://x', '--https-user', 'u']),
        'Error! --https-user and --https-key cannot be used separately',
      );
    });
    it('git ref before the private key', () => {
      expectUsage(
        () => create(['-n', 'cfg', '-u', 'ssh://git@x/y', '--ssh-private-key', '%%']),
        'Error! Repository reference is invalid',
      );
    });
  });
});
