// The push kernels checked one sweep at a time against a plain JavaScript push sweep: pushOne (one thread, all
// rows) must give the same bits as the reference and as push on one thread, on arbitrary sparse patterns with
// empty rows, empty columns and stored diagonals; push on two threads must take what is new in its inbox and
// skip rows where nothing new has landed without losing anything.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CsrMatrix } from './csr';
import { fromTriplets } from './csr';
import { loadSystem } from './wasm-sweeps';

/** One plain push Gauss–Seidel sweep of x = Mᵀ x + b on its residual r (the kernels' order of operations). */
function referencePush(m: CsrMatrix, x: Float64Array, r: Float64Array, rows: number): void {
  const diag = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++)
    for (let k = m.rowStart[i]!; k < m.rowStart[i + 1]!; k++) if (m.colIndex[k] === i) diag[i] = m.values[k]!;
  for (let i = 0; i < rows; i++) {
    const delta = r[i]! / (1 - diag[i]!);
    if (delta === 0) continue;
    x[i] = x[i]! + delta;
    for (let k = m.rowStart[i]!; k < m.rowStart[i + 1]!; k++)
      r[m.colIndex[k]!] = r[m.colIndex[k]!]! + m.values[k]! * delta;
    r[i] = 0;
  }
}

/**
 * n from 1 to 50 (odd and even), entries only in rows and columns below `reach` of n (the rest are empty rows
 * and empty columns), values in [0, 0.3] summed where repeated, some rows of b zero (δ = 0 rows are skipped).
 */
const systems = fc
  .record({
    n: fc.integer({ min: 1, max: 50 }),
    reach: fc.double({ min: 0.3, max: 1, noNaN: true }),
    entries: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: 0, max: 0.3, noNaN: true })), {
      maxLength: 300,
    }),
    rhs: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10, noNaN: true })), {
      minLength: 50,
      maxLength: 50,
    }),
  })
  .map(({ n, reach, entries, rhs }) => {
    const span = Math.max(1, Math.floor(reach * n));
    const m = fromTriplets(
      n,
      n,
      entries.map(([i]) => i % span),
      entries.map(([, j]) => (j * 7) % span),
      entries.map(([, , v]) => v),
    );
    return { m, b: Float64Array.from(rhs.slice(0, n)) };
  });

describe('push kernels (labour values)', () => {
  it('pushOne gives the plain push sweep bit for bit, and the same bits as push on one thread (fast-check)', () => {
    fc.assert(
      fc.property(systems, ({ m, b }) => {
        const n = m.rows;
        const one = loadSystem(m, b);
        const other = loadSystem(m, b);
        if (!one || !other) return false;
        const x = new Float64Array(n);
        const r = b.slice();
        for (let sweep = 0; sweep < 3; sweep++) {
          referencePush(m, x, r, n);
          one.kernels.pushOne(n, one.rowStart, one.col, one.val, one.x, one.b, one.diag);
          other.kernels.push(n, other.rowStart, other.col, other.val, other.x, other.b, other.diag);
          for (let i = 0; i < n; i++) {
            if (!Object.is(one.xView[i], x[i]) || !Object.is(one.bView[i], r[i])) return false;
            if (!Object.is(other.xView[i], x[i]) || !Object.is(other.bView[i], r[i])) return false;
          }
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });

  it('push on two threads takes only what is new in its inbox, whatever it had taken before', () => {
    // Rows of the calling thread's block [0, middle): some with nothing in the inbox, some whose inbox this
    // thread had taken already (taken = inbox: nothing new), some with something new. Each row's r must end as
    // the plain sweep's on r + (inbox − taken), and taken must equal the inbox.
    const n = 37;
    const middle = 23;
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < n; i++)
      for (let t = 0; t < (i % 4) + (i % 9 === 0 ? 0 : 1); t++) {
        rows.push(i);
        cols.push((i * 5 + t * 11) % n);
        vals.push(0.05 + 0.01 * ((i + t) % 7));
      }
    const m = fromTriplets(n, n, rows, cols, vals);
    const b = Float64Array.from({ length: n }, (_, i) => (i % 6 === 0 ? 0 : 1 + (i % 5)));
    const w = loadSystem(m, b, { shared: true });
    expect(w).toBeDefined();
    if (!w) return;
    const buffer = w.memory.buffer;
    const inbox = new Float64Array(buffer, w.outboxes[1], n);
    const outbox = new Float64Array(buffer, w.outboxes[0], n);
    const taken = new Float64Array(buffer, w.taken, n);
    for (let i = 0; i < middle; i++) {
      inbox[i] = i % 3 === 0 ? 0 : 0.25 * (i % 5);
      taken[i] = i % 3 === 1 ? inbox[i]! : 0;
    }
    const r = Float64Array.from(b, (v, i) => (i < middle ? v + inbox[i]! - taken[i]! : v));
    const x = new Float64Array(n);
    const whole = r.slice();
    referencePush(m, x, whole, middle);
    const k = w.kernels;
    k.outbox.value = w.outboxes[0];
    k.inbox.value = w.outboxes[1];
    k.taken.value = w.taken;
    k.push(middle, w.rowStart, w.col, w.val, w.x, w.b, w.diag);
    k.outbox.value = 0;
    k.inbox.value = 0;
    k.taken.value = 0;
    for (let i = 0; i < n; i++) {
      expect(w.xView[i]).toBeCloseTo(x[i]!, 13);
      // What went to the other block's rows is in the outbox; r there is untouched.
      if (i < middle) {
        expect(w.bView[i]).toBeCloseTo(whole[i]!, 13);
        expect(taken[i]).toBe(inbox[i]);
      } else {
        expect(w.bView[i]).toBe(b[i]);
        expect(outbox[i]).toBeCloseTo(whole[i]! - b[i]!, 13);
      }
    }
  });
});
