import { Command, Option } from 'commander';
import { outputFormats } from '../ui/output.js';
import { completionCommand } from './completion/command.js';
import { attachExamples } from './examples.js';
import { group, verbCommand, type AnyVerb, type Invoke } from './verb.js';
import { verb as extCreate } from './k8s-extension/create.js';
import { verb as extUpdate } from './k8s-extension/update.js';
import { verb as extShow } from './k8s-extension/show.js';
import { verb as extList } from './k8s-extension/list.js';
import { verb as extDelete } from './k8s-extension/delete.js';
import { verb as fluxCreate } from './k8s-configuration/flux/create.js';
import { verb as fluxUpdate } from './k8s-configuration/flux/update.js';
import { verb as fluxShow } from './k8s-configuration/flux/show.js';
import { verb as fluxList } from './k8s-configuration/flux/list.js';
import { verb as fluxDelete } from './k8s-configuration/flux/delete.js';
import { verb as fluxMigrate } from './k8s-configuration/flux/migrate-from-v1.js';
import { verb as fluxValidate } from './k8s-configuration/flux/validate.js';
import { verb as kustCreate } from './k8s-configuration/flux/kustomization/create.js';
import { verb as kustUpdate } from './k8s-configuration/flux/kustomization/update.js';
import { verb as kustShow } from './k8s-configuration/flux/kustomization/show.js';
import { verb as kustList } from './k8s-configuration/flux/kustomization/list.js';
import { verb as kustDelete } from './k8s-configuration/flux/kustomization/delete.js';
import { verb as objList } from './k8s-configuration/flux/deployed-object/list.js';
import { verb as objShow } from './k8s-configuration/flux/deployed-object/show.js';

declare const FLUXCFG_VERSION: string | undefined;
export const version = typeof FLUXCFG_VERSION === 'string' ? FLUXCFG_VERSION : '0.0.0-dev';

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

export function buildProgram(invoke: Invoke): Command {
  const v = (spec: AnyVerb) => verbCommand(spec, invoke);
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
  program.addCommand(
    group('k8s-extension', 'Install and manage Flux (the microsoft.flux extension) in the cluster', [
      v(extCreate),
      v(extUpdate),
      v(extShow),
      v(extList),
      v(extDelete),
    ]),
  );
  program.addCommand(
    group('k8s-configuration', 'Manage GitOps configurations in the cluster', [
      group('flux', 'Flux v2 configurations: one source plus Kustomizations, applied straight to the cluster', [
        v(fluxCreate),
        v(fluxUpdate),
        v(fluxShow),
        v(fluxList),
        v(fluxDelete),
        v(fluxMigrate),
        v(fluxValidate),
        group('kustomization', 'Kustomizations of a Flux v2 configuration', [
          v(kustCreate),
          v(kustUpdate),
          v(kustShow),
          v(kustList),
          v(kustDelete),
        ]),
        group('deployed-object', 'Objects deployed by a Flux v2 configuration', [v(objList), v(objShow)]),
      ]),
    ]),
  );
  program.addCommand(completionCommand(invoke));
  attachExamples(program);
  return program;
}
