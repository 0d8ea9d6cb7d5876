import { Decimal } from 'decimal.js';
import { isNumericFigure, type EarningsCalendarAnswer, type TreasuryYieldAnswer } from './answer-schemas.js';
import type { AlphaVantageBody } from './alpha-vantage.request.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** EARNINGS_CALENDAR rows as symbol → report dates, ascending and distinct; a row without a date is dropped. */
export function parseEarningsCalendar(body: AlphaVantageBody): Map<string, string[]> {
  const dates = new Map<string, Set<string>>();
  for (const row of (body as EarningsCalendarAnswer).data) {
    const symbol = row.symbol.trim().toUpperCase();
    const reportDate = row.reportDate.trim();
    if (symbol === '' || !ISO_DATE.test(reportDate)) continue;
    let own = dates.get(symbol);
    if (own === undefined) dates.set(symbol, (own = new Set()));
    own.add(reportDate);
  }
  return new Map([...dates].map(([symbol, own]) => [symbol, [...own].sort()]));
}

/** TREASURY_YIELD's latest quoted day (rows with "." are days without a quote) as a decimal rate: percent / 100. */
export function parseTreasuryYield(body: AlphaVantageBody): { rate: number; asOf: string } | null {
  let latest: { date: string; value: string | number } | null = null;
  for (const row of (body as TreasuryYieldAnswer).data) {
    if (!ISO_DATE.test(row.date) || !isNumericFigure(row.value)) continue;
    if (latest === null || row.date > latest.date) latest = row;
  }
  if (latest === null) return null;
  return { rate: new Decimal(String(latest.value).trim()).div(100).toNumber(), asOf: latest.date };
}
