import { describe, it, expect } from 'vitest';
import { Decimal } from 'decimal.js';
import { DEFAULT_ASSUMPTIONS, validateAssumptions, type ValuationAssumptions } from '../../src/domain/assumptions.js';
import { discountedCashFlow, epsTtm, fcfPerShare, fcfTtm, valueStock, type DiscountedCashFlow } from '../../src/domain/valuation.js';
import type { CashFlow, CompanyOverview, Earnings } from '../../src/domain/fundamentals.js';
import { classifyAnswer } from '../../src/providers/alpha-vantage/answer-classifier.js';
import { parseCashFlow, parseEarnings, parseOverview } from '../../src/providers/alpha-vantage/fundamentals.parser.js';
import { UpstreamUnavailableError } from '../../src/providers/provider-errors.js';
import { parseReportedNumber, reportedFigure } from '../../src/providers/reported-number.js';

// Figures below are written out by hand from the original Django algorithm
// (scanner/valuation.py): every step quantized to 0.01, ROUND_HALF_EVEN.

const fixed = (d: Decimal | null): string | null => (d === null ? null : d.toFixed(2));

function figures(dcf: DiscountedCashFlow) {
  return {
    method: dcf.method,
    startingValue: dcf.startingValue.toFixed(2),
    projected: dcf.projected.map((d) => d.toFixed(2)),
    presentValues: dcf.presentValues.map((d) => d.toFixed(2)),
    sumOfPresentValues: dcf.sumOfPresentValues.toFixed(2),
    terminalValue: dcf.terminalValue.toFixed(2),
    presentValueOfTerminal: dcf.presentValueOfTerminal.toFixed(2),
    intrinsicValue: dcf.intrinsicValue.toFixed(2),
  };
}

const quarter = (fiscalDateEnding: string, reportedEPS: string) => ({
  fiscalDateEnding,
  reportedDate: fiscalDateEnding,
  reportedEPS,
  estimatedEPS: 'None',
});

/** EARNINGS body whose four latest quarters sum to exactly 5.00. */
function earningsBody(quarters = [
  quarter('2024-09-30', '1.10'),
  quarter('2024-06-30', '1.20'),
  quarter('2024-03-31', '1.30'),
  quarter('2023-12-31', '1.40'),
  quarter('2023-09-30', '9.99'),
]) {
  return {
    symbol: 'TEST',
    annualEarnings: [{ fiscalDateEnding: '2023-12-31', reportedEPS: '5.00' }],
    quarterlyEarnings: quarters,
  };
}

const cashQuarter = (fiscalDateEnding: string, operatingCashflow: string, capitalExpenditures: string) => ({
  fiscalDateEnding,
  reportedCurrency: 'USD',
  operatingCashflow,
  capitalExpenditures,
});

/** CASH_FLOW body whose four latest quarters give FCF TTM 33,300,000,000 (36.3bn − 3.0bn). */
function cashFlowBody(quarters = [
  cashQuarter('2024-09-30', '9000000000', '800000000'),
  cashQuarter('2024-06-30', '8500000000', '700000000'),
  cashQuarter('2024-03-31', '9200000000', '750000000'),
  cashQuarter('2023-12-31', '9600000000', '750000000'),
  cashQuarter('2023-09-30', '1', '99999999999'),
]) {
  return { symbol: 'TEST', annualReports: [], quarterlyReports: quarters };
}

/** 33.3bn FCF / 15bn shares = 2.22 FCF per share. */
function overviewBody(fields: Record<string, unknown> = {}) {
  return { Symbol: 'TEST', EPS: '6.08', SharesOutstanding: '15000000000', ...fields };
}

// The domain reads typed fundamentals: raw Alpha Vantage bodies reach it the way the
// service's do, checked by classifyAnswer and read by the provider's parsers.
const earningsOf = (body: object): Earnings => parseEarnings(classifyAnswer({ fn: 'EARNINGS', symbol: 'TEST' }, body));
const overviewOf = (body: object): CompanyOverview => parseOverview(classifyAnswer({ fn: 'OVERVIEW', symbol: 'TEST' }, body));
const cashFlowOf = (body: object): CashFlow => parseCashFlow(classifyAnswer({ fn: 'CASH_FLOW', symbol: 'TEST' }, body));
const earnings = (quarters?: ReturnType<typeof quarter>[]) => earningsOf(earningsBody(quarters));
const overview = (fields?: Record<string, unknown>) => overviewOf(overviewBody(fields));
const cashFlow = (quarters?: ReturnType<typeof cashQuarter>[]) => cashFlowOf(cashFlowBody(quarters));

