import { Command } from 'commander';
import type { TableTransformer } from '../ui/output.js';
import type { Deps } from '../deps.js';

export type Flags = Record<string, unknown>;

/** One az verb: flags → typed options (pure, throws UsageError) → run(options, deps) → result data. */
export interface VerbSpec<O, R> {
  /** Declares the verb's own flags (and positional arguments, which parse gets by name) on its commander Command. */
  readonly flags?: (cmd: Command) => void;
  readonly parse: (flags: Flags) => O;
  readonly run: (options: O, deps: Deps) => Promise<R>;
  /** az's table transformer for -o table. */
  readonly table?: TableTransformer;
  /**
   * Guided create: on a terminal (never without a TTY or in CI) main calls it before `parse`; it asks for what the
   * flags leave out and returns the completed flags (unchanged when nothing required is missing). Its commander
   * options are then not mandatory on a terminal: the guide asks for them instead.
   */
  readonly guide?: (flags: Flags, context: GuideContext) => Promise<Flags>;
}

export interface GuideContext {
  readonly deps: Deps;
  /** The verb's own parse: every answer goes through it, as the flags do. */
  readonly parse: (flags: Flags) => unknown;
  /** Whether a flag (its commander attribute) was given on the command line, not defaulted. */
  readonly given: (attribute: string) => boolean;
  /** The words of the command line, after the program name. */
  readonly argv: readonly string[];
}

const guidedCommands = new WeakSet<Command>();

/** On a terminal (main decides): a verb with a guided create asks for its mandatory options instead of failing. */
export function relaxGuided(cmd: Command): void {
  if (guidedCommands.has(cmd)) for (const o of cmd.options) o.mandatory = false;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- verbs differ in option and result types
export type AnyVerb = VerbSpec<any, any>;

/** Called by every verb's action; main supplies it, runs the spec and prints the result. */
export type Invoke = (spec: AnyVerb, flags: Flags, cmd: Command) => Promise<void>;

export function defineVerb<O, R>(spec: VerbSpec<O, R>): VerbSpec<O, R> {
  return spec;
}

/** A verb's command (its name and summary come from the command table, src/commands/index.ts). */
export function verbCommand(name: string, description: string, spec: AnyVerb, invoke: Invoke): Command {
  const cmd = new Command(name).description(description);
  spec.flags?.(cmd);
  if (spec.guide) guidedCommands.add(cmd);
  // commander passes the positional arguments first, then the flags and the command
  cmd.action(async (...args: unknown[]) => {
    const self = args.at(-1) as Command;
    const positional = Object.fromEntries(self.registeredArguments.map((a, i) => [a.name(), self.processedArgs[i]]));
    return invoke(spec, { ...(args.at(-2) as Flags), ...positional }, self);
  });
  return cmd;
}
