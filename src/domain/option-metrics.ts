/**
 * The screener's figures of one option contract: liquidity (mid, spread), what
 * it pays and ties up (premium, collateral, breakeven), risk-neutral chances
 * (Black-Scholes), the expected move, the margin of safety and the score.
 * Pure functions: no I/O, no clock, no module state.
 *
 * Money and percents are rounded half-even to 2 decimals, probabilities to 4.
 * A missing or unusable input makes that figure null, never NaN or a throw.
 */
import cdf from '@stdlib/stats-base-dists-normal-cdf';
import type { Decimal } from 'decimal.js';
import { HalfEvenDecimal as D, roundHalfEven } from './half-even.js';

import type { OptionType, ScannedContract } from './scan-rules.js';

export interface MarketInputs {
  /** decimal, e.g. 0.0425 */
  riskFreeRate: number;
  /** decimal; null counts as 0 */
  dividendYield: number | null;
  /** effective intrinsic value per share; null -> marginOfSafety null */
  intrinsicValue: number | null;
}

export interface ContractFigures {
  mid: number | null;
  spreadPercent: number | null;
  premium: number;
  collateral: number;
  breakeven: number;
  probabilityOfAssignment: number | null;
  probabilityOfProfit: number | null;
  expectedMove: number | null;
  marginOfSafety: number | null;
  score: number | null;
}

/** What the Black-Scholes figures of one contract depend on besides its strike and bid. */
export interface BlackScholesInputs {
  underlyingPrice: number | null;
  /** decimal, e.g. 0.35 */
  impliedVolatility: number | null;
  daysToExpiration: number;
  riskFreeRate: number;
  /** decimal; null counts as 0 */
  dividendYield: number | null;
}

const isFiniteNumber = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);
const isPositive = (value: number | null | undefined): value is number => isFiniteNumber(value) && value > 0;

/** Money and percents: 2 decimals, half-even. */
const cents = (value: Decimal): number => roundHalfEven(value, 2);

/** Probabilities: 4 decimals, half-even. */
export function roundProbability(value: number): number {
  return roundHalfEven(value, 4);
}

/** The standard normal CDF (stdlib's, from erfc: double precision, far inside 1e-7). */
export function normalCdf(x: number): number {
  return cdf(x, 0, 1);
}

/** T in years: max(daysToExpiration, 1) / 365, so that expiration day still has a day to run. */
export function yearsToExpiration(daysToExpiration: number): number {
  return Math.max(daysToExpiration, 1) / 365;
}

/** Usable Black-Scholes inputs, or null when one is missing (no price, no or non-positive IV). */
function usableModel(model: BlackScholesInputs): { spot: number; sigma: number; years: number; rate: number; carry: number } | null {
  const { underlyingPrice, impliedVolatility, daysToExpiration, riskFreeRate, dividendYield } = model;
  if (!isPositive(underlyingPrice) || !isPositive(impliedVolatility)) return null;
  if (!isFiniteNumber(daysToExpiration) || daysToExpiration < 0 || !isFiniteNumber(riskFreeRate)) return null;
  return {
    spot: underlyingPrice,
    sigma: impliedVolatility,
    years: yearsToExpiration(daysToExpiration),
    rate: riskFreeRate,
    carry: isFiniteNumber(dividendYield) ? dividendYield : 0,
  };
}

/**
 * Black-Scholes d2 for a level K: (ln(S/K) + (r − q − σ²/2)·T) / (σ·√T).
 * N(d2) is the risk-neutral chance that the underlying finishes above K.
 */
export function d2(spot: number, level: number, years: number, sigma: number, rate: number, dividendYield: number): number {
  return (Math.log(spot / level) + (rate - dividendYield - (sigma * sigma) / 2) * years) / (sigma * Math.sqrt(years));
}

/** (bid + ask) / 2, 2 decimals; null without an ask (none, ≤ 0, or below the bid: not a two-sided quote). */
export function mid(bid: number, ask: number | null | undefined): number | null {
  const exact = exactMid(bid, ask);
  return exact === null ? null : cents(exact);
}

function exactMid(bid: number, ask: number | null | undefined): Decimal | null {
  if (!isFiniteNumber(bid) || bid < 0 || !isPositive(ask) || ask < bid) return null;
  return new D(bid).plus(ask).div(2);
}

/** (ask − bid) / mid × 100 with the exact mid, 2 decimals; null without an ask. */
export function spreadPercent(bid: number, ask: number | null | undefined): number | null {
  const exact = exactMid(bid, ask);
  if (exact === null || exact.isZero()) return null;
  return cents(new D(ask as number).minus(bid).times(100).div(exact));
}

