import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CURATED_SYMBOLS } from '../../src/config.js';
import { isTradingDay, newYorkDate, nextWeeklyExpirations } from '../../src/domain/market-calendar.js';
import { selectContracts } from '../../src/domain/scan-rules.js';
import { classifyAnswer } from '../../src/providers/alpha-vantage/answer-classifier.js';
import type { AlphaVantageRequest } from '../../src/providers/alpha-vantage/alpha-vantage.request.js';
import { parseAlphaVantageOptions, parseBulkQuotes, parseGlobalQuotePrice } from '../../src/providers/alpha-vantage/market.parsers.js';
import { SampleAlphaVantage } from '../../src/providers/alpha-vantage/sample-alpha-vantage.js';
import { openInterestScale, sampleOptionChain, sampleOptionsBody, type SampleChainInput } from '../../src/providers/alpha-vantage/sample-option-chains.js';
import { blackScholes } from '../../src/providers/alpha-vantage/sample-option-pricing.js';
import { SymbolNotFoundError } from '../../src/providers/provider-errors.js';

/** Saturday 2026-03-07, 03:00 in New York: the market is closed. */
const SATURDAY_NIGHT = new Date('2026-03-07T08:00:00Z');
const REALTIME: AlphaVantageRequest = { fn: 'REALTIME_OPTIONS', symbol: 'AAPL', params: { require_greeks: 'true' } };
const sampleQuotes = (JSON.parse(readFileSync(new URL('../../sample-data/alpha-vantage-sample.json', import.meta.url), 'utf8')) as {
  GLOBAL_QUOTE: Record<string, { 'Global Quote': Record<string, string> }>;
}).GLOBAL_QUOTE;
const samplePrice = (symbol: string) => Number(sampleQuotes[symbol]!['Global Quote']['05. price']);

const input: SampleChainInput = {
  symbol: 'AAPL',
  quoteDate: '2026-03-06',
  expirations: ['2026-03-13', '2026-03-20', '2026-03-27'],
  spot: 230.32,
  volatility: 0.26,
  dividendYield: 0.0043,
  riskFreeRate: 0.04,
  openInterestScale: 8800,
};

const rows = async (sample: SampleAlphaVantage, request: AlphaVantageRequest = REALTIME) =>
  (await sample.fetch(request))['data'] as Array<Record<string, string>>;

