// The examples every verb's --help ends with, in one table keyed by the verb's path (az's scenarios: the
// tutorial create, a bucket, an SSH repository with a generated key, a namespace-scoped tenant, ...). Kept as
// argv arrays so a test can parse each one through the real program; rendered shell-quoted for the help text.
import type { Command } from 'commander';

export interface Example {
  /** One line on what the example does, as az's help prints above each command. */
  readonly summary: string;
  /** The words after `fluxcfg`. */
  readonly argv: readonly string[];
}

const k = (...kv: string[]) => kv;
const tutorialRepo = 'https://github.com/Azure/gitops-flux2-kustomize-helm-mt';

export const examples: Readonly<Record<string, readonly Example[]>> = {
  'k8s-extension create': [
    {
      summary: 'Install Flux (the microsoft.flux extension) into the current kubeconfig context',
      argv: ['k8s-extension', 'create', '-n', 'flux', '--extension-type', 'microsoft.flux'],
    },
    {
      summary: 'Install it with configuration settings: no helm-controller, more kustomize workers',
      argv: [
        'k8s-extension',
        'create',
        '-n',
        'flux',
        '--extension-type',
        'microsoft.flux',
        '--config',
        'helm-controller.enabled=false',
        'kustomize-controller.concurrent=8',
      ],
    },
    {
      summary: 'Air-gapped: install from a local Flux install.yaml instead of downloading the release',
      argv: [
        'k8s-extension',
        'create',
        '-n',
        'flux',
        '--extension-type',
        'microsoft.flux',
        '--manifests',
        './install.yaml',
      ],
    },
    {
      summary: 'Print the rendered install as YAML instead of applying it',
      argv: ['k8s-extension', 'create', '-n', 'flux', '--extension-type', 'microsoft.flux', '--export'],
    },
  ],
  'k8s-extension update': [
    {
      summary: 'Turn off multi-tenancy enforcement (asks for confirmation; --yes in scripts)',
      argv: ['k8s-extension', 'update', '-n', 'flux', '--config', 'multiTenancy.enforce=false', '--yes'],
    },
    {
      summary: 'Upgrade Flux to the release a microsoft.flux version ships',
      argv: ['k8s-extension', 'update', '-n', 'flux', '--version', '1.23.0', '--yes'],
    },
  ],
  'k8s-extension show': [
    { summary: 'Show the extension as a table', argv: ['k8s-extension', 'show', '-n', 'flux', '-o', 'table'] },
    {
      summary: 'Print only its provisioning state, as an az script reads it',
      argv: [
        'k8s-extension',
        'show',
        '-c',
        'my-cluster',
        '-g',
        'my-rg',
        '-t',
        'connectedClusters',
        '-n',
        'flux',
        '--query',
        'provisioningState',
        '-o',
        'tsv',
      ],
    },
  ],
  'k8s-extension list': [
    { summary: 'List the extensions of the current context', argv: ['k8s-extension', 'list', '-o', 'table'] },
    {
      summary: 'Names and versions only',
      argv: ['k8s-extension', 'list', '--query', '[].{name:name, version:currentVersion}', '-o', 'tsv'],
    },
  ],
  'k8s-extension delete': [
    { summary: 'Remove Flux from the cluster', argv: ['k8s-extension', 'delete', '-n', 'flux', '--yes'] },
    {
      summary: 'Remove it although Flux objects still exist (their finalizers are cleared)',
      argv: ['k8s-extension', 'delete', '-n', 'flux', '--force', '--yes'],
    },
  ],

  'k8s-configuration flux create': [
    {
      summary:
        'The az tutorial: the gitops-flux2-kustomize-helm-mt repository, infra then apps (add --export to ' +
        'print the objects instead)',
      argv: [
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        'cluster-config',
        '--namespace',
        'cluster-config',
        '--scope',
        'cluster',
        '-u',
        tutorialRepo,
        '--branch',
        'main',
        '--kustomization',
        ...k('name=infra', 'path=./infrastructure', 'prune=true'),
        '--kustomization',
        ...k('name=apps', 'path=./apps/staging', 'prune=true', 'dependsOn=["infra"]'),
      ],
    },
    {
      summary: 'Sync an S3-compatible bucket',
      argv: [
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        'bucket-config',
        '--namespace',
        'bucket-config',
        '--kind',
        'bucket',
        '-u',
        'https://s3.eu-west-1.amazonaws.com',
        '--bucket-name',
        'my-bucket',
        '--bucket-access-key',
        'my-access-key',
        '--bucket-secret-key',
        'my-secret-key',
        '-k',
        ...k('name=apps', 'path=./apps', 'prune=true'),
      ],
    },
    {
      summary:
        'A private repository over SSH: a deploy key is generated, add repositoryPublicKey from the ' +
        'output to the repository',
      argv: [
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        'app-config',
        '--namespace',
        'app-config',
        '-u',
        'ssh://git@github.com/my-org/my-app.git',
        '--branch',
        'main',
        '-k',
        ...k('name=app', 'path=./deploy', 'prune=true'),
      ],
    },
    {
      summary: 'A namespace-scoped tenant: everything it deploys stays in team-a',
      argv: [
        'k8s-configuration',
        'flux',
        'create',
        '-n',
        'team-a',
        '--namespace',
        'team-a',
        '--scope',
        'namespace',
        '-u',
        'https://github.com/my-org/team-a',
        '--branch',
        'main',
        '-k',
        ...k('name=apps', 'path=./apps', 'prune=true'),
      ],
    },
  ],
  'k8s-configuration flux update': [
    {
      summary: 'Add a kustomization (existing ones are kept, merged by name)',
      argv: [
        'k8s-configuration',
        'flux',
        'update',
        '-n',
        'cluster-config',
        '-k',
        ...k('name=monitoring', 'path=./monitoring', 'prune=true', 'dependsOn=["infra"]'),
      ],
    },
    {
      summary: 'Follow another branch',
      argv: ['k8s-configuration', 'flux', 'update', '-n', 'cluster-config', '--branch', 'release'],
    },
    {
      summary: 'Suspend reconciliation',
      argv: ['k8s-configuration', 'flux', 'update', '-n', 'cluster-config', '--suspend', 'true'],
    },
  ],
  'k8s-configuration flux show': [
    {
      summary: 'Show a configuration as a table',
      argv: ['k8s-configuration', 'flux', 'show', '-n', 'cluster-config', '-o', 'table'],
    },
    {
      summary: 'Print only its compliance state',
      argv: ['k8s-configuration', 'flux', 'show', '-n', 'cluster-config', '--query', 'complianceState', '-o', 'tsv'],
    },
    {
      summary: "The same call an az script makes (the cluster flags only name the output's id)",
      argv: [
        'k8s-configuration',
        'flux',
        'show',
        '-g',
        'my-rg',
        '-c',
        'my-cluster',
        '-t',
        'connectedClusters',
        '-n',
        'cluster-config',
      ],
    },
  ],
  'k8s-configuration flux list': [
    { summary: 'List every configuration', argv: ['k8s-configuration', 'flux', 'list', '-o', 'table'] },
    {
      summary: 'Names of the configurations that are not Compliant',
      argv: ['k8s-configuration', 'flux', 'list', '--query', "[?complianceState!='Compliant'].name", '-o', 'tsv'],
    },
  ],
  'k8s-configuration flux delete': [
    {
      summary: 'Delete a configuration and what it deployed with prune',
      argv: ['k8s-configuration', 'flux', 'delete', '-n', 'cluster-config', '--yes'],
    },
    {
      summary: 'Delete it when no Flux controller runs to process the finalizers',
      argv: [
        'k8s-configuration',
        'flux',
        'delete',
        '-n',
        'cluster-config',
        '--namespace',
        'cluster-config',
        '--force',
        '--yes',
      ],
    },
  ],
  'k8s-configuration flux migrate-from-v1': [
    {
      summary: 'Migrate the Flux v1 configurations of the current context',
      argv: ['k8s-configuration', 'flux', 'migrate-from-v1'],
    },
    {
      summary: 'The same call an az script makes',
      argv: [
        'k8s-configuration',
        'flux',
        'migrate-from-v1',
        '-g',
        'my-rg',
        '-c',
        'my-cluster',
        '-t',
        'connectedClusters',
        '--yes',
      ],
    },
  ],
  'k8s-configuration flux validate': [
    {
      summary: "Check a checkout of the tutorial repository against the tutorial's kustomizations",
      argv: [
        'k8s-configuration',
        'flux',
        'validate',
        '--path',
        '.',
        '--namespace',
        'cluster-config',
        '-k',
        'name=infra',
        'path=./infrastructure',
        '-k',
        'name=apps',
        'path=./apps/staging',
        '-o',
        'table',
      ],
    },
    {
      summary: 'Check a namespace-scoped tenant repository',
      argv: [
        'k8s-configuration',
        'flux',
        'validate',
        '--path',
        './team-a',
        '--namespace',
        'team-a',
        '--scope',
        'namespace',
      ],
    },
    {
      summary: "Check against the cluster's own multi-tenancy settings and API discovery",
      argv: [
        'k8s-configuration',
        'flux',
        'validate',
        '--path',
        '.',
        '--namespace',
        'cluster-config',
        '--multi-tenancy',
        'auto',
      ],
    },
  ],

  'k8s-configuration flux kustomization create': [
    {
      summary: 'Add a kustomization that runs after infra',
      argv: [
        'k8s-configuration',
        'flux',
        'kustomization',
        'create',
        '-n',
        'cluster-config',
        '-k',
        'monitoring',
        '--path',
        './monitoring',
        '--prune',
        'true',
        '--depends',
        'infra',
      ],
    },
    {
      summary: 'With postBuild substitution of ${cluster_env}',
      argv: [
        'k8s-configuration',
        'flux',
        'kustomization',
        'create',
        '-n',
        'cluster-config',
        '-k',
        'apps-prod',
        '--path',
        './apps/production',
        '--substitute',
        'cluster_env=production',
      ],
    },
  ],
  'k8s-configuration flux kustomization update': [
    {
      summary: 'Point a kustomization at another path and reconcile it every 5 minutes',
      argv: [
        'k8s-configuration',
        'flux',
        'kustomization',
        'update',
        '-n',
        'cluster-config',
        '-k',
        'apps',
        '--path',
        './apps/production',
        '--sync-interval',
        '5m',
      ],
    },
    {
      summary: 'Turn pruning off',
      argv: [
        'k8s-configuration',
        'flux',
        'kustomization',
        'update',
        '-n',
        'cluster-config',
        '-k',
        'apps',
        '--prune',
        'false',
      ],
    },
  ],
  'k8s-configuration flux kustomization show': [
    {
      summary: 'Show one kustomization',
      argv: ['k8s-configuration', 'flux', 'kustomization', 'show', '-n', 'cluster-config', '-k', 'apps'],
    },
    {
      summary: 'Its path only',
      argv: [
        'k8s-configuration',
        'flux',
        'kustomization',
        'show',
        '-n',
        'cluster-config',
        '-k',
        'apps',
        '--query',
        'apps.path',
        '-o',
        'tsv',
      ],
    },
  ],
  'k8s-configuration flux kustomization list': [
    {
      summary: 'List the kustomizations of a configuration',
      argv: ['k8s-configuration', 'flux', 'kustomization', 'list', '-n', 'cluster-config', '-o', 'table'],
    },
    {
      summary: 'In a given namespace',
      argv: ['k8s-configuration', 'flux', 'kustomization', 'list', '-n', 'team-a', '--namespace', 'team-a'],
    },
  ],
  'k8s-configuration flux kustomization delete': [
    {
      summary: 'Remove a kustomization from a configuration',
      argv: [
        'k8s-configuration',
        'flux',
        'kustomization',
        'delete',
        '-n',
        'cluster-config',
        '-k',
        'monitoring',
        '--yes',
      ],
    },
    {
      summary: 'In a namespace-scoped tenant',
      argv: [
        'k8s-configuration',
        'flux',
        'kustomization',
        'delete',
        '-n',
        'team-a',
        '--namespace',
        'team-a',
        '-k',
        'apps',
        '--yes',
      ],
    },
  ],
  'k8s-configuration flux deployed-object list': [
    {
      summary: "List what a configuration deployed, with each object's compliance",
      argv: ['k8s-configuration', 'flux', 'deployed-object', 'list', '-n', 'cluster-config', '-o', 'table'],
    },
    {
      summary: 'Only the objects that are not Compliant',
      argv: [
        'k8s-configuration',
        'flux',
        'deployed-object',
        'list',
        '-n',
        'cluster-config',
        '--query',
        "[?complianceState!='Compliant']",
      ],
    },
  ],
  'k8s-configuration flux deployed-object show': [
    {
      summary: 'Show one deployed HelmRelease',
      argv: [
        'k8s-configuration',
        'flux',
        'deployed-object',
        'show',
        '-n',
        'cluster-config',
        '--object-name',
        'redis',
        '--object-namespace',
        'cluster-config',
        '--object-kind',
        'HelmRelease',
      ],
    },
    {
      summary: 'The source of the configuration',
      argv: [
        'k8s-configuration',
        'flux',
        'deployed-object',
        'show',
        '-n',
        'cluster-config',
        '--object-name',
        'cluster-config',
        '--object-namespace',
        'cluster-config',
        '--object-kind',
        'GitRepository',
      ],
    },
  ],
  completion: [
    { summary: 'Complete fluxcfg in this bash shell', argv: ['completion', 'bash'] },
    { summary: 'Install zsh completion for every shell', argv: ['completion', 'zsh'] },
  ],
};