const EPS_WORKED_EXAMPLE = {
  method: 'EPS',
  startingValue: '5.00',
  // 5.00 × 1.1^i: 5.5, 6.05, 6.655 → 6.66, 7.3205 → 7.32, 8.05255 → 8.05
  projected: ['5.50', '6.05', '6.66', '7.32', '8.05'],
  // ÷ 1.15^i: 4.7826…, 4.5746…, 4.3790…, 4.1852…, 4.0022…
  presentValues: ['4.78', '4.57', '4.38', '4.19', '4.00'],
  sumOfPresentValues: '21.92',
  terminalValue: '161.00', // 8.05 × 20
  presentValueOfTerminal: '80.05', // 161 ÷ 2.0113571875 = 80.0454…
  intrinsicValue: '101.97',
};

const FCF_WORKED_EXAMPLE = {
  method: 'FCF',
  startingValue: '2.22',
  // 2.22 × 1.1^i: 2.442, 2.6862, 2.95482, 3.250302, 3.5753322
  projected: ['2.44', '2.69', '2.95', '3.25', '3.58'],
  // ÷ 1.15^i: 2.1217…, 2.0340…, 1.9396…, 1.8581…, 1.7798…
  presentValues: ['2.12', '2.03', '1.94', '1.86', '1.78'],
  sumOfPresentValues: '9.73',
  terminalValue: '71.60', // 3.58 × 20
  presentValueOfTerminal: '35.60', // 71.6 ÷ 2.0113571875 = 35.5978…
  intrinsicValue: '45.33',
};

describe('parseReportedNumber', () => {
  it('parses Alpha Vantage numeric strings exactly', () => {
    expect(fixed(parseReportedNumber('1.64'))).toBe('1.64');
    expect(parseReportedNumber('-2908000000')?.toString()).toBe('-2908000000');
    expect(parseReportedNumber(' 15115800000 ')?.toString()).toBe('15115800000');
    expect(parseReportedNumber('1e3')?.toString()).toBe('1000');
    // exact: no binary floating point on the way (0.1 + 0.2 would be 0.30000000000000004)
    expect(parseReportedNumber('0.1')?.plus(parseReportedNumber('0.2')!).toString()).toBe('0.3');
  });

  it('accepts finite numbers', () => {
    expect(parseReportedNumber(12.5)?.toString()).toBe('12.5');
    expect(parseReportedNumber(-3)?.toString()).toBe('-3');
  });

  it('treats "None", "", "-", missing and non-numeric values as null', () => {
    for (const raw of ['None', '', '  ', '-', 'abc', '1.2.3', 'Infinity', 'NaN', '0x10', undefined, null, NaN, Infinity, {}, [], true]) {
      expect(parseReportedNumber(raw), String(raw)).toBeNull();
    }
  });
});

describe('reportedFigure', () => {
  it('keeps the value and how it was reported, for notes', () => {
    expect(reportedFigure('1.64')).toEqual({ value: new Decimal('1.64'), reported: '"1.64"' });
    expect(reportedFigure('None')).toEqual({ value: null, reported: '"None"' });
    expect(reportedFigure('  ')).toEqual({ value: null, reported: 'empty' });
    expect(reportedFigure(undefined)).toEqual({ value: null, reported: 'missing' });
    expect(reportedFigure({})).toEqual({ value: null, reported: 'not a number' });
    expect(reportedFigure(-5)).toEqual({ value: new Decimal(-5), reported: '-5' });
  });
});

