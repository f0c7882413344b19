// The decimal type against java.math.BigDecimal: expected strings were printed by OpenJDK 17.
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal';

const d = (s: string): Decimal => Decimal.parse(s) as Decimal;

describe('Decimal, as Java BigDecimal counts and prints', () => {
  it('rounds a Hare threshold up and a Droop threshold down plus one unit, as RCTab computes them', () => {
    expect(Decimal.of(59463).divide(Decimal.of(3), 0, 'up').toString()).toBe('19821');
    expect(Decimal.of(59463).divide(Decimal.of(4), 4, 'down').add(new Decimal(1n, 4)).toString()).toBe(
      '14865.7501',
    );
  });

  it('keeps the scale of sums and products: 1 − 0.9063 is 0.0937, and 1.5 × 2.25 is 3.375', () => {
    expect(Decimal.ONE.subtract(d('0.9063')).toString()).toBe('0.0937');
    expect(d('1.5').multiply(d('2.25')).toString()).toBe('3.375');
    expect(Decimal.ONE.multiply(Decimal.ZERO).setScale(4).toString()).toBe('0.0000');
    expect(Decimal.of(13914).add(d('0.0000')).toString()).toBe('13914.0000');
  });

  it('divides with a given scale and rounding, also by a fractional divisor and for negative values', () => {
    expect(d('0.7499').divide(Decimal.of(8), 4, 'down').toString()).toBe('0.0937');
    expect(Decimal.of(10).divide(d('0.3'), 3, 'down').toString()).toBe('33.333');
    expect(Decimal.of(-7).divide(Decimal.of(2), 0, 'up').toString()).toBe('-4');
    expect(Decimal.of(-7).divide(Decimal.of(2), 0, 'down').toString()).toBe('-3');
    expect(() => Decimal.ONE.divide(Decimal.ZERO, 2, 'down')).toThrow('division by zero');
  });

  it('prints very small values in scientific notation as Java does', () => {
    expect(d('0.00000001').toString()).toBe('1E-8');
    expect(d('0.0000001').toString()).toBe('1E-7');
    expect(d('0.000001').toString()).toBe('0.000001');
    expect(d('-0.00000012').toString()).toBe('-1.2E-7');
    expect(d('123.4500').toString()).toBe('123.4500');
  });

  it('compares by value (2.50 equals 2.5) and refuses what is not a plain decimal', () => {
    expect(d('2.50').equals(d('2.5'))).toBe(true);
    expect(d('2.50').compare(d('2.51'))).toBe(-1);
    expect(d('-1').signum()).toBe(-1);
    expect(Decimal.parse('1e5')).toBeUndefined();
    expect(Decimal.parse('abc')).toBeUndefined();
    expect(d('.5').toString()).toBe('0.5');
  });
});
