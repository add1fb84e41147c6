import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { examples, exampleLine, commandPath } from '../../src/commands/examples.js';
import { buildProgram } from '../../src/commands/index.js';
import type { AnyVerb, Flags } from '../../src/commands/verb.js';
import { UserError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';

/** Leaf commands (verbs) of the real program, by path. */
function verbPaths(cmd: Command, into: string[] = []): string[] {
  if (cmd.commands.length === 0 && cmd.parent) into.push(commandPath(cmd));
  for (const sub of cmd.commands) verbPaths(sub, into);
  return into;
}

/** Parses argv through the real program; the verb's pure parse runs, nothing else. Throws on any usage error. */
async function parseOnly(argv: readonly string[]): Promise<{ verb: string; options: unknown }> {
  let seen: { verb: string; options: unknown } | undefined;
  // built as main builds it: only the verb argv names is loaded
  const program = await buildProgram(async (spec: AnyVerb, flags: Flags, cmd: Command) => {
    seen = { verb: commandPath(cmd), options: spec.parse(flags) };
  }, argv);
  const quiet = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    c.commands.forEach(quiet);
  };
  quiet(program);
  await program.parseAsync([...argv], { from: 'user' });
  if (!seen) throw new Error(`no verb ran for ${argv.join(' ')}`);
  return seen;
}

const verbs = verbPaths(await buildProgram(async () => undefined, 'all'));

describe('the program main builds', () => {
  it('holds only the path to the verb a command line names; every command when a word on the way names none', async () => {
    const show = await buildProgram(async () => undefined, ['--debug', 'k8s-configuration', 'flux', 'show', '-n', 'x']);
    expect(verbPaths(show)).toEqual(['k8s-configuration flux show']);
    // a misspelt group keeps the whole tree (its siblings are what "did you mean" offers)
    const typo = await buildProgram(async () => undefined, ['k8s-configuration', 'flux', 'kustomisation', 'list']);
    expect(verbPaths(typo)).toEqual(verbs);
    expect(verbPaths(await buildProgram(async () => undefined, ['k8s-configuration', 'flux']))).toEqual(verbs);
  });
});

describe('examples in --help', () => {
  it('every verb has 2 to 4 examples, and every example key is a verb', () => {
    expect(verbs.length).toBeGreaterThanOrEqual(19);
    for (const verb of verbs) {
      expect(examples[verb], verb).toBeDefined();
      expect(examples[verb]!.length, verb).toBeGreaterThanOrEqual(2);
      expect(examples[verb]!.length, verb).toBeLessThanOrEqual(4);
    }
    expect(Object.keys(examples).sort()).toEqual([...verbs].sort());
  });

  for (const [verb, list] of Object.entries(examples))
    for (const example of list)
      it(`parses: ${example.argv.join(' ')}`, async () => {
        expect(example.argv.join(' ').startsWith(`${verb} `) || example.argv.join(' ') === verb).toBe(true);
        const parsed = await parseOnly(example.argv);
        expect(parsed.verb).toBe(verb);
      });

  it('the parse-only harness fails on a bad example (unknown flag, bad enum value, no git reference)', async () => {
    await expect(
      parseOnly(['k8s-configuration', 'flux', 'create', '-n', 'x', '--sync-intervall', '1m']),
    ).rejects.toThrow(/unknown option/);
    await expect(parseOnly(['k8s-configuration', 'flux', 'create', '-n', 'x', '--kind', 'svn'])).rejects.toThrow(
      /invalid/,
    );
    await expect(parseOnly(['k8s-extension', 'create', '-n', 'flux'])).rejects.toThrow(/required option/);
  });

  // Run whole: nothing but the missing cluster may stop an example (no usage error, exit 2, on the way there).
  const noCluster = {
    connect: async () => {
      throw new UserError('no cluster in this test');
    },
    exec: (async () => {
      throw new Error('no git or ssh-keyscan in this test');
    }) as never,
    env: { CI: 'true', FLUXCFG_FLUX_RELEASE_BASE_URL: 'http://127.0.0.1:9', XDG_CACHE_HOME: '/nonexistent' },
  };
  for (const [verb, list] of Object.entries(examples))
    for (const example of verb.endsWith(' validate') ? [] : list)
      it(`runs up to the cluster: ${example.argv.join(' ')}`, async () => {
        const r = await runCli(example.argv, noCluster);
        expect(r.stderr).not.toMatch(/hint: run the command with --help/);
        expect(r.exitCode, r.stderr).not.toBe(2);
      });

  it('the tutorial and bucket creates render with --export and no cluster', async () => {
    const creates = examples['k8s-configuration flux create']!;
    for (const example of creates.filter((e) => !e.argv.some((w) => w.startsWith('ssh:')))) {
      const r = await runCli([...example.argv, '--export'], noCluster);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^---\napiVersion: v1\nkind: Namespace\n/);
    }
  });

  it('the help text shows them shell-quoted: bash reads each back as the same argv', async () => {
    for (const list of Object.values(examples))
      for (const example of list) {
        const line = exampleLine(example.argv);
        for (const l of line.split('\n')) expect(l.length).toBeLessThanOrEqual(120);
        const echoed = spawnSync('bash', ['-c', `fluxcfg() { printf '%s\\n' "$@"; }\n${line}`], { encoding: 'utf8' });
        expect(echoed.stdout).toBe(example.argv.map((w) => `${w}\n`).join(''));
      }
  });

  it('--help of a verb ends with its examples', async () => {
    const r = await runCli(['k8s-configuration', 'flux', 'create', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/\nExamples:\n {2}The az tutorial/);
    expect(r.stdout).toContain(`'dependsOn=["infra"]'`);
    expect(r.stdout).toMatch(/A namespace-scoped tenant[^\n]*\n {4}fluxcfg k8s-configuration flux create -n team-a/);
    const ext = await runCli(['k8s-extension', 'create', '--help']);
    expect(ext.stdout).toMatch(
      /Examples:\n[\s\S]*--config helm-controller.enabled=false( \\\n\s+| )kustomize-controller.concurrent=8/,
    );
  });

  it('the verb a command line names is loaded, whatever global flags come first (a value named like a command too)', async () => {
    for (const argv of [
      ['--context', 'completion', 'k8s-extension', 'show', '--help'],
      ['-o', 'table', '--kubeconfig=x', 'k8s-extension', 'help', 'show'],
      ['k8s-configuration', '--only-show-errors', 'flux', 'show', '--help'],
    ]) {
      const r = await runCli(argv);
      expect(r.exitCode, argv.join(' ')).toBe(0);
      expect(r.stdout, argv.join(' ')).toMatch(/-n, --name <name>/); // the verb's own flags: it was loaded
      expect(r.stdout, argv.join(' ')).toContain('Examples:');
    }
    // a group lists its verbs without loading them
    const group = await runCli(['k8s-configuration', 'flux', 'kustomization', '--help']);
    expect(group.stdout).toMatch(/\n {2}create\s+Create a Kustomization in a Flux v2 configuration\n/);
  });

  it('fluxcfg --help names the groups and says what fluxcfg is in one line', async () => {
    const r = await runCli(['--help']);
    expect(r.stdout).toMatch(/^Usage: fluxcfg \[options\] \[command\]\n\n[^\n]+Kubernetes cluster[^\n]+\n\n/);
    expect(r.stdout).toMatch(/\n {2}k8s-extension\s/);
    expect(r.stdout).toMatch(/\n {2}k8s-configuration\s/);
    expect(r.stdout).toMatch(/\n {2}completion\s/);
  });
});

