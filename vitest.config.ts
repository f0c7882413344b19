// Test projects: fast unit tests (no services), the service suite (real PostgreSQL, NATS, Mosquitto)
// and the browser suite (Debian's chromium through playwright-core).
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The order test files start in: the files measured slowest start first, the rest in Vitest's own order (its
// cache of durations, or file size on a fresh clone, which CI always is). With two workers, a long file that
// starts last keeps one worker busy while the other idles: on a fresh clone the demo test (about a minute)
// started last of 151 unit files, the 60 s leg of a two-worker run with one worker. Only the order changes:
// every file still runs. A file missing from the list just keeps Vitest's place for it.
/** Slowest first, measured with `--reporter=json` (file durations of a whole run, November 2026). */
const SLOW_FIRST = [
  // unit
  'src/api/fuzz-hostile-1.test.ts',
  'src/api/fuzz-hostile-2.test.ts',
  'src/cli/hostile-input.test.ts',
  'src/api/fuzz-random.test.ts',
  'src/planning/fast/harmony-pdhg-solver.test.ts',
  'src/library/library-leak.test.ts',
  'src/api/compute-limits.test.ts',
  'src/app/demo.test.ts',
  'src/numeric/technique-choice/warm-fixed-point.test.ts',
  'src/cli/economy-files.test.ts',
  'src/participation/rctab-cases.test.ts',
  'src/participation/votes.test.ts',
  'src/improvements/proposals.test.ts',
  'src/planning/fast/harmony-refine-solver.test.ts',
  'src/planning/fast/harmony-leontief-solver.test.ts',
  'src/participation/budgets.test.ts',
  'src/planning/rounds/rounds-convergence.test.ts',
  // services (the two on the shared brokers apart: monitoring early, hostile-input late, in Vitest's order)
  'tests/services/hostile-operations.test.ts',
  'tests/services/demo-postgres.test.ts',
  'tests/services/demo-restart.test.ts',
  'tests/services/monitoring.test.ts',
  'tests/services/library.test.ts',
  'tests/services/participation.test.ts',
  'tests/services/postgres-store.test.ts',
  'tests/services/federation.test.ts',
];

class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.findIndex((p) => f.moduleId.endsWith(`/${p}`));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    // Projects keep Vitest's order (they run one after another); only files within a project move.
    const project = new Map<string, number>();
    for (const f of sorted) if (!project.has(f.project.name)) project.set(f.project.name, project.size);
    return sorted
      .map((f, i) => ({ f, i }))
      .sort(
        (a, b) =>
          (project.get(a.f.project.name) ?? 0) - (project.get(b.f.project.name) ?? 0) ||
          rank(a.f) - rank(b.f) ||
          a.i - b.i,
      )
      .map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    // The slowest files start first, so that no long file is left to run alone at the end.
    sequence: { sequencer: SlowFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Most unit files wait
          // on PGlite or on child processes part of the time, so two keep both cores busy.
          maxWorkers: 2,
          // Files share a worker's module cache instead of each importing the app afresh: importing was about
          // 5 s of a file's time on a loaded machine (94.5 s of 230 s for 17 files; 16.8 s of 146 s without
          // isolation). No unit file mocks a module or stubs globals; the two that set an environment
          // variable put it back.
          isolate: false,
          environment: 'node',
          testTimeout: 30_000,
          // A new PGlite app runs every migration: 5-10 s quiet, but over 60 s was seen at a load average of 13
          // (CI beside four benchmarking jobs on 2 cores). A set-up is not a speed test.
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'services',
          include: ['tests/services/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two files at once: each has its own database and, for federations, its own nats-server; much of a
          // file's time is waiting on PostgreSQL, the brokers and child processes. The two files that subscribe
          // to the shared brokers take turns (holdSharedBrokers in tests/services/services.ts).
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/browser/global-setup.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // Each file has its own server, home (a copy of the loaded demo) and chromium, so two run at once.
          maxWorkers: 2,
        },
      },
    ],
  },
});
