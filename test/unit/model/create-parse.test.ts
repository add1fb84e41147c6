import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { b64, create, createOpts, files, fixture } from './helpers.js';

const HTTPS = ['-n', 'cfg', '-u', 'https://github.com/org/repo', '--branch', 'main'];
const SSH = ['-n', 'cfg', '-u', 'git@github.com:org/repo', '--branch', 'main'];

const CA_PEM = readFileSync(new URL('../../fixtures/pem/ca.crt', import.meta.url), 'utf8').trim();

describe('-k/--kustomization', () => {
  it('keeps every occurrence apart, in every spelling commander accepts', () => {
    const opts = createOpts([
      ...HTTPS,
      '-k',
      'name=a',
      'path=./a',
      '--kustomization',
      'name=b',
      '-kname=c',
      '--kustomization=name=d',
    ]);
    expect(opts.kustomization).toEqual([['name=a', 'path=./a'], ['name=b'], ['name=c'], ['name=d']]);
  });

  it('does not take the value of another flag for a -k occurrence', () => {
    const opts = createOpts([...HTTPS, '--https-user', '-k', '--https-key', 'x']);
    expect(opts.httpsUser).toBe('-k');
    expect(opts.kustomization).toBeUndefined();
  });

  it('accepts all az key spellings and the fluxcfg extras', () => {
    const { config, warnings } = create([
      ...HTTPS,
      '-k',
      'name=infra',
      'path=./infra',
      'interval=5m',
      'timeout=1h2m5s',
      'retryInterval=90s',
      'prune=true',
      'force=True',
      '-k',
      'name=apps',
      'depends_on=[infra, "db"]',
      'sync_interval=1h',
      'retry_interval=30s',
      'disable-health-check=true',
      'target_namespace=apps',
      'substitute.CLUSTER=prod',
      'substitute.REGION=eu=west',
      'substitute_from=ConfigMap/vars,Secret/creds?',
      '-k',
      'name=db',
      'syncInterval=2m',
      'dependencies=infra',
      'disable_health_check=false',
      'validation=client',
      '-k',
      'name=mon',
      'depends=infra,db',
      'wait=false',
      'substituteFrom=secret/x',
    ]);
    expect(config.kustomizations).toEqual({
      infra: {
        name: 'infra',
        path: './infra',
        dependsOn: [],
        syncIntervalInSeconds: 300,
        timeoutInSeconds: 3725,
        retryIntervalInSeconds: 90,
        prune: true,
        force: true,
        wait: true,
      },
      apps: {
        name: 'apps',
        path: '',
        dependsOn: ['infra', 'db'],
        syncIntervalInSeconds: 3600,
        timeoutInSeconds: 600,
        retryIntervalInSeconds: 30,
        prune: false,
        force: false,
        wait: false,
        targetNamespace: 'apps',
        postBuild: {
          substitute: { CLUSTER: 'prod', REGION: 'eu=west' },
          substituteFrom: [
            { kind: 'ConfigMap', name: 'vars' },
            { kind: 'Secret', name: 'creds', optional: true },
          ],
        },
      },
      db: {
        name: 'db',
        path: '',
        dependsOn: ['infra'],
        syncIntervalInSeconds: 120,
        timeoutInSeconds: 600,
        prune: false,
        force: false,
        wait: true,
      },
      mon: {
        name: 'mon',
        path: '',
        dependsOn: ['infra', 'db'],
        syncIntervalInSeconds: 600,
        timeoutInSeconds: 600,
        prune: false,
        force: false,
        wait: false,
        postBuild: { substituteFrom: [{ kind: 'Secret', name: 'x' }] },
      },
    });
    expect(warnings).toEqual(["Warning! Unknown kustomization key 'validation' ignored"]);
  });

  it('prune=false is false (az turns any non-empty string into true)', () => {
    const { config } = create([...HTTPS, '-k', 'name=a', 'prune=false', 'force=FALSE']);
    expect(config.kustomizations.a).toMatchObject({ prune: false, force: false });
  });

  it('without -k: az warning and kustomization-1 with the model defaults', () => {
    const { config, warnings } = create(HTTPS);
    expect(warnings).toEqual([
      "Warning! No kustomizations were specified for this configuration. A kustomization will be generated with the default name 'kustomization-1'.",
    ]);
    expect(config.kustomizations).toEqual({
      'kustomization-1': {
        name: 'kustomization-1',
        path: '',
        dependsOn: [],
        timeoutInSeconds: 600,
        syncIntervalInSeconds: 600,
        prune: false,
        force: false,
        wait: true,
      },
    });
  });
});

