// The completion scripts in real shells: bash (COMP_WORDS + the completion function), zsh (the function with
// compadd stubbed), fish (complete -C), and bash in a tmux pseudo-terminal pressing Tab.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionScript } from '../../src/commands/completion/scripts.js';
import { buildCli, type BuiltCli } from '../helpers/built.js';
import { tmux } from '../helpers/tmux.js';

const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

let cli: BuiltCli;
let dir: string;
beforeAll(async () => {
  cli = await buildCli('shells');
  dir = mkdtempSync(path.join(os.tmpdir(), 'fluxcfg-shells-'));
  for (const shell of ['bash', 'zsh', 'fish'] as const) writeFileSync(path.join(dir, shell), completionScript(shell));
  writeFileSync(path.join(dir, 'kubeconfig.yaml'), '');
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  cli?.remove();
});

const env = () => ({ ...process.env, PATH: `${cli.binDir}:${process.env.PATH}`, HOME: dir, KUBECONFIG: '' });

/** Completes with bash's function for COMP_WORDS = ['fluxcfg', ...words] and the cursor on the last word. */
function bash(...words: string[]): string[] {
  const all = ['fluxcfg', ...words];
  const q = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
  const script = `source ${q(path.join(dir, 'bash'))}
COMP_WORDS=(${all.map(q).join(' ')}); COMP_CWORD=${all.length - 1}
COMP_LINE=${q(all.join(' '))}; COMP_POINT=\${#COMP_LINE}
_fluxcfg_completion
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '-c', script], { cwd: dir, env: env(), encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('bash', () => {
  it('completes verbs, flags and enum values through fluxcfg __complete', () => {
    expect(bash('k8s-configuration', 'flux', 'kus')).toEqual(['kustomization']);
    expect(bash('k8s-configuration', 'flux', 'create', '--sync')).toEqual(['--sync-interval']);
    expect(bash('k8s-configuration', 'flux', 'create', '--kind', '')).toEqual(['git', 'bucket', 'azblob', 'oci']);
    expect(bash('k8s-extension', 'list', '-o', 'ts')).toEqual(['tsv']);
    expect(bash('completion', '')).toEqual(['bash', 'zsh', 'fish', 'powershell']);
  });

  it('--flag=value as bash splits it at COMP_WORDBREAKS', () => {
    expect(bash('k8s-configuration', 'flux', 'create', '--kind', '=', 'b')).toEqual(['bucket']);
    expect(bash('k8s-configuration', 'flux', 'create', '--kind', '=')).toEqual(['git', 'bucket', 'azblob', 'oci']);
    // -k name=infra pa: the earlier pieces are glued back, the value keys still complete
    expect(bash('k8s-configuration', 'flux', 'create', '-k', 'name', '=', 'infra', 'pa')).toEqual(['path=']);
  });

  it('file names for file flags', () => {
    expect(bash('k8s-configuration', 'flux', 'list', '--kubeconfig', 'kube')).toEqual(['kubeconfig.yaml']);
  });
});

describe.skipIf(!has('zsh'))('zsh', () => {
  it('the script is valid zsh', () => {
    const r = spawnSync('zsh', ['-n', path.join(dir, 'zsh')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('the completion function offers what __complete prints (compadd stubbed)', () => {
    const complete = (...words: string[]) => {
      const script = `compdef() { :; }
compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -l -- "$@"; }
_files() { print -- FILES; }
source ${path.join(dir, 'zsh')}
words=(fluxcfg ${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length + 1}
_fluxcfg`;
      const r = spawnSync('zsh', ['-f', '-c', script], { cwd: dir, env: env(), encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(complete('k8s-configuration', 'flux', 'create', '--kind', '')).toEqual(['git', 'bucket', 'azblob', 'oci']);
    expect(complete('k8s-configuration', 'flux', 'create', '--kind=a')).toEqual(['--kind=azblob']);
    expect(complete('k8s-extension', 'list', '--kubeconfig', '')).toEqual(['FILES']);
  });
});

describe.skipIf(!has('fish'))('fish', () => {
  it('the script is valid fish', () => {
    const r = spawnSync('fish', ['-n', path.join(dir, 'fish')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('complete -C offers what __complete prints', () => {
    const complete = (line: string) => {
      const r = spawnSync('fish', ['--no-config', '-c', `source ${path.join(dir, 'fish')}; complete -C '${line}'`], {
        cwd: dir,
        env: env(),
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      return r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]);
    };
    expect(complete('fluxcfg k8s-configuration flux create --kind ')).toEqual(['azblob', 'bucket', 'git', 'oci']);
    expect(complete('fluxcfg k8s-extension list -o t')).toEqual(['table', 'tsv']);
    expect(complete('fluxcfg k8s-configuration fl')).toEqual(['flux']);
  });
});

describe.skipIf(!has('tmux'))('bash at a terminal (tmux)', () => {
  it('Tab completes a verb and a flag value in an interactive bash', { timeout: 60_000 }, async () => {
    const t = await tmux(`bash --norc --noprofile`, { env: { PATH: env().PATH, HOME: dir, PS1: '$ ' } });
    try {
      await t.send(`source ${path.join(dir, 'bash')}`, 'Enter');
      await t.send('fluxcfg k8s-configuration flux cr', 'Tab');
      await t.waitFor(/fluxcfg k8s-configuration flux create$/m); // capture-pane trims the trailing space
      await t.send('--ki', 'Tab');
      await t.waitFor(/flux create --kind$/m);
      await t.send('o', 'Tab');
      await t.waitFor(/fluxcfg k8s-configuration flux create --kind oci$/m);
    } finally {
      await t.kill();
    }
  });
});

describe.skipIf(!has('tmux') || !has('zsh'))('zsh at a terminal (tmux)', () => {
  it('Tab completes a flag and its value with compinit loaded', { timeout: 60_000 }, async () => {
    const t = await tmux('zsh -f', { env: { PATH: env().PATH, HOME: dir } });
    try {
      await t.send(`autoload -U compinit && compinit -u && source ${path.join(dir, 'zsh')} && echo LOADED`, 'Enter');
      await t.waitFor(/^LOADED$/m);
      await t.send('fluxcfg k8s-configuration flux create --ki', 'Tab');
      await t.waitFor(/flux create --kind$/m);
      await t.send('b', 'Tab');
      await t.waitFor(/fluxcfg k8s-configuration flux create --kind bucket$/m);
    } finally {
      await t.kill();
    }
  });
});
