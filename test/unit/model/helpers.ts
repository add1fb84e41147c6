import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { expect } from 'vitest';
import { UsageError, UserError } from '../../../src/errors.js';
import { parseCreate, parseUpdate, type ReadFile } from '../../../src/model/configuration-params.js';
import {
  declareConfigurationFlags,
  declareKustomizationFlags,
} from '../../../src/commands/k8s-configuration/flux/shared/flags.js';
import type { FluxConfiguration } from '../../../src/model/flux-configuration.js';

export const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`fixtures/${name}`, import.meta.url)), 'utf8');
export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** A ReadFile over an in-memory map; unknown paths fail like fs does. */
export function files(map: Record<string, string> = {}): ReadFile {
  return (path) => {
    if (!(path in map)) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    return map[path]!;
  };
}

export function createOpts(argv: string[]): Record<string, unknown> {
  const cmd = new Command();
  declareConfigurationFlags(cmd, 'create');
  cmd.exitOverride().configureOutput({ writeErr: () => {} });
  cmd.parse(argv, { from: 'user' });
  return cmd.opts();
}

export function updateOpts(argv: string[]): Record<string, unknown> {
  const cmd = new Command();
  declareConfigurationFlags(cmd, 'update');
  cmd.exitOverride().configureOutput({ writeErr: () => {} });
  cmd.parse(argv, { from: 'user' });
  return cmd.opts();
}

export function kustomizationOpts(verb: 'create' | 'update', argv: string[]): Record<string, unknown> {
  const cmd = new Command();
  declareKustomizationFlags(cmd, verb);
  cmd.exitOverride().configureOutput({ writeErr: () => {} });
  cmd.parse(argv, { from: 'user' });
  return cmd.opts();
}

export const create = (argv: string[], readFile: ReadFile = files()) => parseCreate(createOpts(argv), readFile);
export const update = (existing: FluxConfiguration, argv: string[], readFile: ReadFile = files()) =>
  parseUpdate(existing, updateOpts(['-n', existing.name, ...argv]), readFile);

/** Runs fn and returns the error it throws (fails the test when nothing is thrown). */
export function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected an error');
}

export function expectUsage(fn: () => unknown, message: string, hint?: string): void {
  const err = errorOf(fn);
  expect(err).toBeInstanceOf(UsageError);
  expect(err.message).toBe(message);
  if (hint !== undefined) expect(err.hint).toBe(hint);
  expect(err.exitCode).toBe(2);
}
