import { asc, eq, sql } from 'drizzle-orm';
import type { PartialAssumptions } from '../domain/assumptions.js';
import type { SavedStock } from '../domain/saved-stock.js';
import { durableCall } from './durable-call.js';
import type { DurableDb } from './durable-database.js';
import { curatedStocks, dataImports } from './schema.js';

/** The name of the curated list's one-time import in data_imports. */
export const CURATED_LIST_IMPORT = 'curated-list';

/** Only one process imports: the others wait for it and then find the import done. */
const IMPORT_LOCK_KEY = 7_310_014;

export type CuratedListImport =
  | { imported: true; source: string; rows: number }
  | { imported: false; reason: 'done before' };

/** The curated list's table. Every write is one statement, so that saves from several processes at once all stay. */
export class CuratedStockRepository {
  constructor(private readonly db: DurableDb) {}

  list(): Promise<SavedStock[]> {
    return durableCall('curated list', async () => {
      const rows = await this.db.select().from(curatedStocks).orderBy(asc(curatedStocks.position));
      return rows.map(toSavedStock);
    });
  }

  /** Whether the list was ever filled here (imported or seeded): until then, the configured list stands in. */
  imported(): Promise<boolean> {
    return durableCall('curated list import', async () => {
      const rows = await this.db.select({ name: dataImports.name }).from(dataImports).where(eq(dataImports.name, CURATED_LIST_IMPORT));
      return rows.length > 0;
    });
  }

  /**
   * Adds a stock, or changes it in place: `active` when given, the given assumptions merged
   * into the saved ones by the database (jsonb `||`), so that two saves at once both stay.
   */
  save(symbol: string, change: { active?: boolean | undefined; assumptions: PartialAssumptions }): Promise<SavedStock> {
    return durableCall('saving a curated stock', async () => {
      const [row] = await this.db
        .insert(curatedStocks)
        .values({ symbol, active: change.active ?? true, assumptions: change.assumptions })
        .onConflictDoUpdate({
          target: curatedStocks.symbol,
          set: {
            ...(change.active === undefined ? {} : { active: change.active }),
            assumptions: sql`${curatedStocks.assumptions} || excluded.assumptions`,
            updatedAt: sql`now()`,
          },
        })
        .returning();
      if (row === undefined) throw new Error(`saving ${symbol} returned no row`);
      return toSavedStock(row);
    });
  }

  /**
   * Fills the table once, in one transaction: from `stocks` (the old `curated:stocks` entry,
   * or the configured symbols when there was none), recorded in data_imports under `source`.
   * Stocks already in the table (saved since) keep what they have.
   */
  importOnce(stocks: readonly SavedStock[], source: string): Promise<CuratedListImport> {
    return durableCall('curated list import', () =>
      this.db.transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`);
        const done = await tx.select({ name: dataImports.name }).from(dataImports).where(eq(dataImports.name, CURATED_LIST_IMPORT));
        if (done.length > 0) return { imported: false, reason: 'done before' } as const;
        for (const stock of stocks) {
          await tx
            .insert(curatedStocks)
            .values({ symbol: stock.symbol, active: stock.active, assumptions: stock.assumptions })
            .onConflictDoNothing({ target: curatedStocks.symbol });
        }
        await tx.insert(dataImports).values({ name: CURATED_LIST_IMPORT, source, rows: stocks.length });
        return { imported: true, source, rows: stocks.length } as const;
      }),
    );
  }
}

function toSavedStock(row: typeof curatedStocks.$inferSelect): SavedStock {
  return { symbol: row.symbol, active: row.active, assumptions: row.assumptions };
}
