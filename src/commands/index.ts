// The command tree. Groups and verbs are named here, each verb with a loader: only the verbs a command line names
// are imported (with what they use), the others stand in as bare commands that carry their name and summary, which
// is all a group's --help, a misspelling's suggestion and a parent's help list need. Completion and the tests ask
// for every verb.
import { Command, Option } from 'commander';
import { outputFormats } from '../ui/formats.js';
import { attachExamples } from './examples.js';
import { verbCommand, type AnyVerb, type Invoke } from './verb.js';

declare const FLUXCFG_VERSION: string | undefined;
export const version = typeof FLUXCFG_VERSION === 'string' ? FLUXCFG_VERSION : '0.0.0-dev';

interface Node {
  readonly name: string;
  readonly description: string;
  /** A group's commands; absent on a verb. */
  readonly children?: readonly Node[];
  /** A verb's spec, imported on first use. */
  readonly load?: () => Promise<AnyVerb>;
}

const group = (name: string, description: string, children: readonly Node[]): Node => ({
  name,
  description,
  children,
});
const verb = (name: string, description: string, load: () => Promise<{ verb: AnyVerb }>): Node => ({
  name,
  description,
  load: async () => (await load()).verb,
});

const tree: readonly Node[] = [
  group('k8s-extension', 'Install and manage Flux (the microsoft.flux extension) in the cluster', [
    verb(
      'create',
      'Create a Kubernetes extension (microsoft.flux) in the current cluster',
      () => import('./k8s-extension/create.js'),
    ),
    verb(
      'update',
      'Update the settings or the version of the microsoft.flux extension',
      () => import('./k8s-extension/update.js'),
    ),
    verb('show', 'Show the microsoft.flux extension', () => import('./k8s-extension/show.js')),
    verb('list', 'List the extensions in the cluster', () => import('./k8s-extension/list.js')),
    verb(
      'delete',
      'Delete the microsoft.flux extension: its controllers, CRDs and the namespace it created',
      () => import('./k8s-extension/delete.js'),
    ),
  ]),
  group('k8s-configuration', 'Manage GitOps configurations in the cluster', [
    group('flux', 'Flux v2 configurations: one source plus Kustomizations, applied straight to the cluster', [
      verb('create', 'Create a Flux v2 configuration', () => import('./k8s-configuration/flux/create.js')),
      verb('update', 'Update a Flux v2 configuration', () => import('./k8s-configuration/flux/update.js')),
      verb('show', 'Show a Flux v2 configuration', () => import('./k8s-configuration/flux/show.js')),
      verb('list', 'List Flux v2 configurations', () => import('./k8s-configuration/flux/list.js')),
      verb('delete', 'Delete a Flux v2 configuration', () => import('./k8s-configuration/flux/delete.js')),
      verb(
        'migrate-from-v1',
        'Migrate Flux v1 (fluxd + helm-operator) to Flux v2: plan (default), --export, --execute, --rollback',
        () => import('./k8s-configuration/flux/migrate-from-v1.js'),
      ),
      verb(
        'validate',
        'Check manifests against multi-tenancy and namespace-scope rules before applying them',
        () => import('./k8s-configuration/flux/validate.js'),
      ),
      group('kustomization', 'Kustomizations of a Flux v2 configuration', [
        verb(
          'create',
          'Create a Kustomization in a Flux v2 configuration',
          () => import('./k8s-configuration/flux/kustomization/create.js'),
        ),
        verb(
          'update',
          'Update a Kustomization of a Flux v2 configuration',
          () => import('./k8s-configuration/flux/kustomization/update.js'),
        ),
        verb(
          'show',
          'Show a Kustomization of a Flux v2 configuration',
          () => import('./k8s-configuration/flux/kustomization/show.js'),
        ),
        verb(
          'list',
          'List the Kustomizations of a Flux v2 configuration',
          () => import('./k8s-configuration/flux/kustomization/list.js'),
        ),
        verb(
          'delete',
          'Delete a Kustomization from a Flux v2 configuration',
          () => import('./k8s-configuration/flux/kustomization/delete.js'),
        ),
      ]),
      group('deployed-object', 'Objects deployed by a Flux v2 configuration', [
        verb(
          'list',
          'List the objects deployed by a Flux v2 configuration',
          () => import('./k8s-configuration/flux/deployed-object/list.js'),
        ),
        verb(
          'show',
          'Show one object deployed by a Flux v2 configuration',
          () => import('./k8s-configuration/flux/deployed-object/show.js'),
        ),
      ]),
    ]),
  ]),
  verb(
    'completion',
    'Print the shell completion script for bash, zsh, fish or powershell',
    () => import('./completion/command.js'),
  ),
];

