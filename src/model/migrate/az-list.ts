// `--from-file`: the output of `az k8s-configuration list -o json` (Flux v1 sourceControlConfigurations) → the same
// Inventory discovery builds from a cluster. az's fluxd gets `--git-url=<repositoryUrl>` plus `operatorParams`
// (reference az §7.2); namespace scope restricts fluxd to its namespace. Protected settings (the SSH key) are never
// returned by az: the deploy key is referenced as the Secret fluxd keeps it in, to be confirmed from the cluster.
import { UserError } from '../../errors.js';
import { arcHelmOperatorRelease } from './discover.js';
import { parseFluxdArgs, parseHelmOperatorArgs } from './fluxd.js';
import { splitArgs } from './go-flags.js';
import {
  emptyInventory,
  type ArcConfiguration,
  type FluxdInstance,
  type GitAuth,
  type HelmOperatorInstance,
  type Inventory,
} from './inventory.js';
import { sshHostOf } from './discover.js';

const ID = new RegExp(
  '/resourceGroups/([^/]+)/providers/Microsoft\\.(?:Kubernetes|ContainerService)/' +
    '(connectedClusters|managedClusters)/([^/]+)/',
  'i',
);

function text(o: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const k of keys) if (typeof o[k] === 'string') return o[k];
  return undefined;
}

/** One az sourceControlConfiguration (flattened as az prints it, or with `properties`) → ArcConfiguration. */
export function arcFromAz(entry: Record<string, unknown>): ArcConfiguration {
  const p = { ...entry, ...((entry.properties as Record<string, unknown> | undefined) ?? {}) };
  const name = text(p, 'name');
  if (!name) {
    throw new UserError('Error! A configuration in the file has no name', {
      hint: 'Pass the output of: az k8s-configuration list -o json',
    });
  }
  const arc: ArcConfiguration = {
    name,
    operatorNamespace: text(p, 'operatorNamespace') ?? 'default',
    operatorInstanceName: text(p, 'operatorInstanceName') ?? name,
    operatorScope: text(p, 'operatorScope')?.toLowerCase() === 'namespace' ? 'namespace' : 'cluster',
    origin: 'az',
  };
  const url = text(p, 'repositoryUrl');
  if (url) arc.repositoryUrl = url;
  const params = text(p, 'operatorParams');
  if (params !== undefined) arc.operatorParams = params;
  if (typeof p.enableHelmOperator === 'boolean') arc.enableHelmOperator = p.enableHelmOperator;
  else if (typeof p.enableHelmOperator === 'string') {
    arc.enableHelmOperator = p.enableHelmOperator.toLowerCase() === 'true';
  }
  const hop = p.helmOperatorProperties as { chartValues?: unknown } | undefined;
  if (typeof hop?.chartValues === 'string') arc.helmOperatorChartValues = hop.chartValues;
  const id = text(p, 'id');
  const m = id ? ID.exec(id) : null;
  if (m) {
    arc.resourceGroup = m[1]!;
    arc.clusterType = m[2]!.toLowerCase() === 'managedclusters' ? 'managedClusters' : 'connectedClusters';
    arc.clusterName = m[3]!;
  } else if (typeof p.resourceGroup === 'string') {
    arc.resourceGroup = p.resourceGroup;
  }
  return arc;
}

/** The fluxd arguments Arc's agent passes: `--git-url`, the namespace restriction for scope namespace, the params. */
export function arcFluxdArgs(arc: ArcConfiguration): string[] {
  const args = arc.repositoryUrl ? [`--git-url=${arc.repositoryUrl}`] : [];
  if (arc.operatorScope === 'namespace') args.push(`--k8s-allow-namespace=${arc.operatorNamespace}`);
  return [...args, ...splitArgs(arc.operatorParams ?? '')];
}

/** `helm.versions=v3` out of az's chart values (`--set helm.versions=v3`); undefined when not set. */
export function helmVersionsFromChartValues(values: string | undefined): string[] | undefined {
  const m = values ? /helm\.versions=([A-Za-z0-9,]+)/.exec(values) : null;
  return m ? m[1]!.split(',').filter((v) => v !== '') : undefined;
}

/** The fluxd and helm-operator an Arc configuration runs, as discovery would have found them. */
export function instancesFromArc(
  arc: ArcConfiguration,
  sshKnownHosts?: string,
): { fluxd: FluxdInstance; helmOperator?: HelmOperatorInstance } {
  const args = arcFluxdArgs(arc);
  const settings = parseFluxdArgs(args);
  const ns = arc.operatorNamespace;
  const problems: string[] = [];
  if (!settings.gitUrl) problems.push('the configuration has no repositoryUrl');
  let auth: GitAuth = { kind: 'none' };
  const url = settings.gitUrl ?? '';
  if (url && !/^(https?|git):\/\//i.test(url)) {
    const host = sshHostOf(url);
    auth = {
      kind: 'ssh',
      identity: {
        kind: 'Secret',
        namespace: ns,
        name: settings.k8sSecretName,
        key: settings.k8sSecretDataKey,
        found: false,
        hasValue: false,
      },
      identitySource: 'az',
      knownHosts: sshKnownHosts
        ? { from: 'inline', base64: sshKnownHosts }
        : { from: 'image', host: host?.host ?? '', ...(host?.port ? { port: host.port } : {}) },
    };
  }
  const fluxd: FluxdInstance = {
    name: arc.operatorInstanceName,
    namespace: ns,
    args,
    settings,
    auth,
    memcached: [],
    rbac: [],
    arc,
    problems,
  };
  if (!arc.enableHelmOperator) return { fluxd };
  const hopArgs: string[] = [];
  const versions = helmVersionsFromChartValues(arc.helmOperatorChartValues);
  if (versions) hopArgs.push(`--enabled-helm-versions=${versions.join(',')}`);
  if (arc.operatorScope === 'namespace') hopArgs.push(`--allow-namespace=${ns}`);
  const helmOperator: HelmOperatorInstance = {
    name: `${arcHelmOperatorRelease(arc)}-helm-operator`,
    namespace: ns,
    args: hopArgs,
    settings: parseHelmOperatorArgs(hopArgs),
    rbac: [],
    arc,
  };
  return { fluxd, helmOperator };
}

/** Parsed JSON of `az k8s-configuration list -o json` (a list, one object, or `{ value: [...] }`) → Inventory. */
export function inventoryFromAzList(json: unknown): Inventory {
  const list = Array.isArray(json)
    ? json
    : json && typeof json === 'object' && Array.isArray((json as { value?: unknown }).value)
      ? (json as { value: unknown[] }).value
      : json && typeof json === 'object'
        ? [json]
        : undefined;
  if (!list) {
    throw new UserError('Error! The file is not the output of az k8s-configuration list -o json', {
      hint: 'Run: az k8s-configuration list -g <resource-group> -c <cluster> -t connectedClusters -o json > v1.json',
    });
  }
  const inventory = emptyInventory('file');
  for (const entry of list) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const type = text(e, 'type');
    if (type && !/sourceControlConfigurations$/i.test(type)) continue; // fluxConfigurations (v2) are not migrated
    const arc = arcFromAz(e);
    inventory.arc.configurations.push(arc);
    const p = { ...e, ...((e.properties as Record<string, unknown> | undefined) ?? {}) };
    const { fluxd, helmOperator } = instancesFromArc(arc, text(p, 'sshKnownHostsContents') || undefined);
    inventory.fluxd.push(fluxd);
    if (helmOperator) inventory.helmOperators.push(helmOperator);
  }
  return inventory;
}
