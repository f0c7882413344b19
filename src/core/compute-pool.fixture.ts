// A worker entry for the compute pool's own tests: tasks that answer, refuse, spin and crash.
import { serveTasks } from './compute-serve';
import { DomainError } from './errors';

serveTasks({
  double: (n: number, hooks) => {
    hooks.progress({ fraction: 0.5, message: 'halfway' });
    return new Float64Array([n * 2]);
  },
  refuse: () => {
    throw new DomainError('invalid', 'n: too big', {
      issues: [{ field: 'n', message: 'too big' }],
      fix: 'smaller',
    });
  },
  spin: () => {
    for (;;) {
      // Holds its thread until the pool ends the worker.
    }
  },
  crash: () => process.exit(3),
  hog: () => {
    // Keeps every block reachable until the worker's heap cap ends it.
    const kept: number[][] = [];
    for (;;) kept.push(new Array<number>(1_000_000).fill(kept.length));
  },
});
