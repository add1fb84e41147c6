import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { fluxV1Daemon, imageRepository } from '../../../src/model/extension/flux-v1.js';
import type { KubeObject } from '../../../src/k8s/types.js';
import { fluxV1Fixture } from '../../helpers/test-fixtures.js';

const load = (rel: string) => yaml.loadAll(readFileSync(fluxV1Fixture(rel), 'utf8')).filter(Boolean) as KubeObject[];

describe('Flux v1 detection', () => {
  it('strips registry, tag and digest from an image', () => {
    expect(imageRepository('docker.io/fluxcd/flux:1.25.4')).toBe('fluxcd/flux');
    expect(imageRepository('fluxcd/helm-operator:1.4.4')).toBe('fluxcd/helm-operator');
    expect(imageRepository('quay.io/weaveworks/flux@sha256:abc')).toBe('weaveworks/flux');
    expect(imageRepository('localhost:5000/fluxcd/flux:1.0')).toBe('fluxcd/flux');
    expect(imageRepository('ghcr.io/fluxcd/source-controller:v1.7.4')).toBe('fluxcd/source-controller');
  });

  it('recognises fluxd and the Helm Operator in their upstream Deployments, and not Flux v2', () => {
    const [fluxd] = load('flux/deploy/flux-deployment.yaml');
    const [helmOperator] = load('helm-operator/deploy/deployment.yaml');
    expect(fluxV1Daemon(fluxd!)).toBe('fluxd');
    expect(fluxV1Daemon(helmOperator!)).toBe('helm-operator');
    const v2 = structuredClone(fluxd!);
    (v2.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image =
      'ghcr.io/fluxcd/flux-cli:v2.7.5';
    expect(fluxV1Daemon(v2)).toBeUndefined();
  });
});
