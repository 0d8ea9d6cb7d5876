import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ASSUMPTIONS } from '../../src/domain/assumptions.js';
import { valuationHistoryCsv, VALUATION_HISTORY_CSV_HEADER } from '../../src/domain/valuation-history-csv.js';
import type { ValuationSnapshot } from '../../src/domain/valuation-snapshot.js';

const HEADER =
  'symbol,date,eps_ttm,fcf_per_share,eps_intrinsic_value,fcf_intrinsic_value,effective_intrinsic_value,preferred_method,' +
  'eps_growth_rate,eps_multiple,fcf_growth_rate,fcf_multiple,desired_return,projection_years,recorded_at';

const snapshot = (overrides: Partial<ValuationSnapshot> = {}): ValuationSnapshot => ({
  symbol: 'AAPL',
  date: '2026-04-01',
  epsTtm: 6.57,
  fcfPerShare: 7.1,
  epsIntrinsicValue: 132.84,
  fcfIntrinsicValue: 143.56,
  effectiveIntrinsicValue: 132.84,
  preferredMethod: 'EPS',
  assumptions: { ...DEFAULT_ASSUMPTIONS, epsGrowthRate: 12.5 },
  recordedAt: new Date('2026-04-01T14:30:00.000Z'),
  ...overrides,
});

async function* later<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

describe('valuationHistoryCsv', () => {
  it('writes the header row alone when there are no snapshots', async () => {
    expect(await text(valuationHistoryCsv([]))).toBe(`${HEADER}\r\n`);
    expect(VALUATION_HISTORY_CSV_HEADER.join(',')).toBe(HEADER);
  });

  it('writes one CRLF-ended row a snapshot, numbers as the API answers them and null as an empty field', async () => {
    const csv = await text(
      valuationHistoryCsv(
        later([
          snapshot(),
          snapshot({
            symbol: 'INTC',
            epsTtm: -0.44,
            epsIntrinsicValue: null,
            effectiveIntrinsicValue: null,
            fcfPerShare: null,
            fcfIntrinsicValue: null,
          }),
        ]),
      ),
    );
    expect(csv).toBe(
      `${HEADER}\r\n` +
        'AAPL,2026-04-01,6.57,7.1,132.84,143.56,132.84,EPS,12.5,20,10,20,15,5,2026-04-01T14:30:00.000Z\r\n' +
        'INTC,2026-04-01,-0.44,,,,,EPS,12.5,20,10,20,15,5,2026-04-01T14:30:00.000Z\r\n',
    );
  });

  it('quotes a field holding a comma, a quote or a line break (RFC 4180), and csv-parse reads the same rows back', async () => {
    // No real field can hold these (tickers are A-Z, 0-9, '.', '-'): a crafted snapshot tests the quoting.
    const awkward = [snapshot({ symbol: 'BRK,"B"' }), snapshot({ symbol: 'LINE\r\nBREAK' }), snapshot({ symbol: 'X"' })];
    const csv = await text(valuationHistoryCsv(awkward));
    expect(csv).toContain('\r\n"BRK,""B""",2026-04-01,');
    expect(csv).toContain('\r\n"LINE\r\nBREAK",2026-04-01,');
    expect(csv).toContain('\r\n"X""",2026-04-01,');

    const rows: Record<string, string>[] = parse(csv, { columns: true, record_delimiter: '\r\n' });
    expect(rows.map((row) => row.symbol)).toEqual(['BRK,"B"', 'LINE\r\nBREAK', 'X"']);
    expect(rows[0]).toEqual({
      symbol: 'BRK,"B"',
      date: '2026-04-01',
      eps_ttm: '6.57',
      fcf_per_share: '7.1',
      eps_intrinsic_value: '132.84',
      fcf_intrinsic_value: '143.56',
      effective_intrinsic_value: '132.84',
      preferred_method: 'EPS',
      eps_growth_rate: '12.5',
      eps_multiple: '20',
      fcf_growth_rate: '10',
      fcf_multiple: '20',
      desired_return: '15',
      projection_years: '5',
      recorded_at: '2026-04-01T14:30:00.000Z',
    });
  });

  it('leaves negative numbers as they are: no formula-injection prefix on a data export', async () => {
    const csv = await text(valuationHistoryCsv([snapshot({ epsTtm: -3.2, assumptions: { ...DEFAULT_ASSUMPTIONS, epsGrowthRate: -20 } })]));
    const [row] = parse(csv, { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ eps_ttm: '-3.2', eps_growth_rate: '-20' });
  });

  it('ends the stream with the source error instead of finishing a truncated file', async () => {
    async function* failing(): AsyncGenerator<ValuationSnapshot> {
      yield snapshot();
      throw new Error('database went away');
    }
    await expect(text(valuationHistoryCsv(failing()))).rejects.toThrow('database went away');
  });
});