describe('flux create parsing', () => {
  it('defaults: scope cluster, namespace default, kind git, suspend false, source 10m/10m', () => {
    const { config } = create(HTTPS);
    expect(config).toMatchObject({
      name: 'cfg',
      namespace: 'default',
      scope: 'cluster',
      sourceKind: 'GitRepository',
      suspend: false,
    });
    expect(config.gitRepository).toEqual({
      url: 'https://github.com/org/repo',
      repositoryRef: { branch: 'main' },
      timeoutInSeconds: 600,
      syncIntervalInSeconds: 600,
    });
  });

  it('flags and aliases: -s, --ns, --sync-interval, --local-ref, --suspend alone', () => {
    const { config } = create([
      ...HTTPS,
      '-s',
      'namespace',
      '--ns',
      'team-a',
      '--sync-interval',
      '1m',
      '--timeout',
      '2m',
      '--local-ref',
      'creds',
      '--suspend',
    ]);
    expect(config).toMatchObject({ scope: 'namespace', namespace: 'team-a', suspend: true });
    expect(config.gitRepository).toMatchObject({
      syncIntervalInSeconds: 60,
      timeoutInSeconds: 120,
      localAuthRef: 'creds',
    });
  });

  it('--suspend false and --interval', () => {
    const { config } = create([...HTTPS, '--suspend', 'false', '--interval', '1h']);
    expect(config.suspend).toBe(false);
    expect(config.gitRepository?.syncIntervalInSeconds).toBe(3600);
  });

  it('https: user in the configuration, key raw in the protected settings, CA file stripped and base64', () => {
    const { config, protectedSettings } = create(
      [...HTTPS, '--https-user', 'bot', '--https-key', 'p@ss', '--https-ca-cert-file', 'ca.pem'],
      files({ 'ca.pem': `\n${CA_PEM}\n\n` }),
    );
    expect(config.gitRepository).toMatchObject({ httpsUser: 'bot', httpsCACert: b64(CA_PEM) });
    expect(protectedSettings).toEqual({ httpsKey: 'p@ss' });
    expect(JSON.stringify(config)).not.toContain('p@ss');
  });

  it('ssh: inline base64 key decoded to raw text, known hosts kept as base64', () => {
    const key = fixture('id_test_ed25519');
    const kh = fixture('known_hosts');
    const { config, protectedSettings } = create([...SSH, '--ssh-private-key', b64(key), '--known-hosts', b64(kh)]);
    expect(protectedSettings.sshPrivateKey).toBe(key);
    expect(config.gitRepository?.sshKnownHosts).toBe(b64(kh));
    expect(JSON.stringify(config)).not.toContain('PRIVATE');
  });

  it('ssh: key file read as text (trailing newline kept), known hosts file stripped', () => {
    const key = fixture('id_test_rsa_pem');
    const { config, protectedSettings } = create(
      [...SSH, '--ssh-private-key-file', 'id', '--known-hosts-file', 'kh'],
      files({ id: key, kh: `# comment\n\n${fixture('known_hosts')}\n` }),
    );
    expect(protectedSettings.sshPrivateKey).toBe(key);
    expect(Buffer.from(config.gitRepository!.sshKnownHosts!, 'base64').toString()).toBe(
      `# comment\n\n${fixture('known_hosts').trim()}`,
    );
  });

  it('bucket: flags to the block, secret key protected, insecure false by default', () => {
    const { config, protectedSettings } = create([
      '-n',
      'b',
      '--kind',
      'bucket',
      '-u',
      'http://minio:9000',
      '--bucket-name',
      'manifests',
      '--bucket-access-key',
      'AK',
      '--bucket-secret-key',
      'SK',
    ]);
    expect(config.sourceKind).toBe('Bucket');
    expect(config.bucket).toEqual({
      url: 'http://minio:9000',
      bucketName: 'manifests',
      insecure: false,
      accessKey: 'AK',
      timeoutInSeconds: 600,
      syncIntervalInSeconds: 600,
    });
    expect(protectedSettings).toEqual({ bucketSecretKey: 'SK' });
  });

  it('--bucket-insecure false with kind git is not "given" (az truthiness)', () => {
    expect(create([...HTTPS, '--bucket-insecure', 'false']).config.sourceKind).toBe('GitRepository');
  });

  it('azblob: service principal with certificate, secrets kept out of the configuration', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n';
    const { config, protectedSettings } = create([
      '-n',
      'blob',
      '--kind',
      'azblob',
      '-u',
      'https://acct.blob.core.windows.net',
      '--container-name',
      'cfg',
      '--sp-client-id',
      'cid',
      '--sp-tenant-id',
      'tid',
      '--sp-client-cert',
      b64(pem),
      '--sp-cert-password',
      'pw',
      '--sp-cert-send-chain',
    ]);
    expect(config.azureBlob).toEqual({
      url: 'https://acct.blob.core.windows.net',
      containerName: 'cfg',
      timeoutInSeconds: 600,
      syncIntervalInSeconds: 600,
      servicePrincipal: { clientId: 'cid', tenantId: 'tid', clientCertificateSendChain: true },
    });
    expect(protectedSettings).toEqual({ spClientCertificate: pem, spClientCertificatePassword: 'pw' });
  });

  it('azblob: managed identity', () => {
    const { config } = create([
      '-n',
      'blob',
      '--kind',
      'azblob',
      '-u',
      'https://acct.blob.core.windows.net',
      '--container-name',
      'cfg',
      '--mi-client-id',
      'mi',
    ]);
    expect(config.azureBlob?.managedIdentity).toEqual({ clientId: 'mi' });
  });

  it('oci: refs, layer selector, workload identity, verification', () => {
    const { config } = create([
      '-n',
      'o',
      '--kind',
      'oci',
      '-u',
      'oci://ghcr.io/org/manifests',
      '--semver',
      '>=1.0.0',
      '--oci-media-type',
      'application/vnd.cncf.flux.content.v1.tar+gzip',
      '--oci-operation',
      'copy',
      '--use-workload-identity',
      '--service-account-name',
      'puller',
      '--oci-insecure',
      'true',
      '--verification-provider',
      'cosign',
      '--match-oidc-identity',
      '{"issuer":"^https://token.actions.githubusercontent.com$","subject":"^https://github.com/org/.*$"}',
      '--verification-config',
      'cosign.pub=AAAA',
    ]);
    expect(config.ociRepository).toEqual({
      url: 'oci://ghcr.io/org/manifests',
      timeoutInSeconds: 600,
      syncIntervalInSeconds: 600,
      repositoryRef: { semver: '>=1.0.0' },
      layerSelector: { mediaType: 'application/vnd.cncf.flux.content.v1.tar+gzip', operation: 'copy' },
      insecure: true,
      useWorkloadIdentity: true,
      serviceAccountName: 'puller',
      verify: {
        provider: 'cosign',
        matchOidcIdentity: [
          { issuer: '^https://token.actions.githubusercontent.com$', subject: '^https://github.com/org/.*$' },
        ],
        verificationConfig: { 'cosign.pub': 'AAAA' },
      },
    });
  });
});
