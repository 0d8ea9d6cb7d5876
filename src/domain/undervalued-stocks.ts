/** A curated stock with what undervaluedStocks selects it by. */
export interface PricedStock {
  symbol: string;
  active: boolean;
  /** null: no positive intrinsic value, or no price */
  discountPercent: number | null;
  /** null: no quote */
  stale: boolean | null;
}

/**
 * Active stocks priced below their intrinsic value (a positive discount) by a price that is
 * not stale, largest discount first (ties by symbol), at most `first`.
 */
export function selectUndervalued<T extends PricedStock>(stocks: readonly T[], first: number): T[] {
  return stocks
    .filter((stock) => stock.active && stock.stale === false && stock.discountPercent !== null && stock.discountPercent > 0)
    .sort((a, b) => b.discountPercent! - a.discountPercent! || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    .slice(0, first);
}
