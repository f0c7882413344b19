// The planning.fiveyear operation reaches the same optimum as the 5yearplan LP formulation on the same files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock';
import { executeOperation } from '../core/execute';
import { createLogger } from '../core/logger';
import { SYSTEM } from '../core/principal';
import type { Services } from '../core/services';
import { fiveYearOperations } from './fiveyear.operations';
import { isDomainError } from '../core/errors';
import { harmonyOf } from '../numeric/harmony/harmony';
import { buildCompute } from '../app/compute';

const file = (name: string) => readFileSync(new URL(`./fiveyear/fixtures/${name}`, import.meta.url), 'utf8');

const files = () => ({
  flows: file('flows.csv'),
  cap: file('cap.csv'),
  dep: file('dep.csv'),
  labtarg: file('labtarg.csv'),
});

function run(input: Record<string, unknown>) {
  const op = fiveYearOperations[0];
  if (!op) throw new Error('operation missing');
  return executeOperation(op, input, {
    principal: SYSTEM,
    services: { compute: buildCompute({ workers: 0, perPrincipal: 1, anonymous: 1 }) } as Services,
    clock: new ManualClock(),
    log: createLogger('test'),
    signal: new AbortController().signal,
    progress: () => {},
  });
}

async function refusal(input: Record<string, unknown>) {
  try {
    await run(input);
  } catch (e) {
    if (isDomainError(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('planning.fiveyear', () => {
  it('solves once by default: no cross-check unless asked', async () => {
    const out = (await run(files())) as {
      status: string;
      objectiveValue: number;
      fiveyearObjective: number | null;
    };
    expect(out.status).toBe('optimal');
    expect(out.fiveyearObjective).toBeNull();
    expect(out.objectiveValue).toBeGreaterThan(0);
  });

  it('offers harmony: the objective is the total harmony of the plan returned, with its certified gap', async () => {
    const out = (await run({ ...files(), objective: 'harmony' })) as {
      status: string;
      objectiveValue: number;
      harmonyGap: number;
      record: { totalHarmony: number; products: { net: number[]; target: number[] }[] };
    };
    expect(out.status).toBe('optimal');
    // Recomputed from the plan's net outputs by the published formula.
    let total = 0;
    let targets = 0;
    for (const p of out.record.products)
      p.target.forEach((t, y) => {
        if (t > 0) {
          total += harmonyOf(t, p.net[y]!);
          targets++;
        }
      });
    expect(Math.abs(out.objectiveValue - total)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(total)));
    // At most the default 1e-3 per target (a priori); the certificate is usually far smaller.
    expect(out.harmonyGap).toBeGreaterThanOrEqual(0);
    expect(out.harmonyGap).toBeLessThanOrEqual(targets * 1e-3);
  });

  it('solves harmony without capital exactly by default, at least as well as the LP cross-check', async () => {
    // No capital stocks (cap.csv all zero): the periods are independent and 'auto' takes the exact solver.
    const f = files();
    const cap = f.cap
      .trim()
      .split('\n')
      .map((line, k) => (k === 0 ? line : line.replace(/,[^,]+/g, ',0')))
      .join('\n');
    type Out = {
      status: string;
      objectiveValue: number;
      harmonyGap: number;
      record: { solver: { name: string } };
    };
    // A fifth of the labour, so that labour binds and harmony has to trade products off.
    const labtarg = f.labtarg
      .trim()
      .split('\n')
      .map((line, k) => (k === 0 ? line : line.replace(/[^,]+$/, (v) => String(0.2 * Number(v)))))
      .join('\n');
    const input = { ...f, cap, labtarg, objective: 'harmony' };
    const exact = (await run(input)) as Out;
    const lp = (await run({ ...input, solver: 'highs' })) as Out;
    // Below every target at its cap (20 targets × ln 5): the limit binds.
    expect(exact.objectiveValue).toBeLessThan(20 * Math.log(5) - 1);
    expect(exact.record.solver.name).toBe('harmony-leontief');
    expect(lp.record.solver.name).toMatch(/^highs/);
    expect(exact.status).toBe('optimal');
    const scale = Math.max(1, Math.abs(lp.objectiveValue));
    expect(exact.harmonyGap).toBeLessThanOrEqual(1e-8 * scale);
    // The LP's plan is never better than the exact one beyond HiGHS's tolerance, nor worse than its certificate.
    expect(exact.objectiveValue).toBeGreaterThanOrEqual(lp.objectiveValue - 1e-7 * scale);
    expect(exact.objectiveValue).toBeLessThanOrEqual(lp.objectiveValue + lp.harmonyGap + 1e-7 * scale);
  });

  it('offers the first-order harmony solver by name: its plan agrees with the refined LP within both gaps', async () => {
    type Out = {
      status: string;
      objectiveValue: number;
      harmonyGap: number;
      record: { solver: { name: string } };
    };
    const pdhg = (await run({ ...files(), objective: 'harmony', solver: 'harmony-pdhg' })) as Out;
    const refined = (await run({ ...files(), objective: 'harmony' })) as Out;
    expect(pdhg.record.solver.name).toBe('harmony-pdhg');
    expect(refined.record.solver.name).not.toBe('harmony-pdhg');
    expect(pdhg.status).toBe('optimal');
    const scale = Math.max(1, Math.abs(refined.objectiveValue));
    expect(pdhg.harmonyGap).toBeLessThanOrEqual(1e-4 * scale);
    expect(pdhg.objectiveValue).toBeLessThanOrEqual(
      refined.objectiveValue + refined.harmonyGap + 1e-9 * scale,
    );
    expect(refined.objectiveValue).toBeLessThanOrEqual(pdhg.objectiveValue + pdhg.harmonyGap + 1e-9 * scale);
  });

  it('refuses harmony-pdhg where it does not apply, naming the solver field and the reason', async () => {
    const e = await refusal({ ...files(), objective: 'assortment', solver: 'harmony-pdhg' });
    expect(e.kind).toBe('invalid');
    expect(e.issues[0]?.field).toBe('solver');
    expect(e.message).toContain('the objective is assortment, not harmony');
  });

  it('refuses a cross-check for an objective the 5yearplan LP does not have', async () => {
    const e = await refusal({ ...files(), objective: 'harmony', crossCheck: true });
    expect(e.issues[0]?.field).toBe('crossCheck');
  });

  it('refuses a non-productive economy, giving the eigenvalue', async () => {
    // Every flow ×8: each industry now uses more of its inputs than the economy makes of them.
    const f = files();
    const flows = f.flows
      .split('\n')
      .map((line) => {
        const [head, ...cells] = line.split(',');
        if (
          head === 'headings' ||
          head === 'labour' ||
          head === 'output' ||
          head === undefined ||
          head === ''
        )
          return line;
        return [head, ...cells.map((c) => String(Number(c) * 8))].join(',');
      })
      .join('\n');
    const e = await refusal({ ...f, flows });
    expect(e.kind).toBe('not-productive');
    const eigenvalue = (e.data as { eigenvalue: number }).eigenvalue;
    expect(eigenvalue).toBeGreaterThanOrEqual(1);
    expect(e.message).toContain(eigenvalue.toPrecision(6));
  });

  it('solves the files without a database and agrees with the 5yearplan LP to 1e-6', async () => {
    const out = (await executeOperation(
      fiveYearOperations[0]!,
      { ...files(), crossCheck: true },
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
