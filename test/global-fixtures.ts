import type { TestProject } from 'vitest/node';
import { fixturesForRun, type Fixtures } from './helpers/fixtures.js';

const memo = Symbol.for('fluxcfg.test.fixtures');
type Memo = { [memo]?: Promise<Fixtures | null> };

/**
 * The fixtures of this run, looked up (and downloaded, when needed) once per vitest process: both projects' global
 * setups and the integration setup share the one result, so the line about missing fixtures is printed once.
 */
export function runFixtures(): Promise<Fixtures | null> {
  return ((globalThis as Memo)[memo] ??= fixturesForRun());
}

/** Global setup of both projects: provides the fixtures (or null: skip) to the tests, see test/helpers/fixtures.ts. */
export default async function setup(project: TestProject) {
  project.provide('fixtures', await runFixtures());
}
