import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { KubeClient } from '../../src/k8s/client.js';
import type { HttpRequest, Transport } from '../../src/k8s/transport.js';
import { quietLogger, runCli } from '../helpers/cli.js';

/** An API server that answers nothing: every request is recorded (and fails, so a leak is loud). */
function countingTransport(): Transport & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    server: 'https://counting:6443',
    requests,
    async send(req) {
      requests.push(req);
      return { status: 404, headers: {}, body: JSON.stringify({ kind: 'Status', reason: 'NotFound', message: 'no' }) };
    },
    close() {},
  };
}

const flux = ['k8s-configuration', 'flux'];
const create = [...flux, 'create', '-n', 'cfg', '--namespace', 'ns'];
const git = ['-u', 'https://example.com/repo', '--branch', 'main'];
const update = [...flux, 'update', '-n', 'cfg'];
const kcreate = [...flux, 'kustomization', 'create', '-n', 'cfg'];
const kupdate = [...flux, 'kustomization', 'update', '-n', 'cfg'];
const kdelete = [...flux, 'kustomization', 'delete', '-n', 'cfg', '--yes'];

/** [argv, the error line az prints (or a part of commander's)] */
const badInputs: [string, string[], string][] = [
  ['create --interval 5x', [...create, ...git, '--interval', '5x'], 'error: Error! Invalid --sync-interval.'],
  ['create bad -k', [...create, ...git, '-k', 'name=a', 'prune=maybe'], "invalid choice: 'maybe'"],
  [
    'create missing --url',
    [...create, '--branch', 'main'],
    "error: Error! Required properties ['--url'] were not specified for kind 'git'",
  ],
  [
    'create --https-user alone',
    [...create, ...git, '--https-user', 'bob'],
    'error: Error! --https-user and --https-key cannot be used separately',
  ],
  ['update --interval 5x', [...update, '--interval', '5x'], 'error: Error! Invalid --sync-interval.'],
  ['update bad -k', [...update, '-k', 'name=a', 'prune=maybe'], "invalid choice: 'maybe'"],
  [
    'update key and key file',
    [...update, '--ssh-private-key', 'eA==', '--ssh-private-key-file', '/x'],
    'error: Error! Both textual key and key filepath cannot be provided',
  ],
  [
    'update --kind oci --branch',
    [...update, '--kind', 'oci', '--branch', 'main'],
    "error: Error! Invalid properties ['--branch'] were specified for kind 'oci'",
  ],
  ['update --kind svn', [...update, '--kind', 'svn'], "option '--kind <kind>' argument 'svn' is invalid"],
  [
    'delete --timeout 5x',
    [...flux, 'delete', '-n', 'cfg', '--yes', '--timeout', '5x'],
    'error: Error! Invalid --timeout.',
  ],
  ['delete --force maybe', [...flux, 'delete', '-n', 'cfg', '--yes', '--force', 'maybe'], "invalid choice: 'maybe'"],
  [
    'kustomization create --interval 5x',
    [...kcreate, '-k', 'app', '--interval', '5x'],
    'error: Error! Invalid --sync-interval.',
  ],
  ['kustomization create bad name', [...kcreate, '-k', 'Bad_Name'], 'error: Error! Invalid --kustomization-name'],
  ['kustomization create --prune maybe', [...kcreate, '-k', 'app', '--prune', 'maybe'], "invalid choice: 'maybe'"],
  [
    'kustomization update --timeout 5x',
    [...kupdate, '-k', 'app', '--timeout', '5x'],
    'error: Error! Invalid --timeout.',
  ],
  ['kustomization update --substitute x', [...kupdate, '-k', 'app', '--substitute', 'novalue'], 'error:'],
  ['kustomization delete without -k', kdelete, "required option '-k, --kustomization-name <name>' not specified"],
  [
    'kustomization delete -k ""',
    [...kdelete, '-k', ''],
    "required option '-k, --kustomization-name <name>' not specified",
  ],
  ['kustomization delete unknown flag', [...kdelete, '-k', 'app', '--prune-all'], "unknown option '--prune-all'"],
];

