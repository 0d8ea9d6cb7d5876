/**
 * Sample-data mode's option chains: a strike ladder around the sample price for each given
 * expiration, priced by sample-option-pricing.ts, with a book, volume and open interest,
 * written as Alpha Vantage's REALTIME_OPTIONS / HISTORICAL_OPTIONS answer so that the
 * same parser reads it. Pure and deterministic: the only randomness is a PRNG seeded with
 * the symbol, the quote date and the contract, so a symbol's chain is the same all day.
 */
import { daysBetween } from '../../domain/market-calendar.js';
import type { AlphaVantageBody } from './alpha-vantage.request.js';
import { blackScholes, bookQuote, skewedVolatility, type ContractType } from './sample-option-pricing.js';

export interface SampleChainInput {
  symbol: string;
  /** the New York date the chain is quoted on, 'YYYY-MM-DD' */
  quoteDate: string;
  /** 'YYYY-MM-DD', each after quoteDate */
  expirations: readonly string[];
  /** the underlying's price */
  spot: number;
  /** at-the-money implied volatility, decimal */
  volatility: number;
  /** continuous dividend yield, decimal */
  dividendYield: number;
  riskFreeRate: number;
  /** open interest of an at-the-money contract of the nearest expirations, before noise */
  openInterestScale: number;
}

export interface SampleContract {
  contractID: string;
  symbol: string;
  expiration: string;
  strike: number;
  type: ContractType;
  last: number;
  mark: number;
  bid: number;
  bidSize: number;
  ask: number;
  askSize: number;
  volume: number;
  openInterest: number;
  impliedVolatility: number;
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
  rho: number;
}

/** Strikes reach this far from the spot, in ln(strike / spot), at most: about −30 % to +42 %. */
const MAX_REACH = 0.35;
/** …and at least this far: about −11 % to +13 %. */
const MIN_REACH = 0.12;
/** Within this distance of the spot (ln), every strike of the fine step is listed; beyond, every other one. */
const FINE_REACH = 0.1;

/** The listed strike increment near the money, by the underlying's price. */
export function strikeStep(spot: number): number {
  if (spot < 25) return 0.5;
  if (spot < 100) return 1;
  if (spot < 250) return 2.5;
  if (spot < 500) return 5;
  if (spot < 1000) return 10;
  return 20;
}

/**
 * An at-the-money contract's open interest for a company of this size: grows with the
 * square root of the market capitalization (about 8 800 for $3.4 trillion, 560 for
 * $14 billion); 500 when the size is unknown.
 */
export function openInterestScale(marketCapitalization: number | null): number {
  if (marketCapitalization === null || !(marketCapitalization > 0)) return 500;
  return Math.max(100, Math.round(150 * Math.sqrt(marketCapitalization / 1e9)));
}

/** The full chain: expirations ascending, strikes low to high, the call then the put. */
export function sampleOptionChain(input: SampleChainInput): SampleContract[] {
  const { symbol, quoteDate, spot, volatility, dividendYield, riskFreeRate } = input;
  if (!(spot > 0)) throw new RangeError(`spot must be a positive number, got ${spot}`);
  const expirations = [...input.expirations].sort();
  const lastYears = Math.max(1, daysBetween(quoteDate, expirations.at(-1) ?? quoteDate)) / 365;
  const reach = Math.min(MAX_REACH, Math.max(MIN_REACH, 2.2 * volatility * Math.sqrt(lastYears)));
  const strikes = strikeLadder(spot, reach);

  const chain: SampleContract[] = [];
  expirations.forEach((expiration, index) => {
    const days = daysBetween(quoteDate, expiration);
    if (days <= 0) return;
    const years = days / 365;
    // Monthly expirations (the third Friday, or the day before a holiday) hold most of the interest.
    const day = Number(expiration.slice(8, 10));
    const expirationWeight = (day >= 14 && day <= 21 ? 2.5 : 1) / (1 + 0.15 * index);
    const spread = volatility * Math.sqrt(Math.max(years, 21 / 365));
    for (const { strike, round } of strikes) {
      const moneyness = Math.log(strike / spot);
      const impliedVolatility = skewedVolatility(volatility, spot, strike, days);
      const nearness = Math.exp((-0.6 * Math.abs(moneyness)) / spread);
      for (const type of ['call', 'put'] as const) {
        const random = seededRandom(symbol, quoteDate, expiration, type, strike.toFixed(2));
        const priced = blackScholes({ type, spot, strike, years, riskFreeRate, dividendYield, volatility: impliedVolatility });
        const openInterest = Math.round(input.openInterestScale * expirationWeight * nearness * (round ? 1.4 : 1) * (0.5 + random()));
        const volume = Math.round(openInterest * (0.04 + 0.3 * random()) * (index === 0 ? 1.5 : 1));
        const { bid, ask } = bookQuote(priced.price, openInterest);
        const drift = 1 + 0.06 * (random() - 0.5);
        chain.push({
          contractID: occSymbol(symbol, expiration, type, strike),
          symbol,
          expiration,
          strike,
          type,
          last: volume > 0 ? Math.max(0.01, cents(priced.price * drift)) : 0,
          mark: cents((bid + ask) / 2),
          bid,
          bidSize: bid > 0 ? 1 + Math.floor(random() * 200) : 0,
          ask,
          askSize: 1 + Math.floor(random() * 200),
          volume,
          openInterest,
          impliedVolatility,
          delta: priced.delta,
          gamma: priced.gamma,
          theta: priced.theta,
          vega: priced.vega,
          rho: priced.rho,
        });
      }
    }
  });
  return chain;
}

