// Golden YAML per source kind × auth × scope; every Flux object is also checked against its CRD schema.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/k8s/types.js';
import type { ProtectedSettings } from '../../../src/model/flux-configuration.js';
import {
  bucketEndpoint,
  fluxGitUrl,
  renderFluxConfiguration,
  type RenderInput,
} from '../../../src/render/flux-configuration.js';
import { toYaml } from '../../../src/render/yaml.js';
import { CONFIGURATION_ANNOTATION } from '../../../src/model/naming.js';
import { b64, create, files, fixture } from '../model/helpers.js';
import { testFixtures } from '../../helpers/test-fixtures.js';
import { crdSchema, violations } from './crd-schema.js';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\n(test key)\n-----END OPENSSH PRIVATE KEY-----\n';
const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFTYgi+/PJxtgAnkFR0+5l1DyulPuQuqMKe4NqOQE3nm fluxcfg';
// real PEM (test/fixtures/pem, generated once with openssl): certificate and key flags are parsed
const pem = (f: string) => readFileSync(new URL(`../../fixtures/pem/${f}`, import.meta.url), 'utf8').trim();
const CA = pem('ca.crt');
const CERT = pem('tls.crt');
const TLS_KEY = pem('tls.key');
const GIT = ['-u', 'https://github.com/org/repo', '--branch', 'main'];
const K = ['-k', 'name=apps', 'path=./apps'];

interface Case {
  name: string;
  argv: string[];
  files?: Record<string, string>;
  /** Protected settings the command would add (generated key). */
  generated?: ProtectedSettings;
  extra?: RenderInput['extra'];
}

