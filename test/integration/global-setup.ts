import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { connect } from '../../src/k8s/index.js';
import { findKubeAssets, fluxCrds, startTestCluster } from '../helpers/apiserver.js';
import { quietLogger } from '../helpers/cli.js';
import { runFixtures } from '../global-fixtures.js';

/**
 * Starts etcd + kube-apiserver for the integration project, installs the Flux CRDs, and prints how many tests
 * ran against it. In CI a missing API server fails the run; locally the tests are skipped with one loud line.
 */
export default async function setup(project: TestProject) {
  const fixtures = await runFixtures();
  if (!fixtures) {
    // Locally only (CI failed in test/global-fixtures.ts): the line saying what to set was printed there.
    project.provide('cluster', null);
    return;
  }
  const assets = findKubeAssets();
  if (!assets) {
    const why =
      'no kube-apiserver/etcd binaries (KUBEBUILDER_ASSETS unset, nothing cached under ~/.cache/fluxcfg/): run scripts/ensure-kube-binaries.sh once to build them';
    if (process.env.CI) throw new Error(`integration tests need a real API server in CI: ${why}`);
    process.stderr.write(`\n!!! SKIPPING the integration tests: ${why} !!!\n\n`);
    project.provide('cluster', null);
    return;
  }
  const cluster = await startTestCluster(assets);
  try {
    const kube = await connect({ kubeconfig: cluster.kubeconfig, context: 'admin', env: {} }, quietLogger());
    await kube.applyAll(fluxCrds(fixtures) as never[]);
    kube.close();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  project.provide('cluster', {
    server: cluster.server,
    kubeconfig: cluster.kubeconfig,
    adminToken: cluster.adminToken,
    tenantToken: cluster.tenantToken,
    tenantUser: cluster.tenantUser,
    version: cluster.version,
    counterFile: cluster.counterFile,
  });
  return async () => {
    const ran = readFileSync(cluster.counterFile, 'utf8').split('\n').filter(Boolean).length;
    process.stdout.write(
      `\nintegration: ${ran} tests ran against kube-apiserver ${cluster.version} (${cluster.server})\n`,
    );
    await cluster.stop();
  };
}