/** The global flags: az's own, its cluster-selection flags, and the Kubernetes selection. */
function globalOptions(program: Command): void {
  program
    .addOption(new Option('-o, --output <format>', 'output format').choices(outputFormats).default('json'))
    .option(
      '--query <jmespath>',
      'JMESPath query string, applied to the result before output (see https://jmespath.org)',
    )
    .option('--only-show-errors', 'only show errors, suppressing warnings and progress')
    .option('--verbose', 'increase logging verbosity')
    .option('--debug', 'show all debug logs (each API request) and stack traces')
    .option('--no-color', 'disable colored output (also NO_COLOR)')
    .option('-y, --yes', 'do not prompt for confirmation')
    .option('--kubeconfig <path>', 'kubeconfig file (default: the KUBECONFIG list merged, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .option(
      '--request-timeout <duration>',
      'time limit of each API request (kubectl syntax: 0 = none, 30 = seconds, 30s, 1m)',
      '30s',
    )
    .option('-g, --resource-group <name>', 'accepted for az compatibility; ignored')
    .option('-t, --cluster-type <type>', 'accepted for az compatibility; ignored')
    .option('-c, --cluster-name <name>', 'selects the kubeconfig context of that name (an error when there is none)')
    .option('--cluster-rp, --cluster-resource-provider <rp>', 'accepted for az compatibility; ignored')
    .option('--subscription <id>', 'accepted for az compatibility; ignored');
  fleetOptions(program);
}

/** The fleet flags (src/fleet): one command over many kubeconfig contexts. */
function fleetOptions(program: Command): void {
  const list = (value: string, previous: string[] = []) => [...previous, value];
  program
    .option('--contexts <a,b,c>', 'run on these kubeconfig contexts, in parallel (repeatable)', list)
    .option('--all-contexts', 'run on every context of the kubeconfig, in parallel')
    .option('--context-selector <glob>', "run on the contexts whose name matches the glob (e.g. 'prod-*')")
    .option('--max-parallel <n>', 'with a fleet flag: clusters worked on at once (default 8)')
    .option('--fail-fast', 'with a fleet flag: start no further cluster after the first failure');
}

/**
 * The verb a command line names, found as commander will: words that name a command of the current group descend
 * into it (commander's `help` word is passed over, `fluxcfg k8s-extension help create`); the word after a global flag
 * that takes a value is that value (`--context completion`). Undefined when no verb is named (`--help`, a group, a
 * misspelling).
 */
function namedVerb(
  argv: readonly string[],
  takesValue: ReadonlySet<string>,
): { readonly node: Node; readonly exact: boolean } | undefined {
  let nodes = tree;
  let exact = true;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return undefined;
    if (takesValue.has(word)) i++;
    const node = word.startsWith('-') ? undefined : nodes.find((n) => n.name === word);
    if (node?.load) return { node, exact };
    if (node?.children) nodes = node.children;
    else if (!word.startsWith('-')) exact = false; // a word that names no command: a misspelt group, say
  }
  return undefined;
}

/**
 * The program, with the verb `argv` names (or every verb: `'all'`) loaded; the others are bare commands with their
 * name and summary.
 */
export async function buildProgram(invoke: Invoke, argv: readonly string[] | 'all'): Promise<Command> {
  const program = new Command('fluxcfg')
    .description('az k8s-configuration flux / k8s-extension for any Kubernetes cluster (no Azure)')
    // No commander .version(): its root --version would swallow az's `k8s-extension create --version`; main
    // answers a lone `fluxcfg --version` itself.
    .helpOption('-h, --help', 'show help')
    .addHelpText(
      'after',
      [
        '',
        "Each verb's --help ends with examples, e.g. fluxcfg k8s-configuration flux create --help.",
        'Shell completion: fluxcfg completion bash|zsh|fish|powershell. Version: fluxcfg --version.',
      ].join('\n'),
    )
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false });
  globalOptions(program);
  const takesValue = new Set(
    program.options
      .filter((o) => o.required || o.optional)
      .flatMap((o) => [o.short, o.long].filter((f) => f !== undefined)),
  );
  const named = argv === 'all' ? undefined : namedVerb(argv, takesValue);
  const wanted = named?.node;
  // A command line that names a verb, every word on its way a command, gets only the commands on its path: the
  // others would be built for nothing (with a word that names none, they stay, for "did you mean").
  const onPath = (node: Node): boolean => node === wanted || (node.children ?? []).some(onPath);
  const kept = (nodes: readonly Node[]) => (named?.exact ? nodes.filter(onPath) : nodes);
  const commandOf = async (node: Node): Promise<Command> => {
    if (node.children) {
      const cmd = new Command(node.name).description(node.description);
      for (const child of await Promise.all(kept(node.children).map(commandOf))) cmd.addCommand(child);
      return cmd;
    }
    if (argv === 'all' || node === wanted) return verbCommand(node.name, node.description, await node.load!(), invoke);
    return new Command(node.name).description(node.description);
  };
  for (const cmd of await Promise.all(kept(tree).map(commandOf))) program.addCommand(cmd);
  attachExamples(program);
  return program;
}
