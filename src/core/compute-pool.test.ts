// The compute pool: answers cross threads, refusals keep their kind, a cancelled or crashed task frees its
// worker for the next one, and tasks beyond the pool's size wait their turn.
import { afterAll, describe, expect, it } from 'vitest';
import { ComputePool } from './compute-pool';
import { DomainError, isDomainError } from './errors';
import { HeavyGate, checkSizeLimits } from './heavy';
import type { Principal } from './principal';

const pool = new ComputePool(1, new URL('./compute-pool.fixture.ts', import.meta.url));
afterAll(() => pool.close());

describe('ComputePool', () => {
  it('runs a task in a worker, with its progress and a typed array back', async () => {
    const progress: string[] = [];
    const out = await pool.run<Float64Array>('double', 21, { onProgress: (p) => progress.push(p.message) });
    expect(out).toBeInstanceOf(Float64Array);
    expect(Array.from(out)).toEqual([42]);
    expect(progress).toEqual(['halfway']);
  });

  it('keeps a refusal a DomainError with its issues and fix', async () => {
    const e = await pool.run('refuse', null).catch((x: unknown) => x);
    expect(isDomainError(e)).toBe(true);
    expect((e as DomainError).kind).toBe('invalid');
    expect((e as DomainError).issues).toEqual([{ field: 'n', message: 'too big' }]);
    expect((e as DomainError).fix).toBe('smaller');
  });

  it('stops a cancelled task by ending its worker; a waiting task then runs on a new one', async () => {
    const cancel = new AbortController();
    const spinning = pool.run('spin', null, { signal: cancel.signal }).catch((x: unknown) => x);
    const waiting = pool.run<Float64Array>('double', 1);
    expect(pool.stats()).toEqual({ running: 1, queued: 1 });
    cancel.abort();
    const e = await spinning;
    expect((e as DomainError).kind).toBe('cancelled');
    expect(Array.from(await waiting)).toEqual([2]);
  });

  it('fails a task whose worker dies, and serves the next one', async () => {
    await expect(pool.run('crash', null)).rejects.toThrow(/worker exited/);
    expect(Array.from(await pool.run<Float64Array>('double', 4))).toEqual([8]);
  });
});

describe('ComputePool with a heap cap', () => {
  const capped = new ComputePool(1, new URL('./compute-pool.fixture.ts', import.meta.url), 64);
  afterAll(() => capped.close());

  it('answers a task that outgrows the cap with a 400 naming the task and the fix, and serves the next', async () => {
    const e = await capped.run('hog', null).catch((x: unknown) => x);
    expect(isDomainError(e), String(e)).toBe(true);
    expect((e as DomainError).kind).toBe('invalid');
    expect((e as DomainError).message).toContain('hog');
    expect((e as DomainError).message).toContain('64 MB');
    expect((e as DomainError).fix).toContain('smaller input');
    expect(Array.from(await capped.run<Float64Array>('double', 5))).toEqual([10]);
  });
});

describe('HeavyGate', () => {
  const person: Principal = { kind: 'person', personId: 'p1', name: 'P', email: 'p@x', grants: [] };
  it('refuses a second heavy call of the same person until the first ends', () => {
    const gate = new HeavyGate(1, 2);
    const release = gate.enter(person);
    expect(() => gate.enter(person)).toThrow(expect.objectContaining({ kind: 'rate-limited' }) as Error);
    release();
    expect(() => gate.enter(person)()).not.toThrow();
  });

  it('bounds anonymous callers together, and never the system', () => {
    const gate = new HeavyGate(1, 2);
    gate.enter({ kind: 'anonymous' });
    gate.enter({ kind: 'anonymous' });
    expect(() => gate.enter({ kind: 'anonymous' })).toThrow(DomainError);
    for (let i = 0; i < 5; i++) gate.enter({ kind: 'system' });
  });
});

describe('checkSizeLimits', () => {
  const limit = {
    field: 'content',
    unit: 'characters',
    max: 100,
    anonymousMax: 10,
    measure: (s: string) => s.length,
  };
  it('asks an anonymous caller above the anonymous bound to sign in, and refuses anyone above the limit', () => {
    const anonymous = (() => {
      try {
        checkSizeLimits([limit], 'x'.repeat(11), { kind: 'anonymous' });
      } catch (e) {
        return e as DomainError;
      }
      return undefined;
    })();
    expect(anonymous?.kind).toBe('unauthenticated');
    expect(anonymous?.issues[0]?.field).toBe('content');
    expect(() => checkSizeLimits([limit], 'x'.repeat(11), { kind: 'system' })).not.toThrow();
    expect(() => checkSizeLimits([limit], 'x'.repeat(101), { kind: 'system' })).toThrow(/limit of 100/);
  });
});