describe('discountedCashFlow', () => {
  it('values EPS 5.00 at 10% growth, 20x, 15% return over 5 years at 101.97', () => {
    const dcf = discountedCashFlow('EPS', new Decimal('5.00'), 10, 20, 15, 5);
    expect(figures(dcf)).toEqual(EPS_WORKED_EXAMPLE);
  });

  it('values FCF per share 2.22 at 10% growth, 20x, 15% return over 5 years at 45.33', () => {
    const dcf = discountedCashFlow('FCF', new Decimal('2.22'), 10, 20, 15, 5);
    expect(figures(dcf)).toEqual(FCF_WORKED_EXAMPLE);
  });

  it('compounds each year from the unrounded starting value, as the original does', () => {
    // Compounding the rounded previous year instead would give 6.66 × 1.1 = 7.326 → 7.33.
    const dcf = discountedCashFlow('EPS', '5.00', 10, 20, 15, 5);
    expect(dcf.projected[3]!.toFixed(2)).toBe('7.32');
  });

  it('rounds a projected value at a .xx5 boundary half-even (1.265 → 1.26)', () => {
    const dcf = discountedCashFlow('EPS', '1.15', 10, 20, 15, 2);
    // 1.15 × 1.1 = 1.265 → 1.26 (half-up would give 1.27); 1.15 × 1.21 = 1.3915 → 1.39
    expect(dcf.projected.map((d) => d.toFixed(2))).toEqual(['1.26', '1.39']);
  });

  it('rounds the terminal value half-even (1.01 × 12.5 = 12.625 → 12.62)', () => {
    const dcf = discountedCashFlow('EPS', '1.01', 0, 12.5, 15, 1);
    expect(dcf.terminalValue.toFixed(2)).toBe('12.62');
  });

  it('rounds present values half-even and sums the rounded figures (2.25 ÷ 2 = 1.125 → 1.12)', () => {
    const dcf = discountedCashFlow('EPS', '2.25', 0, 1, 100, 1);
    expect(figures(dcf)).toEqual({
      method: 'EPS',
      startingValue: '2.25',
      projected: ['2.25'],
      presentValues: ['1.12'],
      sumOfPresentValues: '1.12',
      terminalValue: '2.25',
      presentValueOfTerminal: '1.12',
      intrinsicValue: '2.24', // half-up at each step would give 2.26
    });
  });

  it('handles negative growth', () => {
    const dcf = discountedCashFlow('EPS', '10.00', -50, 10, 10, 3);
    expect(dcf.projected.map((d) => d.toFixed(2))).toEqual(['5.00', '2.50', '1.25']);
  });

  it('rejects the inputs the original rejects', () => {
    expect(() => discountedCashFlow('EPS', '0', 10, 20, 15, 5)).toThrow(RangeError);
    expect(() => discountedCashFlow('EPS', '-1.23', 10, 20, 15, 5)).toThrow(RangeError);
    expect(() => discountedCashFlow('EPS', '5', 10, 20, 15, 0)).toThrow(RangeError);
    expect(() => discountedCashFlow('EPS', '5', 10, 20, 15, 2.5)).toThrow(RangeError);
    expect(() => discountedCashFlow('EPS', '5', Number.NaN, 20, 15, 5)).toThrow(RangeError);
    expect(() => discountedCashFlow('EPS', 'None', 10, 20, 15, 5)).toThrow(RangeError);
  });

  it('does not change the global Decimal configuration', () => {
    discountedCashFlow('EPS', '5.00', 10, 20, 15, 5);
    expect(Decimal.precision).toBe(20);
    expect(Decimal.rounding).toBe(Decimal.ROUND_HALF_UP);
  });
});

