import { readFileSync } from 'node:fs';
import { TZDate } from '@date-fns/tz';
import { addDays, isTradingDay, NEW_YORK_TIME_ZONE, newYorkDate, nextWeeklyExpirations } from '../../domain/market-calendar.js';
import { numberOrNull } from '../reported-number.js';
import type { AlphaVantageBody, AlphaVantageRequest } from './alpha-vantage.request.js';
import { openInterestScale, sampleOptionChain, sampleOptionsBody } from './sample-option-chains.js';
import { SAMPLE_TREASURY_YIELD_PERCENT } from './sample-market-events.js';

/** Bundled beside the sample answers, at the repository's top level so that `src/` and `dist/` find it alike. */
const VOLATILITY_FILE = new URL('../../../sample-data/implied-volatility.json', import.meta.url);

/** The weekly expirations a sample chain lists, from the day after its quote date. */
export const SAMPLE_EXPIRATIONS = 8;
/** The model's risk-free rate (a 3-month Treasury yield of the kind quoted lately). */
export const SAMPLE_RISK_FREE_RATE = Number(SAMPLE_TREASURY_YIELD_PERCENT) / 100;

type Bodies = Partial<Record<string, AlphaVantageBody>>;

export interface SampleMarketData {
  /** GLOBAL_QUOTE answers by symbol: their price is the chain's spot */
  quotes: Bodies;
  /** OVERVIEW answers by symbol: dividend yield and market capitalization */
  overviews: Bodies;
  /** at-the-money implied volatility by symbol; a symbol without one has no chain */
  volatility?: Readonly<Record<string, number>>;
}

/**
 * The market half of sample-data mode: quotes dated today and option chains generated for
 * today's New York date (sample-option-chains.ts) from the bundled prices, dividend yields
 * and volatilities. Answers what the scan asks; `undefined` for anything else.
 */
export class SampleMarket {
  private readonly volatility: Readonly<Record<string, number>>;

  constructor(
    private readonly data: SampleMarketData,
    private readonly clock: () => Date,
  ) {
    this.volatility = data.volatility ?? readVolatility();
  }

  answer(request: AlphaVantageRequest): AlphaVantageBody | undefined {
    switch (request.fn) {
      case 'GLOBAL_QUOTE':
        return this.quote(request.symbol);
      case 'REALTIME_BULK_QUOTES':
        return this.bulkQuotes(request.symbol.split(','));
      case 'REALTIME_OPTIONS':
        return this.chain(request.symbol, newYorkDate(this.clock()), 'Realtime Options', request.params?.['require_greeks'] === 'true');
      case 'HISTORICAL_OPTIONS':
        // The model has no history: a chain for the asked date is priced as of that date.
        return this.chain(request.symbol, request.params?.['date'] ?? newYorkDate(this.clock()), 'Historical Options', true);
      case 'OVERVIEW':
        return this.overview(request.symbol);
      default:
        return undefined;
    }
  }

  /**
   * The bundled OVERVIEW with its ex-dividend date moved on by whole quarters to the next one
   * on or after today: the bundle is dated, and a dividend payer's next ex-date is what the
   * screener shows. Dates of "None" (no dividend) stay as they are.
   */
  private overview(symbol: string): AlphaVantageBody | undefined {
    const overview = this.data.overviews[symbol];
    if (!overview) return undefined;
    const exDividend = overview['ExDividendDate'];
    if (typeof exDividend !== 'string') return overview;
    return { ...overview, ExDividendDate: nextQuarterlyDateOnOrAfter(exDividend, newYorkDate(this.clock())) };
  }

  private price(symbol: string): number | null {
    const quote = this.data.quotes[symbol]?.['Global Quote'] as Record<string, unknown> | undefined;
    const price = numberOrNull(quote?.['05. price']);
    return price !== null && price > 0 ? price : null;
  }

  /** The bundled quote, as of the latest trading day on or before today. */
  private quote(symbol: string): AlphaVantageBody | undefined {
    const quote = this.data.quotes[symbol]?.['Global Quote'] as Record<string, unknown> | undefined;
    if (!quote) return undefined;
    return { 'Global Quote': { ...quote, '07. latest trading day': this.latestTradingDay() } };
  }

  private bulkQuotes(symbols: readonly string[]): AlphaVantageBody {
    const day = this.latestTradingDay();
    const data = symbols.flatMap((symbol) => {
      const quote = this.data.quotes[symbol]?.['Global Quote'] as Record<string, string> | undefined;
      if (!quote) return [];
      return [
        {
          symbol,
          timestamp: `${day} 16:00:00.000`,
          open: quote['02. open'],
          high: quote['03. high'],
          low: quote['04. low'],
          close: quote['05. price'],
          volume: quote['06. volume'],
          previous_close: quote['08. previous close'],
          change: quote['09. change'],
          change_percent: quote['10. change percent']?.replace('%', ''),
        },
      ];
    });
    return { endpoint: 'Realtime Bulk Quotes', message: '', data };
  }

  private chain(symbol: string, quoteDate: string, endpoint: 'Realtime Options' | 'Historical Options', greeks: boolean): AlphaVantageBody | undefined {
    const spot = this.price(symbol);
    const volatility = this.volatility[symbol];
    if (spot === null || volatility === undefined || !isCalendarDate(quoteDate)) return undefined;
    const overview = this.data.overviews[symbol];
    const chain = sampleOptionChain({
      symbol,
      quoteDate,
      expirations: nextWeeklyExpirations(middayOf(quoteDate), SAMPLE_EXPIRATIONS),
      spot,
      volatility,
      dividendYield: numberOrNull(overview?.['DividendYield']) ?? 0,
      riskFreeRate: SAMPLE_RISK_FREE_RATE,
      openInterestScale: openInterestScale(numberOrNull(overview?.['MarketCapitalization'])),
    });
    return sampleOptionsBody(chain, { endpoint, quoteDate, greeks });
  }

  private latestTradingDay(): string {
    let day = newYorkDate(this.clock());
    while (!isTradingDay(day)) day = addDays(day, -1);
    return day;
  }
}

function isCalendarDate(text: string): boolean {
  try {
    return addDays(text, 0) === text;
  } catch {
    return false;
  }
}

function middayOf(nyDate: string): Date {
  const [year, month, day] = nyDate.split('-').map(Number) as [number, number, number];
  return new TZDate(year, month - 1, day, 12, 0, 0, NEW_YORK_TIME_ZONE);
}

function readVolatility(): Record<string, number> {
  const file = JSON.parse(readFileSync(VOLATILITY_FILE, 'utf8')) as { atTheMoney: Record<string, number> };
  return file.atTheMoney;
}

/** `date` (YYYY-MM-DD) moved on by whole quarters until it is on or after `todayNy`; anything else unchanged. */
export function nextQuarterlyDateOnOrAfter(date: string, todayNy: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  for (let quarters = 0; quarters < 400; quarters += 1) {
    // Date.UTC carries a day past the month's end into the next month (a 31st in a 30-day month).
    const moved = new Date(Date.UTC(year, month + 3 * quarters, day)).toISOString().slice(0, 10);
    if (moved >= todayNy) return moved;
  }
  return date;
}