describe('suggestions for mistyped names', () => {
  const cases: [string[], string][] = [
    [['k8s-configuration', 'flux', 'creat'], `error: unknown command 'creat'\n(Did you mean create?)`],
    [['k8s-configuraton'], `error: unknown command 'k8s-configuraton'\n(Did you mean k8s-configuration?)`],
    [['k8s-configuration', 'flux', 'kustomisation', 'list'], '(Did you mean kustomization?)'],
    // a verb's own flag, given after its required one ...
    [
      ['k8s-configuration', 'flux', 'create', '-n', 'x', '--sync-intervall', '5m'],
      `error: unknown option '--sync-intervall'\n(Did you mean --sync-interval?)`,
    ],
    // ... and before it: the typo is reported, not the missing -n
    [
      ['k8s-configuration', 'flux', 'create', '--sync-intervall', '5m'],
      `error: unknown option '--sync-intervall'\n(Did you mean --sync-interval?)`,
    ],
    // the first of two long names (commander only suggests the last)
    [['k8s-configuration', 'flux', 'create', '-n', 'x', '--interva', '5m'], '(Did you mean --interval?)'],
    // a hidden az alias
    [
      ['k8s-extension', 'create', '-n', 'x', '--extension-type', 'microsoft.flux', '--configuration-settings-fil', 'f'],
      '(Did you mean --configuration-settings-file?)',
    ],
    [
      ['k8s-extension', 'create', '-n', 'x', '--extension-type', 'microsoft.flux', '--config-setting', 'a=b'],
      '(Did you mean --config-settings?)',
    ],
    // a global flag given on a verb
    [['k8s-extension', 'list', '--outptu', 'json'], `error: unknown option '--outptu'\n(Did you mean --output?)`],
    [['k8s-configuration', 'flux', 'list', '--kubeconfg', 'x'], '(Did you mean --kubeconfig?)'],
  ];
  for (const [argv, expected] of cases)
    it(argv.join(' '), async () => {
      const r = await runCli(argv);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain(expected);
      expect(r.stderr).toContain('hint: run the command with --help');
      expect(r.stdout).toBe('');
    });

  it('says nothing when no name is close', async () => {
    const r = await runCli(['k8s-extension', 'list', '--zzzzzzzz']);
    expect(r.stderr).toBe(
      "error: unknown option '--zzzzzzzz'\nhint: run the command with --help to see its flags and accepted values\n",
    );
  });
});
