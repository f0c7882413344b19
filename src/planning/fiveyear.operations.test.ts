// The planning.fiveyear operation reaches the same optimum as the 5yearplan LP formulation on the same files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock';
import { executeOperation } from '../core/execute';
import { createLogger } from '../core/logger';
import { SYSTEM } from '../core/principal';
import type { Services } from '../core/services';
import { fiveYearOperations } from './fiveyear.operations';
import { buildCompute } from '../app/compute';

const file = (name: string) => readFileSync(new URL(`./fiveyear/fixtures/${name}`, import.meta.url), 'utf8');

describe('planning.fiveyear', () => {
  it('solves the files without a database and agrees with the 5yearplan LP to 1e-6', async () => {
    const op = fiveYearOperations[0];
    if (!op) throw new Error('operation missing');
    const out = (await executeOperation(
      op,
      { flows: file('flows.csv'), cap: file('cap.csv'), dep: file('dep.csv'), labtarg: file('labtarg.csv') },
      {
        principal: SYSTEM,
        services: { compute: buildCompute({ workers: 0, perPrincipal: 1, anonymous: 1 }) } as Services,
        clock: new ManualClock(),
        log: createLogger('test'),
        signal: new AbortController().signal,
        progress: () => {},
      },
    )) as { status: string; objectiveValue: number; fiveyearObjective: number; record: { periods: number } };
    expect(out.status).toBe('optimal');
    expect(out.record.periods).toBe(5);
    expect(Math.abs(out.objectiveValue - out.fiveyearObjective) / out.fiveyearObjective).toBeLessThan(1e-6);
  });
});
