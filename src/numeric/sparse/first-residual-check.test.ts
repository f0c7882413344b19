// iterateSweeps' first residual check (`firstCheck`): when it is computed, that the answer waits for it, and
// that the default is as before (100 times the target).
import { describe, expect, it } from 'vitest';
import { FIRST_CHECK, iterateSweeps } from './given-order-sweeps';

/**
 * A scripted solve: updates start at 1,000 times the target and shrink fourfold a sweep (as the balance's do at
 * 10⁶ products), and the residual is `ratio` times the last update (there, 0.10–0.20). Counts the residual
 * passes.
 */
function scripted(
  firstCheck?: number,
  ratio = 0.15,
): { iterations: number; passes: number; outcome: string } {
  const target = 1e-6;
  let update = 1000 * target;
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
});
