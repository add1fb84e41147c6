// A command in a real pseudo-terminal: tmux on a socket of its own (so no one else's tmux server is touched),
// keys sent with send-keys, the screen read with capture-pane.
import { spawnSync } from 'node:child_process';

export interface TmuxSession {
  /** Types `text` literally, then presses `key` (tmux key name: Enter, Tab, C-c) if given. */
  send(text: string, key?: string): Promise<void>;
  /** The visible screen; with `escapes`, colours and attributes as escape sequences. */
  screen(escapes?: boolean): string;
  /** Waits until the screen matches, else throws with the screen in the message. */
  waitFor(pattern: RegExp, options?: { timeoutMs?: number; escapes?: boolean }): Promise<string>;
  kill(): Promise<void>;
}

let seq = 0;

export async function tmux(
  command: string,
  options: { env?: NodeJS.ProcessEnv; cwd?: string; width?: number; height?: number } = {},
): Promise<TmuxSession> {
  const socket = `fluxcfg-test-${process.pid}-${seq++}`;
  const env = { ...options.env, TERM: 'xterm-256color' } as NodeJS.ProcessEnv;
  delete env.TMUX;
  const run = (...args: string[]) => {
    const r = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
      env,
      cwd: options.cwd,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  run('new-session', '-d', '-s', 't', '-x', String(options.width ?? 120), '-y', String(options.height ?? 40), command);
  run('set-option', '-t', 't', 'remain-on-exit', 'on');
  const screen = (escapes = false) => run('capture-pane', '-p', '-t', 't', ...(escapes ? ['-e'] : []));
  return {
    async send(text, key) {
      if (text) run('send-keys', '-t', 't', '-l', '--', text);
      if (key) run('send-keys', '-t', 't', key);
    },
    screen,
    async waitFor(pattern, { timeoutMs = 15_000, escapes = false } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = screen(escapes);
        if (pattern.test(text)) return text;
        if (Date.now() > deadline) throw new Error(`screen never matched ${pattern}:\n${text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill() {
      spawnSync('tmux', ['-L', socket, 'kill-server'], { env });
    },
  };
}
