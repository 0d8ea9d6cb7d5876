import pLimit from 'p-limit';
import type { PartialAssumptions } from '../domain/assumptions.js';
import type { Logger } from '../logger.js';
import type { Cache } from './cache.js';
import { CURATED_STOCKS_KEY } from './cache-keys.js';
import { StoreUnavailableError } from './store-unavailable.error.js';

export interface SavedStock {
  symbol: string;
  active: boolean;
  /** only what was saved; the rest falls back to the defaults */
  assumptions: PartialAssumptions;
}

/**
 * The curated list and each stock's saved assumptions, one store entry. Seeded from
 * CURATED_SYMBOLS when the store has none; while the store is unreachable the
 * configured list (without saved assumptions) stands in.
 */
export class CuratedStocks {
  private readonly oneAtATime = pLimit(1);
  constructor(
    private readonly cache: Cache,
    private readonly configured: readonly string[],
    private readonly logger: Logger,
  ) {}

  async seed(): Promise<void> {
    const existing = await this.cache.get<SavedStock[]>(CURATED_STOCKS_KEY);
    if (existing !== undefined) return;
    if (await this.cache.set(CURATED_STOCKS_KEY, this.fromConfiguration())) {
      this.logger.info({ count: this.configured.length }, 'curated list seeded from CURATED_SYMBOLS');
    }
  }

  async list(): Promise<SavedStock[]> {
    return (await this.cache.get<SavedStock[]>(CURATED_STOCKS_KEY)) ?? this.fromConfiguration();
  }

  /**
   * Adds a stock or changes it: `active` when given, assumptions merged field by field
   * (a null field is left as it was). Throws StoreUnavailableError rather than lose the change.
   * Writes of this process go one at a time; two processes saving at once may race (last wins).
   */
  save(symbol: string, change: { active?: boolean | null; assumptions?: PartialAssumptions | null }): Promise<SavedStock> {
    return this.oneAtATime(async () => {
      const [stored] = await this.cache.getManyOrFail<SavedStock[]>([CURATED_STOCKS_KEY]);
      const stocks = stored ?? this.fromConfiguration();
      const current = stocks.find((stock) => stock.symbol === symbol) ?? { symbol, active: true, assumptions: {} };
      const given = Object.fromEntries(Object.entries(change.assumptions ?? {}).filter(([, value]) => value !== null && value !== undefined));
      const updated: SavedStock = { symbol, active: change.active ?? current.active, assumptions: { ...current.assumptions, ...given } };
      const next = stocks.some((stock) => stock.symbol === symbol)
        ? stocks.map((stock) => (stock.symbol === symbol ? updated : stock))
        : [...stocks, updated];
      if (!(await this.cache.set(CURATED_STOCKS_KEY, next))) throw new StoreUnavailableError('the store did not take the curated list');
      return updated;
    });
  }

  private fromConfiguration(): SavedStock[] {
    return this.configured.map((symbol) => ({ symbol, active: true, assumptions: {} }));
  }
}
