// Secrets never leak: full runs (create with a real clone, show, list, update, delete) with secrets given through
// the -file flags, under --debug; every output stream, the argv of every child process, the temp dir and the
// non-Secret objects stored are searched for the secret values. The README records the count (leaks found: 0).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec as realExec, type Exec } from '../../src/exec.js';
import type { KubeClient } from '../../src/k8s/client.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { client, cluster, requireCluster, uniqueName } from '../helpers/cluster.js';
import { startGitServer, type GitServer } from '../helpers/git-server.js';

const HTTPS_KEY = 'leak-canary-https-7f3a9c';
const HTTPS_KEY_2 = 'leak-canary-rotated-51be20';
const BUCKET_SECRET = 'leak-canary-bucket-c0ffee';

/** Every file under dir, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe.skipIf(!cluster)(
  'secrets given as -file flags never appear in output, child argv, temp files or objects',
  () => {
    let kube: KubeClient;
    let server: GitServer;
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-leak-'));
    const savedTmp = process.env.TMPDIR;
    const childArgv: string[][] = [];
    const recordingExec: Exec = async (file, args, options) => {
      childArgv.push([file, ...args]);
      return realExec(file, args, options);
    };
    const file = (name: string, text: string) => {
      const p = path.join(tmp, 'in', name);
      writeFileSync(p, text);
      return p;
    };
    const outputs: [string, CliResult][] = [];
    const cli = async (what: string, args: string[]) => {
      const r = await runCli([...args, '--kubeconfig', requireCluster().kubeconfig, '--context', 'admin', '--debug'], {
        exec: recordingExec,
      });
      outputs.push([what, r]);
      return r;
    };

    beforeAll(async () => {
      kube = await client('admin');
      server = await startGitServer(
        { 'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' },
        {
          auth: { username: 'ci-bot', password: HTTPS_KEY },
        },
      );
      mkdirSync(path.join(tmp, 'in'));
      mkdirSync(path.join(tmp, 'run'));
      process.env.TMPDIR = path.join(tmp, 'run'); // where git's credentials go during the clone
    });
    afterAll(async () => {
      process.env.TMPDIR = savedTmp;
      kube?.close();
      await server?.stop();
      rmSync(tmp, { recursive: true, force: true });
    });

    it('a full lifecycle leaks nothing', async () => {
      const ns = uniqueName('leak');
      const name = uniqueName('git');
      const bucketName = uniqueName('bkt');
      const base = ['k8s-configuration', 'flux'];
      const created = await cli('create', [
        ...base,
        'create',
        '-n',
        name,
        '--namespace',
        ns,
        '-u',
        server.url,
        '--branch',
        'main',
        '--https-user',
        'ci-bot',
        '--https-key-file',
        file('key', `${HTTPS_KEY}\n`),
        '-k',
        'name=apps',
        'path=./apps',
      ]);
      expect(created.exitCode, created.stderr).toBe(0);
      expect(server.authorizations.length).toBeGreaterThan(0); // the clone really used the key
      await cli('show', [...base, 'show', '-n', name, '--namespace', ns]);
      await cli('list yaml', [...base, 'list', '--namespace', ns, '-o', 'yaml']);
      const updated = await cli('update', [
        ...base,
        'update',
        '-n',
        name,
        '--namespace',
        ns,
        '--https-key-file',
        file('key2', HTTPS_KEY_2),
        '--no-validate',
      ]);
      expect(updated.exitCode, updated.stderr).toBe(0);
      const bucket = await cli('bucket create', [
        ...base,
        'create',
        '-n',
        bucketName,
        '--namespace',
        ns,
        '--kind',
        'bucket',
        '-u',
        'https://s3.example.com',
        '--bucket-name',
        'manifests',
        '--bucket-access-key',
        'AKIA',
        '--bucket-secret-key-file',
        file('bs', BUCKET_SECRET),
      ]);
      expect(bucket.exitCode, bucket.stderr).toBe(0);
      const exported = await cli('export', [
        ...base,
        'create',
        '-n',
        'exp',
        '--namespace',
        ns,
        '-u',
        server.url,
        '--branch',
        'main',
        '--https-user',
        'u',
        '--https-key-file',
        file('key3', HTTPS_KEY),
        '--export',
      ]);
      expect(exported.exitCode).toBe(0);

      const stored = [
        ...(await kube.list('source.toolkit.fluxcd.io/v1', 'GitRepository', { namespace: ns })),
        ...(await kube.list('source.toolkit.fluxcd.io/v1', 'Bucket', { namespace: ns })),
        ...(await kube.list('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', { namespace: ns })),
        ...(await kube.list('v1', 'ConfigMap', { namespace: ns })),
      ];
      const secrets = [HTTPS_KEY, HTTPS_KEY_2, BUCKET_SECRET];
      const places: [string, string][] = [
        ...outputs.flatMap(([what, r]): [string, string][] => [
          [`${what} stdout`, r.stdout],
          [`${what} stderr`, r.stderr],
        ]),
        ...childArgv.map((argv): [string, string] => [`argv of ${argv[0]}`, argv.join(' ')]),
        ...filesUnder(path.join(tmp, 'run')).map((f): [string, string] => [
          `temp file ${f}`,
          readFileSync(f, 'latin1'),
        ]),
        ...stored.map((o): [string, string] => [`${o.kind} ${o.metadata.name}`, JSON.stringify(o)]),
      ];
      const leaks = places.flatMap(([where, text]) =>
        secrets
          .filter((s) => text.includes(s) || text.includes(Buffer.from(s).toString('base64')))
          .map((s) => `${s} in ${where}`),
      );
      expect(childArgv.length).toBeGreaterThan(0);
      expect(filesUnder(path.join(tmp, 'run'))).toEqual([]); // the clone's credentials are gone too
      expect(leaks).toEqual([]);
      expect(places.length).toBeGreaterThan(15);
      const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
      expect(readme).toMatch(/Hostile review suite[\s\S]*leaks found: 0/);
      // the Secret does hold the rotated key: it went where it belongs
      const secret = await kube.get({ apiVersion: 'v1', kind: 'Secret', namespace: ns, name: `git-auth-${name}` });
      expect(JSON.stringify(secret)).toMatch(
        new RegExp(`${Buffer.from(HTTPS_KEY_2).toString('base64')}|${HTTPS_KEY_2}`),
      );
    });
  },
);
