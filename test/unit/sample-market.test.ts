import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nextQuarterlyDateOnOrAfter } from '../../src/providers/alpha-vantage/sample-market.js';
import { SampleAlphaVantage } from '../../src/providers/alpha-vantage/sample-alpha-vantage.js';

const bundle = JSON.parse(readFileSync(new URL('../../sample-data/alpha-vantage-sample.json', import.meta.url), 'utf8')) as {
  OVERVIEW: Record<string, { ExDividendDate: string }>;
};

describe('the sample ex-dividend dates', () => {
  it('move on by whole quarters to the first on or after today', () => {
    expect(nextQuarterlyDateOnOrAfter('2025-12-15', '2026-12-02')).toBe('2026-12-15');
    expect(nextQuarterlyDateOnOrAfter('2025-11-28', '2026-12-02')).toBe('2027-02-28');
    expect(nextQuarterlyDateOnOrAfter('2026-12-02', '2026-12-02')).toBe('2026-12-02');
    expect(nextQuarterlyDateOnOrAfter('2027-01-10', '2026-12-02')).toBe('2027-01-10');
    expect(nextQuarterlyDateOnOrAfter('None', '2026-12-02')).toBe('None');
  });

  it('are answered in OVERVIEW relative to the clock, for every dividend payer of the bundle, and "None" stays', async () => {
    const today = '2026-12-02';
    const sample = new SampleAlphaVantage(() => new Date(`${today}T15:00:00Z`));
    const payers = Object.entries(bundle.OVERVIEW).filter(([, overview]) => /^\d{4}-\d{2}-\d{2}$/.test(overview.ExDividendDate));
    expect(payers.length).toBeGreaterThan(5);
    for (const [symbol, overview] of payers) {
      const answered = (await sample.fetch({ fn: 'OVERVIEW', symbol })) as { ExDividendDate: string };
      expect(answered.ExDividendDate >= today, symbol).toBe(true);
      // Within one quarter of today, and on the bundled day of the month unless that month is shorter.
      expect(Date.parse(answered.ExDividendDate) - Date.parse(today)).toBeLessThanOrEqual(92 * 86_400_000);
      expect(Number(answered.ExDividendDate.slice(8)) === Number(overview.ExDividendDate.slice(8)) || Number(answered.ExDividendDate.slice(8)) <= 3).toBe(true);
    }
    const nonPayer = Object.entries(bundle.OVERVIEW).find(([, overview]) => overview.ExDividendDate === 'None')!;
    expect(((await sample.fetch({ fn: 'OVERVIEW', symbol: nonPayer[0] })) as { ExDividendDate: string }).ExDividendDate).toBe('None');
  });
});