describe('epsTtm', () => {
  it('sums reportedEPS of the four latest quarters', () => {
    const result = epsTtm(
      earnings([
        quarter('2024-09-30', '1.64'),
        quarter('2024-06-30', '1.40'),
        quarter('2024-03-31', '1.53'),
        quarter('2023-12-31', '2.18'),
        quarter('2023-09-30', '1.46'),
      ]),
      overview(),
    );
    expect(fixed(result.value)).toBe('6.75');
    expect(result.notes).toEqual([]);
  });

  it('sorts quarters by fiscalDateEnding before taking the latest four', () => {
    const result = epsTtm(
      earnings([
        quarter('2023-09-30', '9.99'),
        quarter('2024-03-31', '1.30'),
        quarter('2024-09-30', '1.10'),
        quarter('2023-12-31', '1.40'),
        quarter('2024-06-30', '1.20'),
      ]),
      overview(),
    );
    expect(fixed(result.value)).toBe('5.00');
  });

  it('rounds the sum to cents half-even (2.005 → 2.00)', () => {
    const result = epsTtm(
      earnings([
        quarter('2024-09-30', '0.505'),
        quarter('2024-06-30', '0.50'),
        quarter('2024-03-31', '0.50'),
        quarter('2023-12-31', '0.50'),
      ]),
      null,
    );
    expect(fixed(result.value)).toBe('2.00');
  });

  it('falls back to OVERVIEW EPS with a note when fewer than four quarters exist', () => {
    const result = epsTtm(
      earnings([quarter('2024-09-30', '1.64'), quarter('2024-06-30', '1.40')]),
      overview({ EPS: '6.08' }),
    );
    expect(fixed(result.value)).toBe('6.08');
    expect(result.notes).toEqual(['EPS TTM from OVERVIEW EPS: only 2 quarterly reports with reported EPS']);
  });

  it('falls back to OVERVIEW EPS when a quarter inside the latest four has reportedEPS "None"', () => {
    const result = epsTtm(
      earnings([
        quarter('2024-09-30', '1.64'),
        quarter('2024-06-30', 'None'),
        quarter('2024-03-31', '1.53'),
        quarter('2023-12-31', '2.18'),
        quarter('2023-09-30', '1.46'),
      ]),
      overview(),
    );
    expect(fixed(result.value)).toBe('6.08');
    expect(result.notes).toEqual(['EPS TTM from OVERVIEW EPS: quarter ending 2024-06-30 has no usable reported EPS']);
  });

  it('skips a newest, not-yet-reported quarter and notes it', () => {
    const result = epsTtm(
      earnings([
        quarter('2024-12-31', 'None'),
        quarter('2024-09-30', '1.64'),
        quarter('2024-06-30', '1.40'),
        quarter('2024-03-31', '1.53'),
        quarter('2023-12-31', '2.18'),
      ]),
      overview(),
    );
    expect(fixed(result.value)).toBe('6.75');
    expect(result.notes).toEqual(['EPS TTM skips 1 newer quarter(s) without reported EPS: 2024-12-31']);
  });

  // A body without a quarterlyEarnings list, an Information text or a non-object never
  // reaches the domain: classifyAnswer refuses it (test/unit/alpha-vantage-answers.test.ts).
  it('falls back when EARNINGS is unavailable', () => {
    const result = epsTtm(null, overview());
    expect(fixed(result.value)).toBe('6.08');
    expect(result.notes).toEqual(['EPS TTM from OVERVIEW EPS: EARNINGS data unavailable']);
  });

  it('is null with a note when neither quarters nor OVERVIEW EPS are usable', () => {
    const short = earnings([quarter('2024-09-30', '1.64'), quarter('2024-06-30', '1.40')]);
    expect(epsTtm(short, overview({ EPS: 'None' }))).toEqual({
      value: null,
      notes: ['EPS TTM unavailable: only 2 quarterly reports with reported EPS; OVERVIEW EPS is "None"'],
    });
    expect(epsTtm(null, null)).toEqual({
      value: null,
      notes: ['EPS TTM unavailable: EARNINGS data unavailable; OVERVIEW data unavailable'],
    });
    expect(epsTtm(earnings([]), overviewOf({ Symbol: 'TEST' })).notes).toEqual([
      'EPS TTM unavailable: no quarterly reports with reported EPS; OVERVIEW EPS is missing',
    ]);
  });

  it('never takes an undated quarter as the latest', () => {
    const result = epsTtm(
      earningsOf({
        quarterlyEarnings: [
          { reportedEPS: '9.99' },
          quarter('2024-09-30', '1.10'),
          quarter('2024-06-30', '1.20'),
          quarter('2024-03-31', '1.30'),
          quarter('2023-12-31', '1.40'),
        ],
      }),
      null,
    );
    expect(fixed(result.value)).toBe('5.00');
  });
});

