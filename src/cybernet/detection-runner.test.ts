// Deferred detection against inline detection, on PGlite (PostgreSQL: tests/services/postgres-store.test.ts).
import { expect, it } from 'vitest';
import { ManualClock } from '../core/clock';
import type { CybernetRepository } from './cybernet.repository';
import type { DetectionBacklogRepository } from './detection-backlog.repository';
import { DetectionRunner } from './detection-runner';
import { detectionRunnerSuite } from './detection-runner.suite';
import type { SeriesMonitor } from './ports';

detectionRunnerSuite('pglite');

it('waiting on a watermark while the store is down answers unavailable instead of spinning', async () => {
  let tries = 0;
  const repo = {
    transaction: () => {
      tries++;
      return Promise.reject(new Error('connection refused'));
    },
  } as unknown as CybernetRepository;
  const backlog = { pendingThrough: () => Promise.resolve(true) } as unknown as DetectionBacklogRepository;
  const errors: string[] = [];
  const runner = new DetectionRunner(
    repo,
    backlog,
    {} as SeriesMonitor,
    new ManualClock('2029-01-01T00:00:00Z'),
    {
      onError: (m) => errors.push(m),
    },
  );
  await expect(runner.waitFor(7)).rejects.toMatchObject({ kind: 'unavailable' });
  // One drain was tried (its round, then the look for the culprit), and the failure was reported.
  expect(tries).toBe(2);
  expect(errors).toEqual(['detection paused: the store failed; the backlog is kept']);
});
