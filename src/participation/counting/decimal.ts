// Exact decimal numbers with a scale, as Java's BigDecimal keeps them: vote arithmetic never uses binary floats.
//
// RCTab counts with java.math.BigDecimal. Its reports print values with their scale ("13914.0000" is
// not "13914"), so this type keeps the unscaled integer and the scale separately and follows
// BigDecimal's rules for the scale of a sum (the larger), a product (the sum) and a quotient (given).

export type Rounding = 'down' | 'up';

const TEN = 10n;
const powers: bigint[] = [1n];

/** 10^n as a bigint (cached: scales are small). */
export function pow10(n: number): bigint {
  if (n < 0) throw new RangeError(`negative power of ten: ${n}`);
  for (let i = powers.length; i <= n; i++) powers.push((powers[i - 1] as bigint) * TEN);
  return powers[n] as bigint;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/** Integer division of n by d (d > 0) rounded as asked: 'down' toward zero, 'up' away from zero. */
function divideRounded(n: bigint, d: bigint, rounding: Rounding): bigint {
  const q = n / d;
  if (rounding === 'down' || q * d === n) return q;
  return n < 0n ? q - 1n : q + 1n;
}

export class Decimal {
  static readonly ZERO = new Decimal(0n, 0);
  static readonly ONE = new Decimal(1n, 0);

  /** The value is unscaled × 10^-scale; scale is never negative here. */
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {
    if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`invalid scale ${scale}`);
  }

  /** An integer with scale 0, like `new BigDecimal(int)`. */
  static of(n: number | bigint): Decimal {
    if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
    return new Decimal(BigInt(n), 0);
  }

  /** Parses a plain decimal such as "-12.3400", keeping its scale; undefined if it is not one. */
  static parse(text: string): Decimal | undefined {
    const m = /^\s*([+-]?)(\d+)(?:\.(\d*))?\s*$/.exec(text) ?? /^\s*([+-]?)()\.(\d+)\s*$/.exec(text);
    if (!m) return undefined;
    const fraction = m[3] ?? '';
    const digits = BigInt(`${m[2] === '' ? '0' : m[2]}${fraction}`);
    return new Decimal(m[1] === '-' ? -digits : digits, fraction.length);
  }

  private aligned(other: Decimal): [bigint, bigint, number] {
    if (this.scale === other.scale) return [this.unscaled, other.unscaled, this.scale];
    if (this.scale > other.scale) {
      return [this.unscaled, other.unscaled * pow10(this.scale - other.scale), this.scale];
    }
    return [this.unscaled * pow10(other.scale - this.scale), other.unscaled, other.scale];
  }

  add(other: Decimal): Decimal {
    const [a, b, scale] = this.aligned(other);
    return new Decimal(a + b, scale);
  }

  subtract(other: Decimal): Decimal {
    const [a, b, scale] = this.aligned(other);
    return new Decimal(a - b, scale);
  }

  multiply(other: Decimal): Decimal {
    return new Decimal(this.unscaled * other.unscaled, this.scale + other.scale);
  }

  /** Multiplies by a whole number, keeping the scale. */
  times(n: number): Decimal {
    return n === 1 ? this : new Decimal(this.unscaled * BigInt(n), this.scale);
  }

  /** The same value at another scale, rounding when digits are dropped. */
  setScale(scale: number, rounding: Rounding = 'down'): Decimal {
    if (scale === this.scale) return this;
    if (scale > this.scale) return new Decimal(this.unscaled * pow10(scale - this.scale), scale);
    return new Decimal(divideRounded(this.unscaled, pow10(this.scale - scale), rounding), scale);
  }

  /** this ÷ divisor with the given scale, like `divide(divisor, scale, RoundingMode)`. */
  divide(divisor: Decimal, scale: number, rounding: Rounding): Decimal {
    if (divisor.unscaled === 0n) throw new RangeError('division by zero');
    // this/divisor = (u1·10^-s1)/(u2·10^-s2); the quotient at `scale` is u1·10^(scale+s2-s1)/u2.
    const shift = scale + divisor.scale - this.scale;
    let n = this.unscaled;
    let d = divisor.unscaled;
    if (shift >= 0) n *= pow10(shift);
    else d *= pow10(-shift);
    if (d < 0n) {
      n = -n;
      d = -d;
    }
    return new Decimal(divideRounded(n, d, rounding), scale);
  }

  compare(other: Decimal): number {
    const [a, b] = this.aligned(other);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  signum(): number {
    return this.unscaled < 0n ? -1 : this.unscaled > 0n ? 1 : 0;
  }

  /** Equal in value (2.50 equals 2.5), as `compareTo` and unlike Java's `equals`. */
  equals(other: Decimal): boolean {
    return this.compare(other) === 0;
  }

  static max(a: Decimal, b: Decimal): Decimal {
    return a.compare(b) >= 0 ? a : b;
  }

  /** For display and charts only; never used for counting. */
  toNumber(): number {
    return Number(this.toString());
  }

  /** Always without exponent, like BigDecimal.toPlainString. */
  toPlainString(): string {
    const digits = abs(this.unscaled).toString();
    const sign = this.unscaled < 0n ? '-' : '';
    if (this.scale === 0) return `${sign}${digits}`;
    if (digits.length > this.scale) {
      const point = digits.length - this.scale;
      return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
    }
    return `${sign}0.${'0'.repeat(this.scale - digits.length)}${digits}`;
  }

  /** Java's BigDecimal.toString: plain unless the adjusted exponent is below -6. */
  toString(): string {
    const digits = abs(this.unscaled).toString();
    const sign = this.unscaled < 0n ? '-' : '';
    if (this.scale === 0) return `${sign}${digits}`;
    const adjusted = -this.scale + (digits.length - 1);
    if (adjusted >= -6) return this.toPlainString();
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}E${adjusted}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
