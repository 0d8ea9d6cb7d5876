/**
 * The model that prices sample-data mode's option chains: Black-Scholes-Merton with a
 * continuous dividend yield, over a volatility smile that leans to the puts. Pure: no
 * clock, no randomness, no I/O. The figures are a model, not the market.
 */
import cdf from '@stdlib/stats-base-dists-normal-cdf';

export type ContractType = 'call' | 'put';

export interface PricingInput {
  type: ContractType;
  /** the underlying's price */
  spot: number;
  strike: number;
  /** time to expiration in years */
  years: number;
  /** continuously compounded risk-free rate, decimal */
  riskFreeRate: number;
  /** continuous dividend yield, decimal */
  dividendYield: number;
  /** implied volatility, decimal (0.3 = 30 %) */
  volatility: number;
}

/** As Alpha Vantage quotes them: theta per calendar day, vega and rho per volatility / rate point. */
export interface PricedContract {
  price: number;
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
  rho: number;
}

const normalCdf = (x: number): number => cdf(x, 0, 1);
const normalPdf = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** Black-Scholes-Merton price and greeks of a European option. */
export function blackScholes(input: PricingInput): PricedContract {
  const { type, spot, strike, years, riskFreeRate: r, dividendYield: q, volatility: sigma } = input;
  for (const [name, value] of [['spot', spot], ['strike', strike], ['years', years], ['volatility', sigma]] as const) {
    if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  const sqrtT = Math.sqrt(years);
  const d1 = (Math.log(spot / strike) + (r - q + (sigma * sigma) / 2) * years) / (sigma * sqrtT);
  const d2 = d1 - sigma * sqrtT;
  const discountQ = Math.exp(-q * years);
  const discountR = Math.exp(-r * years);
  const gamma = (discountQ * normalPdf(d1)) / (spot * sigma * sqrtT);
  const vega = (spot * discountQ * normalPdf(d1) * sqrtT) / 100;
  const decay = -(spot * discountQ * normalPdf(d1) * sigma) / (2 * sqrtT);
  if (type === 'call') {
    return {
      price: spot * discountQ * normalCdf(d1) - strike * discountR * normalCdf(d2),
      delta: discountQ * normalCdf(d1),
      gamma,
      theta: (decay - r * strike * discountR * normalCdf(d2) + q * spot * discountQ * normalCdf(d1)) / 365,
      vega,
      rho: (strike * years * discountR * normalCdf(d2)) / 100,
    };
  }
  return {
    price: strike * discountR * normalCdf(-d2) - spot * discountQ * normalCdf(-d1),
    delta: -discountQ * normalCdf(-d1),
    gamma,
    theta: (decay + r * strike * discountR * normalCdf(-d2) - q * spot * discountQ * normalCdf(-d1)) / 365,
    vega,
    rho: (-strike * years * discountR * normalCdf(-d2)) / 100,
  };
}

/** How steeply implied volatility rises as the strike falls, per unit of ln(strike / spot). */
export const SKEW_SLOPE = 0.9;
/** The smile's curvature, per unit of ln(strike / spot) squared. */
export const SMILE_CURVATURE = 1.2;
/** Strikes the model prices lie within this distance of the spot (ln(strike / spot)). */
export const SKEW_RANGE = 0.35;

/**
 * Implied volatility at a strike: the at-the-money volatility times
 * 1 − SKEW_SLOPE·x + SMILE_CURVATURE·x², x = ln(strike / spot), with x clamped to ±SKEW_RANGE.
 * Lower strikes carry more volatility than higher ones (the equity put skew): over the
 * clamped range the factor falls from 1.46 to 0.83 as the strike rises. Short expirations
 * get a little more (event and gamma premium), fading over about two weeks.
 */
export function skewedVolatility(atTheMoney: number, spot: number, strike: number, days: number): number {
  const x = Math.min(SKEW_RANGE, Math.max(-SKEW_RANGE, Math.log(strike / spot)));
  const smile = 1 - SKEW_SLOPE * x + SMILE_CURVATURE * x * x;
  const term = 1 + 0.08 * Math.exp(-days / 14);
  return atTheMoney * smile * term;
}

/** A quote on the book, in dollars per share. */
export interface BookQuote {
  bid: number;
  ask: number;
}

/**
 * Bid and ask around the model price, on the exchanges' ticks (a cent under $3, five cents
 * above): the half-spread is 1.5 % of the price plus a part that grows as open interest
 * shrinks (about 2 % of the price at 1 000 contracts, 9 % at 50), never under a cent. A
 * premium worth less than the half-spread has no bid.
 */
export function bookQuote(price: number, openInterest: number): BookQuote {
  const value = Math.max(0, price);
  const tick = value < 3 ? 0.01 : 0.05;
  const halfSpread = Math.max(0.01, value * (0.01 + 0.55 / Math.sqrt(Math.max(1, openInterest) + 1)));
  const bid = Math.max(0, Math.floor((value - halfSpread) / tick + 1e-9) * tick);
  const ask = Math.max(bid + tick, Math.ceil((value + halfSpread) / tick - 1e-9) * tick);
  return { bid: cents(bid), ask: cents(ask) };
}

const cents = (value: number): number => Math.round(value * 100) / 100;
