// npm run sandbox: try fluxcfg without a cluster. Starts the local etcd + kube-apiserver the tests use (with
// the Flux CRDs, no controllers), writes a kubeconfig, prints the `export KUBECONFIG=...` line and commands to
// try; Ctrl-C stops the servers and removes everything it wrote.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { connect } from '../src/k8s/index.js';
import { findKubeAssets, fluxCrds, startTestCluster } from '../test/helpers/apiserver.js';
import { repoRoot, resolveFixtures } from '../test/helpers/fixtures.js';
import { quietLogger } from '../test/helpers/cli.js';

const say = (line = '') => process.stderr.write(`${line}\n`);

const assets = findKubeAssets();
if (!assets) {
  say('sandbox: no kube-apiserver/etcd binaries: run `bash scripts/ensure-kube-binaries.sh` once (about 4 minutes),');
  say('or set KUBEBUILDER_ASSETS to a directory holding both.');
  process.exit(1);
}

const built = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

say('sandbox: starting etcd and kube-apiserver ...');
const cluster = await startTestCluster(assets);
let stopping: Promise<void> | undefined;
const stop = (signal: string) =>
  (stopping ??= (async () => {
    say(`\nsandbox: ${signal}: stopping the API server and removing ${cluster.dir}`);
    await cluster.stop();
    process.exit(0);
  })());
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGHUP', () => void stop('SIGHUP'));

try {
  const kube = await connect({ kubeconfig: cluster.kubeconfig, context: 'admin', env: {} }, quietLogger());
  await kube.applyAll(fluxCrds(await resolveFixtures()) as never[]);
  kube.close();
} catch (err) {
  say(`sandbox: installing the Flux CRDs failed: ${(err as Error).message}`);
  await cluster.stop();
  process.exit(1);
}

const bin = path.join(repoRoot, 'bin', 'fluxcfg.js');
say(`sandbox: kube-apiserver ${cluster.version} at ${cluster.server}, Flux CRDs installed (no controllers run,`);
say('so configurations stay Pending). Contexts: admin (current) and tenant (no rights). In another shell:');
say();
process.stdout.write(`export KUBECONFIG=${cluster.kubeconfig}\n`);
process.stdout.write(`alias fluxcfg='node ${bin}'\n`);
process.stdout.write(
  [
    `fluxcfg k8s-configuration flux create -n cluster-config --namespace cluster-config --scope cluster \\`,
    `  -u https://github.com/Azure/gitops-flux2-kustomize-helm-mt --branch main --no-validate \\`,
    `  -k name=infra path=./infrastructure prune=true \\`,
    `  -k name=apps path=./apps/staging prune=true 'dependsOn=["infra"]'`,
    'fluxcfg k8s-configuration flux list -o table',
    'fluxcfg k8s-configuration flux kustomization list -n cluster-config -o table',
    '',
  ].join('\n'),
);
say();
say('sandbox: running; Ctrl-C stops it and cleans up.');
setInterval(() => undefined, 1 << 30);
