import type { PartialAssumptions } from '../domain/assumptions.js';
import type { SavedStock } from '../domain/saved-stock.js';
import type { CuratedStockRepository } from '../db/curated-stock.repository.js';
import type { Logger } from '../logger.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';

export type { SavedStock };

/** Reads the old `curated:stocks` cache entry: undefined when there is none; throws StoreUnavailableError when the cache cannot say. */
export type LegacyCuratedList = () => Promise<readonly SavedStock[] | undefined>;

/**
 * The curated list and each stock's saved assumptions, in the durable database. On first use
 * of a database the list is imported once: from the old `curated:stocks` cache entry when there
 * is one, else from CURATED_SYMBOLS. While the cache cannot say whether that entry exists, the
 * import waits (the next call tries again) and the configured list stands in, so an entry is
 * never lost to an early seed. While the database does not answer, reads get the configured
 * list (without saved assumptions) and saves are refused with STORE_UNAVAILABLE.
 */
export class CuratedStocks {
  private importDone = false;
  private importing: Promise<boolean> | undefined;

  constructor(
    private readonly repository: CuratedStockRepository,
    private readonly legacy: LegacyCuratedList,
    private readonly configured: readonly string[],
    private readonly logger: Logger,
  ) {}

  /** At start-up: the one-time import, when it has not run on this database yet. */
  async seed(): Promise<void> {
    await this.ensureImported().catch((error: unknown) => {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.logger.warn({ err: error.message }, 'curated list not imported yet: the store did not answer; the next request tries again');
    });
  }

  async list(): Promise<SavedStock[]> {
    try {
      if (!(await this.ensureImported())) return this.fromConfiguration();
      return await this.repository.list();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.logger.warn({ err: error.message }, 'curated list unavailable: the configured list stands in');
      return this.fromConfiguration();
    }
  }

  /**
   * Adds a stock or changes it: `active` when given, assumptions merged field by field (a null
   * field is left as it was), in one statement, so that saves from any process at once all
   * stay. Throws StoreUnavailableError rather than lose the change.
   */
  async save(symbol: string, change: { active?: boolean | null; assumptions?: PartialAssumptions | null }): Promise<SavedStock> {
    if (!(await this.ensureImported())) {
      throw new StoreUnavailableError('the curated list is not imported yet (the cache did not answer): try again');
    }
    const given = Object.fromEntries(Object.entries(change.assumptions ?? {}).filter(([, value]) => value !== null && value !== undefined));
    return this.repository.save(symbol, { active: change.active ?? undefined, assumptions: given });
  }

  /** true once the table holds the list; false while the old entry cannot be read. One attempt at a time. */
  private ensureImported(): Promise<boolean> {
    if (this.importDone) return Promise.resolve(true);
    this.importing ??= this.importOnce().finally(() => {
      this.importing = undefined;
    });
    return this.importing;
  }

  private async importOnce(): Promise<boolean> {
    if (await this.repository.imported()) return (this.importDone = true);
    let stocks: readonly SavedStock[] | undefined;
    try {
      stocks = await this.legacy();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.logger.warn({ err: error.message }, 'curated list import waits: the cache did not say whether an old curated:stocks entry exists');
      return false;
    }
    const outcome =
      stocks === undefined
        ? await this.repository.importOnce(this.fromConfiguration(), 'CURATED_SYMBOLS')
        : await this.repository.importOnce(stocks, 'curated:stocks');
    if (outcome.imported) this.logger.info({ source: outcome.source, count: outcome.rows }, 'curated list imported into the database');
    return (this.importDone = true);
  }

  private fromConfiguration(): SavedStock[] {
    return this.configured.map((symbol) => ({ symbol, active: true, assumptions: {} }));
  }
}
