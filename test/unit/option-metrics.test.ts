import { describe, expect, it } from 'vitest';

import {
  breakeven,
  collateral,
  contractFigures,
  d2,
  expectedMove,
  marginOfSafety,
  mid,
  normalCdf,
  premium,
  probabilityOfAssignment,
  probabilityOfProfit,
  roundProbability,
  score,
  spreadPercent,
  yearsToExpiration,
  type BlackScholesInputs,
} from '../../src/domain/option-metrics.js';
import type { ScannedContract } from '../../src/domain/scan-rules.js';
import { HAND_COMPUTED_PUT, HAND_COMPUTED_PUT_FIGURES, HAND_COMPUTED_PUT_MARKET } from '../support/screened-contract.js';

// An independent N for the expected figures: erf by its Maclaurin series
// (Abramowitz & Stegun 7.1.5), N(x) = (1 + erf(x / √2)) / 2. For |x| ≤ 3 the series
// is good to ~1e-14, far more than the 4 decimals compared.
function referenceErf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 120; n += 1) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const referenceN = (x: number): number => (1 + referenceErf(x / Math.SQRT2)) / 2;
const referenceD2 = (S: number, K: number, T: number, sigma: number, r: number, q: number): number =>
  (Math.log(S / K) + (r - q - (sigma * sigma) / 2) * T) / (sigma * Math.sqrt(T));
const fourDecimals = (x: number): number => Math.round(x * 10_000) / 10_000; // no ties in these cases

const contract = (overrides: Partial<ScannedContract> = {}): ScannedContract => ({ ...HAND_COMPUTED_PUT, ...overrides });

describe('normalCdf', () => {
  it('matches the standard normal to 1e-12 (reference values of Φ to 15 digits)', () => {
    // Φ(0) = 0.5, Φ(1) = 0.841344746068543, Φ(1.96) = 0.975002104851780,
    // Φ(−3) = 0.00134989803163009, Φ(−6) = 9.86587645037698e-10 (e.g. R's pnorm).
    expect(normalCdf(0)).toBe(0.5);
    expect(Math.abs(normalCdf(1) - 0.841344746068543)).toBeLessThan(1e-12);
    expect(Math.abs(normalCdf(1.96) - 0.97500210485178)).toBeLessThan(1e-12);
    expect(Math.abs(normalCdf(-3) - 0.00134989803163009)).toBeLessThan(1e-12);
    expect(Math.abs(normalCdf(-6) - 9.86587645037698e-10)).toBeLessThan(1e-15);
  });

  it('agrees with the erf series of this test across [−3, 3] to 1e-10', () => {
    for (let x = -3; x <= 3; x += 0.125) expect(Math.abs(normalCdf(x) - referenceN(x))).toBeLessThan(1e-10);
  });
});

describe('d2', () => {
  it("reproduces Hull's worked example: S 42, K 40, r 10 %, σ 20 %, T 0.5 gives d2 = 0.6278 and N(−d2) = 0.2651", () => {
    // Hull, Options, Futures, and Other Derivatives, the Black-Scholes-Merton example.
    expect(d2(42, 40, 0.5, 0.2, 0.1, 0)).toBeCloseTo(0.6278, 4);
    expect(roundProbability(normalCdf(-d2(42, 40, 0.5, 0.2, 0.1, 0)))).toBe(0.2651);
  });

  it('counts T as max(daysToExpiration, 1) / 365', () => {
    expect(yearsToExpiration(30)).toBe(30 / 365);
    expect(yearsToExpiration(0)).toBe(1 / 365);
  });
});

