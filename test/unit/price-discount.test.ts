import { describe, expect, it } from 'vitest';
import { discountPercent, valuationTier } from '../../src/domain/price-discount.js';

describe('discountPercent', () => {
  it('is (intrinsic value - price) / intrinsic value * 100, to 2 decimals', () => {
    // (150 - 100) / 150 * 100 = 33.333… → 33.33
    expect(discountPercent(150, 100)).toBe(33.33);
    // (200 - 250) / 200 * 100 = -25
    expect(discountPercent(200, 250)).toBe(-25);
    // (189.84 - 189.84) = 0
    expect(discountPercent(189.84, 189.84)).toBe(0);
  });

  it('rounds half to even at the second decimal', () => {
    // (80 - 79.9) / 80 * 100 = 0.125 exactly → 0.12 (half up would say 0.13)
    expect(discountPercent(80, 79.9)).toBe(0.12);
    // (80 - 79.892) / 80 * 100 = 0.135 exactly → 0.14
    expect(discountPercent(80, 79.892)).toBe(0.14);
    // (80 - 71.9) / 80 * 100 = 10.125 exactly → 10.12
    expect(discountPercent(80, 71.9)).toBe(10.12);
  });

  it('is exact where binary floating point is not: (0.3 - 0.1) / 0.3 * 100 = 66.666… → 66.67', () => {
    expect(discountPercent(0.3, 0.1)).toBe(66.67);
  });

  it('is null without a positive intrinsic value or a price', () => {
    expect(discountPercent(null, 100)).toBeNull();
    expect(discountPercent(0, 100)).toBeNull();
    expect(discountPercent(-12.5, 100)).toBeNull();
    expect(discountPercent(150, null)).toBeNull();
    expect(discountPercent(150, 0)).toBeNull();
  });
});

describe('valuationTier', () => {
  it('puts each threshold in the tier it opens: exactly 30, 20, 10 and 0', () => {
    expect(valuationTier(30)).toBe('DEEP_DISCOUNT');
    expect(valuationTier(20)).toBe('DISCOUNT');
    expect(valuationTier(10)).toBe('MODEST_DISCOUNT');
    expect(valuationTier(0)).toBe('FAIR');
  });

  it('keeps a figure just under a threshold in the tier below', () => {
    expect(valuationTier(29.99)).toBe('DISCOUNT');
    expect(valuationTier(19.99)).toBe('MODEST_DISCOUNT');
    expect(valuationTier(9.99)).toBe('FAIR');
    expect(valuationTier(-0.01)).toBe('OVERVALUED');
    expect(valuationTier(-250)).toBe('OVERVALUED');
    expect(valuationTier(99.5)).toBe('DEEP_DISCOUNT');
  });

  it('follows the rounded discount: 29.996 % answers 30.00, hence DEEP_DISCOUNT', () => {
    // (100 - 70.004) / 100 * 100 = 29.996 → 30.00
    const discount = discountPercent(100, 70.004);
    expect(discount).toBe(30);
    expect(valuationTier(discount)).toBe('DEEP_DISCOUNT');
  });

  it('is null when the discount is', () => {
    expect(valuationTier(null)).toBeNull();
  });
});
