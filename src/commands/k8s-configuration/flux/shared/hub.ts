// Hub and spoke: the hub's Flux applies a configuration to another cluster through a kubeconfig Secret
// (spec.kubeConfig.secretRef on every Kustomization; Cluster API writes one per cluster as <cluster>-kubeconfig,
// key `value`). The hub keeps the source and the Kustomizations; the spoke needs the flux-applier ServiceAccount
// and its binding, which the Kustomizations impersonate there.
import type { Command } from 'commander';
import yaml from 'js-yaml';
import type { Deps } from '../../../../deps.js';
import { UsageError, UserError } from '../../../../errors.js';
import type { KubeClient } from '../../../../k8s/client.js';
import { describeRef, refOf, type KubeObject } from '../../../../k8s/types.js';
import type { FluxConfiguration, KubeConfigSecretRef } from '../../../../model/flux-configuration.js';
import { FLUX_APPLIER } from '../../../../model/naming.js';
import type { Flags } from '../../../verb.js';
import { findConfiguration, listConfigurations, readConfiguration } from '../live.js';
import type { Prepared } from '../prepare.js';

export interface HubOptions {
  readonly secret?: KubeConfigSecretRef;
  /** Creates the spoke's flux-applier (and its namespace and binding) through this kubeconfig context. */
  readonly spokeContext?: string;
  /** create only: one configuration per kubeconfig Secret matching this label selector. */
  readonly forEach?: string;
  /** With forEach: delete the configurations whose Secret is gone. */
  readonly prune: boolean;
}

export function declareHubFlags(cmd: Command, verb: 'create' | 'update'): Command {
  cmd.option(
    '--kubeconfig-secret <name[:key]>',
    'hub mode: apply to the cluster of this kubeconfig Secret (in --namespace; key default value, value.yaml)',
  );
  if (verb === 'create')
    cmd
      .option('--spoke-context <context>', "hub mode: create the spoke's flux-applier through this kubeconfig context")
      .option(
        '--for-each-kubeconfig-secret <selector>',
        'hub mode: one configuration <name>-<cluster> per kubeconfig Secret matching the label selector',
      )
      .option('--prune', 'with --for-each-kubeconfig-secret: delete the configurations whose Secret is gone');
  return cmd;
}

const SECRET_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function parseHubFlags(flags: Flags): HubOptions {
  let secret: KubeConfigSecretRef | undefined;
  if (typeof flags.kubeconfigSecret === 'string') {
    const [name, key, ...rest] = flags.kubeconfigSecret.split(':');
    if (!name || !SECRET_NAME.test(name) || rest.length || key === '')
      throw new UsageError(`argument --kubeconfig-secret: invalid value: '${flags.kubeconfigSecret}'`, {
        hint: 'pass <secret-name> or <secret-name>:<key>, e.g. my-cluster-kubeconfig:value',
      });
    secret = key === undefined ? { name } : { name, key };
  }
  const forEach = typeof flags.forEachKubeconfigSecret === 'string' ? flags.forEachKubeconfigSecret : undefined;
  const spokeContext = typeof flags.spokeContext === 'string' ? flags.spokeContext : undefined;
  if (forEach !== undefined && secret)
    throw new UsageError('--kubeconfig-secret and --for-each-kubeconfig-secret cannot be combined', {
      hint: 'name one Secret, or select many by label',
    });
  if (forEach !== undefined && !forEach.trim())
    throw new UsageError('argument --for-each-kubeconfig-secret: expected a label selector, e.g. fleet=prod');
  if (spokeContext !== undefined && !secret)
    throw new UsageError('--spoke-context needs --kubeconfig-secret', {
      hint: 'it creates, on the cluster of that Secret, what the hub configuration impersonates there',
    });
  if (flags.prune === true && forEach === undefined) throw new UsageError('--prune needs --for-each-kubeconfig-secret');
  return { secret, spokeContext, forEach, prune: flags.prune === true };
}