const cases: Case[] = [
  { name: 'git-https-public-namespace', argv: ['-n', 'team', '--ns', 'team-a', '--scope', 'namespace', ...GIT, ...K] },
  {
    name: 'git-https-auth-ca-cluster',
    argv: [
      '-n',
      'private',
      '--ns',
      'flux-config',
      '-u',
      'https://git.example.com/org/repo',
      '--tag',
      'v1.0.0',
      '--https-user',
      'bot',
      '--https-key',
      'token',
      '--https-ca-cert',
      b64(CA),
      '--interval',
      '1h',
      '--timeout',
      '3m',
      ...K,
    ],
  },
  {
    name: 'git-ssh-generated-key-cluster',
    argv: [
      '-n',
      'ssh-gen',
      '-u',
      'git@github.com:org/repo',
      '--branch',
      'main',
      '-k',
      'name=infra',
      'path=./infra',
      'prune=true',
      '-k',
      'name=apps',
      'path=./apps',
      'depends_on=infra',
    ],
    generated: { sshPrivateKey: KEY },
    extra: { sshPublicKey: PUB, knownHosts: fixture('known_hosts') },
  },
  {
    name: 'git-ssh-own-key-namespace',
    argv: [
      '-n',
      'ssh-own',
      '--ns',
      'tenant',
      '-s',
      'namespace',
      '-u',
      'ssh://git@ssh.dev.azure.com/v3/org/proj/repo',
      '--semver',
      '>=1.0.0',
      '--ssh-private-key-file',
      'id',
      '--known-hosts',
      b64(fixture('known_hosts')),
      ...K,
    ],
    files: { id: fixture('id_test_ed25519') },
  },
  {
    name: 'git-local-auth-ref',
    argv: [
      '-n',
      'local',
      '-u',
      'git@github.com:org/repo',
      '--commit',
      '0123abc',
      '--local-auth-ref',
      'my-git-secret',
      ...K,
    ],
  },
  {
    name: 'git-azure-provider',
    argv: [
      '-n',
      'ado',
      '-u',
      'https://dev.azure.com/org/proj/_git/repo',
      '--branch',
      'main',
      '--provider',
      'azure',
      ...K,
    ],
  },
  {
    name: 'bucket-generic-keys',
    argv: [
      '-n',
      'minio',
      '--kind',
      'bucket',
      '-u',
      'http://minio.minio.svc:9000',
      '--bucket-name',
      'manifests',
      '--bucket-access-key',
      'AKIA',
      '--bucket-secret-key',
      'bucket-secret-value',
      ...K,
    ],
  },
  {
    name: 'bucket-local-auth-ref-insecure-suspended',
    argv: [
      '-n',
      's3',
      '--kind',
      'bucket',
      '-u',
      'https://s3.amazonaws.com',
      '--bucket-name',
      'bkt',
      '--local-ref',
      's3-creds',
      '--bucket-insecure',
      '--suspend',
      ...K,
    ],
  },
  {
    name: 'azblob-account-key',
    argv: [
      '-n',
      'blob',
      '--kind',
      'azblob',
      '-u',
      'https://acct.blob.core.windows.net',
      '--container-name',
      'manifests',
      '--account-key',
      'KEY==',
      ...K,
    ],
  },
  {
    name: 'azblob-sas-token',
    argv: [
      '-n',
      'blob',
      '--kind',
      'azblob',
      '-u',
      'https://acct.blob.core.windows.net',
      '--container-name',
      'manifests',
      '--sas-token',
      'sv=2020&sig=x',
      ...K,
    ],
  },
  {
    name: 'azblob-sp-secret',
    argv: [
      '-n',
      'blob',
      '--kind',
      'azblob',
      '-u',
      'https://acct.blob.core.windows.net',
      '--container-name',
      'manifests',
      '--sp-client-id',
      'cid',
      '--sp-tenant-id',
      'tid',
      '--sp-client-secret',
      'csecret',
      ...K,
    ],
  },
  {
    name: 'azblob-sp-cert',
    argv: [
      '-n',
      'blob',
      '--kind',
      'azblob',
      '-u',
      'https://acct.blob.core.windows.net',
      '--container-name',
      'manifests',
      '--sp-client-id',
      'cid',
      '--sp-tenant-id',
      'tid',
      '--sp-client-cert',
      b64(CERT),
      '--sp-cert-password',
      'pw',
      '--sp-cert-send-chain',
      ...K,
    ],
  },
  {
    name: 'azblob-managed-identity',
    argv: [
      '-n',
      'blob',
      '--kind',
      'azblob',
      '-u',
      'https://acct.blob.core.windows.net',
      '--container-name',
      'manifests',
      '--mi-client-id',
      'mi-id',
      ...K,
    ],
  },
  {
    name: 'oci-tls-verify',
    argv: [
      '-n',
      'oci',
      '--kind',
      'oci',
      '-u',
      'oci://registry.example.com/org/manifests',
      '--digest',
      'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      '--tls-ca-certificate',
      b64(CA),
      '--tls-client-certificate',
      b64(CERT),
      '--tls-private-key',
      b64(TLS_KEY),
      '--oci-media-type',
      'application/vnd.cncf.flux.content.v1.tar+gzip',
      '--oci-operation',
      'extract',
      '--verification-provider',
      'cosign',
      '--match-oidc-identity',
      '{"issuer":"^https://issuer$","subject":"^org$"}',
      '--verification-config',
      `cosign.pub=${b64('-----BEGIN PUBLIC KEY-----\n(test)\n-----END PUBLIC KEY-----\n')}`,
      ...K,
    ],
  },
  {
    name: 'oci-workload-identity-default-ref',
    argv: [
      '-n',
      'oci',
      '--kind',
      'oci',
      '-u',
      'oci://acr.azurecr.io/manifests',
      '--use-workload-identity',
      '--service-account-name',
      'puller',
      '--oci-insecure',
      ...K,
    ],
  },
  {
    name: 'kustomization-extras',
    argv: [
      '-n',
      'extras',
      ...GIT,
      '--suspend',
      '-k',
      'name=infra',
      'path=./infra',
      'retry_interval=1m',
      'timeout=90s',
      'sync_interval=1h30m',
      'force=true',
      'target_namespace=infra-ns',
      '-k',
      'name=apps',
      'path=./apps',
      'depends_on=[infra]',
      'disable_health_check=true',
      'substitute.CLUSTER=prod',
      'substitute_from=ConfigMap/vars,Secret/creds?',
    ],
  },
  { name: 'default-kustomization', argv: ['-n', 'bare', ...GIT] },
];