describe('sampleOptionChain', () => {
  it('is the same chain for the same symbol and date, and another one on another date', () => {
    expect(sampleOptionChain(input)).toEqual(sampleOptionChain({ ...input }));
    const otherDay = sampleOptionChain({ ...input, quoteDate: '2026-03-05' });
    expect(otherDay.map((c) => c.openInterest)).not.toEqual(sampleOptionChain(input).map((c) => c.openInterest));
  });

  it('prices every contract by Black-Scholes at its own implied volatility, the book around the price', () => {
    for (const contract of sampleOptionChain(input)) {
      const days = (Date.parse(contract.expiration) - Date.parse(input.quoteDate)) / 86_400_000;
      const priced = blackScholes({
        type: contract.type,
        spot: input.spot,
        strike: contract.strike,
        years: days / 365,
        riskFreeRate: input.riskFreeRate,
        dividendYield: input.dividendYield,
        volatility: contract.impliedVolatility,
      });
      expect(contract.delta).toBe(priced.delta);
      expect(contract.bid).toBeLessThanOrEqual(priced.price + 1e-9);
      expect(contract.ask).toBeGreaterThanOrEqual(priced.price - 1e-9);
      expect(Math.abs(contract.mark - (contract.bid + contract.ask) / 2)).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(contract.volume).toBeGreaterThanOrEqual(0);
      expect(contract.openInterest).toBeGreaterThanOrEqual(0);
    }
  });

  it('lists strikes around the spot on listed increments, each with a call and a put', () => {
    const chain = sampleOptionChain(input);
    const strikes = [...new Set(chain.map((c) => c.strike))].sort((a, b) => a - b);
    expect(strikes[0]).toBeLessThan(input.spot * 0.9);
    expect(strikes.at(-1)).toBeGreaterThan(input.spot * 1.1);
    expect(strikes.every((strike) => Number.isInteger(strike / 2.5))).toBe(true);
    // the fine step near the money: 2.5 apart within 10 %
    expect(strikes.filter((strike) => Math.abs(strike / input.spot - 1) < 0.09)).toEqual(
      expect.arrayContaining([222.5, 225, 227.5, 230, 232.5, 235]),
    );
    expect(chain.length).toBe(strikes.length * 2 * input.expirations.length);
  });

  it('writes the rows as Alpha Vantage does, which its parser reads back unchanged', () => {
    const chain = sampleOptionChain(input);
    const body = sampleOptionsBody(chain, { endpoint: 'Realtime Options', quoteDate: input.quoteDate, greeks: true });
    const data = body['data'] as Array<Record<string, string>>;
    expect(Object.keys(data[0]!)).toEqual([
      'contractID', 'symbol', 'expiration', 'strike', 'type', 'last', 'mark', 'bid', 'bid_size', 'ask', 'ask_size', 'volume',
      'open_interest', 'date', 'implied_volatility', 'delta', 'gamma', 'theta', 'vega', 'rho',
    ]);
    expect(Object.values(data[0]!).every((value) => typeof value === 'string')).toBe(true);
    const put = chain.find((c) => c.type === 'put' && c.strike === 225 && c.expiration === '2026-03-13')!;
    expect(put.contractID).toBe('AAPL260313P00225000');
    const parsed = parseAlphaVantageOptions(classifyAnswer(REALTIME, body)).find((quote) => quote.contractId === put.contractID)!;
    expect(parsed).toEqual({
      contractId: 'AAPL260313P00225000',
      type: 'PUT',
      expiration: '2026-03-13',
      strike: 225,
      bid: put.bid,
      ask: put.ask,
      mark: put.mark,
      volume: put.volume,
      openInterest: put.openInterest,
      delta: Number(put.delta.toFixed(5)),
      impliedVolatility: Number(put.impliedVolatility.toFixed(5)),
      gamma: Number(put.gamma.toFixed(5)),
      theta: Number(put.theta.toFixed(5)),
      vega: Number(put.vega.toFixed(5)),
    });
    const withoutGreeks = sampleOptionsBody(chain, { endpoint: 'Realtime Options', quoteDate: input.quoteDate, greeks: false });
    expect((withoutGreeks['data'] as Array<Record<string, string>>)[0]).not.toHaveProperty('delta');
  });

  it('gives bigger companies more open interest', () => {
    expect(openInterestScale(3.4e12)).toBeGreaterThan(openInterestScale(1.4e10));
    expect(openInterestScale(null)).toBe(500);
  });
});