/** Reads a kubeconfig Secret on the hub: its server, or a UserError saying what is missing. */
export async function checkKubeconfigSecret(
  kube: KubeClient,
  namespace: string,
  ref: KubeConfigSecretRef,
): Promise<string> {
  const secret = await kube.get({ apiVersion: 'v1', kind: 'Secret', namespace, name: ref.name });
  const where = `Secret ${namespace}/${ref.name}`;
  if (!secret)
    throw new UserError(`${where} (--kubeconfig-secret) does not exist on the hub cluster`, {
      hint:
        `create it first, e.g. kubectl -n ${namespace} create secret generic ${ref.name} ` +
        '--from-file=value=<kubeconfig>',
    });
  const data = (secret.data ?? {}) as Record<string, string>;
  const keys = ref.key ? [ref.key] : ['value', 'value.yaml'];
  const key = keys.find((k) => data[k] !== undefined);
  if (!key)
    throw new UserError(`${where} has no key ${keys.join(' or ')}`, {
      hint:
        `its keys: ${Object.keys(data).join(', ') || 'none'}; ` +
        `name the key as --kubeconfig-secret ${ref.name}:<key>`,
    });
  let doc: unknown;
  try {
    doc = yaml.load(Buffer.from(data[key]!, 'base64').toString('utf8'));
  } catch {
    doc = undefined;
  }
  const kc = doc as { clusters?: { cluster?: { server?: unknown } }[]; contexts?: unknown[] } | undefined;
  const server = kc?.clusters?.[0]?.cluster?.server;
  if (!kc || typeof kc !== 'object' || typeof server !== 'string' || !Array.isArray(kc.contexts) || !kc.contexts.length)
    throw new UserError(`${where} key ${key} does not hold a kubeconfig (clusters with a server, contexts)`, {
      hint: 'store the kubeconfig of the cluster to apply to, as Cluster API does in <cluster>-kubeconfig',
    });
  return server;
}

