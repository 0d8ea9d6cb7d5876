import type { ScreenedContract } from '../../src/domain/contract-filter.js';
import type { ContractFigures, MarketInputs } from '../../src/domain/option-metrics.js';
import type { ScannedContract } from '../../src/domain/scan-rules.js';

/**
 * One put worked by hand (test/unit/option-metrics.test.ts shows the steps): S 100, K 95,
 * bid 1.20, ask 1.30, σ 0.30, 30 days, under r 0.04, q 0.01 and an intrinsic value of 120.
 */
export const HAND_COMPUTED_PUT: ScannedContract = Object.freeze({
  contractId: 'XYZ260515P00095000',
  type: 'PUT',
  expiration: '2026-05-15',
  strike: 95,
  bid: 1.2,
  ask: 1.3,
  delta: -0.25,
  impliedVolatility: 0.3,
  openInterest: 500,
  volume: 40,
  daysToExpiration: 30,
  annualizedReturn: 15.37, // 1.20 / 95 / 30 × 365 × 100 = 15.3684…
  percentChange: 5.26,
  underlyingPrice: 100,
});

export const HAND_COMPUTED_PUT_MARKET: MarketInputs = Object.freeze({ riskFreeRate: 0.04, dividendYield: 0.01, intrinsicValue: 120 });

export const HAND_COMPUTED_PUT_FIGURES: ContractFigures = Object.freeze({
  mid: 1.25,
  spreadPercent: 8,
  premium: 120,
  collateral: 9500,
  breakeven: 93.8,
  probabilityOfAssignment: 0.2803,
  probabilityOfProfit: 0.7673,
  expectedMove: 8.6,
  marginOfSafety: 21.83, // (120 − 93.8) / 120 × 100
  score: 11.06, // 15.37 × (1 − 0.2803)
});

/** The hand-computed put as the screener holds it, with whatever the test changes. */
export function screenedContract(overrides: Partial<ScreenedContract> = {}): ScreenedContract {
  return {
    ...HAND_COMPUTED_PUT,
    ...HAND_COMPUTED_PUT_FIGURES,
    symbol: 'XYZ',
    earningsDate: '2026-07-30',
    earningsBeforeExpiration: false,
    exDividendDate: null,
    exDividendBeforeExpiration: false,
    belowIntrinsicValue: true,
    ...overrides,
  };
}