describe('the probabilities of a put (S 100, K 95, bid 1.20, σ 0.30, r 0.04, q 0.01, 30 days)', () => {
  // By hand: T = 30/365 = 0.0821918; σ√T = 0.3 × 0.2866911 = 0.0860073;
  // (r − q − σ²/2)·T = (0.04 − 0.01 − 0.045) × 0.0821918 = −0.0012329.
  // d2(95) = (ln(100/95) − 0.0012329) / 0.0860073 = (0.0512933 − 0.0012329) / 0.0860073 = 0.58205;
  // N(−0.58205) = 1 − (0.7190 + 0.205 × 0.0034) = 0.2803 (table: N(0.58) = 0.7190, N(0.59) = 0.7224).
  // d2(93.80) = (ln(100/93.8) − 0.0012329) / 0.0860073 = 0.72985; N(0.72985) = 0.7673.
  const model: BlackScholesInputs = { underlyingPrice: 100, impliedVolatility: 0.3, daysToExpiration: 30, riskFreeRate: 0.04, dividendYield: 0.01 };
  const T = 30 / 365;

  it('probabilityOfAssignment = N(−d2(strike)) = 0.2803', () => {
    expect(probabilityOfAssignment('PUT', 95, model)).toBe(0.2803);
    expect(probabilityOfAssignment('PUT', 95, model)).toBe(fourDecimals(referenceN(-referenceD2(100, 95, T, 0.3, 0.04, 0.01))));
  });

  it('probabilityOfProfit = N(d2(strike − bid)) = 0.7673', () => {
    expect(probabilityOfProfit('PUT', 95, 1.2, model)).toBe(0.7673);
    expect(probabilityOfProfit('PUT', 95, 1.2, model)).toBe(fourDecimals(referenceN(referenceD2(100, 93.8, T, 0.3, 0.04, 0.01))));
  });

  it('expectedMove = S·σ·√T = 100 × 0.3 × 0.2866911 = 8.60', () => {
    expect(expectedMove(model)).toBe(8.6);
  });

  it('counts a missing dividend yield as 0', () => {
    const withoutYield = { ...model, dividendYield: null };
    expect(probabilityOfAssignment('PUT', 95, withoutYield)).toBe(probabilityOfAssignment('PUT', 95, { ...model, dividendYield: 0 }));
    expect(probabilityOfAssignment('PUT', 95, withoutYield)).toBe(fourDecimals(referenceN(-referenceD2(100, 95, T, 0.3, 0.04, 0))));
  });

  it('counts expiration day (0 days) as one day', () => {
    const expiring = { underlyingPrice: 100, impliedVolatility: 0.5, daysToExpiration: 0, riskFreeRate: 0.04, dividendYield: 0 };
    expect(probabilityOfAssignment('PUT', 99, expiring)).toBe(0.3538);
    expect(probabilityOfProfit('PUT', 99, 0.3, expiring)).toBe(0.6883);
    expect(expectedMove(expiring)).toBe(2.62); // 100 × 0.5 × √(1/365) = 2.6171
  });
});

describe('the probabilities of a call (S 50, K 55, bid 0.85, σ 0.40, r 0.045, q 0.02, 21 days)', () => {
  // By hand: T = 21/365 = 0.0575342; σ√T = 0.4 × 0.2398629 = 0.0959452;
  // (r − q − σ²/2)·T = (0.045 − 0.02 − 0.08) × 0.0575342 = −0.0031644.
  // d2(55) = (ln(50/55) − 0.0031644) / 0.0959452 = (−0.0953102 − 0.0031644) / 0.0959452 = −1.02636;
  // N(−1.02636) = 1 − (0.8461 + 0.636 × 0.0024) = 0.1524 (table: N(1.02) = 0.8461, N(1.03) = 0.8485).
  // d2(49.15) = (ln(50/49.15) − 0.0031644) / 0.0959452 = 0.14573; N(0.14573) = 0.5579.
  const model: BlackScholesInputs = { underlyingPrice: 50, impliedVolatility: 0.4, daysToExpiration: 21, riskFreeRate: 0.045, dividendYield: 0.02 };
  const T = 21 / 365;

  it('probabilityOfAssignment = N(d2(strike)) = 0.1524', () => {
    expect(probabilityOfAssignment('CALL', 55, model)).toBe(0.1524);
    expect(probabilityOfAssignment('CALL', 55, model)).toBe(fourDecimals(referenceN(referenceD2(50, 55, T, 0.4, 0.045, 0.02))));
  });

  it('probabilityOfProfit = N(d2(underlyingPrice − bid)) = 0.5579', () => {
    expect(probabilityOfProfit('CALL', 55, 0.85, model)).toBe(0.5579);
    expect(probabilityOfProfit('CALL', 55, 0.85, model)).toBe(fourDecimals(referenceN(referenceD2(50, 49.15, T, 0.4, 0.045, 0.02))));
  });

  it('expectedMove = 50 × 0.4 × 0.2398629 = 4.80', () => {
    expect(expectedMove(model)).toBe(4.8);
  });
});