function render(c: Case): KubeObject[] {
  const parsed = create(c.argv, files(c.files));
  return renderFluxConfiguration({
    config: parsed.config,
    protectedSettings: { ...parsed.protectedSettings, ...c.generated },
    extra: c.extra,
  });
}

const spec = (o: KubeObject | undefined) => o?.spec as Record<string, unknown>;

describe('renderFluxConfiguration goldens', () => {
  it.each(cases)('$name', async (c) => {
    const objects = render(c);
    await expect(toYaml(objects)).toMatchFileSnapshot(`golden/${c.name}.yaml`);
    expect(renderFluxConfiguration({ ...create(c.argv, files(c.files)), extra: c.extra })).toEqual(
      renderFluxConfiguration({ ...create(c.argv, files(c.files)), extra: c.extra }),
    ); // deterministic
  });

  const fixtures = testFixtures();
  it.skipIf(!fixtures).each(cases)('$name: every Flux object satisfies its CRD schema', (c) => {
    for (const obj of render(c)) {
      const schema = crdSchema(fixtures!, obj.kind, obj.apiVersion);
      if (!schema) continue;
      expect(violations(schema.properties!.spec!, obj.spec, `${obj.kind}.spec`)).toEqual([]);
      expect(obj.metadata.name.length).toBeLessThanOrEqual(63);
    }
  });
});

