// The hostile review suite, part B: bad inputs across every verb. Each one must exit with the right code, print
// exactly one `error:` line and a `hint:` line, write nothing, and - for a parse error (exit 2) - send no request
// at all (counted through the transport). The number of inputs tried is stated in the README (checked below).
import { generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/k8s/client.js';
import type { HttpRequest, Transport } from '../../src/k8s/transport.js';
import { quietLogger, runCli } from '../helpers/cli.js';

const RESOURCES: Record<string, [string, string, boolean][]> = {
  '/api/v1': [
    ['namespaces', 'Namespace', false],
    ['secrets', 'Secret', true],
    ['configmaps', 'ConfigMap', true],
    ['serviceaccounts', 'ServiceAccount', true],
  ],
  '/apis/source.toolkit.fluxcd.io/v1': [
    ['gitrepositories', 'GitRepository', true],
    ['buckets', 'Bucket', true],
    ['helmrepositories', 'HelmRepository', true],
    ['helmcharts', 'HelmChart', true],
    ['ocirepositories', 'OCIRepository', true],
  ],
  '/apis/source.toolkit.fluxcd.io/v1beta2': [['ocirepositories', 'OCIRepository', true]],
  '/apis/kustomize.toolkit.fluxcd.io/v1': [['kustomizations', 'Kustomization', true]],
  '/apis/helm.toolkit.fluxcd.io/v2': [['helmreleases', 'HelmRelease', true]],
  '/apis/rbac.authorization.k8s.io/v1': [
    ['rolebindings', 'RoleBinding', true],
    ['clusterrolebindings', 'ClusterRoleBinding', false],
  ],
  '/apis/apps/v1': [['deployments', 'Deployment', true]],
  '/apis/apiextensions.k8s.io/v1': [['customresourcedefinitions', 'CustomResourceDefinition', false]],
};

/**
 * An API server where the Flux kinds exist and no object does: discovery answers, lists are empty, everything
 * else is 404. Every request is recorded.
 */
function countingTransport(): Transport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  const json = (status: number, body: unknown) => ({ status, headers: {}, body: JSON.stringify(body) });
  return {
    server: 'https://counting:6443',
    requests,
    async send(req) {
      requests.push(req);
      const p = req.path.split('?')[0]!;
      const resources = RESOURCES[p];
      if (req.method === 'GET' && resources)
        return json(200, { resources: resources.map(([name, kind, namespaced]) => ({ name, kind, namespaced })) });
      const plural = p.split('/').at(-1)!;
      const isList = Object.values(RESOURCES).some((list) => list.some(([name]) => name === plural));
      if (req.method === 'GET' && isList) return json(200, { items: [] });
      return json(404, { kind: 'Status', reason: 'NotFound', message: 'no' });
    },
    close() {},
  };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-bad-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const b64 = (s: string) => Buffer.from(s).toString('base64');
const encryptedPem = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const plainPem = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
const legacyEncryptedPem = generateKeyPairSync('rsa', {
  modulusLength: 1024,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
}).privateKey;
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret-pass', '-f', path.join(dir, 'openssh-enc')]);
const opensshEncrypted = path.join(dir, 'openssh-enc');
const garbagePem = '-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n';
const realCert = readFileSync(path.resolve(import.meta.dirname, '../fixtures/pem/tls.crt'), 'utf8');
const validateDir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-bad-validate-'));

const flux = ['k8s-configuration', 'flux'];
const create = [...flux, 'create', '-n', 'cfg', '--namespace', 'ns'];
const git = ['-u', 'https://example.com/repo'];
const gitb = [...git, '--branch', 'main'];
const ssh = ['-u', 'ssh://git@example.com/org/repo', '--branch', 'main'];
const bucket = ['--kind', 'bucket', '-u', 'https://s3.example.com', '--local-auth-ref', 'creds'];
const azblob = ['--kind', 'azblob', '-u', 'https://acct.blob.core.windows.net', '--mi-client-id', 'mi'];
const oci = ['--kind', 'oci', '-u', 'oci://ghcr.io/org/manifests'];
const update = [...flux, 'update', '-n', 'cfg'];
const kcreate = [...flux, 'kustomization', 'create', '-n', 'cfg'];
const kupdate = [...flux, 'kustomization', 'update', '-n', 'cfg'];
const kdelete = [...flux, 'kustomization', 'delete', '-n', 'cfg', '--yes'];
const kshow = [...flux, 'kustomization', 'show', '-n', 'cfg'];
const klist = [...flux, 'kustomization', 'list'];
const dlist = [...flux, 'deployed-object', 'list'];
const dshow = [...flux, 'deployed-object', 'show', '-n', 'cfg'];
const obj = ['--object-name', 'app', '--object-namespace', 'ns', '--object-kind', 'HelmRelease'];
const validate = [...flux, 'validate', '--path', validateDir];
const ext = ['k8s-extension'];
const ecreate = [...ext, 'create', '-n', 'flux', '--extension-type', 'microsoft.flux'];
const eupdate = [...ext, 'update', '-n', 'flux'];

const INVALID_URL = 'error: Error! Invalid --url.';
const CHOICE = 'is invalid. Allowed choices are';

/** [what, argv, exit code, a part of the error line] */
type Case = [string, string[], number, string];
export const cases: Case[] = [
  // names that end up in label selectors and request paths
  ['create -n Bad_Name', [...flux, 'create', '-n', 'Bad_Name', ...gitb], 2, 'error: Error! Invalid --name'],
  ['create -n with a comma', [...flux, 'create', '-n', 'a,b', ...gitb], 2, 'error: Error! Invalid --name'],
  ['create --name=-x', [...flux, 'create', '--name=-x', ...gitb], 2, 'error: Error! Invalid --name'],
  ['create -n 64 chars', [...flux, 'create', '-n', 'a'.repeat(64), ...gitb], 2, 'error: Error! Invalid --name'],
  [
    'create --namespace Bad_NS',
    [...flux, 'create', '-n', 'cfg', '--namespace', 'Bad_NS', ...gitb],
    2,
    'error: Error! Invalid --namespace',
  ],
  [
    'create --namespace a.b',
    [...flux, 'create', '-n', 'cfg', '--namespace', 'a.b', ...gitb],
    2,
    'error: Error! Invalid --namespace',
  ],
  [
    'create --namespace --scope cluster',
    [...flux, 'create', '-n', 'cfg', '--namespace', '--scope', 'cluster', ...gitb],
    2,
    'error: argument --namespace: expected one argument',
  ],
  [
    'create -n --namespace ns',
    [...flux, 'create', '-n', '--namespace', 'ns', ...gitb],
    2,
    'error: argument -n: expected one argument',
  ],
  ['create -u --branch main', [...create, '-u', '--branch', 'main'], 2, 'error: argument -u: expected one argument'],
  ['show -n Bad_Name', [...flux, 'show', '-n', 'Bad_Name'], 2, 'error: Error! Invalid --name'],
  ['show -n a,b (selector injection)', [...flux, 'show', '-n', 'a,b'], 2, 'error: Error! Invalid --name'],
  ['show -n x!=y', [...flux, 'show', '-n', 'x!=y'], 2, 'error: Error! Invalid --name'],
  ['show -n a=b', [...flux, 'show', '-n', 'a=b'], 2, 'error: Error! Invalid --name'],
  [
    'show --namespace Bad_NS',
    [...flux, 'show', '-n', 'cfg', '--namespace', 'Bad_NS'],
    2,
    'error: Error! Invalid --namespace',
  ],
  [
    'show --namespace ../x',
    [...flux, 'show', '-n', 'cfg', '--namespace', '../x'],
    2,
    'error: Error! Invalid --namespace',
  ],
  ['delete -n a,b', [...flux, 'delete', '-n', 'a,b', '--yes'], 2, 'error: Error! Invalid --name'],
  ['delete -n Bad', [...flux, 'delete', '-n', 'Bad', '--yes'], 2, 'error: Error! Invalid --name'],
  ['delete -n "a b"', [...flux, 'delete', '-n', 'a b', '--yes'], 2, 'error: Error! Invalid --name'],
  [
    'delete --namespace Bad',
    [...flux, 'delete', '-n', 'cfg', '--namespace', 'Bad', '--yes'],
    2,
    'error: Error! Invalid --namespace',
  ],
  ['list --namespace Bad_NS', [...flux, 'list', '--namespace', 'Bad_NS'], 2, 'error: Error! Invalid --namespace'],
  ['list --namespace a/b', [...flux, 'list', '--namespace', 'a/b'], 2, 'error: Error! Invalid --namespace'],
  ['list --ns --debug', [...flux, 'list', '--ns', '--debug'], 2, 'error: argument --ns: expected one argument'],
  ['update -n Bad', [...flux, 'update', '-n', 'Bad', '--interval', '5m'], 2, 'error: Error! Invalid --name'],
  [
    'update --namespace Bad_NS',
    [...update, '--namespace', 'Bad_NS', '--interval', '5m'],
    2,
    'error: Error! Invalid --namespace',
  ],
  [
    'kustomization create -n a,b',
    [...flux, 'kustomization', 'create', '-n', 'a,b', '-k', 'app'],
    2,
    'error: Error! Invalid --name',
  ],
  ['kustomization create -k Bad', [...kcreate, '-k', 'Bad'], 2, 'error: Error! Invalid --kustomization-name'],
  ['kustomization show -k Bad_K', [...kshow, '-k', 'Bad_K'], 2, 'error: Error! Invalid --kustomization-name'],
  [
    'kustomization show -n a,b',
    [...flux, 'kustomization', 'show', '-n', 'a,b', '-k', 'app'],
    2,
    'error: Error! Invalid --name',
  ],
  [
    'kustomization delete -n a,b',
    [...flux, 'kustomization', 'delete', '-n', 'a,b', '-k', 'app', '--yes'],
    2,
    'error: Error! Invalid --name',
  ],
  ['kustomization list -n a,b', [...klist, '-n', 'a,b'], 2, 'error: Error! Invalid --name'],
  [
    'kustomization list --namespace Bad',
    [...klist, '-n', 'cfg', '--namespace', 'Bad'],
    2,
    'error: Error! Invalid --namespace',
  ],
  ['deployed-object list -n a,b', [...dlist, '-n', 'a,b'], 2, 'error: Error! Invalid --name'],
  [
    'deployed-object show --object-name Bad_Name',
    [...dshow, ...obj.slice(2), '--object-name', 'Bad_Name'],
    2,
    'error: Error! Invalid --object-name',
  ],
  [
    'deployed-object show --object-namespace Bad',
    [...dshow, '--object-name', 'app', '--object-kind', 'HelmRelease', '--object-namespace', 'Bad'],
    2,
    'error: Error! Invalid --object-namespace',
  ],
  [
    'deployed-object show --object-kind Deployment',
    [...dshow, '--object-name', 'app', '--object-namespace', 'ns', '--object-kind', 'Deployment'],
    2,
    CHOICE,
  ],
  // durations
  ['create --interval 0s', [...create, ...gitb, '--interval', '0s'], 2, 'error: Error! Invalid --sync-interval.'],
  [
    'create --interval 0h0m0s',
    [...create, ...gitb, '--interval', '0h0m0s'],
    2,
    'error: Error! Invalid --sync-interval.',
  ],
  [
    'create --interval overflowing',
    [...create, ...gitb, '--interval', '99999999999999999999h'],
    2,
    'error: Error! Invalid --sync-interval.',
  ],
  ['create --timeout 0s', [...create, ...gitb, '--timeout', '0s'], 2, 'error: Error! Invalid --timeout.'],
  ['create --timeout 25d in hours', [...create, ...gitb, '--timeout', '600h'], 2, 'error: Error! Invalid --timeout.'],
  ['create -k timeout=0s', [...create, ...gitb, '-k', 'name=a', 'timeout=0s'], 2, 'error: Error! Invalid timeout.'],
  [
    'create -k sync_interval=0m',
    [...create, ...gitb, '-k', 'name=a', 'sync_interval=0m'],
    2,
    'error: Error! Invalid sync-interval.',
  ],
  [
    'create -k retry_interval overflowing',
    [...create, ...gitb, '-k', 'name=a', 'retry_interval=9999999999s'],
    2,
    'error: Error! Invalid retry-interval.',
  ],
  [
    'create --wait-timeout 0s',
    [...create, ...gitb, '--wait-timeout', '0s'],
    2,
    'error: Error! Invalid --wait-timeout.',
  ],
  [
    'create --wait-timeout forever',
    [...create, ...gitb, '--wait-timeout', 'forever'],
    2,
    'error: Error! Invalid --wait-timeout.',
  ],
  ['update --interval 0s', [...update, '--interval', '0s'], 2, 'error: Error! Invalid --sync-interval.'],
  ['update --timeout overflowing', [...update, '--timeout', '99999999999m'], 2, 'error: Error! Invalid --timeout.'],
  [
    'delete --timeout 0s',
    [...flux, 'delete', '-n', 'cfg', '--yes', '--timeout', '0s'],
    2,
    'error: Error! Invalid --timeout.',
  ],
  [
    'kustomization create --interval 0s',
    [...kcreate, '-k', 'app', '--interval', '0s'],
    2,
    'error: Error! Invalid --sync-interval.',
  ],
  [
    'kustomization update --retry-interval 0s',
    [...kupdate, '-k', 'app', '--retry-interval', '0s'],
    2,
    'error: Error! Invalid --retry-interval.',
  ],
  [
    '--request-timeout soon',
    [...flux, 'list', '--request-timeout', 'soon'],
    2,
    "error: invalid --request-timeout value 'soon'",
  ],
  [
    '--request-timeout -1',
    [...flux, 'list', '--request-timeout', '-1'],
    2,
    "error: invalid --request-timeout value '-1'",
  ],
  [
    '--request-timeout 1d',
    [...flux, 'list', '--request-timeout', '1d'],
    2,
    "error: invalid --request-timeout value '1d'",
  ],
  [
    '--request-timeout overflowing',
    [...flux, 'list', '--request-timeout', '99999999999'],
    2,
    'error: invalid --request-timeout value',
  ],
  [
    'extension create --wait-timeout 0s',
    [...ecreate, '--wait-timeout', '0s'],
    2,
    'error: Error! Invalid --wait-timeout.',
  ],
  [
    'extension delete --wait-timeout 0s',
    [...ext, 'delete', '-n', 'flux', '--yes', '--wait-timeout', '0s'],
    2,
    'error: Error! Invalid --wait-timeout.',
  ],
  // kustomization paths escaping the source
  [
    'create -k path=../x',
    [...create, ...gitb, '-k', 'name=a', 'path=../x'],
    2,
    "error: Error! Invalid path '../x': it contains '..'",
  ],
  [
    'create -k path=/etc',
    [...create, ...gitb, '-k', 'name=a', 'path=/etc'],
    2,
    "error: Error! Invalid path '/etc': it is absolute",
  ],
  ['create -k path=a/../../b', [...create, ...gitb, '-k', 'name=a', 'path=a/../../b'], 2, "it contains '..'"],
  ['create -k path=./..', [...create, ...gitb, '-k', 'name=a', 'path=./..'], 2, "it contains '..'"],
  ['create -k path=C:\\x', [...create, ...gitb, '-k', 'name=a', 'path=C:\\x'], 2, 'it is absolute'],
  [
    'create -k path with a newline',
    [...create, ...gitb, '-k', 'name=a', 'path=./a\nb'],
    2,
    'it contains a control character',
  ],
  ['update -k path=../../etc', [...update, '-k', 'name=a', 'path=../../etc'], 2, "it contains '..'"],
  [
    'kustomization create --path ../x',
    [...kcreate, '-k', 'app', '--path', '../x'],
    2,
    "error: Error! Invalid --path '../x'",
  ],
  ['kustomization create --path /abs', [...kcreate, '-k', 'app', '--path', '/abs'], 2, 'it is absolute'],
  ['kustomization update --path ../../x', [...kupdate, '-k', 'app', '--path', '../../x'], 2, "it contains '..'"],
  // URLs
  [
    'create url with user:password',
    [...create, '-u', 'https://bob:hunter2@example.com/repo', '--branch', 'main'],
    2,
    'error: Error! Invalid --url: credentials in the url are not accepted',
  ],
  [
    'create url with a token user',
    [...create, '-u', 'https://ghp_tok3n@example.com/repo', '--branch', 'main'],
    2,
    'credentials in the url',
  ],
  [
    'update url with user:password',
    [...update, '-u', 'https://bob:hunter2@example.com/repo'],
    2,
    'credentials in the url',
  ],
  [
    'bucket url with user:password',
    [
      ...create,
      ...bucket.slice(0, 2),
      '-u',
      'https://AK:SK@s3.example.com',
      '--bucket-name',
      'bkt',
      '--local-auth-ref',
      'c',
    ],
    2,
    'credentials in the url',
  ],
  ['create url with a space', [...create, '-u', 'https://example.com/my repo', '--branch', 'main'], 2, INVALID_URL],
  [
    'create url with a newline',
    [...create, '-u', 'https://example.com/repo\n--upload-pack=touch /tmp/x', '--branch', 'main'],
    2,
    INVALID_URL,
  ],
  ['create url with a tab', [...create, '-u', 'https://example.com/\trepo', '--branch', 'main'], 2, INVALID_URL],
  [
    'create scp url with an option host',
    [...create, '-u', 'git@-oProxyCommand=x:repo', '--branch', 'main'],
    2,
    INVALID_URL,
  ],
  [
    'create ssh url with an option host',
    [...create, '-u', 'ssh://-oProxyCommand=x/repo', '--branch', 'main'],
    2,
    INVALID_URL,
  ],
  ['create ssh url with an empty host', [...create, '-u', 'ssh:///repo', '--branch', 'main'], 2, INVALID_URL],
  ['create url of another scheme', [...create, '-u', 'file:///etc', '--branch', 'main'], 2, INVALID_URL],
  ['oci url with a space', [...create, '--kind', 'oci', '-u', 'oci://ghcr.io/a b', '--tag', 'v1'], 2, INVALID_URL],
  // refs, commits, tags, semver, digests
  [
    'create --branch=--orphan',
    [...create, ...git, '--branch=--orphan'],
    2,
    "error: Error! Invalid --branch '--orphan'",
  ],
  ['create --branch a..b', [...create, ...git, '--branch', 'a..b'], 2, "error: Error! Invalid --branch 'a..b'"],
  ['create --branch "a b"', [...create, ...git, '--branch', 'a b'], 2, 'error: Error! Invalid --branch'],
  ['create --branch a:b', [...create, ...git, '--branch', 'a:b'], 2, 'error: Error! Invalid --branch'],
  ['create --branch x.lock', [...create, ...git, '--branch', 'x.lock'], 2, 'error: Error! Invalid --branch'],
  ['create --tag=-v1', [...create, ...git, '--tag=-v1'], 2, "error: Error! Invalid --tag '-v1'"],
  ['create --tag v1^', [...create, ...git, '--tag', 'v1^'], 2, 'error: Error! Invalid --tag'],
  [
    'create --commit=--orphan=x',
    [...create, ...git, '--commit=--orphan=x'],
    2,
    "error: Error! Invalid --commit '--orphan=x'",
  ],
  ['create --commit xyz', [...create, ...git, '--commit', 'xyz'], 2, "error: Error! Invalid --commit 'xyz'"],
  ['create --commit too short', [...create, ...git, '--commit', 'abc'], 2, 'error: Error! Invalid --commit'],
  ['update --commit=-x', [...update, '--commit=-x'], 2, 'error: Error! Invalid --commit'],
  ['update --branch=-b', [...update, '--branch=-b'], 2, 'error: Error! Invalid --branch'],
  [
    'create --semver "not a range"',
    [...create, ...git, '--semver', 'not a range'],
    2,
    "error: Error! Invalid --semver 'not a range'",
  ],
  ['create --semver=-1', [...create, ...git, '--semver=-1'], 2, 'error: Error! Invalid --semver'],
  ['create --semver >=', [...create, ...git, '--semver', '>='], 2, 'error: Error! Invalid --semver'],
  ['oci --semver latest', [...create, ...oci, '--semver', 'latest'], 2, 'error: Error! Invalid --semver'],
  [
    'oci --digest sha256:abc',
    [...create, ...oci, '--digest', 'sha256:abc'],
    2,
    "error: Error! Invalid --digest 'sha256:abc'",
  ],
  ['oci --digest md5', [...create, ...oci, '--digest', `md5:${'a'.repeat(32)}`], 2, 'error: Error! Invalid --digest'],
  [
    'oci --digest upper-case hex',
    [...create, ...oci, '--digest', `sha256:${'A'.repeat(64)}`],
    2,
    'error: Error! Invalid --digest',
  ],
  ['oci --tag=-x', [...create, ...oci, '--tag=-x'], 2, 'error: Error! Invalid --tag'],
  // bucket and container names
  [
    'bucket --bucket-name Bad_Bucket',
    [...create, ...bucket, '--bucket-name', 'Bad_Bucket'],
    2,
    "error: Error! Invalid --bucket-name 'Bad_Bucket'",
  ],
  ['bucket --bucket-name ab', [...create, ...bucket, '--bucket-name', 'ab'], 2, 'error: Error! Invalid --bucket-name'],
  [
    'bucket --bucket-name an IP',
    [...create, ...bucket, '--bucket-name', '192.168.1.1'],
    2,
    'formatted as an IP address',
  ],
  [
    'bucket --bucket-name a..b',
    [...create, ...bucket, '--bucket-name', 'a..b'],
    2,
    'error: Error! Invalid --bucket-name',
  ],
  ['bucket --bucket-name=-bkt', [...create, ...bucket, '--bucket-name=-bkt'], 2, 'error: Error! Invalid --bucket-name'],
  [
    'bucket --bucket-name 64 chars',
    [...create, ...bucket, '--bucket-name', 'b'.repeat(64)],
    2,
    'error: Error! Invalid --bucket-name',
  ],
  [
    'azblob --container-name Bad',
    [...create, ...azblob, '--container-name', 'Bad'],
    2,
    "error: Error! Invalid --container-name 'Bad'",
  ],
  [
    'azblob --container-name a--b',
    [...create, ...azblob, '--container-name', 'a--b'],
    2,
    'error: Error! Invalid --container-name',
  ],
  [
    '--local-auth-ref Bad_Ref',
    [...create, ...gitb, '--local-auth-ref', 'Bad_Ref'],
    2,
    "error: Error! Invalid --local-auth-ref 'Bad_Ref'",
  ],
  [
    'oci --service-account-name Bad',
    [...create, ...oci, '--tag', 'v1', '--service-account-name', 'Bad'],
    2,
    'error: Error! Invalid --service-account-name',
  ],
  // keys, certificates, known_hosts
  [
    '--https-ca-cert garbage base64',
    [...create, ...gitb, '--https-ca-cert', b64('garbage')],
    2,
    'error: Error! --https-ca-cert is not a base64-encoded PEM certificate',
  ],
  [
    '--https-ca-cert a PEM with garbage inside',
    [...create, ...gitb, '--https-ca-cert', '!!!'],
    2,
    'error: Error! --https-ca-cert is not a base64-encoded PEM certificate',
  ],
  [
    '--https-ca-cert-file missing',
    [...create, ...gitb, '--https-ca-cert-file', path.join(dir, 'nope')],
    1,
    'error: Error! Unable to read key file',
  ],
  ['--known-hosts not base64', [...create, ...ssh, '--known-hosts', 'not base64!'], 2, 'error: Error! ssh known_hosts'],
  [
    '--known-hosts garbage line',
    [...create, ...ssh, '--known-hosts', b64('garbage line\n')],
    2,
    'error: Error! ssh known_hosts provided in wrong format',
  ],
  [
    '--known-hosts-file garbage',
    [...create, ...ssh, '--known-hosts-file', file('kh', 'example.com ssh-rsa\n')],
    2,
    'error: Error! ssh known_hosts provided in wrong format',
  ],
  [
    '--ssh-private-key garbage',
    [...create, ...ssh, '--ssh-private-key', b64('garbage')],
    2,
    'error: Error! --ssh-private-key provided in invalid format',
  ],
  [
    '--ssh-private-key garbage PEM',
    [
      ...create,
      ...ssh,
      '--ssh-private-key',
      b64('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n'),
    ],
    2,
    'error: Error! --ssh-private-key provided in invalid format',
  ],
  [
    '--ssh-private-key PKCS#8 with a passphrase',
    [...create, ...ssh, '--ssh-private-key', b64(encryptedPem)],
    2,
    'error: Error! --ssh-private-key is protected by a passphrase',
  ],
  [
    '--ssh-private-key-file PKCS#1 with a passphrase',
    [...create, ...ssh, '--ssh-private-key-file', file('enc.pem', legacyEncryptedPem)],
    2,
    'is protected by a passphrase',
  ],
  [
    '--ssh-private-key-file OpenSSH with a passphrase',
    [...create, ...ssh, '--ssh-private-key-file', opensshEncrypted],
    2,
    'is protected by a passphrase',
  ],
  [
    '--ssh-private-key-file missing',
    [...create, ...ssh, '--ssh-private-key-file', path.join(dir, 'nope')],
    1,
    'error: Error! Unable to read key file',
  ],
  [
    '--ssh-private-key-file empty',
    [...create, ...ssh, '--ssh-private-key-file', file('empty', '')],
    1,
    'does not contain any data',
  ],
  [
    'oci --tls-ca-certificate garbage',
    [...create, ...oci, '--tag', 'v1', '--tls-ca-certificate', b64('x')],
    2,
    'error: Error! --tls-ca-certificate is not a base64-encoded PEM certificate',
  ],
  [
    'oci --tls-client-certificate garbage PEM',
    [...create, ...oci, '--tag', 'v1', '--tls-client-certificate', b64(garbagePem), '--tls-private-key', b64(plainPem)],
    2,
    'error: Error! --tls-client-certificate is not a base64-encoded PEM',
  ],
  [
    'oci --tls-private-key garbage',
    [...create, ...oci, '--tag', 'v1', '--tls-client-certificate', b64(realCert), '--tls-private-key', b64('nope')],
    2,
    'error: Error! --tls-private-key is not a base64-encoded PEM private key',
  ],
  [
    'oci --tls-private-key with a passphrase',
    [
      ...create,
      ...oci,
      '--tag',
      'v1',
      '--tls-client-certificate',
      b64(realCert),
      '--tls-private-key',
      b64(encryptedPem),
    ],
    2,
    'is protected by a passphrase',
  ],
  [
    'update --https-ca-cert garbage',
    [...update, '--https-ca-cert', b64('x')],
    2,
    'error: Error! --https-ca-cert is not a base64-encoded PEM certificate',
  ],
  [
    'update --ssh-private-key garbage',
    [...update, '--ssh-private-key', b64('garbage')],
    2,
    'error: Error! --ssh-private-key provided in invalid format',
  ],
  // secret -file flags
  [
    '--https-key and --https-key-file',
    [...create, ...gitb, '--https-user', 'u', '--https-key', 'k', '--https-key-file', file('k', 'k')],
    2,
    'error: Error! Both textual key and key filepath cannot be provided',
  ],
  [
    '--https-key-file missing',
    [...create, ...gitb, '--https-user', 'u', '--https-key-file', path.join(dir, 'nope')],
    1,
    'error: Error! Unable to read --https-key-file',
  ],
  [
    '--https-key-file empty',
    [...create, ...gitb, '--https-user', 'u', '--https-key-file', file('empty2', '\n')],
    1,
    'does not contain any data',
  ],
  [
    'two flags reading stdin',
    [
      ...create,
      ...bucket.slice(0, 4),
      '--bucket-name',
      'bkt',
      '--bucket-access-key',
      'a',
      '--bucket-secret-key-file',
      '-',
      '--sas-token-file',
      '-',
    ],
    2,
    "error: only one flag can read stdin ('-')",
  ],
  [
    '--sas-token and --sas-token-file',
    [
      ...create,
      ...azblob.slice(0, 4),
      '--container-name',
      'cfg',
      '--sas-token',
      't',
      '--sas-token-file',
      file('t', 't'),
    ],
    2,
    'error: Error! Both textual key and key filepath',
  ],
  // enums and booleans
  ['create --kind svn', [...create, ...gitb, '--kind', 'svn'], 2, CHOICE],
  ['create --scope galaxy', [...create, ...gitb, '--scope', 'galaxy'], 2, CHOICE],
  ['create --provider aws', [...create, ...gitb, '--provider', 'aws'], 2, CHOICE],
  ['create --suspend maybe', [...create, ...gitb, '--suspend', 'maybe'], 2, "invalid choice: 'maybe'"],
  ['create -k prune=maybe', [...create, ...gitb, '-k', 'name=a', 'prune=maybe'], 2, "invalid choice: 'maybe'"],
  ['create -k without name', [...create, ...gitb, '-k', 'path=./x'], 2, "required values {'name'} not found"],
  ['create -k token without =', [...create, ...gitb, '-k', 'name=a', 'prune'], 2, 'error:'],
  ['create -k unknown dependency', [...create, ...gitb, '-k', 'name=a', 'dependsOn=["b"]'], 2, "depends on 'b'"],
  [
    'create -k substitute_from=Pod/x',
    [...create, ...gitb, '-k', 'name=a', 'substitute_from=Pod/x'],
    2,
    'error: Error! Invalid substitute_from',
  ],
  [
    'create -k target_namespace=Bad',
    [...create, ...gitb, '-k', 'name=a', 'target_namespace=Bad'],
    2,
    'error: Error! Invalid target_namespace',
  ],
  ['create unknown flag', [...create, ...gitb, '--frobnicate'], 2, "unknown option '--frobnicate'"],
  ['create -o xml', [...create, ...gitb, '-o', 'xml'], 2, CHOICE],
  [
    'kustomization create --target-namespace Bad',
    [...kcreate, '-k', 'app', '--target-namespace', 'Bad'],
    2,
    'error: Error! Invalid --target-namespace',
  ],
  ['kustomization create --prune maybe', [...kcreate, '-k', 'app', '--prune', 'maybe'], 2, "invalid choice: 'maybe'"],
  ['validate --scope galaxy', [...validate, '--scope', 'galaxy'], 2, CHOICE],
  ['validate --multi-tenancy maybe', [...validate, '--multi-tenancy', 'maybe'], 2, CHOICE],
  ['validate --namespace Bad_NS', [...validate, '--namespace', 'Bad_NS'], 2, 'error:'],
  ['validate --path missing', [...flux, 'validate', '--path', path.join(dir, 'nope')], 2, 'is not a directory'],
  // the extension
  [
    'extension create --extension-type other',
    [...ext, 'create', '-n', 'flux', '--extension-type', 'microsoft.dapr'],
    2,
    "error: extension type 'microsoft.dapr' is not supported",
  ],
  [
    'extension create -n "a b"',
    [...ext, 'create', '-n', 'a b', '--extension-type', 'microsoft.flux'],
    2,
    "error: invalid extension name 'a b'",
  ],
  [
    'extension create -n a,b',
    [...ext, 'create', '-n', 'a,b', '--extension-type', 'microsoft.flux'],
    2,
    "error: invalid extension name 'a,b'",
  ],
  [
    'extension create -n Flux_',
    [...ext, 'create', '-n', 'Flux_', '--extension-type', 'microsoft.flux'],
    2,
    "error: invalid extension name 'Flux_'",
  ],
  ['extension create --scope galaxy', [...ecreate, '--scope', 'galaxy'], 2, CHOICE],
  [
    'extension create --scope namespace',
    [...ecreate, '--scope', 'Namespace'],
    2,
    'can only be installed at cluster scope',
  ],
  [
    'extension create --release-namespace other',
    [...ecreate, '--release-namespace', 'other'],
    2,
    "--release-namespace 'other' is not supported",
  ],
  [
    'extension create version pin with auto-upgrade',
    [...ecreate, '--version', '1.23.0', '--auto-upgrade-minor-version', 'true', '--config', 'bogus=1'],
    2,
    "error: To pin to specific version, auto-upgrade-minor-version must be set to 'false'.",
  ],
  [
    'extension update version pin with auto-upgrade',
    [...eupdate, '--version', '1.23.0', '--auto-upgrade', 'true'],
    2,
    'To pin to specific version',
  ],
  [
    'extension create --config without =',
    [...ecreate, '--config', 'novalue'],
    2,
    'error: Usage error: --configuration-settings',
  ],
  [
    'extension create --export --dry-run',
    [...ecreate, '--export', '--dry-run'],
    2,
    'error: --export and --dry-run cannot be used together',
  ],
  ['extension show -n "a b"', [...ext, 'show', '-n', 'a b'], 2, 'error: invalid extension name'],
  ['extension update -n a,b', [...ext, 'update', '-n', 'a,b', '--config', 'x=1'], 2, 'error: invalid extension name'],
  ['extension delete -n x/y', [...ext, 'delete', '-n', 'x/y', '--yes'], 2, 'error: invalid extension name'],
  // cluster selection and globals
  [
    '-c naming no context',
    [
      ...flux,
      'list',
      '-c',
      'prod',
      '--kubeconfig',
      file(
        'kc',
        'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: dev, context: {cluster: c, user: u}}]\ncurrent-context: dev\n',
      ),
    ],
    1,
    'error: --cluster-name prod names no context',
  ],
  [
    '--context unknown',
    [...flux, 'list', '--context', 'nope', '--kubeconfig', path.join(dir, 'kc')],
    1,
    'error: context "nope" is not in',
  ],
  [
    'kubeconfig credential plugin fails',
    [
      ...flux,
      'list',
      '--kubeconfig',
      file(
        'kc-exec',
        'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\n' +
          'users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: sh, ' +
          'args: ["-c", "echo token expired, run az login >&2; exit 1"]}}}]\n' +
          'contexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n',
      ),
    ],
    1,
    'error: the kubeconfig credential plugin of user "u" (sh) failed: token expired, run az login',
  ],
  // found missing after the one read (a request, no write)
  ['show of a missing configuration', [...flux, 'show', '-n', 'ghost'], 3, 'error:'],
  ['kustomization show on a missing configuration', [...kshow, '-k', 'app'], 3, 'error:'],
  ['kustomization update on a missing configuration', [...kupdate, '-k', 'app', '--prune', 'true'], 3, 'error:'],
  ['kustomization delete on a missing configuration', [...kdelete, '-k', 'app'], 3, 'error:'],
  ['deployed-object show on a missing configuration', [...dshow, ...obj], 3, 'error:'],
];

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('hostile inputs: one error line, a hint, the exit code, no write, no request for a parse error', () => {
  it.each(cases)('%s', async (_what, argv, code, message) => {
    const t = countingTransport();
    // with --kubeconfig the real kubeconfig loading is what is tested
    const connect = argv.includes('--kubeconfig') ? undefined : async () => new KubeClient(t, quietLogger(), 'ctx');
    const r = await runCli(argv, { connect });
    expect(r.stderr).toContain(message);
    expect(r.exitCode, r.stderr).toBe(code);
    const lines = r.stderr.split('\n');
    expect(lines.filter((l) => l.startsWith('error:'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('hint:'))).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(t.requests.filter((q) => WRITE.has(q.method))).toEqual([]);
    if (code === 2) expect(t.requests).toEqual([]);
  });

  it('a password in a url is never echoed', async () => {
    const r = await runCli([...create, '-u', 'https://bob:hunter2@example.com/repo', '--branch', 'main']);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stderr).toMatch(/hint: .*--https-user and --https-key-file/);
  });

  it('a protected setting value is never echoed in a validation error', async () => {
    const r = await runCli([
      ...ecreate,
      '--config-protected',
      'kustomize-controller.concurrent=s3cr3t-value',
      '--export',
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      "invalid value (protected value, not shown) for configuration setting 'kustomize-controller.concurrent'",
    );
    expect(r.stderr).not.toContain('s3cr3t-value');
  });

  it('enum values are case-insensitive, as in az', async () => {
    const r = await runCli([...create, ...gitb, '--kind', 'GIT', '--scope', 'Cluster', '--export', '--no-validate']);
    expect(r.stderr).not.toContain('error:');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('kind: GitRepository');
  });

  it('secret -file flags replace the inline flags (also from stdin with -)', async () => {
    const key = file('https-key', 'from-a-file\n');
    const r = await runCli([
      ...create,
      ...gitb,
      '--https-user',
      'u',
      '--https-key-file',
      key,
      '--export',
      '--export-secrets',
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`password: (from-a-file|${b64('from-a-file')})\n`));
  });

  it('validate --path skips a FIFO with a warning instead of hanging on it', async () => {
    const fifoDir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-fifo-'));
    writeFileSync(
      path.join(fifoDir, 'ok.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: default\n',
    );
    execFileSync('mkfifo', [path.join(fifoDir, 'pipe.yaml')]);
    const r = await runCli([...flux, 'validate', '--path', fifoDir]);
    expect(r.exitCode).toBe(0);
    const findings = JSON.parse(r.stdout) as { rule: string; severity: string; file: string; message: string }[];
    expect(findings).toContainEqual(
      expect.objectContaining({
        rule: 'not-a-regular-file',
        severity: 'warning',
        file: 'pipe.yaml',
        message: 'skipped: pipe.yaml is a FIFO, not a regular file',
      }),
    );
  });

  it('the README states the number of bad inputs this suite tries', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const stated = /Hostile review suite[\s\S]*?(\d+) bad inputs/.exec(readme)?.[1];
    expect(Number(stated)).toBe(cases.length);
    expect(cases.length).toBeGreaterThanOrEqual(120);
  });
});
