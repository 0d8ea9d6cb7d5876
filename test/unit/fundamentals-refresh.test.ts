import { describe, expect, it } from 'vitest';
import { refreshAllowance, refreshPlan, type StockEntries } from '../../src/domain/fundamentals-refresh.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 2, 10, 15, 0, 0);
const AHEAD = 2 * DAY;

/** A stock whose three entries expire at these offsets from NOW (undefined: not cached). */
function stock(symbol: string, earnings: number | undefined, overview: number | undefined, cashFlow: number | undefined): StockEntries {
  const at = (offset: number | undefined) => (offset === undefined ? undefined : NOW + offset);
  return {
    symbol,
    entries: [
      { fn: 'EARNINGS', expiresAt: at(earnings) },
      { fn: 'OVERVIEW', expiresAt: at(overview) },
      { fn: 'CASH_FLOW', expiresAt: at(cashFlow) },
    ],
  };
}

describe('refreshPlan', () => {
  it('puts never-valued stocks first of all, then the stalest (soonest to expire), and leaves fresh ones out', () => {
    const plan = refreshPlan(
      [
        stock('FRESH', 6 * DAY, 6 * DAY, 6 * DAY),
        stock('DAYLEFT', DAY, 5 * DAY, 5 * DAY),
        stock('NEVER', undefined, undefined, undefined),
        stock('HOURLEFT', HOUR, HOUR, 3 * DAY),
        stock('PARTLY', 6 * DAY, undefined, 6 * DAY),
      ],
      NOW,
      AHEAD,
    );
    expect(plan).toEqual([
      { symbol: 'NEVER', fns: ['EARNINGS', 'OVERVIEW', 'CASH_FLOW'], neverValued: true },
      // a missing entry cannot be answered from the cache: as urgent as never valued, after it in list order
      { symbol: 'PARTLY', fns: ['OVERVIEW'], neverValued: false },
      // only the entries within two days of expiry are fetched again
      { symbol: 'HOURLEFT', fns: ['EARNINGS', 'OVERVIEW'], neverValued: false },
      { symbol: 'DAYLEFT', fns: ['EARNINGS'], neverValued: false },
    ]);
  });

  it('puts a never-valued stock before one with a single entry missing, whatever the list order', () => {
    const plan = refreshPlan([stock('PARTLY', 6 * DAY, undefined, 6 * DAY), stock('NEVER', undefined, undefined, undefined)], NOW, AHEAD);
    expect(plan.map((entry) => entry.symbol)).toEqual(['NEVER', 'PARTLY']);
  });

  it('keeps the list order among never-valued stocks', () => {
    const plan = refreshPlan([stock('B', undefined, undefined, undefined), stock('A', undefined, undefined, undefined)], NOW, AHEAD);
    expect(plan.map((entry) => entry.symbol)).toEqual(['B', 'A']);
  });

  it('counts an entry due exactly `ahead` before it expires, not a millisecond earlier', () => {
    expect(refreshPlan([stock('EDGE', AHEAD, 7 * DAY, 7 * DAY)], NOW, AHEAD)).toHaveLength(1);
    expect(refreshPlan([stock('EDGE', AHEAD + 1, 7 * DAY, 7 * DAY)], NOW, AHEAD)).toEqual([]);
  });

  it('asks a remembered unknown symbol again only once it has gone, not ahead', () => {
    const remembered: StockEntries = {
      symbol: 'NOCASH',
      entries: [
        { fn: 'EARNINGS', expiresAt: NOW + 6 * DAY },
        { fn: 'OVERVIEW', expiresAt: NOW + 6 * DAY },
        { fn: 'CASH_FLOW', expiresAt: NOW + HOUR, notFound: true },
      ],
    };
    expect(refreshPlan([remembered], NOW, AHEAD)).toEqual([]);
    expect(refreshPlan([remembered], NOW + HOUR, AHEAD)).toEqual([{ symbol: 'NOCASH', fns: ['CASH_FLOW'], neverValued: false }]);
  });

  it('never refreshes an entry cached without an expiry', () => {
    expect(refreshPlan([{ symbol: 'KEPT', entries: [{ fn: 'EARNINGS', expiresAt: null }] }], NOW, AHEAD)).toEqual([]);
  });
});

describe('refreshAllowance', () => {
  it('gives a free key (25 a day, 5 a minute) at a 0.5 share 12 calls a day and 2 a minute', () => {
    // 0.5 × 25 = 12.5 → 12; 0.5 × 5 = 2.5 → 2
    expect(refreshAllowance(0.5, { perDay: 25, perMinute: 5 })).toEqual({ perDay: 12, perMinute: 2, windowSeconds: 60 });
  });

  it('gives half of a 10-call day: 5', () => {
    expect(refreshAllowance(0.5, { perDay: 10, perMinute: 60_000 })).toEqual({ perDay: 5, perMinute: 30_000, windowSeconds: 60 });
  });

  it('turns a rate under one call a minute into one call in a longer window', () => {
    // 0.1 × 5 = 0.5 a minute: one call every 120 s
    expect(refreshAllowance(0.1, { perDay: 25, perMinute: 5 })).toEqual({ perDay: 2, perMinute: 1, windowSeconds: 120 });
    // 0.3 × 1 = 0.3 a minute: one every 200 s
    expect(refreshAllowance(0.3, { perDay: 100, perMinute: 1 })).toEqual({ perDay: 30, perMinute: 1, windowSeconds: 200 });
  });

  it('keeps no daily cap when the key has none', () => {
    expect(refreshAllowance(0.5, { perDay: 0, perMinute: 75 })).toEqual({ perDay: 0, perMinute: 37, windowSeconds: 60 });
  });

  it('is off at a share of 0, or when the day’s share is under one call', () => {
    expect(refreshAllowance(0, { perDay: 25, perMinute: 5 })).toBeUndefined();
    expect(refreshAllowance(0.5, { perDay: 1, perMinute: 5 })).toBeUndefined();
  });

  it('spends the whole budget at a share of 1', () => {
    expect(refreshAllowance(1, { perDay: 25, perMinute: 5 })).toEqual({ perDay: 25, perMinute: 5, windowSeconds: 60 });
  });
});
