import { z } from 'zod';

/**
 * The shape each Alpha Vantage function must have before its answer is cached. Loose
 * objects: Alpha Vantage adds fields freely; only what our parsers read is required.
 * A figure is a string ("1.64", "None") or a number; anything else is the wrong shape.
 */
const figure = z.union([z.string(), z.number()]);
const optionalFigure = figure.optional();

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
export const isNumericFigure = (raw: unknown): boolean =>
  (typeof raw === 'number' && Number.isFinite(raw)) || (typeof raw === 'string' && NUMERIC.test(raw));

/** A list whose rows all lack the one figure that matters is no data, however well formed. */
const rowsWithSome = <T extends z.ZodType>(row: T, field: string) =>
  z.array(row).refine(
    (rows) => rows.length === 0 || rows.some((item) => isNumericFigure((item as Record<string, unknown>)[field])),
    { message: `every ${field} is missing` },
  );

export const earningsAnswer = z.looseObject({
  quarterlyEarnings: rowsWithSome(z.looseObject({ fiscalDateEnding: z.string().optional(), reportedEPS: optionalFigure }), 'reportedEPS'),
});

export const cashFlowAnswer = z.looseObject({
  quarterlyReports: rowsWithSome(
    z.looseObject({ fiscalDateEnding: z.string().optional(), operatingCashflow: optionalFigure, capitalExpenditures: optionalFigure }),
    'operatingCashflow',
  ),
});

export const overviewAnswer = z.looseObject({
  Symbol: z.string(),
  EPS: optionalFigure,
  SharesOutstanding: optionalFigure,
  DividendYield: optionalFigure,
  ExDividendDate: optionalFigure,
});

export const globalQuoteAnswer = z.looseObject({
  'Global Quote': z.looseObject({ '05. price': figure }),
});

const optionRow = z.looseObject({
  contractID: z.string().optional(),
  type: z.string().optional(),
  expiration: z.string().optional(),
  strike: optionalFigure,
  bid: optionalFigure,
  ask: optionalFigure,
  mark: optionalFigure,
  volume: optionalFigure,
  open_interest: optionalFigure,
  implied_volatility: optionalFigure,
  delta: optionalFigure,
  gamma: optionalFigure,
  theta: optionalFigure,
  vega: optionalFigure,
});

export const optionsAnswer = z.looseObject({ data: z.array(optionRow) });

export const bulkQuotesAnswer = z.looseObject({
  data: z.array(z.looseObject({ symbol: z.string().optional(), close: optionalFigure })),
});

export type EarningsAnswer = z.infer<typeof earningsAnswer>;
export type CashFlowAnswer = z.infer<typeof cashFlowAnswer>;
export type OverviewAnswer = z.infer<typeof overviewAnswer>;
export type GlobalQuoteAnswer = z.infer<typeof globalQuoteAnswer>;
export type OptionsAnswer = z.infer<typeof optionsAnswer>;
export type BulkQuotesAnswer = z.infer<typeof bulkQuotesAnswer>;