describe('SampleAlphaVantage market answers', () => {
  it('has a chain for each of the 26 default symbols, for the next 8 weekly expirations, strikes around the sample price', async () => {
    const sample = new SampleAlphaVantage(() => SATURDAY_NIGHT);
    const expirations = nextWeeklyExpirations(SATURDAY_NIGHT, 8);
    expect(expirations[0]).toBe('2026-03-13');
    for (const symbol of DEFAULT_CURATED_SYMBOLS) {
      const data = await rows(sample, { ...REALTIME, symbol });
      expect([...new Set(data.map((row) => row.expiration))]).toEqual(expirations);
      expect(new Set(data.map((row) => row.date))).toEqual(new Set(['2026-03-07']));
      const strikes = data.map((row) => Number(row.strike));
      const price = samplePrice(symbol);
      expect(Math.min(...strikes)).toBeLessThan(price);
      expect(Math.max(...strikes)).toBeGreaterThan(price);
      expect(Math.min(...strikes)).toBeGreaterThanOrEqual(price * Math.exp(-0.35) - 1e-9);
      expect(Math.max(...strikes)).toBeLessThanOrEqual(price * Math.exp(0.35) + 1e-9);
    }
  });

  it('is the same all day in New York and new the next day', async () => {
    const morning = await rows(new SampleAlphaVantage(() => new Date('2026-03-09T13:00:00Z')));
    const night = await rows(new SampleAlphaVantage(() => new Date('2026-03-10T03:59:00Z')));
    const nextDay = await rows(new SampleAlphaVantage(() => new Date('2026-03-10T04:01:00Z')));
    expect(night).toEqual(morning);
    expect(nextDay[0]!['date']).toBe('2026-03-10');
    expect(nextDay).not.toEqual(morning);
  });

  it('has the put skew and realistic books: tight at the money, wide far out, liquidity where the wheel sells', async () => {
    const data = await rows(new SampleAlphaVantage(() => SATURDAY_NIGHT));
    const puts = data.filter((row) => row.type === 'put' && row.expiration === '2026-03-20').map((row) => ({
      strike: Number(row.strike),
      iv: Number(row.implied_volatility),
      bid: Number(row.bid),
      ask: Number(row.ask),
      delta: Number(row.delta),
      openInterest: Number(row.open_interest),
    }));
    for (let i = 1; i < puts.length; i += 1) expect(puts[i]!.iv).toBeLessThan(puts[i - 1]!.iv);
    const spreadPercent = (p: { bid: number; ask: number }) => ((p.ask - p.bid) / ((p.ask + p.bid) / 2)) * 100;
    const atTheMoney = puts.reduce((best, p) => (Math.abs(p.strike - samplePrice('AAPL')) < Math.abs(best.strike - samplePrice('AAPL')) ? p : best));
    expect(spreadPercent(atTheMoney)).toBeLessThan(6);
    const wheelPut = puts.reduce((best, p) => (Math.abs(p.delta + 0.2) < Math.abs(best.delta + 0.2) ? p : best));
    expect(wheelPut.openInterest).toBeGreaterThan(1000);
    expect(spreadPercent(wheelPut)).toBeLessThan(10);
    const farOut = puts[0]!;
    expect(spreadPercent(farOut)).toBeGreaterThan(spreadPercent(atTheMoney));
  });

  it('gives scans contracts to keep across the default symbols', async () => {
    const sample = new SampleAlphaVantage(() => SATURDAY_NIGHT);
    const today = newYorkDate(SATURDAY_NIGHT);
    const expirations = nextWeeklyExpirations(SATURDAY_NIGHT, 4);
    let withPuts = 0;
    for (const symbol of DEFAULT_CURATED_SYMBOLS) {
      const quotes = parseAlphaVantageOptions(await sample.fetch({ ...REALTIME, symbol }));
      const underlyingPrice = parseGlobalQuotePrice(await sample.fetch({ fn: 'GLOBAL_QUOTE', symbol }))!;
      if (selectContracts({ quotes, underlyingPrice, type: 'PUT', todayNy: today, expirations }).length > 0) withPuts += 1;
    }
    expect(withPuts).toBeGreaterThanOrEqual(8);
  });

  it('lists the greeks on REALTIME_OPTIONS only with require_greeks, and always on HISTORICAL_OPTIONS', async () => {
    const sample = new SampleAlphaVantage(() => SATURDAY_NIGHT);
    expect((await rows(sample, { fn: 'REALTIME_OPTIONS', symbol: 'MSFT' }))[0]).not.toHaveProperty('delta');
    const historical = await sample.fetch({ fn: 'HISTORICAL_OPTIONS', symbol: 'MSFT', params: { date: '2026-03-02' } });
    expect(historical['endpoint']).toBe('Historical Options');
    const data = historical['data'] as Array<Record<string, string>>;
    expect(data[0]).toHaveProperty('delta');
    expect(data[0]!['date']).toBe('2026-03-02');
    expect(data[0]!['expiration']).toBe('2026-03-06');
  });

  it('dates the quotes on the latest trading day and keeps the sample price', async () => {
    const sample = new SampleAlphaVantage(() => SATURDAY_NIGHT);
    const quote = (await sample.fetch({ fn: 'GLOBAL_QUOTE', symbol: 'NVDA' }))['Global Quote'] as Record<string, string>;
    expect(quote['07. latest trading day']).toBe('2026-03-06');
    expect(isTradingDay(quote['07. latest trading day']!)).toBe(true);
    expect(Number(quote['05. price'])).toBe(samplePrice('NVDA'));
    const bulk = parseBulkQuotes(await sample.fetch({ fn: 'REALTIME_BULK_QUOTES', symbol: 'NVDA,AAPL,NOPE' }));
    expect(Object.fromEntries([...bulk].map(([symbol, quote]) => [symbol, quote.price]))).toEqual({ NVDA: samplePrice('NVDA'), AAPL: samplePrice('AAPL') });
  });

  it('knows no chain for a symbol outside the sample', async () => {
    await expect(new SampleAlphaVantage(() => SATURDAY_NIGHT).fetch({ ...REALTIME, symbol: 'NOPE' })).rejects.toBeInstanceOf(SymbolNotFoundError);
  });
});