describe('a breakeven at or below 0', () => {
  const model: BlackScholesInputs = { underlyingPrice: 2, impliedVolatility: 0.8, daysToExpiration: 14, riskFreeRate: 0.04, dividendYield: 0 };

  it('gives a probability of profit of 1', () => {
    expect(probabilityOfProfit('PUT', 1, 1.05, model)).toBe(1); // 1 − 1.05 < 0
    expect(probabilityOfProfit('PUT', 1, 1, model)).toBe(1); // exactly 0
    expect(probabilityOfProfit('CALL', 3, 2.1, model)).toBe(1); // 2 − 2.1 < 0
  });
});

describe('the quote figures', () => {
  it('mid = (bid + ask) / 2 and spreadPercent = (ask − bid) / mid × 100', () => {
    expect(mid(1.2, 1.3)).toBe(1.25);
    expect(spreadPercent(1.2, 1.3)).toBe(8);
    expect(spreadPercent(0, 0.1)).toBe(200);
  });

  it('premium = bid × 100, collateral = strike × 100 (puts) or underlyingPrice × 100 (calls), breakeven', () => {
    expect(premium(1.2)).toBe(120);
    expect(collateral('PUT', 95, 100)).toBe(9500);
    expect(collateral('CALL', 55, 50)).toBe(5000);
    expect(breakeven('PUT', 95, 1.2, 100)).toBe(93.8);
    expect(breakeven('CALL', 55, 0.85, 50)).toBe(49.15);
  });

  it('marginOfSafety = (IV − (strike − bid)) / IV × 100 for puts', () => {
    expect(marginOfSafety('PUT', 95, 1.2, 120)).toBe(21.83); // (120 − 93.8) / 120 × 100 = 21.8333…
    expect(marginOfSafety('PUT', 95, 1.2, 80)).toBe(-17.25); // (80 − 93.8) / 80 × 100
  });

  it('score = annualizedReturn × (1 − probabilityOfAssignment)', () => {
    expect(score(15.37, 0.2803)).toBe(11.06); // 15.37 × 0.7197 = 11.0618
    expect(score(26.86, 0.1524)).toBe(22.77); // 26.86 × 0.8476 = 22.7665
  });
});

describe('half-even rounding at exact ties', () => {
  it('rounds money to 2 decimals half-even', () => {
    expect(mid(1, 1.05)).toBe(1.02); // 1.025
    expect(mid(1, 1.15)).toBe(1.08); // 1.075 (binary 1.075 is 1.07499…: decimals, not floats)
    expect(premium(0.01125)).toBe(1.12); // 1.125
    expect(premium(0.01135)).toBe(1.14); // 1.135
    expect(breakeven('PUT', 95, 1.125, 100)).toBe(93.88); // 93.875
    expect(breakeven('PUT', 95, 1.135, 100)).toBe(93.86); // 93.865
    expect(expectedMove({ underlyingPrice: 50.5, impliedVolatility: 0.25, daysToExpiration: 365, riskFreeRate: 0.04, dividendYield: 0 })).toBe(12.62); // 12.625
  });

  it('rounds percents to 2 decimals half-even', () => {
    expect(spreadPercent(0.59, 0.69)).toBe(15.62); // 0.10 / 0.64 × 100 = 15.625
    expect(spreadPercent(0.57, 0.71)).toBe(21.88); // 0.14 / 0.64 × 100 = 21.875
    expect(marginOfSafety('PUT', 70, 0.1, 80)).toBe(12.62); // 10.1 / 80 × 100 = 12.625
    expect(marginOfSafety('PUT', 70, 0.3, 80)).toBe(12.88); // 10.3 / 80 × 100 = 12.875
    expect(score(12.25, 0.5)).toBe(6.12); // 6.125
    expect(score(12.35, 0.5)).toBe(6.18); // 6.175
  });

  it('rounds probabilities to 4 decimals half-even', () => {
    expect(roundProbability(0.12345)).toBe(0.1234);
    expect(roundProbability(0.12355)).toBe(0.1236);
    expect(roundProbability(0.28025)).toBe(0.2802);
    expect(roundProbability(0.999999)).toBe(1);
  });
});

