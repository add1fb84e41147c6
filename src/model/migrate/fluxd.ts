// The flags of Flux v1's daemon (fluxd 1.25.4, cmd/fluxd/main.go) and of the Helm Operator (1.4.4), with their
// defaults, and the typed settings the migration reads from them.
import { parseFlags, parseGoDuration, type FlagSpec, type ParsedFlags } from './go-flags.js';

const s = (d = ''): FlagSpec => ({ type: 'string', default: d });
const b = (): FlagSpec => ({ type: 'bool', default: false });
const l = (d: string[] = []): FlagSpec => ({ type: 'stringSlice', default: d });
const d = (v: string): FlagSpec => ({ type: 'duration', default: v });
const i = (v: string): FlagSpec => ({ type: 'int', default: v });

/** fluxd's flags and defaults (code defaults; the docs differ for --registry-rps and --registry-burst). */
export const FLUXD_FLAGS: Readonly<Record<string, FlagSpec>> = {
  'log-format': s('fmt'),
  listen: { type: 'string', default: ':3030', shorthand: 'l' },
  'listen-metrics': s(),
  'kubernetes-kubectl': s(),
  version: b(),
  'git-url': s(),
  'git-branch': s('master'),
  'git-path': l(),
  'git-readonly': b(),
  'git-user': s('Weave Flux'),
  'git-email': s('support@weave.works'),
  'git-set-author': b(),
  'git-label': s(),
  'git-secret': b(),
  sops: b(),
  'git-sync-tag': s('flux-sync'),
  'git-notes-ref': s('flux'),
  'git-ci-skip': b(),
  'git-ci-skip-message': s(),
  'git-poll-interval': d('5m'),
  'git-timeout': d('20s'),
  'git-gpg-key-import': l(),
  'git-signing-key': s(),
  'git-verify-signatures': b(),
  'git-verify-signatures-mode': s('none'),
  'sync-interval': d('5m'),
  'sync-timeout': d('1m'),
  'sync-garbage-collection': b(),
  'sync-garbage-collection-dry': b(),
  'sync-state': s('git'),
  'memcached-hostname': s('memcached'),
  'memcached-port': i('11211'),
  'memcached-timeout': d('1s'),
  'memcached-service': s('memcached'),
  'registry-disable-scanning': b(),
  'automation-interval': d('5m'),
  'registry-poll-interval': d('5m'),
  'registry-rps': { type: 'float', default: '50' },
  'registry-burst': i('10'),
  'registry-trace': b(),
  'registry-insecure-host': l(),
  'registry-exclude-image': l(['k8s.gcr.io/*']),
  'registry-include-image': l(),
  'registry-use-labels': l(['index.docker.io/weaveworks/*', 'index.docker.io/fluxcd/*']),
  'registry-ecr-region': l(),
  'registry-ecr-include-id': l(),
  'registry-ecr-exclude-id': l(['602401143452']),
  'registry-require': l(),
  'registry-cache-expiry': d('0'),
  'k8s-in-cluster': { type: 'bool', default: true },
  'k8s-secret-name': s('flux-git-deploy'),
  'k8s-secret-volume-mount-path': s('/etc/fluxd/ssh'),
  'k8s-secret-data-key': s('identity'),
  'k8s-namespace-whitelist': l(),
  'k8s-allow-namespace': l(),
  'k8s-default-namespace': s(),
  'k8s-unsafe-exclude-resource': l(['*metrics.k8s.io/*', 'webhook.certmanager.k8s.io/*', 'v1/Event']),
  'k8s-verbosity': i('0'),
  'ssh-keygen-bits': s(),
  'ssh-keygen-type': s(),
  'ssh-keygen-format': s(),
  'ssh-keygen-dir': s(),
  'manifest-generation': b(),
  connect: s(),
  token: s(),
  'rpc-timeout': d('10s'),
  'docker-config': s(),
  'kube-config': s(),
};

/** Helm Operator 1.x flags the migration reads (docs/references/operator.md); others are kept as unknown. */
export const HELM_OPERATOR_FLAGS: Readonly<Record<string, FlagSpec>> = {
  'log-format': s('fmt'),
  listen: s(':3030'),
  'allow-namespace': s(),
  'enabled-helm-versions': l(['v2', 'v3']),
  'charts-sync-interval': d('3m'),
  'status-update-interval': d('30s'),
  'git-poll-interval': d('5m'),
  'git-timeout': d('20s'),
  'git-default-ref': s('master'),
  workers: i('2'),
  'update-chart-deps': { type: 'bool', default: true },
  'helm-repository-import': l(),
  'convert-release-storage': s('secrets'),
  'tiller-namespace': s('kube-system'),
  'tiller-ip': s(),
  'tiller-port': s(),
  'tiller-tls-enable': b(),
  'tiller-tls-verify': b(),
  'tiller-tls-key-path': s(),
  'tiller-tls-cert-path': s(),
  'tiller-tls-ca-cert-path': s(),
  'tiller-tls-hostname': s(),
  kubeconfig: s(),
  master: s(),
};

/** What a fluxd was told, with fluxd's defaults filled in. Durations in seconds. */
export interface FluxdSettings {
  gitUrl?: string;
  gitBranch: string;
  /** `--git-path` values (empty: the whole repository). */
  gitPaths: string[];
  gitReadonly: boolean;
  gitPollInterval: number;
  gitTimeout: number;
  syncInterval: number;
  syncTimeout: number;
  syncGarbageCollection: boolean;
  syncGarbageCollectionDry: boolean;
  syncState: string;
  manifestGeneration: boolean;
  gitSecret: boolean;
  sops: boolean;
  gitLabel?: string;
  gitUser: string;
  gitEmail: string;
  gitSigningKey?: string;
  gitVerifySignaturesMode: string;
  k8sSecretName: string;
  k8sSecretDataKey: string;
  k8sSecretVolumeMountPath: string;
  /** `--k8s-allow-namespace` plus the deprecated `--k8s-namespace-whitelist` (fluxd merges both). */
  allowNamespaces: string[];
  defaultNamespace?: string;
  registryDisableScanning: boolean;
  automationInterval: number;
  memcachedHostname: string;
  memcachedService: string;
  memcachedPort: number;
  /** The raw parse: every flag given, unknown flags and errors. */
  flags: ParsedFlags;
}

