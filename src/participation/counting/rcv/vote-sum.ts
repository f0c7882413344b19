// A running total of ballot values that stays exact and fast: whole ballots are counted as integers.
//
// Most ballots carry the value 1 for the whole count; only ballots that helped elect a winner carry
// a fraction. Summing the ones as a JavaScript integer (exact below 2^53) and the fractions as a
// fixed-point bigint gives the same value and the same scale as BigDecimal additions in any order.

import { Decimal, pow10 } from '../decimal';

export class VoteSum {
  private whole = 0;
  private fraction = 0n;
  private scale = 0;

  /** `places`: the largest scale a ballot value can have (the configured decimal places). */
  constructor(private readonly places: number) {}

  /** Adds n ballots of value exactly 1 (scale 0). */
  addWhole(n: number): void {
    this.whole += n;
  }

  /** Adds a ballot value `times` times. */
  add(value: Decimal, times = 1): void {
    if (value.scale > this.places) throw new RangeError(`value ${value} has more than ${this.places} places`);
    this.fraction += value.unscaled * pow10(this.places - value.scale) * BigInt(times);
    if (value.scale > this.scale) this.scale = value.scale;
  }

  value(): Decimal {
    const total = new Decimal(BigInt(this.whole) * pow10(this.places) + this.fraction, this.places);
    // Every term has at most `scale` places, so dropping the others loses nothing.
    return total.setScale(this.scale, 'down');
  }
}
