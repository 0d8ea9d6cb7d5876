import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { HalfEvenDecimal, quantize, roundHalfEven } from '../../src/domain/half-even.js';

describe('half-even rounding (the domain rule, as Python quantize in the original app)', () => {
  afterEach(() => {
    Decimal.set({ precision: 20, rounding: Decimal.ROUND_HALF_UP });
  });

  it('rounds a tie to the even neighbour, and every other value to the nearer one', () => {
    expect(roundHalfEven('2.665', 2)).toBe(2.66);
    expect(roundHalfEven('2.675', 2)).toBe(2.68);
    expect(roundHalfEven('0.125', 2)).toBe(0.12);
    expect(roundHalfEven('0.135', 2)).toBe(0.14);
    expect(roundHalfEven('101.965000001', 2)).toBe(101.97);
    expect(roundHalfEven('-1.005', 2)).toBe(-1);
    expect(roundHalfEven('-1.015', 2)).toBe(-1.02);
    expect(roundHalfEven('0.12345', 4)).toBe(0.1234);
    expect(roundHalfEven('0.12355', 4)).toBe(0.1236);
  });

  it('answers a value that rounds to zero as 0, never -0', () => {
    expect(Object.is(roundHalfEven('-0.004', 2), 0)).toBe(true);
    expect(Object.is(roundHalfEven(-0, 2), 0)).toBe(true);
  });

  it('keeps the Decimal for further steps with quantize', () => {
    const step = quantize('5.005', 2);
    expect(step.toFixed()).toBe('5');
    expect(step.times(3).toFixed()).toBe('15');
  });

  it('is not moved by the global Decimal settings, and does not move them', () => {
    Decimal.set({ precision: 5, rounding: Decimal.ROUND_DOWN });
    // 1/3 at 40 digits, not 5, and 2.675 rounds up (half-even), not down
    expect(new HalfEvenDecimal(1).div(3).toFixed()).toBe('0.' + '3'.repeat(40));
    expect(roundHalfEven('2.675', 2)).toBe(2.68);
    expect(Decimal.precision).toBe(5);
    expect(Decimal.rounding).toBe(Decimal.ROUND_DOWN);
  });
});
