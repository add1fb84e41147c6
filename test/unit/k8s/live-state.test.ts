// Pure parts of the hostile-review fixes (issue #9, part A): stale status, terminal failures, the configuration as
// the live objects hold it, and drift against the record.
import { describe, expect, it } from 'vitest';
import {
  complianceOf,
  configurationBlocks,
  driftOf,
  goDurationSeconds,
  isStale,
  liveConfiguration,
} from '../../../src/commands/k8s-configuration/flux/view.js';
import { terminalFailure } from '../../../src/commands/k8s-configuration/flux/shared/write.js';
import { isStaleWrite, terminatingNamespace } from '../../../src/k8s/execute.js';
import { KubeError } from '../../../src/errors.js';
import type { KubeObject } from '../../../src/k8s/types.js';
import type { FluxConfiguration } from '../../../src/model/flux-configuration.js';
import { renderFluxConfiguration } from '../../../src/render/flux-configuration.js';

const obj = (generation: number, status: unknown, spec: unknown = {}): KubeObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: 'k', namespace: 'ns', generation },
  spec,
  status,
});
const cond = (type: string, status: string, reason = 'R', observedGeneration?: number) => ({
  type,
  status,
  reason,
  message: 'm',
  observedGeneration,
});

describe('stale status and terminal failures', () => {
  it('an observedGeneration behind the generation is Pending, whatever Ready says', () => {
    expect(complianceOf(obj(2, { observedGeneration: 1, conditions: [cond('Ready', 'True')] }))).toBe('Pending');
    expect(complianceOf(obj(2, { observedGeneration: 2, conditions: [cond('Ready', 'True', 'R', 1)] }))).toBe(
      'Pending',
    );
    expect(complianceOf(obj(2, { observedGeneration: 2, conditions: [cond('Ready', 'True')] }))).toBe('Compliant');
    expect(complianceOf(obj(1, { observedGeneration: -1, conditions: [cond('Ready', 'False')] }))).toBe('Pending');
    expect(isStale(obj(3, {}))).toBe(false);
  });

  it('Stalled=True and terminal Ready=False reasons fail a wait, only about the current spec', () => {
    expect(
      terminalFailure(obj(1, { observedGeneration: 1, conditions: [cond('Stalled', 'True', 'InvalidPath')] })),
    ).toBe('Stalled: InvalidPath m');
    expect(terminalFailure(obj(1, { observedGeneration: 1, conditions: [cond('Ready', 'False', 'InvalidURL')] }))).toBe(
      'InvalidURL: m',
    );
    expect(
      terminalFailure(obj(1, { observedGeneration: 1, conditions: [cond('Ready', 'False', 'ArtifactFailed')] })),
    ).toBe(undefined);
    expect(terminalFailure(obj(2, { observedGeneration: 1, conditions: [cond('Stalled', 'True')] }))).toBe(undefined);
    expect(terminalFailure(undefined)).toBe(undefined);
  });
});

describe('the configuration as the live objects hold it', () => {
  const record: FluxConfiguration = {
    name: 'cfg',
    namespace: 'ns',
    scope: 'cluster',
    sourceKind: 'GitRepository',
    suspend: false,
    gitRepository: { url: 'git@github.com:org/repo', repositoryRef: { branch: 'main' } },
    kustomizations: { app: { path: './app', dependsOn: ['infra'] }, infra: { path: './infra' } },
  };
  const rendered = renderFluxConfiguration({ config: record, protectedSettings: {} });
  const source = rendered.find((o) => o.kind === 'GitRepository')!;
  const kustomizations = rendered.filter((o) => o.kind === 'Kustomization');

  it('what fluxcfg rendered reads back as the record: no drift', () => {
    const live = liveConfiguration(record, source, kustomizations);
    expect(driftOf(configurationBlocks(record), configurationBlocks(live))).toEqual([]);
    expect(live.gitRepository?.url).toBe('git@github.com:org/repo');
  });

  it('edited live specs show as they are and are named as drift', () => {
    const edited = structuredClone(kustomizations);
    (edited[0]!.spec as Record<string, unknown>).path = './hotfix';
    (edited[0]!.spec as Record<string, unknown>).interval = '1m0s';
    delete (edited[0]!.spec as Record<string, unknown>).dependsOn;
    const src = structuredClone(source);
    (src.spec as Record<string, unknown>).ref = { tag: 'v1' };
    const live = liveConfiguration(record, src, edited);
    expect(live.kustomizations.app).toMatchObject({
      path: './hotfix',
      syncIntervalInSeconds: 60,
      dependsOn: undefined,
    });
    expect(live.gitRepository?.repositoryRef).toEqual({ tag: 'v1' });
    expect(driftOf(configurationBlocks(record), configurationBlocks(live))).toEqual([
      'gitRepository.repositoryRef.branch',
      'gitRepository.repositoryRef.tag',
      'kustomizations.app.dependsOn',
      'kustomizations.app.path',
      'kustomizations.app.syncIntervalInSeconds',
    ]);
  });

  it('Go durations', () => {
    expect(goDurationSeconds('10m0s')).toBe(600);
    expect(goDurationSeconds('1h30m')).toBe(5400);
    expect(goDurationSeconds('1.5h')).toBe(5400);
    expect(goDurationSeconds('500ms')).toBe(1);
    expect(goDurationSeconds('10d')).toBe(undefined);
    expect(goDurationSeconds(undefined)).toBe(undefined);
  });
});

describe('errors of a write', () => {
  const kubeError = (status: number, message: string) =>
    new KubeError(message, { status, method: 'PATCH', path: '/x' }, { hint: 'the RBAC hint' });

  it('a stale resourceVersion is told apart from a field-manager conflict', () => {
    expect(isStaleWrite(kubeError(409, 'Operation cannot be fulfilled on x "y": the object has been modified'))).toBe(
      true,
    );
    expect(isStaleWrite(kubeError(409, 'Apply failed with 1 conflict: conflict with "kubectl-edit"'))).toBe(false);
  });

  it('a terminating namespace is not a missing right', () => {
    const err = terminatingNamespace(
      kubeError(
        403,
        'Kubernetes API 403 Forbidden: unable to create new content in namespace team because it is being terminated',
      ),
    ) as KubeError;
    expect(err.hint).toBe(
      'namespace team is being deleted: wait until it is gone, then re-run (this is not a missing RBAC right)',
    );
    expect(err.status).toBe(403);
    const other = kubeError(403, 'Kubernetes API 403 Forbidden: secrets is forbidden');
    expect(terminatingNamespace(other)).toBe(other);
  });
});
