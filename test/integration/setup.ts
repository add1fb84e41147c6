import { appendFileSync } from 'node:fs';
import { afterEach, inject } from 'vitest';

// Counts the tests that really ran against the API server, for the summary line printed at teardown.
const cluster = inject('cluster');
afterEach(({ task }) => {
  if (cluster && task.result?.state !== 'skip') appendFileSync(cluster.counterFile, `${task.name}\n`);
});