export interface OptionsBodyOptions {
  endpoint: 'Realtime Options' | 'Historical Options';
  quoteDate: string;
  /** implied volatility and the greeks: REALTIME_OPTIONS lists them only with require_greeks=true */
  greeks: boolean;
}

/** The chain as Alpha Vantage writes it: every figure a string, in its field order. */
export function sampleOptionsBody(chain: readonly SampleContract[], options: OptionsBodyOptions): AlphaVantageBody {
  const data = chain.map((c) => {
    const row: Record<string, string> = {
      contractID: c.contractID,
      symbol: c.symbol,
      expiration: c.expiration,
      strike: fixed(c.strike, 2),
      type: c.type,
      last: fixed(c.last, 2),
      mark: fixed(c.mark, 2),
      bid: fixed(c.bid, 2),
      bid_size: String(c.bidSize),
      ask: fixed(c.ask, 2),
      ask_size: String(c.askSize),
      volume: String(c.volume),
      open_interest: String(c.openInterest),
      date: options.quoteDate,
    };
    if (options.greeks) {
      row['implied_volatility'] = fixed(c.impliedVolatility, 5);
      row['delta'] = fixed(c.delta, 5);
      row['gamma'] = fixed(c.gamma, 5);
      row['theta'] = fixed(c.theta, 5);
      row['vega'] = fixed(c.vega, 5);
      row['rho'] = fixed(c.rho, 5);
    }
    return row;
  });
  return { endpoint: options.endpoint, message: 'success', data };
}

interface LadderStrike {
  strike: number;
  /** a round strike (every fourth step), where more interest gathers */
  round: boolean;
}

/** The fine step near the money, every other step of it beyond FINE_REACH. */
function strikeLadder(spot: number, reach: number): LadderStrike[] {
  const step = strikeStep(spot);
  const first = Math.max(1, Math.ceil((spot * Math.exp(-reach)) / step));
  const last = Math.floor((spot * Math.exp(reach)) / step);
  const ladder: LadderStrike[] = [];
  for (let i = first; i <= last; i += 1) {
    const strike = Math.round(i * step * 100) / 100;
    if (Math.abs(Math.log(strike / spot)) > FINE_REACH && i % 2 !== 0) continue;
    ladder.push({ strike, round: i % 4 === 0 });
  }
  return ladder;
}

/** The OCC option symbol Alpha Vantage uses as contractID: AAPL251121P00225000. */
function occSymbol(symbol: string, expiration: string, type: ContractType, strike: number): string {
  const yymmdd = expiration.slice(2, 4) + expiration.slice(5, 7) + expiration.slice(8, 10);
  return `${symbol}${yymmdd}${type === 'call' ? 'C' : 'P'}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
}

const cents = (value: number): number => Math.round(value * 100) / 100;

function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** mulberry32 seeded by FNV-1a of the joined parts: floats in [0, 1), the same for the same parts. */
export function seededRandom(...parts: string[]): () => number {
  let seed = 0x811c9dc5;
  const text = parts.join('|');
  for (let i = 0; i < text.length; i += 1) seed = Math.imul(seed ^ text.charCodeAt(i), 0x01000193);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