describe('renderFluxConfiguration details', () => {
  it('orders Namespace, ServiceAccount, binding, Secret, source, Kustomizations', () => {
    expect(render(cases[1]!).map((o) => o.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'ClusterRoleBinding',
      'Secret',
      'GitRepository',
      'Kustomization',
    ]);
    expect(render(cases[0]!).map((o) => o.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'RoleBinding',
      'GitRepository',
      'Kustomization',
    ]);
  });

  it('namespace and flux-applier carry no configuration label; the rest do', () => {
    for (const o of render(cases[1]!)) {
      const labels = o.metadata.labels ?? {};
      expect(labels['app.kubernetes.io/managed-by']).toBe('fluxcfg');
      expect('fluxcfg.io/configuration' in labels).toBe(o.kind !== 'Namespace' && o.kind !== 'ServiceAccount');
    }
  });

  it('namespace scope: RoleBinding in the namespace to the admin ClusterRole (what a namespace admin can grant) and targetNamespace forced', () => {
    const objects = render(cases[0]!);
    const rb = objects.find((o) => o.kind === 'RoleBinding')!;
    expect(rb.metadata).toMatchObject({ name: 'flux-applier-team', namespace: 'team-a' });
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: 'flux-applier', namespace: 'team-a' }]);
    expect(spec(objects.find((o) => o.kind === 'Kustomization')).targetNamespace).toBe('team-a');
  });

  it('git ssh: scp-like URL rewritten, Flux key names, generated key and scanned hosts', () => {
    const objects = render(cases[2]!);
    const secret = objects.find((o) => o.kind === 'Secret')!;
    expect(secret.metadata.name).toBe('git-auth-ssh-gen');
    expect(secret.stringData).toEqual({ identity: KEY, 'identity.pub': PUB, known_hosts: fixture('known_hosts') });
    const git = spec(objects.find((o) => o.kind === 'GitRepository'));
    expect(git.url).toBe('ssh://git@github.com/org/repo');
    expect(git.secretRef).toEqual({ name: 'git-auth-ssh-gen' });
  });

  it('git ssh with own key: the known hosts given win, decoded', () => {
    const secret = render(cases[3]!).find((o) => o.kind === 'Secret')!;
    expect(secret.stringData).toEqual({ identity: fixture('id_test_ed25519'), known_hosts: fixture('known_hosts') });
  });

  it('https: username, password, decoded ca.crt', () => {
    const secret = render(cases[1]!).find((o) => o.kind === 'Secret')!;
    expect(secret).toMatchObject({ type: 'Opaque', stringData: { username: 'bot', password: 'token', 'ca.crt': CA } });
  });

  it('local auth ref: no Secret, secretRef to it', () => {
    const objects = render(cases[4]!);
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    expect(spec(objects.find((o) => o.kind === 'GitRepository')).secretRef).toEqual({ name: 'my-git-secret' });
  });

  it('the source annotation is the configuration as JSON, with no secret in it', () => {
    for (const c of cases) {
      const parsed = create(c.argv, files(c.files));
      const source = render(c).find((o) => o.metadata.annotations?.[CONFIGURATION_ANNOTATION])!;
      const annotation = source.metadata.annotations![CONFIGURATION_ANNOTATION]!;
      expect(JSON.parse(annotation)).toEqual(parsed.config);
      for (const secret of ['token', 'bucket-secret-value', 'KEY==', 'sv=2020', 'csecret', 'PRIVATE KEY', '"pw"'])
        expect(annotation).not.toContain(secret);
    }
  });

  it('bucket: endpoint without scheme, insecure for http', () => {
    expect(bucketEndpoint('http://minio.minio.svc:9000/path')).toBe('minio.minio.svc:9000');
    const objects = render(cases[6]!);
    expect(spec(objects.find((o) => o.kind === 'Bucket'))).toMatchObject({
      provider: 'generic',
      endpoint: 'minio.minio.svc:9000',
      insecure: true,
      bucketName: 'manifests',
    });
    expect(objects.find((o) => o.kind === 'Secret')?.stringData).toEqual({
      accesskey: 'AKIA',
      secretkey: 'bucket-secret-value',
    });
  });

  it.each([
    [9, { accountKey: 'KEY==' }],
    [10, { sasKey: 'sv=2020&sig=x' }],
    [11, { tenantId: 'tid', clientId: 'cid', clientSecret: 'csecret' }],
    [
      12,
      {
        tenantId: 'tid',
        clientId: 'cid',
        clientCertificate: CERT,
        clientCertificatePassword: 'pw',
        clientCertificateSendChain: 'true',
      },
    ],
    [13, { clientId: 'mi-id' }],
  ])('azblob case #%i: Flux azure key names', (i, data) => {
    const objects = render(cases[i - 1]!);
    expect(objects.find((o) => o.kind === 'Secret')?.stringData).toEqual(data);
    expect(objects.find((o) => o.kind === 'Secret')?.metadata.name).toBe('azblob-auth-blob');
    expect(spec(objects.find((o) => o.kind === 'Bucket'))).toMatchObject({
      provider: 'azure',
      bucketName: 'manifests',
      endpoint: 'https://acct.blob.core.windows.net',
    });
  });

  it('git URL conversion', () => {
    expect(fluxGitUrl('git@github.com:org/repo.git')).toBe('ssh://git@github.com/org/repo.git');
    expect(fluxGitUrl('git@host:/abs/repo')).toBe('ssh://git@host/abs/repo');
    expect(fluxGitUrl('ssh://git@host:2222/repo')).toBe('ssh://git@host:2222/repo');
    expect(fluxGitUrl('https://github.com/org/repo')).toBe('https://github.com/org/repo');
  });

  it('kustomization extras and suspend', () => {
    const objects = render(cases.find((c) => c.name === 'kustomization-extras')!);
    const [infra, apps] = objects.filter((o) => o.kind === 'Kustomization');
    expect(spec(infra)).toMatchObject({
      interval: '1h30m0s',
      timeout: '1m30s',
      retryInterval: '1m0s',
      force: true,
      targetNamespace: 'infra-ns',
      suspend: true,
      wait: true,
      prune: false,
    });
    expect(spec(apps)).toMatchObject({
      wait: false,
      dependsOn: [{ name: 'extras-infra' }],
      postBuild: {
        substitute: { CLUSTER: 'prod' },
        substituteFrom: [
          { kind: 'ConfigMap', name: 'vars' },
          { kind: 'Secret', name: 'creds', optional: true },
        ],
      },
    });
    expect(spec(objects.find((o) => o.kind === 'GitRepository')).suspend).toBe(true);
  });
});
