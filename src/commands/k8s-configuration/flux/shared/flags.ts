// The commander declarations of the writing flux verbs: az's flags of `flux create|update` (§2.2, §2.3) and
// `flux kustomization create|update` (§2.6), each -k occurrence kept apart, and the flags fluxcfg adds to every
// write (waiting, dry run, source validation). What the values mean is parsed in src/model.
import { Option, type Command } from 'commander';
import { parseTimeoutMs } from '../../../../model/duration.js';
import type { Flags } from '../../../verb.js';

/** Each `-k` occurrence's first value is tagged with this before commander sees it, so occurrences stay apart. */
const OCCURRENCE_MARK = '\u0000';

/** commander argParser of `-k`: one string[] per occurrence. */
function collectKustomization(value: string, previous: unknown): string[][] {
  const groups = Array.isArray(previous) ? (previous as string[][]).map((g) => [...g]) : [];
  if (value.startsWith(OCCURRENCE_MARK) || groups.length === 0) groups.push([value.replace(OCCURRENCE_MARK, '')]);
  else groups[groups.length - 1]!.push(value);
  return groups;
}

function collectList(value: string, previous: unknown): string[] {
  return [...(Array.isArray(previous) ? (previous as string[]) : []), value];
}

/**
 * Tags the first value of every `-k/--kustomization` occurrence (commander itself merges the values of all
 * occurrences of a variadic option into one list). Mirrors commander's own walk over the arguments.
 */
function markKustomizationOccurrences(cmd: Command, args: string[]): string[] {
  const out = [...args];
  const find = (arg: string) => cmd.options.find((o) => o.short === arg || o.long === arg);
  const isKustomization = (arg: string) => find(arg)?.attributeName() === 'kustomization';
  let variadic = false;
  for (let i = 0; i < out.length; i++) {
    const arg = out[i]!;
    if (arg === '--') break;
    const looksLikeOption = arg.length > 1 && arg.startsWith('-');
    if (variadic && !looksLikeOption) continue;
    variadic = false;
    if (!looksLikeOption) continue;
    const option = find(arg);
    if (option) {
      if (isKustomization(arg)) {
        if (i + 1 < out.length) out[i + 1] = OCCURRENCE_MARK + out[i + 1]!;
        i++;
        variadic = true;
      } else if (option.required) {
        i++;
        variadic = option.variadic;
      } else if (option.optional) {
        const next = out[i + 1];
        if (next !== undefined && !(next.length > 1 && next.startsWith('-'))) i++;
        variadic = option.variadic;
      }
      continue;
    }
    if (!arg.startsWith('--') && arg.length > 2 && isKustomization(arg.slice(0, 2))) {
      out[i] = arg.slice(0, 2) + OCCURRENCE_MARK + arg.slice(2); // -kname=x
      continue;
    }
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0 && isKustomization(arg.slice(0, eq))) {
      out[i] = arg.slice(0, eq + 1) + OCCURRENCE_MARK + arg.slice(eq + 1); // --kustomization=name=x
    }
  }
  return out;
}

function boolOption(flags: string, description: string): Option {
  return new Option(flags, `${description} (true|false; alone = true)`);
}

/**
 * Declares every source/auth/suspend/kustomization flag of az §2.2 (create) / §2.3 (update) on `cmd`.
 * Not declared here: --no-wait, --wait, --wait-timeout, --export, --export-secrets, --dry-run, --no-validate,
 * --no-install-extension, --yes (the command adds them) and the global flags of the root program.
 */
