// npm run sandbox: starts its own API server, prints the export line and commands that work, stops on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';
import { buildCli, type BuiltCli } from '../helpers/built.js';
import { cluster } from '../helpers/cluster.js';

describe.skipIf(!cluster)('npm run sandbox', () => {
  let cli: BuiltCli;
  beforeAll(async () => {
    cli = await buildCli('sandbox');
  }, 60_000);
  afterAll(() => cli?.remove());

  it(
    'prints KUBECONFIG and three commands that work against it; SIGINT stops it and removes its files',
    { timeout: 120_000 },
    async () => {
      const sandbox = spawn(
        process.execPath,
        [path.join(repoRoot, 'node_modules/vite-node/vite-node.mjs'), 'scripts/sandbox.ts'],
        { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      sandbox.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      sandbox.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => sandbox.on('exit', (code) => resolve(code)));
      try {
        const deadline = Date.now() + 90_000;
        while (!/Ctrl-C stops it/.test(stderr)) {
          if (sandbox.exitCode !== null) throw new Error(`the sandbox exited early:\n${stderr}`);
          if (Date.now() > deadline) throw new Error(`no export line within 90s:\n${stdout}\n${stderr}`);
          await new Promise((r) => setTimeout(r, 200));
        }
        const kubeconfig = /^export KUBECONFIG=(\S+)$/m.exec(stdout)![1]!;
        expect(existsSync(kubeconfig)).toBe(true);
        // The printed lines, run as printed, with the alias replaced by a fluxcfg on PATH.
        const commands = stdout
          .split('\n')
          .filter((l) => !l.startsWith('alias '))
          .join('\n');
        const r = spawnSync('bash', ['-e', '-c', commands], {
          env: { ...process.env, PATH: `${cli.binDir}:${process.env.PATH}`, CI: 'true' },
          encoding: 'utf8',
        });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/"name": "cluster-config"/);
        expect(r.stdout).toMatch(/cluster-config +cluster-config +cluster +Succeeded +Pending/);
        expect(r.stdout).toMatch(/apps +\.\/apps\/staging +infra/);

        sandbox.kill('SIGINT');
        expect(await exited).toBe(0);
        expect(stderr).toMatch(/SIGINT: stopping the API server/);
        expect(existsSync(path.dirname(kubeconfig))).toBe(false);
      } finally {
        if (sandbox.exitCode === null) sandbox.kill('SIGINT');
      }
    },
  );
});
