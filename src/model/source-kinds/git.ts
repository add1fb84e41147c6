import { UsageError } from '../../errors.js';
import type { GitRepositoryDefinition } from '../flux-configuration.js';
import type { FlagSpec } from './flag-spec.js';
import type { SourceKindSpec } from './kind.js';
import { INVALID_URL_HELP, isHttpUrl, given, without, type SourceFlags } from './params.js';

/** az validate_url_with_params (§3.4), on the flags given. */
function checkUrlAuth(url: string, f: SourceFlags, checkPair = true): void {
  if (isHttpUrl(url)) {
    if (f.truthy('ssh_private_key') || f.truthy('ssh_private_key_file')) {
      throw new UsageError('Error! An --ssh-private-key cannot be used with an http(s) url', {
        hint: 'Verify the url provided is a valid ssh url and not an http(s) url',
      });
    }
    if (f.truthy('known_hosts') || f.truthy('known_hosts_file')) {
      throw new UsageError('Error! --ssh-known-hosts cannot be used with an http(s) url', {
        hint: 'Verify the url provided is a valid ssh url and not an http(s) url',
      });
    }
  } else if (f.truthy('https_user') || f.truthy('https_key')) {
    throw new UsageError('Error! https auth (--https-user and --https-key) cannot be used with a non-http(s) url', {
      hint: 'Verify the url provided is a valid http(s) url and not an ssh url',
    });
  }
  if (checkPair && f.truthy('https_user') !== f.truthy('https_key')) {
    throw new UsageError('Error! --https-user and --https-key cannot be used separately', {
      hint: 'Try providing both --https-user and --https-key together',
    });
  }
}

const REFS = ['branch', 'tag', 'semver', 'commit'] as const;

function checkGitRef(f: SourceFlags, required: boolean): void {
  const count = REFS.filter((p) => f.truthy(p)).length;
  if (count === 0 && required) {
    throw new UsageError('Error! Repository reference is invalid', {
      hint: 'Specifying one of [--branch, --tag, --semver, --commit] is required',
    });
  }
  if (count > 1) {
    throw new UsageError('Error! Repository reference is invalid', {
      hint: 'Specifying more than one repository ref argument is invalid',
    });
  }
}

/** The flags only git sources have. */
export const GIT_FLAGS = {
  branch: { flags: '--branch <branch>', description: 'Branch within the git source to reconcile with the cluster' },
  commit: { flags: '--commit <sha>', description: 'Commit within the git source to reconcile with the cluster' },
  ssh_private_key: {
    flags: '--ssh-private-key <base64>',
    description: 'Base64-encoded private ssh key for private repository sync',
  },
  ssh_private_key_file: {
    flags: '--ssh-private-key-file <path>',
    description: 'File path to private ssh key for private repository sync',
  },
  https_user: { flags: '--https-user <user>', description: 'HTTPS username for private repository sync' },
  https_key: { flags: '--https-key <key>', description: 'HTTPS token/password for private repository sync' },
  https_ca_cert: {
    flags: '--https-ca-cert <base64>',
    description: 'Base64-encoded HTTPS CA certificate for TLS communication with private repository sync',
  },
  https_ca_cert_file: {
    flags: '--https-ca-cert-file <path>',
    description: 'File path to HTTPS CA certificate file for TLS communication with private repository sync',
  },
  known_hosts: {
    flags: '--known-hosts <base64>',
    description: 'Base64-encoded known_hosts data containing public SSH keys required to access private Git instances',
  },
  known_hosts_file: {
    flags: '--known-hosts-file <path>',
    description:
      'File path to known_hosts contents containing public SSH keys required to access private Git instances',
  },
  provider: {
    flags: '--provider <provider>',
    description: 'Name of the provider used for authentication (azure: Azure DevOps with managed identity)',
    choices: ['generic', 'azure'],
  },
} as const satisfies Record<string, FlagSpec>;

export const git: SourceKindSpec<GitRepositoryDefinition> = {
  flag: 'git',
  flags: GIT_FLAGS,
  sourceKind: 'GitRepository',
  blockKey: 'gitRepository',
  params: [
    'url',
    'branch',
    'tag',
    'semver',
    'commit',
    'sync_interval',
    'timeout',
    'ssh_private_key',
    'ssh_private_key_file',
    'https_user',
    'https_key',
    'https_ca_cert',
    'https_ca_cert_file',
    'known_hosts',
    'known_hosts_file',
    'local_auth_ref',
    'provider',
  ],
  required: ['url'],
  urlOk: (url) => /^(((http|https|ssh):\/\/)|(git@))/.test(url),
  urlHint: INVALID_URL_HELP,
  validate: (f, url) => {
    checkUrlAuth(url, f);
    checkGitRef(f, true);
  },
  validateUpdate: (f, url, old) => {
    const auth = [
      'ssh_private_key',
      'ssh_private_key_file',
      'known_hosts',
      'known_hosts_file',
      'https_user',
      'https_key',
    ] as const;
    if (auth.some((p) => f.truthy(p))) {
      // A key alone rotates the password of the user already configured.
      checkUrlAuth(url, f, false);
      if (f.truthy('https_key') && !f.truthy('https_user') && !old?.httpsUser) checkUrlAuth(url, f, true);
    }
    checkGitRef(f, false);
  },
  block: ({ f, timeout, syncInterval, knownHosts, caCert }) => {
    const ref = without({
      branch: f.str('branch'),
      tag: f.str('tag'),
      semver: f.str('semver'),
      commit: f.str('commit'),
    });
    const provider = f.str('provider');
    return without({
      url: f.str('url')!,
      timeoutInSeconds: timeout,
      syncIntervalInSeconds: syncInterval,
      repositoryRef: Object.keys(ref).length > 0 ? ref : undefined,
      sshKnownHosts: knownHosts,
      httpsUser: f.str('https_user'),
      httpsCACert: caCert,
      localAuthRef: f.str('local_auth_ref'),
      provider: provider === undefined ? undefined : provider === 'azure' ? 'Azure' : 'Generic',
    } satisfies GitRepositoryDefinition);
  },
  merge: (old, s) => {
    const { f } = s;
    const fresh = git.block(s, false);
    const refGiven = REFS.some((p) => f.truthy(p));
    const merged: GitRepositoryDefinition = {
      ...(old ?? { url: '' }),
      ...given({ ...fresh, url: f.str('url'), repositoryRef: refGiven ? fresh.repositoryRef : undefined }),
    };
    if (refGiven) merged.repositoryRef = fresh.repositoryRef;
    return merged;
  },
};
