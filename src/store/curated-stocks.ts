import type { PartialAssumptions } from '../domain/assumptions.js';
import type { Logger } from '../logger.js';
import type { Cache } from './cache.js';
import { CURATED_STOCKS_KEY } from './cache-keys.js';

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

  private fromConfiguration(): SavedStock[] {
    return this.configured.map((symbol) => ({ symbol, active: true, assumptions: {} }));
  }
}