describe('fcfTtm', () => {
  it('sums operatingCashflow minus capitalExpenditures over the four latest quarters', () => {
    const result = fcfTtm(cashFlow());
    expect(fixed(result.value)).toBe('33300000000.00');
    expect(result.notes).toEqual([]);
  });

  it('subtracts capex whichever sign Alpha Vantage reports it with', () => {
    const result = fcfTtm(
      cashFlow([
        cashQuarter('2024-09-30', '9000000000', '-800000000'),
        cashQuarter('2024-06-30', '8500000000', '-700000000'),
        cashQuarter('2024-03-31', '9200000000', '750000000'),
        cashQuarter('2023-12-31', '9600000000', '-750000000'),
      ]),
    );
    expect(fixed(result.value)).toBe('33300000000.00');
  });

  it('sorts quarters by fiscalDateEnding before taking the latest four', () => {
    const result = fcfTtm(
      cashFlow([
        cashQuarter('2023-09-30', '1', '99999999999'),
        cashQuarter('2023-12-31', '9600000000', '750000000'),
        cashQuarter('2024-09-30', '9000000000', '800000000'),
        cashQuarter('2024-03-31', '9200000000', '750000000'),
        cashQuarter('2024-06-30', '8500000000', '700000000'),
      ]),
    );
    expect(fixed(result.value)).toBe('33300000000.00');
  });

  it('counts a "None" capex as zero and notes it', () => {
    const result = fcfTtm(
      cashFlow([
        cashQuarter('2024-09-30', '100', 'None'),
        cashQuarter('2024-06-30', '100', '10'),
        cashQuarter('2024-03-31', '100', '10'),
        cashQuarter('2023-12-31', '100', '10'),
      ]),
    );
    expect(fixed(result.value)).toBe('370.00');
    expect(result.notes).toEqual(['FCF TTM treats capital expenditures "None" as 0 for quarter ending 2024-09-30']);
  });

  it('is null when an operatingCashflow in the latest four is "None"', () => {
    const result = fcfTtm(
      cashFlow([
        cashQuarter('2024-09-30', '100', '10'),
        cashQuarter('2024-06-30', 'None', '10'),
        cashQuarter('2024-03-31', '100', '10'),
        cashQuarter('2023-12-31', '100', '10'),
        cashQuarter('2023-09-30', '100', '10'),
      ]),
    );
    expect(result).toEqual({
      value: null,
      notes: ['FCF TTM unavailable: quarter ending 2024-06-30 has no usable operating cash flow'],
    });
  });

  it('is null with a note when fewer than four quarters exist', () => {
    const result = fcfTtm(
      cashFlow([
        cashQuarter('2024-09-30', '100', '10'),
        cashQuarter('2024-06-30', '100', '10'),
        cashQuarter('2024-03-31', '100', '10'),
      ]),
    );
    expect(result).toEqual({
      value: null,
      notes: ['FCF TTM unavailable: only 3 quarterly reports with operating cash flow'],
    });
  });

  // Malformed CASH_FLOW bodies (not an object, no quarterlyReports list) are refused by
  // classifyAnswer before the domain sees them (test/unit/alpha-vantage-answers.test.ts).
  it('is null with a note for unavailable CASH_FLOW data', () => {
    expect(fcfTtm(null)).toEqual({ value: null, notes: ['FCF TTM unavailable: CASH_FLOW data unavailable'] });
  });
});

describe('fcfPerShare', () => {
  it('divides FCF TTM by shares outstanding, rounded to cents', () => {
    expect(fixed(fcfPerShare(new Decimal('33300000000'), reportedFigure('15000000000')).value)).toBe('2.22');
    expect(fixed(fcfPerShare(new Decimal('33300000000'), { value: new Decimal('15000000000'), reported: '15000000000' }).value)).toBe(
      '2.22',
    );
  });

  it('rounds half-even at a .xx5 boundary (0.125 → 0.12, 0.135 → 0.14)', () => {
    expect(fixed(fcfPerShare(new Decimal('125'), reportedFigure('1000')).value)).toBe('0.12');
    expect(fixed(fcfPerShare(new Decimal('135'), reportedFigure('1000')).value)).toBe('0.14');
  });

  it('keeps a negative FCF per share (the caller decides to skip the model)', () => {
    expect(fixed(fcfPerShare(new Decimal('-5000000000'), reportedFigure('1000000000')).value)).toBe('-5.00');
  });

  it('is null with a note when shares are missing, "None" or not positive', () => {
    expect(fcfPerShare(new Decimal('100'), reportedFigure(undefined))).toEqual({
      value: null,
      notes: ['FCF per share unavailable: shares outstanding is missing'],
    });
    expect(fcfPerShare(new Decimal('100'), reportedFigure('None')).notes).toEqual([
      'FCF per share unavailable: shares outstanding is "None"',
    ]);
    expect(fcfPerShare(new Decimal('100'), reportedFigure('0')).notes).toEqual([
      'FCF per share unavailable: shares outstanding is 0, not positive',
    ]);
    expect(fcfPerShare(new Decimal('100'), reportedFigure(-5)).value).toBeNull();
  });
});

