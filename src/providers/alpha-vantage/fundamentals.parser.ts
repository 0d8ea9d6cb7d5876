import type { CashFlow, CompanyOverview, Earnings } from '../../domain/fundamentals.js';
import { reportedFigure } from '../reported-number.js';
import type { AlphaVantageBody } from './alpha-vantage.request.js';
import type { CashFlowAnswer, EarningsAnswer, OverviewAnswer } from './answer-schemas.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const dateOrNull = (raw: unknown): string | null => (typeof raw === 'string' && ISO_DATE.test(raw) ? raw : null);

/**
 * Parsed once per body object: the store hands back the same frozen body while an entry
 * is unchanged, so warm requests reuse the parsed value (and its memoised valuation).
 */
function parsedOnce<T extends object>(parse: (body: AlphaVantageBody) => T): (body: AlphaVantageBody) => T {
  const parsed = new WeakMap<AlphaVantageBody, T>();
  return (body) => {
    let value = parsed.get(body);
    if (value === undefined) {
      value = parse(body);
      parsed.set(body, value);
    }
    return value;
  };
}

/** EARNINGS (validated by earningsAnswer): quarterly reported EPS. */
export const parseEarnings = parsedOnce((body): Earnings => ({
  quarters: (body as EarningsAnswer).quarterlyEarnings.map((row) => ({
    fiscalDateEnding: dateOrNull(row.fiscalDateEnding),
    eps: reportedFigure(row.reportedEPS),
  })),
}));

/** CASH_FLOW (validated by cashFlowAnswer): quarterly operating cash flow and capex. */
export const parseCashFlow = parsedOnce((body): CashFlow => ({
  quarters: (body as CashFlowAnswer).quarterlyReports.map((row) => ({
    fiscalDateEnding: dateOrNull(row.fiscalDateEnding),
    operatingCashFlow: reportedFigure(row.operatingCashflow),
    capitalExpenditures: reportedFigure(row.capitalExpenditures),
  })),
}));

/** OVERVIEW (validated by overviewAnswer). */
export const parseOverview = parsedOnce((body): CompanyOverview => {
  const overview = body as OverviewAnswer;
  return {
    eps: reportedFigure(overview.EPS),
    sharesOutstanding: reportedFigure(overview.SharesOutstanding),
    dividendYield: reportedFigure(overview.DividendYield),
    exDividendDate: dateOrNull(overview.ExDividendDate),
  };
});
