// What a test uses: the fixtures test/global-fixtures.ts resolved for this run (test/helpers/fixtures.ts decides).
import { inject } from 'vitest';
import type { Fixtures } from './fixtures.js';

export { fluxV1Fixture, type Fixtures } from './fixtures.js';

declare module 'vitest' {
  export interface ProvidedContext {
    fixtures: Fixtures | null;
  }
}

/** The run's Flux fixtures, or null when there are none (locally only; CI fails in global setup): skip then. */
export function testFixtures(): Fixtures | null {
  return inject('fixtures');
}