describe('a bad flag on a write verb exits 2 before any API request', () => {
  it.each(badInputs)('%s (cluster available)', async (_name, argv, message) => {
    const t = countingTransport();
    const r = await runCli(argv, { connect: async () => new KubeClient(t, quietLogger(), 'ctx') });
    expect(r.stderr).toContain(message);
    expect(r.exitCode).toBe(2);
    expect(t.requests).toEqual([]);
    expect(r.stdout).toBe('');
  });

  it.each(badInputs)('%s (--kubeconfig /nonexistent)', async (_name, argv, message) => {
    const r = await runCli([...argv, '--kubeconfig', '/nonexistent']);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('kubeconfig');
    expect(r.exitCode).toBe(2);
  });

  it('the same verbs with good flags do reach the cluster (the counter counts)', async () => {
    const t = countingTransport();
    const r = await runCli([...update, '--interval', '5m'], {
      connect: async () => new KubeClient(t, quietLogger(), 'ctx'),
    });
    expect(r.exitCode).not.toBe(2);
    expect(t.requests.length).toBeGreaterThan(0);
  });
});

describe('flux create --export honours -o', () => {
  const exportArgs = [...create, ...git, '--export', '--kubeconfig', '/nonexistent'];

  it('alone prints multi-document YAML', async () => {
    const r = await runCli(exportArgs);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^---\napiVersion: v1\nkind: Namespace\n/);
    expect(r.stdout).toContain('kind: GitRepository');
  });

  it('-o yaml prints the same YAML documents', async () => {
    const plain = await runCli(exportArgs);
    const r = await runCli([...exportArgs, '-o', 'yaml']);
    expect(r.stdout).toBe(plain.stdout);
  });

  it('-o json prints a JSON list of the objects', async () => {
    const r = await runCli([...exportArgs, '-o', 'json']);
    expect(r.exitCode).toBe(0);
    const list = JSON.parse(r.stdout) as { kind: string; metadata: { name: string } }[];
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((o) => o.kind)).toEqual([
      'Namespace',
      'ServiceAccount',
      'ClusterRoleBinding',
      'GitRepository',
      'Kustomization',
    ]);
    const docs = yaml.loadAll((await runCli(exportArgs)).stdout).filter(Boolean);
    expect(list).toEqual(JSON.parse(JSON.stringify(docs)));
  });

  it('--query picks from the objects', async () => {
    const r = await runCli([...exportArgs, '--query', '[].kind', '-o', 'tsv']);
    expect(r.stdout).toBe('Namespace\nServiceAccount\nClusterRoleBinding\nGitRepository\nKustomization\n');
  });
});

describe('flux create --dry-run on a cluster without Flux', () => {
  /** An API server with the built-in kinds only: lists are empty, the Flux groups are not served. */
  function noFlux(): Transport & { requests: HttpRequest[] } {
    const requests: HttpRequest[] = [];
    const groups: Record<string, { name: string; kind: string; namespaced: boolean }[]> = {
      '/api/v1': [
        { name: 'namespaces', kind: 'Namespace', namespaced: false },
        { name: 'pods', kind: 'Pod', namespaced: true },
      ],
      '/apis/apps/v1': [{ name: 'deployments', kind: 'Deployment', namespaced: true }],
      '/apis/apiextensions.k8s.io/v1': [
        { name: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false },
      ],
    };
    const reply = (status: number, body: unknown) => ({ status, headers: {}, body: JSON.stringify(body) });
    return {
      server: 'https://no-flux:6443',
      requests,
      async send(req) {
        requests.push(req);
        const path = req.path.split('?')[0]!;
        if (req.method !== 'GET') return reply(500, { message: `unexpected ${req.method}` });
        if (path in groups) return reply(200, { resources: groups[path] });
        const plurals = Object.values(groups)
          .flat()
          .map((r) => r.name);
        if (plurals.includes(path.split('/').at(-1)!)) return reply(200, { items: [] });
        return reply(404, { kind: 'Status', reason: 'NotFound', message: 'not found' });
      },
      close() {},
    };
  }

  it('refuses instead of installing Flux, and writes nothing', async () => {
    const t = noFlux();
    const r = await runCli([...create, ...git, '--dry-run', '--no-validate'], {
      connect: async () => new KubeClient(t, quietLogger(), 'ctx'),
    });
    expect(r.stderr).toContain(
      "error: 'Microsoft.Flux' extension not found on the cluster; a --dry-run does not install it",
    );
    expect(r.exitCode).toBe(1);
    expect(t.requests.filter((q) => q.method !== 'GET')).toEqual([]);
  });
});