describe('validateAssumptions', () => {
  const withValue = (patch: Partial<Record<keyof ValuationAssumptions, unknown>>): ValuationAssumptions =>
    ({ ...DEFAULT_ASSUMPTIONS, ...patch }) as ValuationAssumptions;

  it('accepts the defaults', () => {
    expect(DEFAULT_ASSUMPTIONS).toEqual({
      epsGrowthRate: 10,
      epsMultiple: 20,
      fcfGrowthRate: 10,
      fcfMultiple: 20,
      desiredReturn: 15,
      projectionYears: 5,
      preferredMethod: 'EPS',
    });
    expect(validateAssumptions(DEFAULT_ASSUMPTIONS)).toEqual([]);
  });

  it('accepts values exactly on the inclusive boundaries', () => {
    for (const patch of [
      { epsGrowthRate: -50 },
      { epsGrowthRate: 100 },
      { fcfGrowthRate: -50 },
      { fcfGrowthRate: 100 },
      { epsMultiple: 200 },
      { epsMultiple: 0.01 },
      { fcfMultiple: 200 },
      { desiredReturn: 100 },
      { desiredReturn: 0.01 },
      { projectionYears: 1 },
      { projectionYears: 30 },
      { preferredMethod: 'FCF' },
    ]) {
      expect(validateAssumptions(withValue(patch)), JSON.stringify(patch)).toEqual([]);
    }
  });

  it('rejects growth rates outside -50..100', () => {
    expect(validateAssumptions(withValue({ epsGrowthRate: -50.01 }))).toEqual([
      'epsGrowthRate must be at least -50 and at most 100 (got -50.01)',
    ]);
    expect(validateAssumptions(withValue({ fcfGrowthRate: 100.5 }))).toEqual([
      'fcfGrowthRate must be at least -50 and at most 100 (got 100.5)',
    ]);
  });

  it('rejects multiples of 0 or above 200', () => {
    expect(validateAssumptions(withValue({ epsMultiple: 0 }))).toEqual([
      'epsMultiple must be greater than 0 and at most 200 (got 0)',
    ]);
    expect(validateAssumptions(withValue({ fcfMultiple: 200.01 }))).toEqual([
      'fcfMultiple must be greater than 0 and at most 200 (got 200.01)',
    ]);
  });

  it('rejects a desired return of 0 or above 100', () => {
    expect(validateAssumptions(withValue({ desiredReturn: 0 }))).toEqual([
      'desiredReturn must be greater than 0 and at most 100 (got 0)',
    ]);
    expect(validateAssumptions(withValue({ desiredReturn: 100.01 }))).toHaveLength(1);
  });

  it('rejects projection years that are not a whole number from 1 to 30', () => {
    for (const projectionYears of [0, 31, 2.5, -1]) {
      expect(validateAssumptions(withValue({ projectionYears }))).toEqual([
        `projectionYears must be a whole number from 1 to 30 (got ${projectionYears})`,
      ]);
    }
  });

  it('rejects non-finite numbers and unknown methods, reporting every problem', () => {
    expect(
      validateAssumptions(
        withValue({ epsGrowthRate: Number.NaN, fcfMultiple: Infinity, projectionYears: Number.NaN, preferredMethod: 'DCF' }),
      ),
    ).toEqual([
      'epsGrowthRate must be a finite number (got NaN)',
      'fcfMultiple must be a finite number (got Infinity)',
      'projectionYears must be a whole number from 1 to 30 (got NaN)',
      'preferredMethod must be EPS or FCF (got DCF)',
    ]);
  });
});