function str(p: ParsedFlags, spec: Readonly<Record<string, FlagSpec>>, name: string): string {
  const v = p.values[name];
  return typeof v === 'string' ? v : String(spec[name]?.default ?? '');
}

function bool(p: ParsedFlags, name: string): boolean {
  const v = p.values[name];
  return typeof v === 'boolean' ? v : FLUXD_FLAGS[name]?.default === true;
}

function list(p: ParsedFlags, spec: Readonly<Record<string, FlagSpec>>, name: string): string[] {
  const v = p.values[name];
  return Array.isArray(v) ? v : ((spec[name]?.default as string[] | undefined) ?? []);
}

function seconds(p: ParsedFlags, spec: Readonly<Record<string, FlagSpec>>, name: string): number {
  return parseGoDuration(str(p, spec, name)) ?? parseGoDuration(String(spec[name]!.default))!;
}

const optional = (v: string): string | undefined => (v === '' ? undefined : v);

/**
 * fluxd's arguments → settings, as fluxd itself resolves them (defaults, deprecated aliases, readonly ⇒ native
 * sync state).
 */
export function parseFluxdArgs(args: readonly string[]): FluxdSettings {
  const p = parseFlags(args, FLUXD_FLAGS);
  const F = FLUXD_FLAGS;
  const gitReadonly = bool(p, 'git-readonly');
  let syncState = str(p, F, 'sync-state');
  if (gitReadonly && syncState === 'git') syncState = 'secret';
  const automationInterval =
    p.given.includes('registry-poll-interval') && !p.given.includes('automation-interval')
      ? seconds(p, F, 'registry-poll-interval')
      : seconds(p, F, 'automation-interval');
  const verifyMode =
    bool(p, 'git-verify-signatures') && !p.given.includes('git-verify-signatures-mode')
      ? 'all'
      : str(p, F, 'git-verify-signatures-mode');
  return {
    gitUrl: optional(str(p, F, 'git-url')),
    gitBranch: str(p, F, 'git-branch'),
    gitPaths: list(p, F, 'git-path'),
    gitReadonly,
    gitPollInterval: seconds(p, F, 'git-poll-interval'),
    gitTimeout: seconds(p, F, 'git-timeout'),
    syncInterval: seconds(p, F, 'sync-interval'),
    syncTimeout: seconds(p, F, 'sync-timeout'),
    syncGarbageCollection: bool(p, 'sync-garbage-collection') || bool(p, 'sync-garbage-collection-dry'),
    syncGarbageCollectionDry: bool(p, 'sync-garbage-collection-dry'),
    syncState,
    manifestGeneration: bool(p, 'manifest-generation'),
    gitSecret: bool(p, 'git-secret'),
    sops: bool(p, 'sops'),
    gitLabel: optional(str(p, F, 'git-label')),
    gitUser: str(p, F, 'git-user'),
    gitEmail: str(p, F, 'git-email'),
    gitSigningKey: optional(str(p, F, 'git-signing-key')),
    gitVerifySignaturesMode: verifyMode,
    k8sSecretName: str(p, F, 'k8s-secret-name'),
    k8sSecretDataKey: str(p, F, 'k8s-secret-data-key'),
    k8sSecretVolumeMountPath: str(p, F, 'k8s-secret-volume-mount-path'),
    allowNamespaces: [...list(p, F, 'k8s-namespace-whitelist'), ...list(p, F, 'k8s-allow-namespace')].filter(
      (n) => n !== '',
    ),
    defaultNamespace: optional(str(p, F, 'k8s-default-namespace')),
    registryDisableScanning: bool(p, 'registry-disable-scanning'),
    automationInterval,
    memcachedHostname: str(p, F, 'memcached-hostname'),
    memcachedService: str(p, F, 'memcached-service'),
    memcachedPort: Number(str(p, F, 'memcached-port')),
    flags: p,
  };
}

export interface HelmOperatorSettings {
  /** `--allow-namespace`: the one namespace whose HelmReleases it handles (all when absent). */
  allowNamespace?: string;
  enabledHelmVersions: string[];
  chartsSyncInterval: number;
  gitPollInterval: number;
  gitTimeout: number;
  gitDefaultRef: string;
  workers: number;
  tillerNamespace: string;
  flags: ParsedFlags;
}

export function parseHelmOperatorArgs(args: readonly string[]): HelmOperatorSettings {
  const H = HELM_OPERATOR_FLAGS;
  const p = parseFlags(args, H);
  return {
    allowNamespace: optional(str(p, H, 'allow-namespace')),
    enabledHelmVersions: list(p, H, 'enabled-helm-versions')
      .map((v) => v.trim())
      .filter((v) => v !== ''),
    chartsSyncInterval: seconds(p, H, 'charts-sync-interval'),
    gitPollInterval: seconds(p, H, 'git-poll-interval'),
    gitTimeout: seconds(p, H, 'git-timeout'),
    gitDefaultRef: str(p, H, 'git-default-ref'),
    workers: Number(str(p, H, 'workers')),
    tillerNamespace: str(p, H, 'tiller-namespace'),
    flags: p,
  };
}
