/**
 * The valuation snapshots' table (src/db/valuation-snapshot.repository.ts) and the scheduled
 * run's lock (src/db/snapshot-run-lock.ts), the same suite on the embedded PGlite and on a
 * PostgreSQL server, each test on a database of its own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotRunLock } from '../../src/db/snapshot-run-lock.js';
import { ValuationSnapshotRepository } from '../../src/db/valuation-snapshot.repository.js';
import { DEFAULT_ASSUMPTIONS } from '../../src/domain/assumptions.js';
import type { ValuationSnapshot } from '../../src/domain/valuation-snapshot.js';
import { createLogger } from '../../src/logger.js';
import { durableEngines, openDurable, runCleanups, type Cleanups } from '../support/durable-engines.js';

const logger = createLogger('silent');
const cleanups: Cleanups = [];
afterEach(() => runCleanups(cleanups));

const MARKET = { sampleData: false };

function snapshot(symbol: string, date: string, value: number | null, extra: Partial<ValuationSnapshot> = {}): ValuationSnapshot {
  return {
    symbol,
    date,
    epsTtm: 6.42,
    fcfPerShare: -1.05,
    epsIntrinsicValue: value,
    fcfIntrinsicValue: null,
    effectiveIntrinsicValue: value,
    preferredMethod: 'EPS',
    assumptions: { ...DEFAULT_ASSUMPTIONS, epsGrowthRate: 12.5 },
    recordedAt: new Date('2026-04-01T13:30:00.123Z'),
    ...extra,
  };
}

describe.each(durableEngines(cleanups))('valuation snapshots on $name', (engine) => {
  describe.skipIf(engine.skip)('', () => {
    const open = async () => openDurable(cleanups, await engine.fresh(), 2000, logger);

    it('gives back what it recorded, figures, nulls, assumptions and recordedAt to the millisecond, oldest first within a range', async () => {
      const repository = new ValuationSnapshotRepository((await open()).db, MARKET);
      const rows = [snapshot('AAPL', '2026-04-01', 187.31), snapshot('AAPL', '2025-10-01', null), snapshot('AAPL', '2026-01-01', 1234567.89), snapshot('MSFT', '2026-01-01', 400)];
      expect((await repository.record(rows, { force: false })).skipped).toEqual([]);
      expect(await repository.history('AAPL')).toEqual([rows[1], rows[2], rows[0]]);
      expect(await repository.history('AAPL', { from: '2025-10-02', to: '2026-04-01' })).toEqual([rows[2], rows[0]]);
      expect(await repository.history('AAPL', { to: '2025-10-01' })).toEqual([rows[1]]);
      expect(await repository.history('NFLX')).toEqual([]);
      expect((await repository.recordedSymbols('2026-01-01', ['MSFT', 'AAPL', 'NFLX'])).sort()).toEqual(['AAPL', 'MSFT']);
    });

    it('leaves a recorded snapshot untouched, recordedAt included, unless force, which replaces it', async () => {
      const repository = new ValuationSnapshotRepository((await open()).db, MARKET);
      const first = snapshot('NVDA', '2026-04-01', 100);
      await repository.record([first], { force: false });
      const again = snapshot('NVDA', '2026-04-01', 120, { preferredMethod: 'FCF', recordedAt: new Date('2026-04-02T00:00:00Z'), assumptions: DEFAULT_ASSUMPTIONS });
      const other = snapshot('NVDA', '2026-07-01', 130);
      expect(await repository.record([again, other], { force: false })).toEqual({ recorded: [other], skipped: [again] });
      expect(await repository.history('NVDA')).toEqual([first, other]);
      expect(await repository.record([again], { force: true })).toEqual({ recorded: [again], skipped: [] });
      expect(await repository.history('NVDA')).toEqual([again, other]);
    });

    it('keeps the sample-data snapshots apart from the market’s, for the same stock and date', async () => {
      const database = await open();
      const market = new ValuationSnapshotRepository(database.db, MARKET);
      const sample = new ValuationSnapshotRepository(database.db, { sampleData: true });
      await market.record([snapshot('V', '2026-01-01', 300)], { force: false });
      expect((await sample.record([snapshot('V', '2026-01-01', 1)], { force: false })).recorded).toHaveLength(1);
      expect((await market.history('V')).map((row) => row.effectiveIntrinsicValue)).toEqual([300]);
      expect((await sample.history('V')).map((row) => row.effectiveIntrinsicValue)).toEqual([1]);
      expect(await sample.recordedSymbols('2026-01-01', ['V', 'MA'])).toEqual(['V']);
      const exported = [];
      for await (const page of sample.pages()) exported.push(...page);
      expect(exported.map((row) => row.effectiveIntrinsicValue)).toEqual([1]);
    });

    it('exports every snapshot by symbol then date, a page at a time across page ends, or one stock’s', async () => {
      const repository = new ValuationSnapshotRepository((await open()).db, MARKET);
      const rows = ['2025-07-01', '2025-10-01', '2026-01-01'].flatMap((date, i) => ['MSFT', 'AAPL', 'A'].map((symbol) => snapshot(symbol, date, 10 * i)));
      await repository.record(rows, { force: false });
      const pages: ValuationSnapshot[][] = [];
      for await (const page of repository.pages({}, 2)) pages.push(page);
      expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 2, 1]);
      const key = (row: ValuationSnapshot) => `${row.symbol} ${row.date}`;
      expect(pages.flat().map(key)).toEqual([...rows].map(key).sort());
      const one: ValuationSnapshot[] = [];
      for await (const page of repository.pages({ symbol: 'AAPL' }, 3)) one.push(...page);
      expect(one.map(key)).toEqual(['AAPL 2025-07-01', 'AAPL 2025-10-01', 'AAPL 2026-01-01']);
    });

    it('refuses, in the database itself, a snapshot dated other than a quarter’s first day', async () => {
      const repository = new ValuationSnapshotRepository((await open()).db, MARKET);
      await expect(repository.record([snapshot('AAPL', '2026-04-02', 1)], { force: false })).rejects.toThrow();
    });

    it('runs the scheduled work in one holder at a time: a second caller does not wait, and runs once the first is done', async () => {
      const options = await engine.fresh();
      // On a server: two openings, as two processes; on PGlite the one process's lock.
      const locks = engine.name === 'postgres' ? [snapshotRunLock(await openDurable(cleanups, options, 2000, logger)), snapshotRunLock(await openDurable(cleanups, options, 2000, logger))] : [snapshotRunLock(await openDurable(cleanups, options, 2000, logger))];
      const [first, second] = [locks[0]!, locks[locks.length - 1]!];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const running = first.runExclusively(async () => {
        entered();
        await held;
        return 'first';
      });
      await inside;
      expect(await second.runExclusively(async () => 'second')).toEqual({ ran: false });
      release();
      expect(await running).toEqual({ ran: true, value: 'first' });
      expect(await second.runExclusively(async () => 'second')).toEqual({ ran: true, value: 'second' });
    });
  });
});
