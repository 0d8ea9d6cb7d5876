import { and, asc, eq, gt, gte, inArray, lte, or, sql, type SQL } from 'drizzle-orm';
import type { ValuationSnapshot } from '../domain/valuation-snapshot.js';
import { durableCall } from './durable-call.js';
import type { DurableDb } from './durable-database.js';
import { valuationSnapshots } from './schema.js';

/** What one record() did: the snapshots written, and those left as they were (already recorded, force false). */
export interface SnapshotRecording {
  recorded: ValuationSnapshot[];
  skipped: ValuationSnapshot[];
}

/** Both ends included, 'YYYY-MM-DD'; either may be open. */
export interface DateRange {
  from?: string | undefined;
  to?: string | undefined;
}

/** Rows a page of the export reads at a time: an export of every stock never sits in memory whole. */
export const EXPORT_PAGE_SIZE = 500;

/**
 * The valuation snapshots of one data mode: the market's, or the bundled sample's
 * (`sampleData`). Every query filters by the mode, so the two never mix.
 */
export class ValuationSnapshotRepository {
  constructor(
    private readonly db: DurableDb,
    private readonly mode: { sampleData: boolean },
  ) {}

  /**
   * Writes the snapshots in one statement. Without `force`, one already recorded for its
   * (symbol, date) stays untouched, recordedAt included; with it, it is replaced.
   */
  record(snapshots: readonly ValuationSnapshot[], options: { force: boolean }): Promise<SnapshotRecording> {
    if (snapshots.length === 0) return Promise.resolve({ recorded: [], skipped: [] });
    return durableCall('recording valuation snapshots', async () => {
      const insert = this.db.insert(valuationSnapshots).values(snapshots.map((snapshot) => ({ ...snapshot, sampleData: this.mode.sampleData })));
      const target = [valuationSnapshots.sampleData, valuationSnapshots.symbol, valuationSnapshots.date];
      const written = await (options.force
        ? insert.onConflictDoUpdate({ target, set: REPLACED_COLUMNS })
        : insert.onConflictDoNothing({ target })
      ).returning({ symbol: valuationSnapshots.symbol, date: valuationSnapshots.date });
      const keys = new Set(written.map((row) => `${row.symbol}|${row.date}`));
      const isWritten = (snapshot: ValuationSnapshot) => keys.has(`${snapshot.symbol}|${snapshot.date}`);
      return { recorded: snapshots.filter(isWritten), skipped: snapshots.filter((snapshot) => !isWritten(snapshot)) };
    });
  }

  /** Which of `symbols` have a snapshot for `date`. */
  recordedSymbols(date: string, symbols: readonly string[]): Promise<string[]> {
    if (symbols.length === 0) return Promise.resolve([]);
    return durableCall('reading valuation snapshots', async () => {
      const rows = await this.db
        .select({ symbol: valuationSnapshots.symbol })
        .from(valuationSnapshots)
        .where(and(this.inMode(), eq(valuationSnapshots.date, date), inArray(valuationSnapshots.symbol, [...symbols])));
      return rows.map((row) => row.symbol);
    });
  }

  /** One stock's snapshots, oldest first, between `from` and `to` (both included). */
  history(symbol: string, range: DateRange = {}): Promise<ValuationSnapshot[]> {
    return durableCall('reading valuation history', async () => {
      const rows = await this.snapshotsWhere(
        eq(valuationSnapshots.symbol, symbol),
        range.from === undefined ? undefined : gte(valuationSnapshots.date, range.from),
        range.to === undefined ? undefined : lte(valuationSnapshots.date, range.to),
      ).orderBy(asc(valuationSnapshots.date));
      return rows.map(toSnapshot);
    });
  }

  /**
   * Every snapshot (of one stock, when given), ordered by symbol then date, a page at a
   * time: each page is one query that starts after the last row of the one before.
   */
  async *pages(filter: { symbol?: string | undefined } = {}, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<ValuationSnapshot[]> {
    let after: { symbol: string; date: string } | undefined;
    for (;;) {
      const page = await durableCall('exporting valuation history', async () => {
        const rows = await this.snapshotsWhere(
          filter.symbol === undefined ? undefined : eq(valuationSnapshots.symbol, filter.symbol),
          after === undefined ? undefined : laterThan(after),
        )
          .orderBy(asc(valuationSnapshots.symbol), asc(valuationSnapshots.date))
          .limit(pageSize);
        return rows.map(toSnapshot);
      });
      if (page.length > 0) yield page;
      if (page.length < pageSize) return;
      const last = page[page.length - 1]!;
      after = { symbol: last.symbol, date: last.date };
    }
  }

  /** Whole rows of this mode meeting every condition given (undefined ones left out). */
  private snapshotsWhere(...conditions: Array<SQL | undefined>) {
    return this.db.select().from(valuationSnapshots).where(and(this.inMode(), ...conditions)).$dynamic();
  }

  private inMode(): SQL {
    return eq(valuationSnapshots.sampleData, this.mode.sampleData);
  }
}

/** What force replaces: every recorded figure and recordedAt (the key stays). */
const REPLACED_COLUMNS = {
  epsTtm: sql`excluded.eps_ttm`,
  fcfPerShare: sql`excluded.fcf_per_share`,
  epsIntrinsicValue: sql`excluded.eps_intrinsic_value`,
  fcfIntrinsicValue: sql`excluded.fcf_intrinsic_value`,
  effectiveIntrinsicValue: sql`excluded.effective_intrinsic_value`,
  preferredMethod: sql`excluded.preferred_method`,
  assumptions: sql`excluded.assumptions`,
  recordedAt: sql`excluded.recorded_at`,
};

/** (symbol, date) after `row` in the export's order. */
function laterThan(row: { symbol: string; date: string }): SQL | undefined {
  return or(gt(valuationSnapshots.symbol, row.symbol), and(eq(valuationSnapshots.symbol, row.symbol), gt(valuationSnapshots.date, row.date)));
}

function toSnapshot(row: typeof valuationSnapshots.$inferSelect): ValuationSnapshot {
  return {
    symbol: row.symbol,
    date: row.date,
    epsTtm: row.epsTtm,
    fcfPerShare: row.fcfPerShare,
    epsIntrinsicValue: row.epsIntrinsicValue,
    fcfIntrinsicValue: row.fcfIntrinsicValue,
    effectiveIntrinsicValue: row.effectiveIntrinsicValue,
    preferredMethod: row.preferredMethod,
    assumptions: row.assumptions,
    recordedAt: row.recordedAt,
  };
}
