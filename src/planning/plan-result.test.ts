// The binding list's descriptions are written when read, and still reach every reader as plain words: JSON,
// the stored record, and a worker's structured clone of either.
import { describe, expect, it } from 'vitest';
import { highsSolver } from '../numeric/lp/highs-solver';
import { disaggregate } from './disaggregate';
import { steelAndCoal } from './formulation/plan-fixtures';
import { solvePlan } from './formulation/solve-plan';
import { toPlanRecord } from './plan-record';
import { plainBinding } from './plan-result';

// steel by T2 (1 h and 0.5 t coal), coal 1 h: steel's full labour cost is 1.5 h (plan-lp.test.ts).
const economy = steelAndCoal();
const WORDS = "target for product 'steel' in period 1 is binding (shadow price 1.5)";

describe('binding constraints read into plan terms', () => {
  it('say their words when read, in JSON, in the record, and through a structured clone', async () => {
    const { result } = await solvePlan({ economy, periods: 1, objective: 'min-labour' }, highsSolver);
    const steel = result.binding.find((b) => b.kind === 'target' && b.code === 'steel')!;
    expect(steel.description).toBe(WORDS);
    expect((JSON.parse(JSON.stringify(steel)) as { description: string }).description).toBe(WORDS);
    const plain = plainBinding(steel);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
    expect(structuredClone(plain)).toEqual({
      kind: 'target',
      code: 'steel',
      period: 1,
      slack: steel.slack,
      shadowPrice: steel.shadowPrice,
      description: WORDS,
    });
    const record = toPlanRecord(result, disaggregate(result), undefined);
    const cloned = structuredClone(record).binding.find((b) => b.code === 'steel');
    expect(cloned?.description).toBe(WORDS);
  });
});