/** A word as a POSIX shell (bash, zsh) takes it: single-quoted when it holds anything but safe characters. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `fluxcfg <argv>` wrapped at `width` columns with az's ` \` continuation lines; a flag stays with its value. */
export function exampleLine(argv: readonly string[], indent = '    ', width = 116): string {
  const words = argv.map(shellQuote);
  const units: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const next = words[i + 1];
    if (words[i]!.startsWith('-') && next !== undefined && !next.startsWith('-')) {
      units.push(`${words[i]} ${next}`);
      i++;
    } else units.push(words[i]!);
  }
  const lines: string[] = [];
  let line = `${indent}fluxcfg`;
  for (const unit of units) {
    if (line.length + 1 + unit.length > width - 2) {
      lines.push(`${line} \\`);
      line = `${indent}    ${unit}`;
    } else line += ` ${unit}`;
  }
  lines.push(line);
  return lines.join('\n');
}

export function examplesText(list: readonly Example[]): string {
  return `\nExamples:\n${list.map((e) => `  ${e.summary}\n${exampleLine(e.argv)}\n`).join('\n')}`;
}

/** The verb path of a command: `k8s-configuration flux create`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Appends each verb's examples to its --help (rendered only when that help is printed). */
export function attachExamples(cmd: Command): void {
  const list = examples[commandPath(cmd)];
  if (list) cmd.addHelpText('after', () => examplesText(list));
  for (const sub of cmd.commands) attachExamples(sub);
}
