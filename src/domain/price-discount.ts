import { HalfEvenDecimal, roundHalfEven } from './half-even.js';

export type ValuationTier = 'DEEP_DISCOUNT' | 'DISCOUNT' | 'MODEST_DISCOUNT' | 'FAIR' | 'OVERVALUED';

/**
 * (intrinsic value - price) / intrinsic value * 100, rounded half-even to 2 decimals; null
 * without a positive intrinsic value or a positive price.
 */
export function discountPercent(intrinsicValue: number | null, price: number | null): number | null {
  if (intrinsicValue === null || price === null || !(intrinsicValue > 0) || !(price > 0)) return null;
  const value = new HalfEvenDecimal(intrinsicValue);
  return roundHalfEven(value.minus(price).div(value).times(100), 2);
}

/** The tier of an answered (rounded) discount: 30 / 20 / 10 / 0 are each their tier's lower bound. */
export function valuationTier(discount: number | null): ValuationTier | null {
  if (discount === null) return null;
  if (discount >= 30) return 'DEEP_DISCOUNT';
  if (discount >= 20) return 'DISCOUNT';
  if (discount >= 10) return 'MODEST_DISCOUNT';
  if (discount >= 0) return 'FAIR';
  return 'OVERVALUED';
}
