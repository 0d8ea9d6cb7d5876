import type { PartialAssumptions } from '../domain/assumptions.js';
import type { Logger } from '../logger.js';
import type { Cache } from './cache.js';
import { CURATED_STOCKS_KEY } from './cache-keys.js';
import type { CuratedList, SavedStock } from './curated-list.port.js';
import { StoreUnavailableError } from './store-unavailable.error.js';

export type { SavedStock };

/**
 * The curated list and each stock's saved assumptions, one store entry. Seeded from
 * CURATED_SYMBOLS when the store has none; while the store is unreachable the
 * configured list (without saved assumptions) stands in.
 */
export class CuratedStocks {
  constructor(
    private readonly cache: Cache,
    private readonly curatedList: CuratedList,
    private readonly configured: readonly string[],
    private readonly logger: Logger,
  ) {}

  async seed(): Promise<void> {
    let seeded = false;
    try {
      await this.curatedList.update((stored) => {
        seeded = stored === undefined;
        return stored ?? this.fromConfiguration();
      });
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.logger.warn({ err: error.message }, 'curated list not seeded: the store did not answer');
      return;
    }
    if (seeded) this.logger.info({ count: this.configured.length }, 'curated list seeded from CURATED_SYMBOLS');
  }

  async list(): Promise<SavedStock[]> {
    return (await this.cache.get<SavedStock[]>(CURATED_STOCKS_KEY)) ?? this.fromConfiguration();
  }

  /**
   * Adds a stock or changes it: `active` when given, assumptions merged field by field
   * (a null field is left as it was), applied to the list as stored at that moment, so that
   * saves from any process at once all stay. Throws StoreUnavailableError rather than lose the change.
   */
  async save(symbol: string, change: { active?: boolean | null; assumptions?: PartialAssumptions | null }): Promise<SavedStock> {
    const given = Object.fromEntries(Object.entries(change.assumptions ?? {}).filter(([, value]) => value !== null && value !== undefined));
    let updated: SavedStock = { symbol, active: change.active ?? true, assumptions: given };
    await this.curatedList.update((stored) => {
      const stocks = stored ?? this.fromConfiguration();
      const current = stocks.find((stock) => stock.symbol === symbol) ?? { symbol, active: true, assumptions: {} };
      updated = { symbol, active: change.active ?? current.active, assumptions: { ...current.assumptions, ...given } };
      return stocks.some((stock) => stock.symbol === symbol)
        ? stocks.map((stock) => (stock.symbol === symbol ? updated : stock))
        : [...stocks, updated];
    });
    return updated;
  }

  private fromConfiguration(): SavedStock[] {
    return this.configured.map((symbol) => ({ symbol, active: true, assumptions: {} }));
  }
}
