import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import type { Deps, GlobalOptions } from '../../../src/deps.js';
import { NotFoundError, UserError } from '../../../src/errors.js';
import { runFleet } from '../../../src/fleet/run.js';
import { KubeClient } from '../../../src/k8s/client.js';
import type { Transport } from '../../../src/k8s/transport.js';
import type { Io } from '../../../src/ui/io.js';
import { makePrompter } from '../../../src/ui/prompt.js';
import { quietLogger } from '../../helpers/cli.js';

/** A cluster that accepts the request and never answers (a blackholed address). */
const silent: Transport = { server: 'https://10.255.255.1:6443', send: () => new Promise(() => undefined), close() {} };
const answering: Transport = {
  server: 'https://ok:6443',
  send: async () => ({ status: 200, headers: {}, body: '{"major":"1","minor":"30","gitVersion":"v1.30.0"}' }),
  close() {},
};

function setup(contexts: string[], transports: Record<string, Transport>) {
  let stderr = '';
  const io: Io = {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s) },
    stdinIsTTY: false,
    env: { CI: 'true' },
  };
  const globals = { output: 'json', yes: false, color: false } as GlobalOptions;
  const base = { io, log: quietLogger(), globals, prompt: makePrompter(io, false), exec: undefined } as unknown as Deps;
  const root = new Command('fluxcfg');
  const cmd = new Command('show');
  root.addCommand(new Command('k8s-configuration').addCommand(new Command('flux').addCommand(cmd)));
  const connect = async (sel: { context?: string }) =>
    new KubeClient(transports[sel.context!]!, quietLogger(), sel.context!);
  const fleet = (o: { failFast?: boolean; maxParallel?: number } = {}) => ({
    contexts,
    maxParallel: o.maxParallel ?? 8,
    failFast: o.failFast ?? false,
    connectTimeoutMs: 200,
  });
  return { base, cmd, connect, fleet, stderr: () => stderr };
}

describe('runFleet', () => {
  it('a cluster that does not answer fails alone within the connect timeout; the worst exit code wins', async () => {
    const s = setup(['a', 'quiet', 'gone'], { a: answering, quiet: silent, gone: answering });
    const spec = {
      name: 'show',
      description: '',
      parse: () => ({}),
      run: async (_o: unknown, deps: Deps) => {
        const kube = await deps.kube();
        if (kube.contextName === 'gone') throw new NotFoundError('not here');
        return { on: kube.contextName };
      },
    };
    const started = Date.now();
    const r = await runFleet(spec, {}, s.base, s.fleet(), s.cmd, s.connect);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.result).toEqual([
      { context: 'a', status: 'Succeeded', result: { on: 'a' }, error: null },
      {
        context: 'quiet',
        status: 'Failed',
        result: null,
        error: 'the API server https://10.255.255.1:6443 (context "quiet") did not answer within 0.2s',
      },
      { context: 'gone', status: 'Failed', result: null, error: 'not here' },
    ]);
    expect(r.exitCode).toBe(1); // an error is worse than a missing object (3)
  });

  it('--fail-fast with --max-parallel 1 starts nothing after the first failure', async () => {
    const s = setup(['a', 'b', 'c'], { a: answering, b: answering, c: answering });
    const ran: string[] = [];
    const spec = {
      name: 'show',
      description: '',
      parse: () => ({}),
      run: async (_o: unknown, deps: Deps) => {
        ran.push(deps.globals.context!);
        throw new UserError('boom');
      },
    };
    const r = await runFleet(spec, {}, s.base, s.fleet({ failFast: true, maxParallel: 1 }), s.cmd, s.connect);
    expect(ran).toEqual(['a']);
    expect(r.result.map((e) => e.error)).toEqual([
      'boom',
      'not started: --fail-fast stopped the fleet after "a" failed',
      'not started: --fail-fast stopped the fleet after "a" failed',
    ]);
  });
});
