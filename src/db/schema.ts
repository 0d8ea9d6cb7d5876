import { sql } from 'drizzle-orm';
import { boolean, check, date, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { PartialAssumptions, ValuationAssumptions } from '../domain/assumptions.js';

/**
 * The durable data, one table a concept. Changing a table here needs a new migration:
 * `npm run db:generate` writes it to src/db/migrations/ (commit it); start-up applies it.
 */

/** The curated list: the stocks a scan covers by default, with what their owner saved. */
export const curatedStocks = pgTable('curated_stocks', {
  symbol: text('symbol').primaryKey(),
  active: boolean('active').notNull().default(true),
  /** only the fields that were saved; the rest fall back to the defaults when read */
  assumptions: jsonb('assumptions').$type<PartialAssumptions>().notNull().default({}),
  /** the list's order: the order stocks were added in */
  position: integer('position').notNull().generatedAlwaysAsIdentity(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** One stock's valuation as recorded on a quarter's first day; kept forever. */
export const valuationSnapshots = pgTable(
  'valuation_snapshots',
  {
    symbol: text('symbol').notNull(),
    date: date('date', { mode: 'string' }).notNull(),
    epsTtm: numeric('eps_ttm', { mode: 'number' }),
    fcfPerShare: numeric('fcf_per_share', { mode: 'number' }),
    epsIntrinsicValue: numeric('eps_intrinsic_value', { mode: 'number' }),
    fcfIntrinsicValue: numeric('fcf_intrinsic_value', { mode: 'number' }),
    effectiveIntrinsicValue: numeric('effective_intrinsic_value', { mode: 'number' }),
    preferredMethod: text('preferred_method', { enum: ['EPS', 'FCF'] }).notNull(),
    /** every assumption as resolved when recorded (defaults included) */
    assumptions: jsonb('assumptions').$type<ValuationAssumptions>().notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** recorded in sample-data mode (no API key): never shown beside, or in place of, the market's */
    sampleData: boolean('sample_data').notNull().default(false),
  },
  (table) => [
    primaryKey({ columns: [table.sampleData, table.symbol, table.date] }),
    check('valuation_snapshots_quarter_start', sql`extract(day from ${table.date}) = 1 and extract(month from ${table.date}) in (1, 4, 7, 10)`),
  ],
);

/** One-time imports done on this database (the curated list from its old `curated:stocks` entry). */
export const dataImports = pgTable('data_imports', {
  name: text('name').primaryKey(),
  /** where the data came from: the entry's key, or the configuration when there was none */
  source: text('source').notNull(),
  rows: integer('rows').notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
