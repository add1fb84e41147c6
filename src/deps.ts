import type { KubeClient } from './k8s/client.js';
import type { Exec } from './exec.js';
import type { Io } from './ui/io.js';
import type { Logger } from './ui/log.js';
import type { OutputFormat } from './ui/formats.js';
import type { Progress } from './ui/progress.js';
import type { Prompter } from './ui/prompt.js';

/** Global flags, shared by every command (az's plus the Kubernetes selection). */
export interface GlobalOptions {
  readonly output: OutputFormat;
  /** Whether -o was given on the command line (a --dry-run prints its diff only under the default). */
  readonly outputGiven?: boolean;
  readonly query?: string;
  readonly onlyShowErrors: boolean;
  readonly verbose: boolean;
  readonly debug: boolean;
  readonly color: boolean;
  readonly yes: boolean;
  readonly kubeconfig?: string;
  readonly context?: string;
  /** --request-timeout in ms (0 = no limit). */
  readonly requestTimeoutMs?: number;
  /** az's cluster flags: accepted so az scripts run unchanged. */
  readonly resourceGroup?: string;
  readonly clusterType?: string;
  readonly clusterName?: string;
  readonly clusterResourceProvider?: string;
  readonly subscription?: string;
}

/** What a command's run() may use; built once per invocation in main, replaced in tests. */
export interface Deps {
  readonly io: Io;
  readonly log: Logger;
  readonly prompt: Prompter;
  readonly globals: GlobalOptions;
  readonly exec: Exec;
  /** The KubeClient of the selected context, created on first use. */
  kube(): Promise<KubeClient>;
  progress(text: string): Progress;
}
