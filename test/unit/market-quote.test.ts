import { describe, expect, it } from 'vitest';
import { nextSessionOpen } from '../../src/domain/market-calendar.js';
import { isStaleQuote, quoteAsOf } from '../../src/domain/market-quote.js';
import { quoteTtlMs } from '../../src/providers/quote-ttl.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// March 2026: EST (UTC-5) until Sunday March 8, EDT (UTC-4) after. Friday March 6 and
// Monday March 9 are trading days; Good Friday is April 3, 2026; Nov 27, 2026 closes at 13:00.
describe('quoteAsOf', () => {
  it('is the trading day’s close when the price arrived after it', () => {
    expect(quoteAsOf('2026-03-06', new Date('2026-03-07T15:00:00Z'))).toEqual(new Date('2026-03-06T21:00:00Z'));
    expect(quoteAsOf('2026-03-06', null)).toEqual(new Date('2026-03-06T21:00:00Z'));
  });

  it('is the arrival of a live price, before the close', () => {
    expect(quoteAsOf('2026-03-06', new Date('2026-03-06T15:45:00Z'))).toEqual(new Date('2026-03-06T15:45:00Z'));
  });

  it('closes at 13:00 on an early-close day (the day after Thanksgiving, EST)', () => {
    expect(quoteAsOf('2026-11-27', null)).toEqual(new Date('2026-11-27T18:00:00Z'));
  });

  it('takes 16:00 New York for a day without a session (summer time: 20:00 UTC)', () => {
    expect(quoteAsOf('2026-04-03', null)).toEqual(new Date('2026-04-03T20:00:00Z'));
  });
});

describe('isStaleQuote', () => {
  const close = new Date('2026-03-06T21:00:00Z');
  it('is stale only past 24 hours', () => {
    expect(isStaleQuote(close, new Date(close.getTime() + 24 * HOUR))).toBe(false);
    expect(isStaleQuote(close, new Date(close.getTime() + 24 * HOUR + 1))).toBe(true);
  });

  it('calls a Friday close read on Sunday stale, as the contract defines it', () => {
    expect(isStaleQuote(close, new Date('2026-03-08T15:00:00Z'))).toBe(true);
    // Saturday morning, 13 hours after the close: fresh.
    expect(isStaleQuote(close, new Date('2026-03-07T10:00:00Z'))).toBe(false);
  });
});

describe('nextSessionOpen', () => {
  it('is today’s open before it, the next trading day’s after it', () => {
    // 08:00 EST Friday → 09:30 EST = 14:30 UTC the same day
    expect(nextSessionOpen(new Date('2026-03-06T13:00:00Z'))).toEqual(new Date('2026-03-06T14:30:00Z'));
    // during Friday's session → Monday 09:30 EDT = 13:30 UTC (the clocks changed on Sunday)
    expect(nextSessionOpen(new Date('2026-03-06T15:00:00Z'))).toEqual(new Date('2026-03-09T13:30:00Z'));
  });

  it('skips a holiday: Thursday April 2, 2026 after the close → Monday April 6 (Good Friday closed)', () => {
    expect(nextSessionOpen(new Date('2026-04-02T21:00:00Z'))).toEqual(new Date('2026-04-06T13:30:00Z'));
  });
});

describe('quoteTtlMs', () => {
  it('is 15 minutes during a session, up to the last minute before the close', () => {
    expect(quoteTtlMs(new Date('2026-03-06T14:30:00Z'))).toBe(15 * MINUTE);
    expect(quoteTtlMs(new Date('2026-03-06T20:59:00Z'))).toBe(15 * MINUTE);
  });

  it('lasts until the next open outside a session', () => {
    // Friday 16:00 EST (21:00 UTC) → Monday 13:30 UTC: 64.5 hours
    expect(quoteTtlMs(new Date('2026-03-06T21:00:00Z'))).toBe(64.5 * HOUR);
    // Friday 09:00 EST, before the open → 30 minutes
    expect(quoteTtlMs(new Date('2026-03-06T14:00:00Z'))).toBe(30 * MINUTE);
    // Saturday noon UTC → Monday 13:30 UTC: 49.5 hours
    expect(quoteTtlMs(new Date('2026-03-07T12:00:00Z'))).toBe(49.5 * HOUR);
  });
});

describe('answeredPrice', () => {
  it('answers money in cents, half-even: 67.9169 → 67.92, 12.345 → 12.34, 12.355 → 12.36', async () => {
    const { answeredPrice } = await import('../../src/domain/market-quote.js');
    expect([67.9169, 12.345, 12.355, 189.98].map(answeredPrice)).toEqual([67.92, 12.34, 12.36, 189.98]);
  });
});
