// iterateSweeps' first residual check (`firstCheck`): when it is computed, that the answer waits for it, and
// that the default is as before (100 times the target).
import { describe, expect, it } from 'vitest';
import { FIRST_CHECK, iterateSweeps } from './given-order-sweeps';
import { FIRST_CHECK_TWO_THREADS } from './wasm-two-thread-sweeps';

/**
 * A scripted solve: updates start at `start` (1,000) times the target and shrink fourfold a sweep (as the
 * balance's do at 10⁶ products), and the residual is `ratio` times the last update (there, 0.04–0.25). Counts
 * the residual passes.
 */
function scripted(
  firstCheck?: number,
  ratio = 0.15,
  start = 1000,
): { iterations: number; passes: number; outcome: string } {
  const target = 1e-6;
  let update = start * target;
  let passes = 0;
  const end = iterateSweeps(
    () => {
      const u = update;
      update /= 4;
      return u * u;
    },
    () => {
      passes++;
      const r = ratio * 4 * update;
      return r * r;
    },
    target,
    50,
    undefined,
    firstCheck,
  );
  return { iterations: end.iterations, passes, outcome: end.outcome };
}

describe('the first residual check', () => {
  it('at 100 times the target by default: two passes, the first to learn the residual/update ratio', () => {
    expect(FIRST_CHECK).toBe(100);
    expect(scripted()).toEqual({ iterations: 5, passes: 2, outcome: 'converged' });
  });

  it('at 10 times the target: one pass, after the same sweeps', () => {
    expect(scripted(10)).toEqual({ iterations: 5, passes: 1, outcome: 'converged' });
  });

  it('a residual larger than the update costs no more passes or sweeps at 10 than at 100', () => {
    // The first check finds 11.7 times the target and learns the ratio 3; the second comes when predicted.
    expect(scripted(10, 3)).toEqual({ iterations: 7, passes: 2, outcome: 'converged' });
    expect(scripted(100, 3)).toEqual({ iterations: 7, passes: 2, outcome: 'converged' });
  });

  it('on two threads at 5 times the target: a residual 0.2 of the update converges at the first check', () => {
    // Updates 2,000, 500, 125, 31, 7.8, 2.0 times the target: at 10 the check at 7.8 finds 1.6 times the target
    // and a second pass follows; at 5 the one check comes at 2.0, after the same six sweeps.
    expect(scripted(FIRST_CHECK_TWO_THREADS, 0.2, 2000)).toEqual({
      iterations: 6,
      passes: 1,
      outcome: 'converged',
    });
    expect(scripted(10, 0.2, 2000)).toEqual({ iterations: 6, passes: 2, outcome: 'converged' });
  });

  it('the price of checking at 5: where the ratio is 0.1, one sweep more than at 10 (a pass either way)', () => {
    expect(scripted(FIRST_CHECK_TWO_THREADS, 0.1, 2000)).toEqual({
      iterations: 6,
      passes: 1,
      outcome: 'converged',
    });
    expect(scripted(10, 0.1, 2000)).toEqual({ iterations: 5, passes: 1, outcome: 'converged' });
  });
});
