import { addDays, daysBetween, isTradingDay, newYorkDate } from '../../domain/market-calendar.js';
import type { AlphaVantageBody, AlphaVantageRequest } from './alpha-vantage.request.js';
import { decodeCsvAnswer } from './answer-wire.js';

/** The sample 3-month Treasury yield, percent: 4.2 % (a rate of 0.042). */
export const SAMPLE_TREASURY_YIELD_PERCENT = '4.20';

/** Report dates repeat every 91 days (a quarter), each symbol at its own phase. */
const QUARTER_DAYS = 91;
/** Day 0 of the phases; any fixed date would do. */
const EPOCH = '2000-01-03';

/** A small stable hash (FNV-1a) so a symbol's phase never depends on the order of the list. */
function phaseOf(symbol: string): number {
  let hash = 0x811c9dc5;
  for (const char of symbol) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return hash % QUARTER_DAYS;
}

/** A symbol's next sample report on or after `todayNy`: its quarterly phase, moved to the next trading day. */
export function sampleReportDate(symbol: string, todayNy: string): string {
  const sinceEpoch = daysBetween(EPOCH, todayNy);
  const ahead = (((phaseOf(symbol) - sinceEpoch) % QUARTER_DAYS) + QUARTER_DAYS) % QUARTER_DAYS;
  let date = addDays(todayNy, ahead);
  while (!isTradingDay(date)) date = addDays(date, 1);
  return date;
}

const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/**
 * EARNINGS_CALENDAR for `todayNy` as Alpha Vantage sends it (CSV, 3-month horizon): every
 * sample symbol once, at a date that stays put from day to day until it has passed.
 */
export function sampleEarningsCalendarCsv(symbols: readonly string[], todayNy: string): string {
  const lines = ['symbol,name,reportDate,fiscalDateEnding,estimate,currency'];
  const rows = symbols.map((symbol) => ({ symbol, reportDate: sampleReportDate(symbol, todayNy) }));
  rows.sort((a, b) => a.reportDate.localeCompare(b.reportDate) || a.symbol.localeCompare(b.symbol));
  for (const { symbol, reportDate } of rows) {
    const fiscalDateEnding = addDays(reportDate, -30);
    lines.push([symbol, `${symbol} (sample, illustrative)`, reportDate, fiscalDateEnding, '', 'USD'].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** TREASURY_YIELD (3month, daily) for `todayNy`: the last 30 weekdays before it, "." on exchange holidays, latest 4.20. */
export function sampleTreasuryYieldBody(todayNy: string): AlphaVantageBody {
  const data: Array<{ date: string; value: string }> = [];
  let quoted = 0;
  for (let date = addDays(todayNy, -1); data.length < 30; date = addDays(date, -1)) {
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    if (!isTradingDay(date)) {
      data.push({ date, value: '.' });
      continue;
    }
    // Older days a few basis points off, so the series reads like one; the latest quote is the sample rate.
    const value = quoted === 0 ? SAMPLE_TREASURY_YIELD_PERCENT : (4.18 + 0.01 * ((quoted * 7) % 5)).toFixed(2);
    quoted += 1;
    data.push({ date, value });
  }
  return { name: '3-Month Treasury Constant Maturity Rate (sample)', interval: 'daily', unit: 'percent', data };
}

/**
 * Sample-data mode's answers for the two daily functions (the calendar decoded as the real
 * CSV would be), or undefined for any other function.
 */
export function sampleMarketEventAnswer(request: AlphaVantageRequest, symbols: readonly string[], now: Date): unknown {
  const todayNy = newYorkDate(now);
  if (request.fn === 'EARNINGS_CALENDAR') return decodeCsvAnswer(request, sampleEarningsCalendarCsv(symbols, todayNy));
  if (request.fn === 'TREASURY_YIELD') return sampleTreasuryYieldBody(todayNy);
  return undefined;
}
