// Large typed arrays handed back by a caller that no longer reads them, lent out again instead of allocating
// fresh ones. On this machine memory fresh from the kernel costs far more than writing it: 0.07–0.34 s of CPU
// for 120 MB touched the first time against 0.016 s to write it again (docs/architecture.md), and technique
// choice at 10⁶ products made about 5 GB of permuted copies that way, each pushed out soon after.

/** Arrays lent out may be longer than asked for by this share, so that a slightly longer copy still fits. */
const SLACK = 1 / 64;
/** How many arrays of each type are kept for lending; more given back are dropped (left to the collector). */
const KEPT = 12;

/** A lender of Int32Array and Float64Array memory. What it lends holds old values: write every element. */
export class SpareArrays {
  private readonly ints: Int32Array[] = [];
  private readonly floats: Float64Array[] = [];
  /** Arrays lent from what was given back, and made new (counted for tests and the bench). */
  reused = 0;
  made = 0;

  /** An Int32Array of exactly `length` elements whose contents are arbitrary. */
  int32(length: number): Int32Array {
    const spare = this.take(this.ints, length);
    if (spare !== undefined) return spare.subarray(0, length);
    this.made++;
    return new Int32Array(withSlack(length)).subarray(0, length);
  }

  /** A Float64Array of exactly `length` elements whose contents are arbitrary. */
  float64(length: number): Float64Array {
    const spare = this.take(this.floats, length);
    if (spare !== undefined) return spare.subarray(0, length);
    this.made++;
    return new Float64Array(withSlack(length)).subarray(0, length);
  }

  /**
   * Takes back arrays nothing will read again (the caller's promise): each whole underlying buffer becomes
   * lendable. Arrays that share a buffer with another must not be given back.
   */
  give(...arrays: (Int32Array | Float64Array)[]): void {
    for (const a of arrays) {
      if (a instanceof Int32Array) keep(this.ints, new Int32Array(a.buffer));
      else keep(this.floats, new Float64Array(a.buffer));
    }
  }

  /** The smallest kept array of at least `length` elements (and not four times larger), removed from the list. */
  private take<T extends Int32Array | Float64Array>(list: T[], length: number): T | undefined {
    let best = -1;
    for (let i = 0; i < list.length; i++) {
      const capacity = list[i]!.length;
      if (capacity >= length && capacity <= 4 * length + 1024 && (best < 0 || capacity < list[best]!.length))
        best = i;
    }
    if (best < 0) return undefined;
    this.reused++;
    return list.splice(best, 1)[0];
  }
}

function keep<T extends Int32Array | Float64Array>(list: T[], whole: T): void {
  if (list.some((a) => a.buffer === whole.buffer)) return;
  list.push(whole);
  if (list.length > KEPT) list.shift();
}

function withSlack(length: number): number {
  return length + Math.ceil(length * SLACK);
}
