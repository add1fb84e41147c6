import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { declareConfigurationFlags } from '../../../src/commands/k8s-configuration/flux/shared/flags.js';
import { parseCreate } from '../../../src/model/configuration-params.js';
import { renderFluxConfiguration } from '../../../src/render/flux-configuration.js';
import { toYaml } from '../../../src/render/yaml.js';

const noFiles = (path: string): string => {
  throw new Error(`unexpected read of ${path}`);
};

function create(argv: string[]) {
  const cmd = new Command();
  declareConfigurationFlags(cmd, 'create');
  cmd.exitOverride();
  cmd.parse(argv, { from: 'user' });
  return parseCreate(cmd.opts(), noFiles);
}

// The az tutorial (Azure docs "Tutorial: Deploy applications using GitOps with Flux v2"), as bash passes it:
// dependsOn=["infra"] reaches the program as dependsOn=[infra].
const tutorial = [
  '-n',
  'cluster-config',
  '--namespace',
  'cluster-config',
  '--scope',
  'cluster',
  '-u',
  'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
  '--branch',
  'main',
  '--kustomization',
  'name=infra',
  'path=./infrastructure',
  'prune=true',
  '--kustomization',
  'name=apps',
  'path=./apps/staging',
  'prune=true',
  'dependsOn=[infra]',
];

describe('az tutorial command', () => {
  const { config, protectedSettings, warnings } = create(tutorial);
  const objects = renderFluxConfiguration({ config, protectedSettings });
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

  it('parses into the configuration Azure would store', () => {
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      name: 'cluster-config',
      namespace: 'cluster-config',
      scope: 'cluster',
      sourceKind: 'GitRepository',
      suspend: false,
      gitRepository: {
        url: 'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
        repositoryRef: { branch: 'main' },
        syncIntervalInSeconds: 600,
        timeoutInSeconds: 600,
      },
    });
    expect(Object.keys(config.kustomizations)).toEqual(['infra', 'apps']);
    expect(config.kustomizations.apps).toMatchObject({ path: './apps/staging', prune: true, dependsOn: ['infra'] });
  });

  it('renders the source named after the configuration and <config>-<kustomization> Kustomizations', () => {
    const [git] = byKind('GitRepository');
    expect(git?.metadata).toMatchObject({ name: 'cluster-config', namespace: 'cluster-config' });
    expect(git?.spec).toMatchObject({
      url: 'https://github.com/Azure/gitops-flux2-kustomize-helm-mt',
      ref: { branch: 'main' },
      interval: '10m0s',
    });
    expect(byKind('Secret')).toEqual([]);
    const ks = byKind('Kustomization');
    expect(ks.map((k) => k.metadata.name)).toEqual(['cluster-config-infra', 'cluster-config-apps']);
    for (const k of ks) {
      expect(k.metadata.namespace).toBe('cluster-config');
      expect((k.spec as { sourceRef: unknown }).sourceRef).toEqual({ kind: 'GitRepository', name: 'cluster-config' });
      expect((k.spec as { prune: boolean }).prune).toBe(true);
      expect((k.spec as { serviceAccountName: string }).serviceAccountName).toBe('flux-applier');
    }
    expect((ks[0]!.spec as { dependsOn?: unknown }).dependsOn).toBeUndefined();
    expect((ks[1]!.spec as { dependsOn: unknown }).dependsOn).toEqual([{ name: 'cluster-config-infra' }]);
    expect((ks[0]!.spec as { path: string }).path).toBe('./infrastructure');
    expect((ks[1]!.spec as { path: string }).path).toBe('./apps/staging');
  });

  it('orders Namespace, ServiceAccount, ClusterRoleBinding, source, Kustomizations', () => {
    expect(objects.map((o) => o.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'ClusterRoleBinding',
      'GitRepository',
      'Kustomization',
      'Kustomization',
    ]);
  });

  it('matches the golden YAML', async () => {
    await expect(toYaml(objects)).toMatchFileSnapshot('golden/tutorial-git-https-cluster.yaml');
  });
});
