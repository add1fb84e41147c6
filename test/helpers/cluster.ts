import { inject } from 'vitest';
import { connect } from '../../src/k8s/index.js';
import type { KubeClient } from '../../src/k8s/client.js';
import { quietLogger } from './cli.js';

export interface ClusterInfo {
  server: string;
  kubeconfig: string;
  adminToken: string;
  tenantToken: string;
  tenantUser: string;
  version: string;
  counterFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    cluster: ClusterInfo | null;
  }
}

/** The test API server, or null when it is not available locally (CI fails in global setup instead). */
export const cluster = inject('cluster');

export function requireCluster(): ClusterInfo {
  if (!cluster) throw new Error('no test API server');
  return cluster;
}

export async function client(context: 'admin' | 'tenant' = 'admin'): Promise<KubeClient> {
  return connect({ kubeconfig: requireCluster().kubeconfig, context, env: {} }, quietLogger());
}

let seq = 0;
/** A name unique to this test run, for namespaces and cluster-scoped objects shared by parallel files. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid.toString(36)}-${(seq++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
