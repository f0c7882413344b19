// HiGHS in a worker thread ended at a deadline (highs-thread.ts). Nothing here is timed: the deadlines are far
// below what the solves need, and each test's own timeout is far above its deadline but far below the time the
// solve would take if the worker were not ended (the general LP at 10⁵ columns: HiGHS's simplex ran > 300 s).
import { describe, expect, it } from 'vitest';
import { generalLp } from './general-lp';
import { createHighsSolver } from './highs-solver';
import { idleHighsThreadId, prepareHighsThread, runHighsInThread } from './highs-thread';
import { createPdlpCrossoverSolver } from './pdlp-crossover';
import { dantzigTransport } from './reference-lps';

// Published optimum of Dantzig's transport problem (reference-lps.ts).
const TRANSPORT_OPTIMUM = 153.675;

const large = generalLp({ columns: 100_000, seed: 2026 });

async function transportStillSolves(): Promise<void> {
  const s = await createHighsSolver({ thread: 'thread' }).solve(dantzigTransport());
  expect(s.status).toBe('optimal');
  expect(Math.abs(s.objective - TRANSPORT_OPTIMUM)).toBeLessThan(1e-9);
}

describe('HiGHS in a worker thread', () => {
  // Unit files share a worker's modules (isolate: false), so another file may have left a worker idle: then
  // preparing keeps that one.
  it('prepares a worker ahead of a job, and the job then runs in that worker and keeps it', async () => {
    const before = idleHighsThreadId();
    prepareHighsThread();
    const prepared = idleHighsThreadId();
    expect(prepared).toBeDefined();
    if (before !== undefined) expect(prepared).toBe(before);
    // A second call keeps the worker already idle.
    prepareHighsThread();
    expect(idleHighsThreadId()).toBe(prepared);
    await transportStillSolves();
    expect(idleHighsThreadId()).toBe(prepared);
  }, 60_000);

  it('ends a solve that runs past its deadline, says so, and the next solve works', async () => {
    // No time limit is given to HiGHS itself: only ending the worker can stop this solve in time.
    const s = await runHighsInThread(
      { kind: 'solve', lp: large, config: { algorithm: 'simplex' }, options: {} },
      { deadlineSeconds: 1, what: "HiGHS's simplex" },
    );
    expect(s.status).toBe('time-limit');
    expect(s.message).toMatch(/HiGHS's simplex ran past the time limit/);
    expect(s.x).toHaveLength(large.matrix.cols);
    await transportStillSolves();
  }, 60_000);

  it('answers a deadline of 0 with the time-limit status at once, naming the step', async () => {
    const s = await createHighsSolver({ thread: 'thread' }).solve(large, { timeLimitSeconds: 0 });
    expect(s.status).toBe('time-limit');
    expect(s.message).toMatch(/HiGHS's solve/);
    await transportStillSolves();
  }, 60_000);

  it('cancels a running solve when its signal aborts', async () => {
    const controller = new AbortController();
    const pending = createHighsSolver({ thread: 'thread', algorithm: 'ipm' }).solve(large, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 500);
    const s = await pending;
    expect(s.status).toBe('cancelled');
    await transportStillSolves();
  }, 60_000);

  it('PDLP then crossover with a tiny budget ends with the time-limit status and names what ran out', async () => {
    // PDLP gets its iterations (no time limit of its own would stop it before the crossover at this budget,
    // since the crossover's budget is what is left); the crossover at 10⁵ columns needs minutes.
    const solver = createPdlpCrossoverSolver({ crossoverTolerance: 1e-2 });
    const s = await solver.solve(large, { timeLimitSeconds: 8 });
    expect(s.status).toBe('time-limit');
    expect(s.message).toMatch(/PDLP|crossover|simplex/);
    await transportStillSolves();
  }, 90_000);
});