describe('valueStock', () => {
  const numbers = (expected: typeof EPS_WORKED_EXAMPLE) => ({
    method: expected.method,
    startingValue: Number(expected.startingValue),
    projected: expected.projected.map(Number),
    presentValues: expected.presentValues.map(Number),
    sumOfPresentValues: Number(expected.sumOfPresentValues),
    terminalValue: Number(expected.terminalValue),
    presentValueOfTerminal: Number(expected.presentValueOfTerminal),
    intrinsicValue: Number(expected.intrinsicValue),
  });

  const fullInput = () => ({
    symbol: 'TEST',
    earnings: earnings(),
    overview: overview(),
    cashFlow: cashFlow(),
    assumptions: { ...DEFAULT_ASSUMPTIONS },
  });

  it('runs both models from Alpha Vantage bodies and prefers EPS by default', () => {
    const result = valueStock(fullInput());
    expect(result).toEqual({
      symbol: 'TEST',
      assumptions: DEFAULT_ASSUMPTIONS,
      epsTtm: 5,
      fcfTtm: 33300000000,
      sharesOutstanding: 15000000000,
      fcfPerShare: 2.22,
      eps: numbers(EPS_WORKED_EXAMPLE),
      fcf: numbers(FCF_WORKED_EXAMPLE),
      notes: [],
      preferredMethod: 'EPS',
      effectiveIntrinsicValue: 101.97,
    });
    // Plain data, ready for GraphQL: survives a JSON round trip unchanged.
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('uses the FCF intrinsic value when FCF is the preferred method', () => {
    const result = valueStock({ ...fullInput(), assumptions: { ...DEFAULT_ASSUMPTIONS, preferredMethod: 'FCF' } });
    expect(result.preferredMethod).toBe('FCF');
    expect(result.effectiveIntrinsicValue).toBe(45.33);
    expect(result.eps?.intrinsicValue).toBe(101.97);
  });

  it('skips the EPS model for non-positive EPS TTM but still runs FCF, without falling back', () => {
    const result = valueStock({
      ...fullInput(),
      earnings: earnings([
        quarter('2024-09-30', '-0.50'),
        quarter('2024-06-30', '-0.40'),
        quarter('2024-03-31', '-0.30'),
        quarter('2023-12-31', '-0.03'),
      ]),
    });
    expect(result.epsTtm).toBe(-1.23);
    expect(result.eps).toBeNull();
    expect(result.fcf?.intrinsicValue).toBe(45.33);
    expect(result.effectiveIntrinsicValue).toBeNull();
    expect(result.notes).toEqual([
      'EPS model skipped: EPS TTM is -1.23, not positive',
      'No effective intrinsic value: preferred EPS model could not run (FCF intrinsic value 45.33 is available)',
    ]);
  });

  it('skips the FCF model for non-positive FCF per share but still runs EPS', () => {
    const result = valueStock({
      ...fullInput(),
      cashFlow: cashFlow([
        cashQuarter('2024-09-30', '1000000000', '2000000000'),
        cashQuarter('2024-06-30', '1000000000', '2000000000'),
        cashQuarter('2024-03-31', '1000000000', '2000000000'),
        cashQuarter('2023-12-31', '1000000000', '2000000000'),
      ]),
    });
    expect(result.fcfTtm).toBe(-4000000000);
    expect(result.fcfPerShare).toBe(-0.27); // -4bn / 15bn = -0.2666…
    expect(result.fcf).toBeNull();
    expect(result.eps?.intrinsicValue).toBe(101.97);
    expect(result.effectiveIntrinsicValue).toBe(101.97);
    expect(result.notes).toEqual(['FCF model skipped: FCF per share is -0.27, not positive']);
  });

  it('skips the FCF model when SharesOutstanding is missing', () => {
    const result = valueStock({
      ...fullInput(),
      overview: overview({ SharesOutstanding: 'None' }),
      assumptions: { ...DEFAULT_ASSUMPTIONS, preferredMethod: 'FCF' },
    });
    expect(result.sharesOutstanding).toBeNull();
    expect(result.fcfTtm).toBe(33300000000);
    expect(result.fcfPerShare).toBeNull();
    expect(result.fcf).toBeNull();
    expect(result.effectiveIntrinsicValue).toBeNull();
    expect(result.notes).toEqual([
      'FCF per share unavailable: shares outstanding is "None"',
      'FCF model skipped: FCF per share unavailable',
      'No effective intrinsic value: preferred FCF model could not run (EPS intrinsic value 101.97 is available)',
    ]);
  });

  it('runs EPS from OVERVIEW when EARNINGS is short, and says so', () => {
    const result = valueStock({
      ...fullInput(),
      earnings: earnings([quarter('2024-09-30', '1.64'), quarter('2024-06-30', '1.40')]),
      overview: overview({ EPS: '5.00' }),
    });
    expect(result.epsTtm).toBe(5);
    expect(result.eps?.intrinsicValue).toBe(101.97);
    expect(result.notes).toEqual(['EPS TTM from OVERVIEW EPS: only 2 quarterly reports with reported EPS']);
  });

  it('never throws when every data source is unavailable', () => {
    const result = valueStock({ symbol: 'NONE', earnings: null, overview: null, cashFlow: null, assumptions: DEFAULT_ASSUMPTIONS });
    expect(result).toEqual({
      symbol: 'NONE',
      assumptions: DEFAULT_ASSUMPTIONS,
      epsTtm: null,
      fcfTtm: null,
      sharesOutstanding: null,
      fcfPerShare: null,
      eps: null,
      fcf: null,
      notes: [
        'EPS TTM unavailable: EARNINGS data unavailable; OVERVIEW data unavailable',
        'EPS model skipped: EPS TTM unavailable',
        'FCF TTM unavailable: CASH_FLOW data unavailable',
        'FCF model skipped: FCF TTM unavailable',
        'No effective intrinsic value: preferred EPS model could not run',
      ],
      preferredMethod: 'EPS',
      effectiveIntrinsicValue: null,
    });
  });

  it('runs EPS from EARNINGS alone when OVERVIEW is unavailable; FCF then lacks shares', () => {
    const result = valueStock({ ...fullInput(), overview: null });
    expect(result.eps?.intrinsicValue).toBe(101.97);
    expect(result.fcfTtm).toBe(33300000000);
    expect(result.fcf).toBeNull();
    expect(result.notes).toEqual([
      'FCF per share unavailable: OVERVIEW data unavailable',
      'FCF model skipped: FCF per share unavailable',
    ]);
  });

  it('runs EPS when CASH_FLOW is unavailable', () => {
    const result = valueStock({ ...fullInput(), cashFlow: null });
    expect(result.effectiveIntrinsicValue).toBe(101.97);
    expect(result.sharesOutstanding).toBe(15000000000);
    expect(result.fcf).toBeNull();
    expect(result.notes).toEqual(['FCF TTM unavailable: CASH_FLOW data unavailable', 'FCF model skipped: FCF TTM unavailable']);
  });

  it('never sees malformed bodies: classifyAnswer refuses them as the upstream being unavailable', () => {
    expect(() => earningsOf('Thank you for using Alpha Vantage!' as unknown as object)).toThrow(UpstreamUnavailableError);
    expect(() => overviewOf([])).toThrow(UpstreamUnavailableError);
    expect(() => cashFlowOf({ quarterlyReports: [{ fiscalDateEnding: 12 }, null, 'x'] })).toThrow(UpstreamUnavailableError);
  });

  it('values fundamentals with no usable figure without throwing', () => {
    const none = reportedFigure('None');
    const result = valueStock({
      symbol: 'BAD',
      earnings: { quarters: [] },
      overview: { eps: reportedFigure(undefined), sharesOutstanding: none, dividendYield: none, exDividendDate: null },
      cashFlow: { quarters: [{ fiscalDateEnding: null, operatingCashFlow: reportedFigure(''), capitalExpenditures: none }] },
      assumptions: DEFAULT_ASSUMPTIONS,
    });
    expect(result.eps).toBeNull();
    expect(result.fcf).toBeNull();
    expect(result.effectiveIntrinsicValue).toBeNull();
    expect(result.notes).toEqual([
      'EPS TTM unavailable: no quarterly reports with reported EPS; OVERVIEW EPS is missing',
      'EPS model skipped: EPS TTM unavailable',
      'FCF TTM unavailable: no quarterly reports with operating cash flow',
      'FCF model skipped: FCF TTM unavailable',
      'No effective intrinsic value: preferred EPS model could not run',
    ]);
  });

  it('reports TTM figures but runs no model when the assumptions are invalid', () => {
    const result = valueStock({ ...fullInput(), assumptions: { ...DEFAULT_ASSUMPTIONS, projectionYears: 0 } });
    expect(result.epsTtm).toBe(5);
    expect(result.fcfPerShare).toBe(2.22);
    expect(result.eps).toBeNull();
    expect(result.fcf).toBeNull();
    expect(result.notes[0]).toBe(
      'Models skipped: invalid assumptions (projectionYears must be a whole number from 1 to 30 (got 0))',
    );
  });

  it('does not mutate its inputs', () => {
    const input = fullInput();
    const body = earningsBody();
    const unsorted = earningsOf({ ...body, quarterlyEarnings: [...body.quarterlyEarnings].reverse() });
    const snapshot = JSON.stringify({ ...input, earnings: unsorted });
    const result = valueStock({ ...input, earnings: unsorted });
    expect(result.epsTtm).toBe(5);
    expect(JSON.stringify({ ...input, earnings: unsorted })).toBe(snapshot);
    expect(unsorted.quarters[0]?.fiscalDateEnding).toBe('2023-09-30');
    expect(result.assumptions).not.toBe(input.assumptions);
  });
});