/** bid × 100: dollars received per contract. */
export function premium(bid: number): number {
  return cents(new D(bid).times(100));
}

/** Puts: strike × 100 (cash secured); calls: underlyingPrice × 100 (shares held). */
export function collateral(type: OptionType, strike: number, underlyingPrice: number): number {
  return cents(new D(type === 'PUT' ? strike : underlyingPrice).times(100));
}

/** Puts: strike − bid; calls: underlyingPrice − bid. */
export function breakeven(type: OptionType, strike: number, bid: number, underlyingPrice: number): number {
  return cents(new D(type === 'PUT' ? strike : underlyingPrice).minus(bid));
}

/** Chance of finishing in the money: N(−d2(strike)) for puts, N(d2(strike)) for calls; 4 decimals. */
export function probabilityOfAssignment(type: OptionType, strike: number, model: BlackScholesInputs): number | null {
  const usable = usableModel(model);
  if (usable === null || !isPositive(strike)) return null;
  const d = d2(usable.spot, strike, usable.years, usable.sigma, usable.rate, usable.carry);
  // N(−d2) rather than 1 − N(d2): the put's small tails keep their precision.
  return roundProbability(normalCdf(type === 'PUT' ? -d : d));
}

/**
 * Chance of finishing beyond the breakeven (puts: strike − bid, calls: underlyingPrice − bid; both
 * profit above it): N(d2(breakeven)), 1 for a breakeven ≤ 0; 4 decimals. The exact breakeven, not cents.
 */
export function probabilityOfProfit(type: OptionType, strike: number, bid: number, model: BlackScholesInputs): number | null {
  const usable = usableModel(model);
  if (usable === null || !isFiniteNumber(strike) || !isFiniteNumber(bid)) return null;
  const level = new D(type === 'PUT' ? strike : usable.spot).minus(bid).toNumber();
  if (level <= 0) return 1;
  return roundProbability(normalCdf(d2(usable.spot, level, usable.years, usable.sigma, usable.rate, usable.carry)));
}

/** One standard deviation of the underlying by expiration: S·σ·√T, 2 decimals. */
export function expectedMove(model: BlackScholesInputs): number | null {
  // The rates do not enter the move: only S, σ and T need to be there.
  const { underlyingPrice, impliedVolatility, daysToExpiration } = model;
  if (!isPositive(underlyingPrice) || !isPositive(impliedVolatility) || !isFiniteNumber(daysToExpiration) || daysToExpiration < 0) return null;
  return cents(new D(underlyingPrice).times(impliedVolatility).times(new D(yearsToExpiration(daysToExpiration)).sqrt()));
}

/** Puts: (IV − (strike − bid)) / IV × 100, 2 decimals; null for calls or without a positive intrinsic value. */
export function marginOfSafety(type: OptionType, strike: number, bid: number, intrinsicValue: number | null): number | null {
  if (type !== 'PUT' || !isPositive(intrinsicValue) || !isFiniteNumber(strike) || !isFiniteNumber(bid)) return null;
  const value = new D(intrinsicValue);
  return cents(value.minus(new D(strike).minus(bid)).times(100).div(value));
}

/** annualizedReturn × (1 − probabilityOfAssignment), both as shown, 2 decimals; null without a probability. */
export function score(annualizedReturn: number, probabilityOfAssignmentShown: number | null): number | null {
  if (!isFiniteNumber(annualizedReturn) || !isFiniteNumber(probabilityOfAssignmentShown)) return null;
  return cents(new D(annualizedReturn).times(new D(1).minus(probabilityOfAssignmentShown)));
}

/** every figure of the contract file for one ScannedContract (src/domain/scan-rules.ts) */
export function contractFigures(contract: ScannedContract, market: MarketInputs): ContractFigures {
  const { type, strike, bid, underlyingPrice } = contract;
  const model: BlackScholesInputs = {
    underlyingPrice,
    impliedVolatility: contract.impliedVolatility,
    daysToExpiration: contract.daysToExpiration,
    riskFreeRate: market.riskFreeRate,
    dividendYield: market.dividendYield,
  };
  const assignment = probabilityOfAssignment(type, strike, model);
  return {
    mid: mid(bid, contract.ask),
    spreadPercent: spreadPercent(bid, contract.ask),
    premium: premium(bid),
    collateral: collateral(type, strike, underlyingPrice),
    breakeven: breakeven(type, strike, bid, underlyingPrice),
    probabilityOfAssignment: assignment,
    probabilityOfProfit: probabilityOfProfit(type, strike, bid, model),
    expectedMove: expectedMove(model),
    marginOfSafety: marginOfSafety(type, strike, bid, market.intrinsicValue),
    score: score(contract.annualizedReturn, assignment),
  };
}
