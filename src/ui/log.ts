import type { ChalkInstance } from 'chalk';
import type { TextSink } from './io.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const rank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** The only writer of diagnostics. Everything goes to stderr; stdout is for results. */
export class Logger {
  constructor(
    private readonly sink: TextSink,
    readonly level: LogLevel,
    private readonly c: ChalkInstance,
  ) {}

  enabled(level: LogLevel): boolean {
    return rank[level] <= rank[this.level];
  }

  error(message: string, hint?: string): void {
    this.sink.write(`${this.c.red('error:')} ${message}\n`);
    if (hint) this.sink.write(`${this.c.cyan('hint:')} ${hint}\n`);
  }

  warn(message: string): void {
    if (this.enabled('warn')) this.sink.write(`${this.c.yellow(message)}\n`);
  }

  /** Progress and notes a user sees unless --only-show-errors. */
  progress(message: string): void {
    if (this.enabled('warn')) this.sink.write(`${message}\n`);
  }

  info(message: string): void {
    if (this.enabled('info')) this.sink.write(`${this.c.dim('INFO:')} ${message}\n`);
  }

  debug(message: string): void {
    if (this.enabled('debug')) this.sink.write(`${this.c.dim('DEBUG:')} ${message}\n`);
  }
}
