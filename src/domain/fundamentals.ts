import type { Decimal } from 'decimal.js';

/**
 * A stock's fundamentals as the domain reads them, whatever the provider. Figures keep
 * how they were reported ("None", empty, missing) so that notes can say why one is unusable.
 */
export interface ReportedFigure {
  value: Decimal | null;
  /** for notes: 'missing', 'empty', '"None"', 'not a number', or the number as text */
  reported: string;
}

export interface QuarterlyEps {
  /** 'YYYY-MM-DD', null when undated */
  fiscalDateEnding: string | null;
  eps: ReportedFigure;
}

export interface QuarterlyCashFlow {
  fiscalDateEnding: string | null;
  operatingCashFlow: ReportedFigure;
  capitalExpenditures: ReportedFigure;
}

export interface Earnings {
  quarters: readonly QuarterlyEps[];
}

export interface CompanyOverview {
  eps: ReportedFigure;
  sharesOutstanding: ReportedFigure;
  /** a decimal (0.0044 = 0.44 %) */
  dividendYield: ReportedFigure;
  /** 'YYYY-MM-DD' */
  exDividendDate: string | null;
}

export interface CashFlow {
  quarters: readonly QuarterlyCashFlow[];
}

/** Each part is null when the provider has none for the symbol. */
export interface Fundamentals {
  symbol: string;
  earnings: Earnings | null;
  overview: CompanyOverview | null;
  cashFlow: CashFlow | null;
}