const isApplierRbac = (o: KubeObject) =>
  (o.kind === 'ServiceAccount' && o.metadata.name === FLUX_APPLIER) ||
  ((o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') &&
    ((o as { subjects?: { name?: string }[] }).subjects ?? []).some((s) => s.name === FLUX_APPLIER));

/** Sets the configuration's kubeconfig Secret from the flags (create, update). */
export function withHubTarget(config: FluxConfiguration, hub: HubOptions): FluxConfiguration {
  return hub.secret ? { ...config, kubeConfigSecret: hub.secret } : config;
}

/** create's parsed options with the hub flags applied to the configuration. */
export function withHub<O extends { config: FluxConfiguration; hub: HubOptions }>(o: O): O {
  return { ...o, config: withHubTarget(o.config, o.hub) };
}

/** The for-each rows (a --dry-run plan's rows have an `action` too: told apart by `kubeConfigSecret`). */
const isForEachRows = (r: unknown): r is ForEachRow[] =>
  Array.isArray(r) && r.length > 0 && typeof (r[0] as { kubeConfigSecret?: unknown }).kubeConfigSecret === 'string';

/** -o table of create: the for-each rows as they are, anything else through the verb's own table. */
export function withForEachTable(table: (r: unknown) => unknown): (r: unknown) => unknown {
  return (r) =>
    isForEachRows(r)
      ? r.map(({ cluster, configuration, kubeConfigSecret, action }) => ({
          cluster,
          configuration,
          kubeConfigSecret,
          action,
        }))
      : table(r);
}

/**
 * Hub mode of create: checks the kubeconfig Secret on the hub, moves the flux-applier ServiceAccount and binding
 * to the spoke (created there with --spoke-context, else said what must exist), returns what the hub applies.
 */
export async function prepareHub(
  deps: Deps,
  kube: KubeClient,
  config: FluxConfiguration,
  prepared: Prepared,
  hub: HubOptions,
): Promise<Prepared> {
  const ref = config.kubeConfigSecret;
  if (!ref) return prepared;
  const server = await checkKubeconfigSecret(kube, config.namespace, ref);
  const spoke = prepared.objects.filter((o) => o.kind === 'Namespace' || isApplierRbac(o));
  const onSpoke = spoke.filter((o) => o.kind !== 'Namespace').map((o) => describeRef(refOf(o)));
  if (hub.spokeContext) {
    const { connect } = await import('../../../../k8s/index.js');
    const spokeKube = await connect(
      { kubeconfig: deps.globals.kubeconfig, context: hub.spokeContext, env: deps.io.env },
      deps.log,
    );
    try {
      await spokeKube.applyAll(spoke);
    } finally {
      spokeKube.close();
    }
    deps.log.progress(`created on the spoke (context "${hub.spokeContext}"): ${onSpoke.join(', ')}`);
  } else
    deps.log.warn(
      `hub mode: the Kustomizations apply to ${server} (Secret ${config.namespace}/${ref.name}) as ServiceAccount ` +
        `${config.namespace}/${FLUX_APPLIER}; that cluster must hold ${onSpoke.join(', ')} ` +
        `(pass --spoke-context <context> to create them, or apply them from --export)`,
    );
  return { ...prepared, objects: prepared.objects.filter((o) => !isApplierRbac(o)) };
}

export interface ForEachRow {
  readonly cluster: string;
  readonly configuration: string;
  readonly kubeConfigSecret: string;
  readonly action: 'created' | 'kept' | 'orphaned' | 'pruned';
  readonly result: unknown;
}

const clusterOf = (secretName: string) => secretName.replace(/-kubeconfig$/, '');

/**
 * `--for-each-kubeconfig-secret`: one configuration `<name>-<cluster>` per kubeconfig Secret in the namespace
 * that matches the selector (as Azure Policy assigns one configuration per cluster in scope). Existing ones are
 * kept; configurations made this way whose Secret is gone are listed, and deleted with --prune.
 */
export async function forEachKubeconfigSecret<O extends { config: FluxConfiguration; hub: HubOptions }>(
  deps: Deps,
  o: O,
  createOne: (one: O) => Promise<unknown>,
): Promise<ForEachRow[]> {
  const kube = await deps.kube();
  const { config, hub } = o;
  const secrets = await kube.list('v1', 'Secret', { namespace: config.namespace, labelSelector: hub.forEach });
  const rows: ForEachRow[] = [];
  const wanted = new Set<string>();
  for (const secret of secrets.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
    const cluster = clusterOf(secret.metadata.name);
    const name = `${config.name}-${cluster}`;
    wanted.add(name);
    const base = { cluster, configuration: name, kubeConfigSecret: secret.metadata.name };
    if (await findConfiguration(kube, name, config.namespace)) {
      rows.push({ ...base, action: 'kept', result: null });
      continue;
    }
    const one = {
      ...o,
      config: { ...config, name, kubeConfigSecret: { name: secret.metadata.name } },
      hub: { prune: false },
    };
    rows.push({ ...base, action: 'created', result: await createOne(one) });
  }
  const mine = (await listConfigurations(kube, config.namespace)).filter(
    (c) => c.config.kubeConfigSecret && c.config.name.startsWith(`${config.name}-`) && !wanted.has(c.config.name),
  );
  for (const c of mine) {
    const row = {
      cluster: clusterOf(c.config.kubeConfigSecret!.name),
      configuration: c.config.name,
      kubeConfigSecret: c.config.kubeConfigSecret!.name,
      result: null,
    };
    if (!hub.prune) {
      deps.log.warn(`configuration ${c.config.name}: its Secret ${row.kubeConfigSecret} is gone (--prune deletes it)`);
      rows.push({ ...row, action: 'orphaned' });
      continue;
    }
    const live = await readConfiguration(kube, c.config.name, config.namespace);
    const first = live.objects.filter((x) => x.kind === 'Kustomization');
    for (const x of first) await kube.delete(refOf(x), { propagationPolicy: 'Background' });
    for (const x of live.objects.filter((y) => y.kind !== 'Kustomization'))
      await kube.delete(refOf(x), { propagationPolicy: 'Background' });
    rows.push({ ...row, action: 'pruned' });
  }
  return rows;
}
