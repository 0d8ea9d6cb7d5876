/**
 * Valuation snapshots as CSV (RFC 4180: a header row, CRLF line ends, a field
 * quoted when it holds a comma, a quote or a line break, quotes doubled),
 * streamed: rows are written as the snapshots arrive, so an export of every
 * stock never sits in memory whole.
 *
 * Numbers are written as the API answers them (12.5, not 12.50) and a null as an
 * empty field. Cells are not guarded against spreadsheet formula injection (a
 * leading = + - @): this is a data export, negative numbers are real values, and a
 * prefix would corrupt them; the only text cells are tickers (A-Z, 0-9, '.', '-'),
 * EPS/FCF and dates.
 */
import { Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ValuationSnapshot } from './valuation-snapshot.js';

type Cell = string | number | null;

/** The columns, in order, with how each is read from a snapshot. */
const COLUMNS: readonly (readonly [header: string, read: (snapshot: ValuationSnapshot) => Cell])[] = [
  ['symbol', (s) => s.symbol],
  ['date', (s) => s.date],
  ['eps_ttm', (s) => s.epsTtm],
  ['fcf_per_share', (s) => s.fcfPerShare],
  ['eps_intrinsic_value', (s) => s.epsIntrinsicValue],
  ['fcf_intrinsic_value', (s) => s.fcfIntrinsicValue],
  ['effective_intrinsic_value', (s) => s.effectiveIntrinsicValue],
  ['preferred_method', (s) => s.preferredMethod],
  ['eps_growth_rate', (s) => s.assumptions.epsGrowthRate],
  ['eps_multiple', (s) => s.assumptions.epsMultiple],
  ['fcf_growth_rate', (s) => s.assumptions.fcfGrowthRate],
  ['fcf_multiple', (s) => s.assumptions.fcfMultiple],
  ['desired_return', (s) => s.assumptions.desiredReturn],
  ['projection_years', (s) => s.assumptions.projectionYears],
  ['recorded_at', (s) => s.recordedAt.toISOString()],
];

export const VALUATION_HISTORY_CSV_HEADER: readonly string[] = Object.freeze(COLUMNS.map(([header]) => header));

export const VALUATION_HISTORY_CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

/** One snapshot's fields, in the header's order, as the CSV writes them. */
export function valuationHistoryCsvRecord(snapshot: ValuationSnapshot): string[] {
  return COLUMNS.map(([, read]) => {
    const cell = read(snapshot);
    return cell === null ? '' : String(cell);
  });
}

async function* records(snapshots: AsyncIterable<ValuationSnapshot> | Iterable<ValuationSnapshot>): AsyncGenerator<string[]> {
  for await (const snapshot of snapshots) yield valuationHistoryCsvRecord(snapshot);
}

/**
 * The CSV of `snapshots`, header first (also when there are none). An error
 * from the source destroys the returned stream with that error, so a handler
 * piping it ends the response instead of sending a truncated file as complete.
 */
export function valuationHistoryCsv(snapshots: AsyncIterable<ValuationSnapshot> | Iterable<ValuationSnapshot>): Readable {
  const writer = stringify({
    header: true,
    columns: [...VALUATION_HISTORY_CSV_HEADER],
    record_delimiter: 'windows',
    quote: '"',
    escape: '"',
  });
  // The error reaches the caller through the returned stream; nothing to do here.
  return pipeline(Readable.from(records(snapshots)), writer, () => {});
}
