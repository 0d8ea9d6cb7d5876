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
  'Global Quote': z.looseObject({ '05. price': figure, '07. latest trading day': z.unknown().optional() }),
});

/** One row of a chain, as the parser reads it: every field may be missing or malformed. */
export interface OptionRow {
  contractID?: unknown;
  type?: unknown;
  expiration?: unknown;
  strike?: unknown;
  bid?: unknown;
  ask?: unknown;
  mark?: unknown;
  volume?: unknown;
  open_interest?: unknown;
  implied_volatility?: unknown;
  delta?: unknown;
  gamma?: unknown;
  theta?: unknown;
  vega?: unknown;
}

/**
 * Chains are lists of thousands of rows: only the list is checked here (a cold scan parses
 * 26 of them), and the parser drops a row it cannot read rather than refuse the chain.
 */
export const optionsAnswer = z.looseObject({ data: z.array(z.unknown()) });

export const bulkQuotesAnswer = z.looseObject({ data: z.array(z.unknown()) });

/**
 * EARNINGS_CALENDAR, decoded from its CSV (answer-wire.ts) to the kept columns. No rows is
 * data too: a calendar with no report in the horizon.
 */
export const earningsCalendarAnswer = z.looseObject({
  data: z.array(z.looseObject({ symbol: z.string(), reportDate: z.string() })),
});

/** TREASURY_YIELD: `value` is "." on days without a quote (holidays); at least one must be a figure. */
export const treasuryYieldAnswer = z.looseObject({
  data: z
    .array(z.looseObject({ date: z.string(), value: figure }))
    .refine((rows) => rows.some((row) => isNumericFigure(row.value)), { message: 'no value is a figure' }),
});

export type EarningsAnswer = z.infer<typeof earningsAnswer>;
export type CashFlowAnswer = z.infer<typeof cashFlowAnswer>;
export type OverviewAnswer = z.infer<typeof overviewAnswer>;
export type GlobalQuoteAnswer = z.infer<typeof globalQuoteAnswer>;
export type ListAnswer = z.infer<typeof optionsAnswer>;
export type EarningsCalendarAnswer = z.infer<typeof earningsCalendarAnswer>;
export type TreasuryYieldAnswer = z.infer<typeof treasuryYieldAnswer>;
