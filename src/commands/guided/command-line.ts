// The command line a guided create prints: what was typed plus the flags of the answers, shell-quoted, every secret
// replaced by a reference to an environment variable (`--https-key "$FLUXCFG_HTTPS_KEY"`), so the line can go into a
// script and the secret never shows on the screen, in a log or in shell history.
import type { Flags } from '../verb.js';

/** One word of a command line; `raw` words (secret placeholders) are printed as they are, not quoted. */
export interface Word {
  readonly text: string;
  readonly raw?: boolean;
}

/** The answers of a guided create as flags: what parse reads (secrets included, in-process) and what is printed. */
export interface GuidedFlags {
  readonly flags: Flags;
  readonly words: Word[];
}

/** POSIX shell quoting: plain words as they are, anything else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The environment variable a secret flag's placeholder names: `--https-key` → `FLUXCFG_HTTPS_KEY`. */
export function secretVariable(flag: string): string {
  return `FLUXCFG_${flag
    .replace(/^-+/, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase()}`;
}

/** The placeholder printed instead of a secret flag's value. */
export function secretPlaceholder(flag: string): Word {
  return { text: `"$${secretVariable(flag)}"`, raw: true };
}

/**
 * The words as one shell command line. With `width`, long lines are continued (` \\` and a newline, then `indent`):
 * before a flag when the flag and its values fit on the next line, else between the values, so the line can be
 * copied from a terminal as it is.
 */
export function formatCommandLine(words: readonly Word[], width = 0, indent = '    '): string {
  const texts = words.map((w) => ({ text: w.raw ? w.text : shellQuote(w.text), flag: w.text.startsWith('-') }));
  if (width <= 0) return texts.map((t) => t.text).join(' ');
  const chunks: string[][] = [];
  for (const t of texts) {
    if (t.flag || chunks.length === 0) chunks.push([t.text]);
    else chunks.at(-1)!.push(t.text);
  }
  const lines: string[] = [];
  let line = '';
  const fits = (text: string) => line.length + 1 + text.length + 2 <= width;
  for (const chunk of chunks) {
    const whole = chunk.join(' ');
    if (line.trim() && !fits(whole)) {
      lines.push(line);
      line = indent;
    }
    for (const text of chunk) {
      if (line.trim() && !fits(text)) {
        lines.push(line);
        line = indent;
      }
      line = line.trim() ? `${line} ${text}` : line + text;
    }
  }
  lines.push(line);
  return lines.join(' \\\n');
}

/**
 * The words typed on the command line, with the values of `secretFlags` (long names; `--flag value` and
 * `--flag=value`) replaced by placeholders; for the `variadic` ones every following value (`key=value`) keeps its key.
 */
export function redactArgv(
  argv: readonly string[],
  secretFlags: readonly string[],
  variadic: readonly string[] = [],
): Word[] {
  const out: Word[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!secretFlags.includes(flag) && !variadic.includes(flag)) {
      out.push({ text: arg });
      continue;
    }
    const hide = (value: string): Word => {
      if (!variadic.includes(flag)) return secretPlaceholder(flag);
      const k = value.indexOf('=');
      return k > 0
        ? { text: `${shellQuote(value.slice(0, k + 1))}"$${secretVariable(value.slice(0, k))}"`, raw: true }
        : secretPlaceholder(flag);
    };
    if (flag !== arg) {
      out.push({ text: `${flag}=${hide(arg.slice(eq + 1)).text}`, raw: true });
      continue;
    }
    out.push({ text: arg });
    if (variadic.includes(flag)) {
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) out.push(hide(argv[++i]!));
    } else if (i + 1 < argv.length) {
      out.push(hide(argv[++i]!));
    }
  }
  return out;
}