describe('the null rules', () => {
  const model: BlackScholesInputs = { underlyingPrice: 100, impliedVolatility: 0.3, daysToExpiration: 30, riskFreeRate: 0.04, dividendYield: 0 };

  it('has no mid or spread without a usable ask: none, zero, or below the bid', () => {
    for (const ask of [null, undefined, 0, Number.NaN, 1.1]) {
      expect(mid(1.2, ask)).toBeNull();
      expect(spreadPercent(1.2, ask)).toBeNull();
    }
    expect(spreadPercent(0, 0)).toBeNull();
  });

  it('has no probability, expected move or score without a positive implied volatility or a price', () => {
    for (const broken of [
      { impliedVolatility: null },
      { impliedVolatility: 0 },
      { impliedVolatility: -0.2 },
      { impliedVolatility: Number.NaN },
      { underlyingPrice: null },
      { underlyingPrice: 0 },
    ]) {
      const inputs = { ...model, ...broken };
      expect(probabilityOfAssignment('PUT', 95, inputs)).toBeNull();
      expect(probabilityOfProfit('PUT', 95, 1.2, inputs)).toBeNull();
      expect(expectedMove(inputs)).toBeNull();
    }
    expect(score(15.37, null)).toBeNull();
  });

  it('has no probability without a risk-free rate, but keeps the expected move that does not use it', () => {
    const inputs = { ...model, riskFreeRate: Number.NaN };
    expect(probabilityOfAssignment('CALL', 105, inputs)).toBeNull();
    expect(probabilityOfProfit('CALL', 105, 1, inputs)).toBeNull();
    expect(expectedMove(inputs)).toBe(8.6);
  });

  it('has no margin of safety for calls or without a positive intrinsic value', () => {
    expect(marginOfSafety('CALL', 105, 1, 120)).toBeNull();
    for (const value of [null, 0, -10, Number.NaN]) expect(marginOfSafety('PUT', 95, 1.2, value)).toBeNull();
  });
});

describe('contractFigures', () => {
  it('gives every figure of the hand-computed put (the steps are in the put block above)', () => {
    expect(contractFigures(contract(), HAND_COMPUTED_PUT_MARKET)).toEqual(HAND_COMPUTED_PUT_FIGURES);
  });

  it('gives every figure of the hand-computed call', () => {
    const call = contract({
      contractId: 'XYZ260515C00055000',
      type: 'CALL',
      strike: 55,
      bid: 0.85,
      ask: 0.95,
      delta: 0.2,
      impliedVolatility: 0.4,
      daysToExpiration: 21,
      annualizedReturn: 26.86, // 0.85 / 55 / 21 × 365 × 100 = 26.8615…
      percentChange: -9.09,
      underlyingPrice: 50,
    });
    expect(contractFigures(call, { riskFreeRate: 0.045, dividendYield: 0.02, intrinsicValue: 70 })).toEqual({
      mid: 0.9,
      spreadPercent: 11.11, // 0.10 / 0.90 × 100
      premium: 85,
      collateral: 5000,
      breakeven: 49.15,
      probabilityOfAssignment: 0.1524,
      probabilityOfProfit: 0.5579,
      expectedMove: 4.8,
      marginOfSafety: null,
      score: 22.77,
    });
  });

  it('gives null, never NaN or a throw, for what a contract without ask or implied volatility cannot have', () => {
    const bare = contract({ ask: undefined, impliedVolatility: null });
    expect(contractFigures(bare, { riskFreeRate: 0.04, dividendYield: null, intrinsicValue: null })).toEqual({
      mid: null,
      spreadPercent: null,
      premium: 120,
      collateral: 9500,
      breakeven: 93.8,
      probabilityOfAssignment: null,
      probabilityOfProfit: null,
      expectedMove: null,
      marginOfSafety: null,
      score: null,
    });
  });
});