export function declareConfigurationFlags(cmd: Command, verb: 'create' | 'update'): void {
  cmd.requiredOption('-n, --name <name>', 'Name of the flux configuration');
  if (verb === 'create') {
    cmd.addOption(
      new Option('-s, --scope <scope>', "Specify scope of the operator to be 'namespace' or 'cluster'")
        .choices(['cluster', 'namespace'])
        .default('cluster'),
    );
    cmd.addOption(new Option('--ns, --namespace <namespace>', 'Namespace to deploy the configuration').default('default'));
  }
  const kind = new Option('--kind <kind>', 'Source kind to reconcile').choices(['git', 'bucket', 'azblob', 'oci']);
  cmd.addOption(verb === 'create' ? kind.default('git') : kind);
  cmd.option('-u, --url <url>', 'URL of the source to reconcile');
  cmd.option('--timeout <duration>', 'Maximum time to reconcile the source before timing out (e.g. 10m, 1h2m5s)');
  cmd.option('--interval, --sync-interval <duration>', 'Time between reconciliations of the source on the cluster');
  // Git Repo Ref / OCI Repo Ref
  cmd.option('--branch <branch>', 'Branch within the git source to reconcile with the cluster');
  cmd.option('--tag <tag>', 'Tag within the git or OCI source to reconcile with the cluster');
  cmd.option('--semver <range>', 'Semver range within the git or OCI source to reconcile with the cluster');
  cmd.option('--commit <sha>', 'Commit within the git source to reconcile with the cluster');
  cmd.option('--digest <digest>', 'Digest of the OCI artifact to reconcile with the cluster');
  // Git Auth
  cmd.option('--ssh-private-key <base64>', 'Base64-encoded private ssh key for private repository sync');
  cmd.option('--ssh-private-key-file <path>', 'File path to private ssh key for private repository sync');
  cmd.option('--https-user <user>', 'HTTPS username for private repository sync');
  cmd.option('--https-key <key>', 'HTTPS token/password for private repository sync');
  cmd.option('--https-ca-cert <base64>', 'Base64-encoded HTTPS CA certificate for TLS communication with private repository sync');
  cmd.option('--https-ca-cert-file <path>', 'File path to HTTPS CA certificate file for TLS communication with private repository sync');
  cmd.option('--known-hosts <base64>', 'Base64-encoded known_hosts data containing public SSH keys required to access private Git instances');
  cmd.option('--known-hosts-file <path>', 'File path to known_hosts contents containing public SSH keys required to access private Git instances');
  cmd.addOption(
    new Option('--provider <provider>', 'Name of the provider used for authentication (azure: Azure DevOps with managed identity)').choices([
      'generic',
      'azure',
    ]),
  );
  cmd.option(
    '--local-ref, --local-auth-ref <secret>',
    'Local reference to a kubernetes secret in the configuration namespace to use for communication to the source',
  );
  // Bucket
  cmd.option('--bucket-name <name>', 'Name of the S3 bucket to sync');
  cmd.option('--bucket-access-key <key>', 'Access Key ID used to authenticate with the bucket');
  cmd.option('--bucket-secret-key <key>', 'Secret Key used to authenticate with the bucket');
  cmd.addOption(boolOption('--bucket-insecure [bool]', 'Communicate with a bucket without TLS'));
  // Azure Blob
  cmd.option('--container-name <name>', 'Name of the Azure Blob Storage container to sync');
  cmd.option('--sp-client-id, --service-principal-client-id <id>', 'The client ID for authenticating a service principal with Azure Blob');
  cmd.option('--sp-tenant-id, --service-principal-tenant-id <id>', 'The tenant ID for authenticating a service principal with Azure Blob');
  cmd.option('--sp-client-secret, --service-principal-client-secret <secret>', 'The client secret for authenticating a service principal with Azure Blob');
  cmd.option(
    '--sp-client-cert, --service-principal-client-certificate <base64>',
    'The Base64 encoded client certificate for authenticating a service principal with Azure Blob',
  );
  cmd.option(
    '--sp-cert-password, --service-principal-client-certificate-password <password>',
    'The password for the client certificate used to authenticate a service principal with Azure Blob',
  );
  cmd.addOption(
    boolOption(
      '--sp-cert-send-chain, --service-principal-client-certificate-send-chain [bool]',
      'Include the x5c header in client claims when acquiring a token (subject name / issuer based certificate auth)',
    ),
  );
  cmd.option('--account-key <key>', 'The Azure Blob Shared Key for authentication');
  cmd.option('--sas-token <token>', 'The Azure Blob SAS Token for authentication');
  cmd.option('--mi-client-id, --managed-identity-client-id <id>', 'The client ID of the managed identity for authentication with Azure Blob');
  // OCI
  cmd.option('--oci-media-type, --oci-layer-selector-media-type <type>', 'OCI artifact layer media type to select for extraction or copy');
  cmd.addOption(
    new Option('--oci-operation, --oci-layer-selector-operation <operation>', "Operation on the selected OCI layer (default: extract)").choices([
      'extract',
      'copy',
    ]),
  );
  cmd.option('--tls-ca-certificate <base64>', 'Base64-encoded CA certificate for TLS communication with the OCI repository');
  cmd.option('--tls-client-certificate <base64>', 'Base64-encoded client certificate for TLS authentication with the OCI repository');
  cmd.option('--tls-private-key <base64>', 'Base64-encoded private key for TLS authentication with the OCI repository');
  cmd.option('--service-account-name <name>', 'Kubernetes service account to use for accessing the OCI repository');
  cmd.addOption(boolOption('--use-workload-identity [bool]', 'Use workload identity for authentication with the OCI repository'));
  cmd.addOption(boolOption('--oci-insecure [bool]', 'Allow connecting to an insecure (HTTP) OCI container registry'));
  cmd.addOption(
    new Option('--verification-provider <provider>', 'Provider used for OCI verification').choices(['cosign', 'notation']),
  );
  cmd.addOption(
    new Option('--match-oidc-identity <json...>', "OIDC identities to match for verification, each a JSON string with 'issuer' and 'subject'").argParser(
      collectList,
    ),
  );
  cmd.addOption(
    new Option('--verification-config <key=value...>', 'Trusted public keys of trusted authors for OCI artifacts').argParser(collectList),
  );
  cmd.addOption(
    boolOption('--suspend [bool]', 'Suspend the reconciliation of the source and kustomizations associated with this configuration'),
  );
  cmd.addOption(
    new Option(
      '-k, --kustomization <KEY=VALUE...>',
      "Define a kustomization (repeat -k for more) with keys name, path, depends_on, timeout, sync_interval, " +
        'retry_interval, prune, force, disable_health_check, wait, target_namespace, substitute.<VAR>, substitute_from',
    ).argParser(collectKustomization),
  );

  const parseOptions = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args: string[]) => parseOptions(markKustomizationOccurrences(cmd, args));
}


