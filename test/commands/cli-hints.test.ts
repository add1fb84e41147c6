import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { KubeClient, MissingKindError } from '../../src/k8s/client.js';
import type { Transport } from '../../src/k8s/transport.js';
import { reportError } from '../../src/main.js';
import { Logger } from '../../src/ui/log.js';
import { quietLogger, runCli } from '../helpers/cli.js';

/** An API server that serves only the core group: no Flux CRDs. */
const noFlux: Transport = {
  server: 'https://fake:6443',
  async send(req) {
    if (req.path.startsWith('/api/v1') && req.method === 'GET' && req.path.split('?')[0] === '/api/v1')
      return { status: 200, headers: {}, body: JSON.stringify({ resources: [] }) };
    const status = { kind: 'Status', reason: 'NotFound', message: 'not found', code: 404 };
    return { status: 404, headers: {}, body: JSON.stringify(status) };
  },
  close() {},
};

function report(err: unknown): { stderr: string; code: number } {
  let stderr = '';
  const io = {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s) },
    stdinIsTTY: false,
    env: {},
  };
  const code = reportError(err, new Logger(io.stderr, 'warn', new Chalk({ level: 0 })), io);
  return { stderr, code };
}

describe('hints worded by the CLI layer', () => {
  it('a Flux kind that is not served: the hint names the command that installs Flux', () => {
    const err = new MissingKindError('source.toolkit.fluxcd.io/v1', 'GitRepository');
    expect(err.fluxKind).toBe(true);
    expect(report(err)).toEqual({
      code: 1,
      stderr:
        'error: the cluster has no GitRepository resource (source.toolkit.fluxcd.io/v1): ' +
        'its CustomResourceDefinition is not installed\n' +
        'hint: Flux is not installed: run fluxcfg k8s-extension create --extension-type microsoft.flux -n flux\n',
    });
  });

  it('another kind keeps the hint of the client', () => {
    const err = new MissingKindError('example.fluxcfg.io/v1', 'Widget');
    expect(err.fluxKind).toBe(false);
    expect(report(err).stderr).toContain(
      'hint: install the CustomResourceDefinition that serves Widget in example.fluxcfg.io/v1\n',
    );
  });

  it('a flux verb on a cluster without Flux prints that hint', async () => {
    const r = await runCli(['k8s-configuration', 'flux', 'show', '-n', 'cfg', '--namespace', 'ns'], {
      connect: async () => new KubeClient(noFlux, quietLogger(), 'fake'),
    });
    expect(r.stderr).toContain(
      'hint: Flux is not installed: run fluxcfg k8s-extension create --extension-type microsoft.flux -n flux\n',
    );
    expect(r.exitCode).toBe(1);
  });
});
