/**
 * The domain's one rounding rule: half-even (banker's rounding), as Python's decimal context
 * rounds in the original app, on a Decimal of its own so the global Decimal configuration is
 * never read or changed by us, nor ours by anyone else.
 */
import { Decimal } from 'decimal.js';

/** 40 significant digits: ample headroom over Python's 28. */
export const HalfEvenDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

/** `value` to `places` decimals, half-even, still a Decimal (Python's `quantize`). */
export function quantize(value: Decimal.Value, places: number): Decimal {
  return new HalfEvenDecimal(value).toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
}

/** `value` to `places` decimals, half-even, as a number; a result of -0 is answered as 0. */
export function roundHalfEven(value: Decimal.Value, places: number): number {
  const result = quantize(value, places);
  return result.isZero() ? 0 : result.toNumber();
}