/**
 * Declares -n/--name (configuration), -k/--kustomization-name, --path, --depends/--dependencies/--depends-on,
 * --timeout, --sync-interval/--interval, --retry-interval, --prune, --force, --disable-health-check (also
 * --disable_health_check), --target-namespace, --substitute KEY=VALUE..., --substitute-from ConfigMap/<n>|Secret/<n>[?]...
 * Not declared: --wait/--no-wait (the command's readiness wait; a Kustomization's health checks are
 * --disable-health-check), --ns, --dry-run.
 */
export function declareKustomizationFlags(cmd: Command, verb: 'create' | 'update'): void {
  cmd.requiredOption('-n, --name <name>', 'Name of the flux configuration');
  cmd.requiredOption('-k, --kustomization-name <name>', 'Specify the name of the kustomization to target');
  cmd.option('--path <path>', `Specify the path in the source that the kustomization should apply${verb === 'create' ? ' (default: the root)' : ''}`);
  cmd.option('--depends, --dependencies <names>', 'Comma-separated list of kustomization dependencies');
  cmd.addOption(new Option('--depends-on <names>', 'alias of --dependencies').hideHelp());
  cmd.option('--timeout <duration>', 'Maximum time to reconcile the kustomization before timing out');
  cmd.option('--interval, --sync-interval <duration>', 'Time between reconciliations of the kustomization on the cluster');
  cmd.option(
    '--retry-interval <duration>',
    'Time between reconciliations of the kustomization on the cluster on failures, defaults to --sync-interval',
  );
  cmd.option('--prune [bool]', 'Garbage collect resources deployed by the kustomization on the cluster');
  cmd.option('--force [bool]', 'Re-create resources that cannot be updated on the cluster (i.e. jobs)');
  cmd.option('--disable-health-check [bool]', 'Disable health checks for kustomizations applied to the cluster');
  cmd.addOption(new Option('--disable_health_check [bool]', 'alias of --disable-health-check').hideHelp());
  cmd.option('--target-namespace <namespace>', 'Namespace every namespaced object of the kustomization is deployed to');
  cmd.addOption(
    new Option('--substitute <KEY=VALUE...>', 'postBuild variable substitution ${KEY} → VALUE (repeatable)').argParser(collectList),
  );
  cmd.addOption(
    new Option(
      '--substitute-from <ref...>',
      "postBuild variables from ConfigMap/<name> or Secret/<name> ('?' suffix: optional; repeatable)",
    ).argParser(collectList),
  );
}


/** Flags every writing flux verb adds to az's: waiting, dry run, source validation. */
export function declareApplyFlags(cmd: Command): Command {
  return cmd
    // --wait first: commander makes a lone --no-wait default the value to true.
    .option('--wait', 'wait until the source and the Kustomizations report Ready')
    .option('--no-wait', 'accepted for az compatibility (fluxcfg does not wait unless --wait)')
    .option('--wait-timeout <duration>', 'how long --wait waits', '5m')
    .option('--dry-run', 'server-side dry run: everything validated by the API server, nothing stored; prints the plan')
    .option('--force-conflicts', 'take over fields that another field manager owns (server-side apply conflicts)')
    .option('--no-validate', "skip cloning the source to check its manifests against scope and multi-tenancy rules");
}

export interface ApplyFlags {
  readonly wait: boolean;
  readonly waitTimeoutMs: number;
  readonly dryRun: boolean;
  readonly forceConflicts: boolean;
  readonly validate: boolean;
}

export function parseApplyFlags(flags: Flags): ApplyFlags {
  return {
    wait: flags.wait === true,
    waitTimeoutMs: parseTimeoutMs(String(flags.waitTimeout ?? '5m'), '--wait-timeout'),
    dryRun: flags.dryRun === true,
    forceConflicts: flags.forceConflicts === true,
    validate: flags.validate !== false,
  };
}
