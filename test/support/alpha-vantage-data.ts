/**
 * Deterministic, Alpha Vantage-shaped response bodies for any symbol.
 *
 * Every number comes from a PRNG seeded with the symbol (plus a purpose tag), so
 * the same symbol always gets the same figures; nothing reads the clock. The
 * bodies follow Alpha Vantage's wire format: numbers are strings, and "None"
 * appears where Alpha Vantage writes it (a dividend that does not exist, a bank's
 * capital expenditures, a ratio that makes no sense for a loss-maker...).
 *
 * The figures are SYNTHETIC. For the 26 default symbols they are tuned to be in
 * the right ballpark for the company (rough share count, EPS, FCF, price) so the
 * valuation paths behave plausibly, but they are not reported data.
 *
 * Mix for arbitrary symbols (deterministic per symbol): about 80 % have positive
 * EPS and FCF, about 10 % have negative EPS, about 10 % positive EPS but negative
 * FCF. Prefixes force a case: `LOSS…` negative EPS, `BURN…` negative FCF.
 * `setBodyOverride` replaces any body explicitly.
 *
 * Options: `optionsBody` (REALTIME_OPTIONS / HISTORICAL_OPTIONS) and
 * `marketDataChainBody` (marketdata.app's columnar chain) price a strike ladder
 * with Black-Scholes so bid, mark and delta are consistent. A few contracts lack
 * a bid or a delta; two of them are placed on purpose inside the usual wheel
 * window (the put nearest |delta| 0.25 / 0.20 at the expiration nearest 35 DTE).
 */
import { TZDate } from '@date-fns/tz';

import { isTradingDay, weeklyExpirationForFriday } from '../../src/domain/market-calendar.js';

// ---------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------

/** Default "as of" date for fundamentals and quotes (a Friday). */
export const DEFAULT_AS_OF = '2025-11-14';

export const DEFAULT_SYMBOLS = [
  'AAPL', 'ADBE', 'AMZN', 'ANET', 'ASML', 'AVGO', 'CRM', 'CRWD', 'DDOG', 'DUOL', 'GOOGL', 'JPM', 'MA',
  'META', 'MSFT', 'NFLX', 'NOW', 'NVDA', 'PANW', 'PLTR', 'PYPL', 'SHOP', 'SPGI', 'SPOT', 'UBER', 'V',
] as const;

export type AvFunction =
  | 'EARNINGS'
  | 'OVERVIEW'
  | 'CASH_FLOW'
  | 'GLOBAL_QUOTE'
  | 'REALTIME_OPTIONS'
  | 'HISTORICAL_OPTIONS'
  | 'REALTIME_BULK_QUOTES'
  | 'EARNINGS_CALENDAR'
  | 'TREASURY_YIELD';

export const SUPPORTED_FUNCTIONS: readonly AvFunction[] = [
  'EARNINGS',
  'OVERVIEW',
  'CASH_FLOW',
  'GLOBAL_QUOTE',
  'REALTIME_OPTIONS',
  'HISTORICAL_OPTIONS',
  'REALTIME_BULK_QUOTES',
  'EARNINGS_CALENDAR',
  'TREASURY_YIELD',
];

/** Functions asked without a `symbol` parameter (TREASURY_YIELD takes `maturity`). */
export const SYMBOLLESS_FUNCTIONS: readonly AvFunction[] = ['EARNINGS_CALENDAR', 'TREASURY_YIELD'];

const RISK_FREE_RATE = 0.045;
const NEW_YORK = 'America/New_York';
const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

// ---------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------

/** FNV-1a, 32 bits. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32 seeded from the joined parts: a function returning floats in [0, 1). */
export function seededRandom(...parts: string[]): () => number {
  let a = hashString(parts.join('|'));
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function between(random: () => number, min: number, max: number): number {
  return min + (max - min) * random();
}

// ---------------------------------------------------------------------------
// Formatting (Alpha Vantage writes every number as a string)
// ---------------------------------------------------------------------------

function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

function whole(value: number): string {
  const rounded = Math.round(value);
  return rounded === 0 ? '0' : rounded.toString();
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A whole number, or "None" for null. */
function wholeOrNone(value: number | null): string {
  return value === null ? 'None' : whole(value);
}

// ---------------------------------------------------------------------------
// Calendar dates ('YYYY-MM-DD', no time zone)
// ---------------------------------------------------------------------------

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function toEpochMs(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`Expected a YYYY-MM-DD date, got ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function fromEpochMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function plusDays(date: string, days: number): string {
  return fromEpochMs(toEpochMs(date) + days * 86_400_000);
}

function daysFromTo(from: string, to: string): number {
  return Math.round((toEpochMs(to) - toEpochMs(from)) / 86_400_000);
}

function weekday(date: string): number {
  return new Date(toEpochMs(date)).getUTCDay();
}

/** Last day of a month; `month` is 1-12 and may overflow either way. */
function monthEnd(year: number, month: number): string {
  return fromEpochMs(Date.UTC(year, month, 0));
}

/** The latest weekday on or before the date. */
function lastWeekdayOnOrBefore(date: string): string {
  let day = date;
  while (weekday(day) === 0 || weekday(day) === 6) day = plusDays(day, -1);
  return day;
}

/** 16:00 New York time on the date, in Unix seconds (EST or EDT as in force). */
export function newYorkCloseUnix(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`Expected a YYYY-MM-DD date, got ${date}`);
  const ny = new TZDate(Number(match[1]), Number(match[2]) - 1, Number(match[3]), 16, 0, 0, NEW_YORK);
  return Math.floor(ny.getTime() / 1000);
}

/**
 * `count` weekly expirations on or after `today`: each Friday, or the trading day
 * before it when the exchange is closed (as the scanner's calendar does).
 */
export function defaultExpirations(today: string, count = 8): string[] {
  const offset = (5 - weekday(today) + 7) % 7;
  let friday = plusDays(today, offset);
  const out: string[] = [];
  while (out.length < count) {
    const expiry = weeklyExpirationForFriday(friday);
    if (daysFromTo(today, expiry) >= 0) out.push(expiry);
    friday = plusDays(friday, 7);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Company profiles
// ---------------------------------------------------------------------------

export interface CompanyProfile {
  symbol: string;
  name: string;
  exchange: string;
  sector: string;
  industry: string;
  country: string;
  cik: string;
  /** share price, USD */
  price: number;
  sharesOutstanding: number;
  /** target trailing-twelve-month diluted EPS (the quarterly series sums to it, to the cent) */
  epsTtm: number;
  /** target trailing-twelve-month free cash flow, USD */
  fcfTtm: number;
  revenueTtm: number;
  /** annual dividend per share; 0 = none ("None" on the wire) */
  dividendPerShare: number;
  beta: number;
  /** 1-12 */
  fiscalYearEndMonth: number;
  /** year-over-year EPS growth used to shape the history */
  epsGrowth: number;
  reportTime: 'pre-market' | 'post-market';
  /** capital expenditures as a share of revenue; null = not broken out ("None", as banks) */
  capexToRevenue: number | null;
  /** at-the-money implied volatility */
  impliedVolatility: number;
}

type KnownRow = [
  name: string,
  exchange: string,
  sector: string,
  industry: string,
  country: string,
  price: number,
  sharesBillions: number,
  epsTtm: number,
  fcfBillions: number,
  revenueBillions: number,
  dividendPerShare: number,
  beta: number,
  fiscalYearEndMonth: number,
  epsGrowth: number,
  reportTime: 'pre' | 'post',
  capexToRevenue: number | null,
  impliedVolatility: number,
];

/** Rough, synthetic figures in the right ballpark for each default symbol. Not reported data. */
const KNOWN: Readonly<Record<string, KnownRow>> = {
  AAPL: ['Apple Inc', 'NASDAQ', 'TECHNOLOGY', 'ELECTRONIC COMPUTERS', 'USA', 230, 15.0, 6.6, 105, 400, 1.0, 1.2, 9, 0.08, 'post', 0.03, 0.26],
  ADBE: ['Adobe Inc', 'NASDAQ', 'TECHNOLOGY', 'SERVICES-PREPACKAGED SOFTWARE', 'USA', 360, 0.43, 16.0, 9.5, 23, 0, 1.3, 11, 0.12, 'post', 0.01, 0.32],
  AMZN: ['Amazon.com Inc', 'NASDAQ', 'TRADE & SERVICES', 'RETAIL-CATALOG & MAIL-ORDER HOUSES', 'USA', 220, 10.6, 6.2, 25, 670, 0, 1.3, 12, 0.3, 'post', 0.15, 0.33],
  ANET: ['Arista Networks Inc', 'NYSE', 'TECHNOLOGY', 'COMPUTER COMMUNICATIONS EQUIPMENT', 'USA', 130, 1.26, 2.6, 3.8, 8.0, 0, 1.4, 12, 0.25, 'post', 0.005, 0.45],
  ASML: ['ASML Holding NV ADR', 'NASDAQ', 'TECHNOLOGY', 'SEMICONDUCTOR EQUIPMENT & MATERIALS', 'Netherlands', 800, 0.39, 26, 10, 32, 7.0, 1.3, 12, 0.2, 'pre', 0.06, 0.36],
  AVGO: ['Broadcom Inc', 'NASDAQ', 'TECHNOLOGY', 'SEMICONDUCTORS & RELATED DEVICES', 'USA', 330, 4.7, 3.0, 25, 60, 2.36, 1.2, 10, 0.5, 'post', 0.01, 0.42],
  CRM: ['Salesforce Inc', 'NYSE', 'TECHNOLOGY', 'SERVICES-PREPACKAGED SOFTWARE', 'USA', 250, 0.96, 6.9, 12.5, 40, 1.66, 1.3, 1, 0.2, 'post', 0.02, 0.33],
  CRWD: ['CrowdStrike Holdings Inc', 'NASDAQ', 'TECHNOLOGY', 'SERVICES-PREPACKAGED SOFTWARE', 'USA', 480, 0.25, -0.6, 1.0, 4.3, 0, 1.2, 1, 0.1, 'post', 0.06, 0.45],
  DDOG: ['Datadog Inc', 'NASDAQ', 'TECHNOLOGY', 'SERVICES-PREPACKAGED SOFTWARE', 'USA', 150, 0.35, 0.45, 0.9, 3.0, 0, 1.1, 12, 0.1, 'pre', 0.03, 0.5],
  DUOL: ['Duolingo Inc', 'NASDAQ', 'TECHNOLOGY', 'SERVICES-PREPACKAGED SOFTWARE', 'USA', 300, 0.046, 5.0, 0.35, 0.9, 0, 1.0, 12, 0.5, 'post', 0.01, 0.6],
  GOOGL: ['Alphabet Inc - Class A', 'NASDAQ', 'COMMUNICATION SERVICES', 'SERVICES-COMPUTER PROGRAMMING, DATA PROCESSING, ETC.', 'USA', 250, 12.1, 9.4, 70, 385, 0.84, 1.0, 12, 0.3, 'post', 0.18, 0.3],
  JPM: ['JPMorgan Chase & Co', 'NYSE', 'FINANCIAL SERVICES', 'NATIONAL COMMERCIAL BANKS', 'USA', 300, 2.75, 20, -40, 165, 5.6, 1.1, 12, 0.1, 'pre', null, 0.24],
  MA: ['Mastercard Inc', 'NYSE', 'FINANCIAL SERVICES', 'SERVICES-BUSINESS SERVICES, NEC', 'USA', 560, 0.91, 15.5, 16, 30, 3.04, 1.0, 12, 0.13, 'pre', 0.015, 0.24],
  META: ['Meta Platforms Inc', 'NASDAQ', 'COMMUNICATION SERVICES', 'SERVICES-COMPUTER PROGRAMMING, DATA PROCESSING, ETC.', 'USA', 700, 2.52, 25, 45, 190, 2.1, 1.25, 12, 0.3, 'post', 0.3, 0.36],
  MSFT: ['Microsoft Corporation', 'NASDAQ', 'TECHNOLOGY', 'SERVICES-PREPACKAGED SOFTWARE', 'USA', 500, 7.43, 13.6, 70, 290, 3.32, 0.9, 6, 0.15, 'post', 0.22, 0.24],
  NFLX: ['Netflix Inc', 'NASDAQ', 'COMMUNICATION SERVICES', 'SERVICES-VIDEO TAPE RENTAL', 'USA', 1150, 0.425, 24, 8.5, 43, 0, 1.3, 12, 0.3, 'post', 0.01, 0.34],
  NOW: ['ServiceNow Inc', 'NYSE', 'TECHNOLOGY', 'SERVICES-PREPACKAGED SOFTWARE', 'USA', 900, 0.207, 8.0, 4.0, 12.5, 0, 1.1, 12, 0.2, 'post', 0.07, 0.35],
  NVDA: ['NVIDIA Corporation', 'NASDAQ', 'TECHNOLOGY', 'SEMICONDUCTORS & RELATED DEVICES', 'USA', 180, 24.3, 3.5, 75, 165, 0.04, 1.8, 1, 0.6, 'post', 0.03, 0.45],
  PANW: ['Palo Alto Networks Inc', 'NASDAQ', 'TECHNOLOGY', 'COMPUTER PERIPHERAL EQUIPMENT, NEC', 'USA', 200, 0.67, 1.6, 3.5, 9.2, 0, 1.0, 7, 0.1, 'post', 0.02, 0.35],
  PLTR: ['Palantir Technologies Inc', 'NASDAQ', 'TECHNOLOGY', 'SERVICES-PREPACKAGED SOFTWARE', 'USA', 170, 2.37, 0.3, 1.8, 3.9, 0, 2.5, 12, 0.6, 'post', 0.01, 0.65],
  PYPL: ['PayPal Holdings Inc', 'NASDAQ', 'FINANCIAL SERVICES', 'SERVICES-BUSINESS SERVICES, NEC', 'USA', 68, 0.96, 4.9, 6.0, 32.5, 0, 1.4, 12, 0.15, 'post', 0.025, 0.36],
  SHOP: ['Shopify Inc', 'NASDAQ', 'TECHNOLOGY', 'SERVICES-PREPACKAGED SOFTWARE', 'Canada', 150, 1.3, 1.5, 2.0, 10, 0, 2.6, 12, 0.3, 'pre', 0.005, 0.55],
  SPGI: ['S&P Global Inc', 'NYSE', 'FINANCIAL SERVICES', 'SERVICES-CONSUMER CREDIT REPORTING, COLLECTION AGENCIES', 'USA', 500, 0.305, 13.5, 5.5, 14.5, 3.84, 1.2, 12, 0.15, 'pre', 0.01, 0.24],
  SPOT: ['Spotify Technology SA', 'NYSE', 'COMMUNICATION SERVICES', 'SERVICES-AMUSEMENT & RECREATION SERVICES', 'Luxembourg', 650, 0.205, 9.0, 3.0, 19, 0, 1.0, 12, 0.8, 'pre', 0.002, 0.45],
  UBER: ['Uber Technologies Inc', 'NYSE', 'TECHNOLOGY', 'SERVICES-BUSINESS SERVICES, NEC', 'USA', 95, 2.09, 4.5, 8.5, 48, 0, 1.4, 12, 0.4, 'pre', 0.005, 0.4],
  V: ['Visa Inc', 'NYSE', 'FINANCIAL SERVICES', 'SERVICES-BUSINESS SERVICES, NEC', 'USA', 340, 1.95, 10.2, 21, 38, 2.36, 0.95, 9, 0.12, 'post', 0.03, 0.22],
};

const SECTORS: ReadonlyArray<[string, string]> = [
  ['TECHNOLOGY', 'SERVICES-PREPACKAGED SOFTWARE'],
  ['TECHNOLOGY', 'SEMICONDUCTORS & RELATED DEVICES'],
  ['HEALTHCARE', 'PHARMACEUTICAL PREPARATIONS'],
  ['INDUSTRIALS', 'AIRCRAFT ENGINES & ENGINE PARTS'],
  ['CONSUMER CYCLICAL', 'RETAIL-EATING PLACES'],
  ['ENERGY', 'CRUDE PETROLEUM & NATURAL GAS'],
  ['COMMUNICATION SERVICES', 'SERVICES-COMPUTER PROGRAMMING, DATA PROCESSING, ETC.'],
  ['FINANCIAL SERVICES', 'SERVICES-BUSINESS SERVICES, NEC'],
];

const profileCache = new Map<string, CompanyProfile>();

/** The seeded profile behind every body for a symbol. */
export function companyProfile(symbol: string): CompanyProfile {
  const key = symbol.toUpperCase();
  const cached = profileCache.get(key);
  if (cached) return cached;
  const profile = buildProfile(key);
  profileCache.set(key, profile);
  return profile;
}

function buildProfile(symbol: string): CompanyProfile {
  const random = seededRandom('profile', symbol);
  const cik = String(1_000_000 + Math.floor(random() * 8_000_000)).padStart(10, '0');
  const known = KNOWN[symbol];
  if (known) {
    const [name, exchange, sector, industry, country, price, sharesB, eps, fcfB, revenueB, dps, beta, fyEnd, growth, time, capex, iv] = known;
    return {
      symbol, name, exchange, sector, industry, country, cik, price,
      sharesOutstanding: Math.round(sharesB * 1e9 * (1 + between(random, -0.004, 0.004))),
      epsTtm: eps,
      fcfTtm: fcfB * 1e9,
      revenueTtm: revenueB * 1e9,
      dividendPerShare: dps,
      beta,
      fiscalYearEndMonth: fyEnd,
      epsGrowth: growth,
      reportTime: time === 'pre' ? 'pre-market' : 'post-market',
      capexToRevenue: capex,
      impliedVolatility: iv,
    };
  }

  const [sector, industry] = SECTORS[Math.floor(random() * SECTORS.length)] ?? ['TECHNOLOGY', 'SERVICES-PREPACKAGED SOFTWARE'];
  const price = round2(10 ** between(random, 1, 3.2));
  const marketCap = 10 ** between(random, 9.3, 12);
  const sharesOutstanding = Math.round(marketCap / price);
  const roll = random();
  const kind = symbol.startsWith('LOSS') ? 'loss' : symbol.startsWith('BURN') ? 'burn' : roll < 0.1 ? 'loss' : roll < 0.2 ? 'burn' : 'healthy';
  const netMargin = kind === 'loss' ? -between(random, 0.05, 0.3) : between(random, 0.06, 0.3);
  const priceToEarnings = between(random, 12, 45);
  const earnings = kind === 'loss' ? -marketCap / between(random, 40, 120) : marketCap / priceToEarnings;
  const epsTtm = round2(earnings / sharesOutstanding) || (kind === 'loss' ? -0.01 : 0.01);
  const revenueTtm = Math.abs(earnings / netMargin);
  const fcfTtm = kind === 'burn' ? -Math.abs(earnings) * between(random, 0.2, 0.8) : Math.abs(earnings) * between(random, 0.6, 1.4);
  const pays = kind === 'healthy' && random() < 0.45;
  const words = ['Holdings', 'Systems', 'Industries', 'Group', 'Technologies', 'Corp'];
  return {
    symbol,
    name: `${symbol} ${words[Math.floor(random() * words.length)] ?? 'Corp'} (synthetic)`,
    exchange: random() < 0.55 ? 'NASDAQ' : 'NYSE',
    sector,
    industry,
    country: 'USA',
    cik,
    price,
    sharesOutstanding,
    epsTtm,
    fcfTtm,
    revenueTtm,
    dividendPerShare: pays ? round2(Math.max(0.04, epsTtm * between(random, 0.15, 0.5))) : 0,
    beta: round2(between(random, 0.6, 2.0)),
    fiscalYearEndMonth: random() < 0.7 ? 12 : [3, 6, 9][Math.floor(random() * 3)] ?? 12,
    epsGrowth: round2(between(random, -0.05, 0.35)),
    reportTime: random() < 0.55 ? 'post-market' : 'pre-market',
    capexToRevenue: Math.round(between(random, 0.01, 0.09) * 1000) / 1000,
    impliedVolatility: round2(between(random, 0.2, 0.7)),
  };
}

// ---------------------------------------------------------------------------
// Quarterly history (shared by EARNINGS, CASH_FLOW and OVERVIEW)
// ---------------------------------------------------------------------------

/** Quarters generated internally, so annual figures always have complete years behind them. */
const HISTORY_QUARTERS = 28;

interface Quarter {
  fiscalDateEnding: string;
  reportedDate: string;
  /** the fiscal year end this quarter belongs to */
  fiscalYearEnd: string;
  eps: number;
  estimatedEps: number | null;
  shares: number;
  netIncome: number;
  revenue: number;
  fcf: number;
  /** null = not broken out ("None") */
  capex: number | null;
  operatingCashflow: number;
}

export interface FundamentalsOptions {
  /** the date the data is "as of"; the latest quarter ends at least 45 days before it. Default DEFAULT_AS_OF. */
  asOf?: string;
}

/** Quarter ends (month ends whose month is fiscalYearEnd ± multiples of 3), newest first. */
function quarterEnds(fiscalYearEndMonth: number, asOf: string, count: number): string[] {
  const cutoff = plusDays(asOf, -45);
  let year = Number(cutoff.slice(0, 4));
  let month = Number(cutoff.slice(5, 7));
  while ((month - fiscalYearEndMonth + 12) % 3 !== 0 || monthEnd(year, month) > cutoff) {
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    out.push(monthEnd(year, month));
    month -= 3;
    if (month <= 0) {
      month += 12;
      year -= 1;
    }
  }
  return out;
}

function fiscalYearEndFor(quarterEnd: string, fiscalYearEndMonth: number): string {
  const year = Number(quarterEnd.slice(0, 4));
  const month = Number(quarterEnd.slice(5, 7));
  return month <= fiscalYearEndMonth ? monthEnd(year, fiscalYearEndMonth) : monthEnd(year + 1, fiscalYearEndMonth);
}

/** A series whose first four values sum exactly to `ttm`, older values shrinking by `growth` a year. */
function shapedSeries(random: () => number, ttm: number, growth: number, noise: number, count: number): number[] {
  const perQuarter = Math.pow(1 + Math.max(growth, -0.5), 0.25);
  const base = Math.abs(ttm) / 4;
  const values: number[] = [];
  for (let i = 0; i < count; i += 1) {
    values.push(Math.sign(ttm || 1) * base * Math.pow(perQuarter, -i) * (1 + noise * (random() - 0.5)));
  }
  const head = values.slice(0, 4).reduce((a, b) => a + b, 0);
  const correction = (ttm - head) / 4;
  for (let i = 0; i < 4 && i < count; i += 1) values[i] = (values[i] ?? 0) + correction;
  return values;
}

const historyCache = new Map<string, Quarter[]>();

function history(symbol: string, asOf: string): Quarter[] {
  const key = `${symbol.toUpperCase()}|${asOf}`;
  const cached = historyCache.get(key);
  if (cached) return cached;

  const p = companyProfile(symbol);
  const ends = quarterEnds(p.fiscalYearEndMonth, asOf, HISTORY_QUARTERS);
  const random = seededRandom('history', p.symbol);

  // EPS: rounded to cents, then nudged so the latest four sum exactly to the target.
  const epsRaw = shapedSeries(random, p.epsTtm, p.epsGrowth, 0.1, HISTORY_QUARTERS).map(round2);
  const drift = round2(p.epsTtm - epsRaw.slice(0, 4).reduce((a, b) => a + b, 0));
  epsRaw[0] = round2((epsRaw[0] ?? 0) + drift);

  const revenueGrowth = Math.max(-0.1, p.epsGrowth * 0.6);
  const revenue = shapedSeries(random, p.revenueTtm, revenueGrowth, 0.06, HISTORY_QUARTERS);
  const fcf = shapedSeries(random, p.fcfTtm, p.epsGrowth * 0.8, 0.35, HISTORY_QUARTERS);
  const buybackPerYear = p.dividendPerShare > 0 ? between(random, 0.005, 0.03) : between(random, -0.03, 0.01);

  const quarters: Quarter[] = ends.map((end, i) => {
    const eps = epsRaw[i] ?? 0;
    const shares = Math.round(p.sharesOutstanding * (1 + buybackPerYear * (i / 4)));
    const rev = Math.max(1e6, revenue[i] ?? 0);
    const capex = p.capexToRevenue === null ? null : Math.round(rev * p.capexToRevenue * (1 + 0.3 * (random() - 0.5)));
    const freeCash = Math.round(fcf[i] ?? 0);
    const surprise = between(random, -0.04, 0.1);
    // The oldest quarters of some symbols have no consensus, as in Alpha Vantage.
    const noEstimate = i >= HISTORY_QUARTERS - 6 && hashString(p.symbol) % 3 === 0;
    const estimatedEps = noEstimate ? null : round2(eps - surprise * Math.abs(eps));
    return {
      fiscalDateEnding: end,
      reportedDate: plusDays(end, 18 + Math.floor(random() * 20)),
      fiscalYearEnd: fiscalYearEndFor(end, p.fiscalYearEndMonth),
      eps,
      estimatedEps,
      shares,
      netIncome: Math.round(eps * shares),
      revenue: rev,
      fcf: freeCash,
      capex,
      operatingCashflow: freeCash + (capex ?? 0),
    };
  });
  historyCache.set(key, quarters);
  return quarters;
}

/** Groups quarters by fiscal year, newest first; `complete` = four quarters present. */
function fiscalYears(quarters: Quarter[]): Array<{ fiscalYearEnd: string; quarters: Quarter[]; complete: boolean }> {
  const groups: Array<{ fiscalYearEnd: string; quarters: Quarter[]; complete: boolean }> = [];
  for (const quarter of quarters) {
    const last = groups[groups.length - 1];
    if (last && last.fiscalYearEnd === quarter.fiscalYearEnd) last.quarters.push(quarter);
    else groups.push({ fiscalYearEnd: quarter.fiscalYearEnd, quarters: [quarter], complete: false });
  }
  for (const group of groups) group.complete = group.quarters.length === 4;
  return groups;
}

// ---------------------------------------------------------------------------
// EARNINGS
// ---------------------------------------------------------------------------

export interface HistoryOptions extends FundamentalsOptions {
  /** quarterly rows, newest first (default 8) */
  quarters?: number;
  /** annual rows, newest first (default 5) */
  years?: number;
}

export function earningsBody(symbol: string, options: HistoryOptions = {}): Record<string, unknown> {
  const p = companyProfile(symbol);
  const quarters = history(p.symbol, options.asOf ?? DEFAULT_AS_OF);
  const quarterCount = clampCount(options.quarters ?? 8);
  const yearCount = clampCount(options.years ?? 5);

  // Alpha Vantage's first annual row is the running fiscal year, dated by its latest quarter.
  const years = fiscalYears(quarters).filter((year, index) => index === 0 || year.complete);
  const annualEarnings = years.slice(0, yearCount).map((year) => ({
    fiscalDateEnding: year.complete ? year.fiscalYearEnd : (year.quarters[0]?.fiscalDateEnding ?? year.fiscalYearEnd),
    reportedEPS: fixed(year.quarters.reduce((sum, q) => sum + q.eps, 0), 2),
  }));

  const quarterlyEarnings = quarters.slice(0, quarterCount).map((q) => {
    const estimate = q.estimatedEps;
    const surprise = estimate === null ? null : round2(q.eps - estimate);
    return {
      fiscalDateEnding: q.fiscalDateEnding,
      reportedDate: q.reportedDate,
      reportedEPS: fixed(q.eps, 2),
      estimatedEPS: estimate === null ? 'None' : fixed(estimate, 2),
      surprise: surprise === null ? 'None' : fixed(surprise, 2),
      surprisePercentage:
        surprise === null || estimate === null || estimate === 0 ? 'None' : fixed((surprise / Math.abs(estimate)) * 100, 4),
      reportTime: p.reportTime,
    };
  });
  return { symbol: p.symbol, annualEarnings, quarterlyEarnings };
}

function clampCount(count: number): number {
  return Math.max(0, Math.min(HISTORY_QUARTERS, Math.floor(count)));
}

// ---------------------------------------------------------------------------
// CASH_FLOW
// ---------------------------------------------------------------------------

interface CashFlowFigures {
  operatingCashflow: number;
  capex: number | null;
  netIncome: number;
  revenue: number;
  dividends: number;
  buyback: number;
  debtIssued: number;
  stockIssued: number;
  other: number;
}

function cashFlowReport(fiscalDateEnding: string, f: CashFlowFigures): Record<string, string> {
  const depreciation = Math.round((f.capex ?? f.revenue * 0.02) * 0.55);
  const changeInLiabilities = Math.round(f.operatingCashflow * 0.04);
  const changeInAssets = Math.round(-f.operatingCashflow * 0.03);
  const investing = -((f.capex ?? 0) + Math.round(Math.abs(f.other)));
  const financing = -(f.dividends + f.buyback) + f.debtIssued + f.stockIssued;
  return {
    fiscalDateEnding,
    reportedCurrency: 'USD',
    operatingCashflow: whole(f.operatingCashflow),
    paymentsForOperatingActivities: 'None',
    proceedsFromOperatingActivities: 'None',
    changeInOperatingLiabilities: whole(changeInLiabilities),
    changeInOperatingAssets: whole(changeInAssets),
    depreciationDepletionAndAmortization: whole(depreciation),
    capitalExpenditures: wholeOrNone(f.capex),
    changeInReceivables: whole(-f.revenue * 0.01),
    changeInInventory: f.capex === null ? 'None' : whole(-f.revenue * 0.004),
    profitLoss: whole(f.netIncome),
    cashflowFromInvestment: whole(investing),
    cashflowFromFinancing: whole(financing),
    proceedsFromRepaymentsOfShortTermDebt: whole(f.debtIssued * 0.3),
    paymentsForRepurchaseOfCommonStock: f.buyback > 0 ? whole(f.buyback) : 'None',
    paymentsForRepurchaseOfEquity: f.buyback > 0 ? whole(f.buyback) : 'None',
    paymentsForRepurchaseOfPreferredStock: 'None',
    dividendPayout: f.dividends > 0 ? whole(f.dividends) : 'None',
    dividendPayoutCommonStock: f.dividends > 0 ? whole(f.dividends) : 'None',
    dividendPayoutPreferredStock: 'None',
    proceedsFromIssuanceOfCommonStock: f.stockIssued > 0 ? whole(f.stockIssued) : 'None',
    proceedsFromIssuanceOfLongTermDebtAndCapitalSecuritiesNet: whole(f.debtIssued),
    proceedsFromIssuanceOfPreferredStock: 'None',
    proceedsFromRepurchaseOfEquity: f.buyback > 0 ? whole(-f.buyback) : 'None',
    proceedsFromSaleOfTreasuryStock: 'None',
    changeInCashAndCashEquivalents: whole(f.operatingCashflow + investing + financing),
    changeInExchangeRate: 'None',
    netIncome: whole(f.netIncome),
  };
}

function quarterFigures(p: CompanyProfile, q: Quarter, random: () => number): CashFlowFigures {
  const dividends = Math.round((p.dividendPerShare / 4) * q.shares);
  const buyback = p.dividendPerShare > 0 || q.fcf > 0 ? Math.round(Math.max(0, q.fcf) * between(random, 0.2, 0.8)) : 0;
  return {
    operatingCashflow: q.operatingCashflow,
    capex: q.capex,
    netIncome: q.netIncome,
    revenue: q.revenue,
    dividends,
    buyback,
    debtIssued: Math.round(q.revenue * between(random, 0, 0.04)),
    stockIssued: Math.round(q.revenue * between(random, 0, 0.005)),
    other: q.revenue * between(random, 0, 0.03),
  };
}

export function cashFlowBody(symbol: string, options: HistoryOptions = {}): Record<string, unknown> {
  const p = companyProfile(symbol);
  const quarters = history(p.symbol, options.asOf ?? DEFAULT_AS_OF);
  const random = seededRandom('cash-flow', p.symbol);
  const figures = quarters.map((q) => quarterFigures(p, q, random));
  const byDate = new Map(quarters.map((q, i) => [q.fiscalDateEnding, figures[i]!] as const));

  const annualReports = fiscalYears(quarters)
    .filter((year) => year.complete)
    .slice(0, clampCount(options.years ?? 5))
    .map((year) => {
      const parts = year.quarters.map((q) => byDate.get(q.fiscalDateEnding)!);
      const sum = (pick: (f: CashFlowFigures) => number): number => parts.reduce((acc, f) => acc + pick(f), 0);
      const capex = parts.some((f) => f.capex === null) ? null : sum((f) => f.capex ?? 0);
      return cashFlowReport(year.fiscalYearEnd, {
        operatingCashflow: sum((f) => f.operatingCashflow),
        capex,
        netIncome: sum((f) => f.netIncome),
        revenue: sum((f) => f.revenue),
        dividends: sum((f) => f.dividends),
        buyback: sum((f) => f.buyback),
        debtIssued: sum((f) => f.debtIssued),
        stockIssued: sum((f) => f.stockIssued),
        other: sum((f) => f.other),
      });
    });

  const quarterlyReports = quarters
    .slice(0, clampCount(options.quarters ?? 8))
    .map((q, i) => cashFlowReport(q.fiscalDateEnding, figures[i]!));
  return { symbol: p.symbol, annualReports, quarterlyReports };
}

// ---------------------------------------------------------------------------
// GLOBAL_QUOTE
// ---------------------------------------------------------------------------

export interface QuoteFigures {
  price: number;
  open: number;
  high: number;
  low: number;
  previousClose: number;
  volume: number;
  latestTradingDay: string;
}

export function quoteFigures(symbol: string, options: FundamentalsOptions = {}): QuoteFigures {
  const p = companyProfile(symbol);
  const random = seededRandom('quote', p.symbol, options.asOf ?? DEFAULT_AS_OF);
  const move = between(random, -0.025, 0.025);
  const price = Math.round(p.price * (1 + between(random, -0.01, 0.01)) * 10_000) / 10_000;
  const previousClose = Math.round((price / (1 + move)) * 10_000) / 10_000;
  const open = Math.round(previousClose * (1 + between(random, -0.006, 0.006)) * 10_000) / 10_000;
  const high = Math.round(Math.max(open, price) * (1 + between(random, 0, 0.012)) * 10_000) / 10_000;
  const low = Math.round(Math.min(open, price) * (1 - between(random, 0, 0.012)) * 10_000) / 10_000;
  return {
    price,
    open,
    high,
    low,
    previousClose,
    volume: Math.round(p.sharesOutstanding * between(random, 0.002, 0.008)),
    latestTradingDay: lastWeekdayOnOrBefore(options.asOf ?? DEFAULT_AS_OF),
  };
}

export function globalQuoteBody(symbol: string, options: FundamentalsOptions = {}): Record<string, unknown> {
  const q = quoteFigures(symbol, options);
  const change = q.price - q.previousClose;
  return {
    'Global Quote': {
      '01. symbol': symbol.toUpperCase(),
      '02. open': fixed(q.open, 4),
      '03. high': fixed(q.high, 4),
      '04. low': fixed(q.low, 4),
      '05. price': fixed(q.price, 4),
      '06. volume': whole(q.volume),
      '07. latest trading day': q.latestTradingDay,
      '08. previous close': fixed(q.previousClose, 4),
      '09. change': fixed(change, 4),
      '10. change percent': `${fixed((change / q.previousClose) * 100, 4)}%`,
    },
  };
}

/** A GLOBAL_QUOTE body at a chosen price ("05. price", 4 decimals) and latest trading day, for fake.setBody. */
export function pricedQuoteBody(symbol: string, price: number | string, latestTradingDay: string): Record<string, unknown> {
  const quote = globalQuoteBody(symbol)['Global Quote'] as Record<string, string>;
  const shown = typeof price === 'number' ? fixed(price, 4) : price;
  return { 'Global Quote': { ...quote, '05. price': shown, '07. latest trading day': latestTradingDay } };
}

// ---------------------------------------------------------------------------
// OVERVIEW
// ---------------------------------------------------------------------------

export interface OverviewOptions extends FundamentalsOptions {
  /** the day ex-dividend dates are placed around (mostly ahead of it); default: `asOf` */
  today?: string;
}

export function overviewBody(symbol: string, options: OverviewOptions = {}): Record<string, string> {
  const p = companyProfile(symbol);
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const quarters = history(p.symbol, asOf);
  const random = seededRandom('overview', p.symbol);
  const price = quoteFigures(p.symbol, options).price;

  const ttm = quarters.slice(0, 4);
  const eps = round2(ttm.reduce((sum, q) => sum + q.eps, 0));
  const revenue = ttm.reduce((sum, q) => sum + q.revenue, 0);
  const netIncome = ttm.reduce((sum, q) => sum + q.netIncome, 0);
  const marketCap = price * p.sharesOutstanding;
  const profitMargin = netIncome / revenue;
  const operatingMargin = profitMargin + between(random, 0.02, 0.08);
  const ebitda = revenue * Math.max(operatingMargin + 0.05, -0.5);
  const priceToBook = between(random, 2.5, 14);
  const bookValue = price / priceToBook;
  const debt = revenue * between(random, 0, 0.4);
  const enterpriseValue = marketCap + debt;
  const pe = eps > 0 ? price / eps : null;
  const growth = p.epsGrowth;
  const yearAgo = quarters[4]?.eps ?? 0;
  const quarterGrowth = yearAgo > 0 ? (quarters[0]?.eps ?? 0) / yearAgo - 1 : null;
  const dps = p.dividendPerShare;
  const high52 = price * between(random, 1.02, 1.35);
  const low52 = price * between(random, 0.6, 0.92);
  const ratings = [4, 20, 10, 1, 0].map((n) => Math.max(0, Math.round(n * between(random, 0.4, 1.6))));
  // Mostly ahead of `today` (so a scan on any day sees some before an expiration), about one in seven just past.
  const exDividend = dps > 0 ? plusDays(options.today ?? asOf, Math.floor(between(random, -10, 70))) : null;
  const fyEnd = MONTH_NAMES[p.fiscalYearEndMonth - 1] ?? 'December';

  const none = (value: number | null, decimals: number): string => (value === null ? 'None' : fixed(value, decimals));
  return {
    Symbol: p.symbol,
    AssetType: 'Common Stock',
    Name: p.name,
    Description: `${p.name}: synthetic profile generated deterministically for tests. The figures are illustrative, not reported data.`,
    CIK: p.cik.replace(/^0+/, ''),
    Exchange: p.exchange,
    Currency: 'USD',
    Country: p.country,
    Sector: p.sector,
    Industry: p.industry,
    Address: 'None',
    FiscalYearEnd: fyEnd,
    LatestQuarter: quarters[0]?.fiscalDateEnding ?? asOf,
    MarketCapitalization: whole(marketCap),
    EBITDA: whole(ebitda),
    PERatio: none(pe, 2),
    PEGRatio: pe !== null && growth > 0 ? fixed(pe / (growth * 100), 3) : 'None',
    BookValue: fixed(bookValue, 2),
    DividendPerShare: dps > 0 ? fixed(dps, 2) : 'None',
    DividendYield: dps > 0 ? fixed(dps / price, 4) : 'None',
    EPS: fixed(eps, 2),
    RevenuePerShareTTM: fixed(revenue / p.sharesOutstanding, 2),
    ProfitMargin: fixed(profitMargin, 3),
    OperatingMarginTTM: fixed(operatingMargin, 3),
    ReturnOnAssetsTTM: fixed(profitMargin * between(random, 0.3, 0.9), 3),
    ReturnOnEquityTTM: fixed((eps / bookValue), 3),
    RevenueTTM: whole(revenue),
    GrossProfitTTM: whole(revenue * between(random, 0.4, 0.8)),
    DilutedEPSTTM: fixed(eps, 2),
    QuarterlyEarningsGrowthYOY: none(quarterGrowth, 3),
    QuarterlyRevenueGrowthYOY: fixed(Math.max(-0.1, growth * 0.6) * between(random, 0.7, 1.3), 3),
    AnalystTargetPrice: fixed(price * between(random, 1.02, 1.25), 2),
    AnalystRatingStrongBuy: String(ratings[0]),
    AnalystRatingBuy: String(ratings[1]),
    AnalystRatingHold: String(ratings[2]),
    AnalystRatingSell: String(ratings[3]),
    AnalystRatingStrongSell: String(ratings[4]),
    TrailingPE: none(pe, 2),
    ForwardPE: pe !== null ? fixed(pe / (1 + Math.max(growth, 0)), 2) : 'None',
    PriceToSalesRatioTTM: fixed(marketCap / revenue, 2),
    PriceToBookRatio: fixed(priceToBook, 2),
    EVToRevenue: fixed(enterpriseValue / revenue, 2),
    EVToEBITDA: ebitda > 0 ? fixed(enterpriseValue / ebitda, 2) : 'None',
    Beta: fixed(p.beta, 3),
    '52WeekHigh': fixed(high52, 2),
    '52WeekLow': fixed(low52, 2),
    '50DayMovingAverage': fixed(price * between(random, 0.94, 1.06), 2),
    '200DayMovingAverage': fixed(price * between(random, 0.85, 1.08), 2),
    SharesOutstanding: whole(p.sharesOutstanding),
    SharesFloat: whole(p.sharesOutstanding * between(random, 0.85, 0.995)),
    PercentInsiders: fixed(between(random, 0.05, 12), 3),
    PercentInstitutions: fixed(between(random, 40, 85), 3),
    DividendDate: exDividend === null ? 'None' : plusDays(exDividend, 14),
    ExDividendDate: exDividend ?? 'None',
  };
}

// ---------------------------------------------------------------------------
// EARNINGS_CALENDAR (CSV) and TREASURY_YIELD
// ---------------------------------------------------------------------------

/** Beyond the 26 defaults: names with a comma and with quotes, so the CSV has quoted fields. */
export const CALENDAR_EXTRA_ROWS: ReadonlyArray<{ symbol: string; name: string }> = [
  { symbol: 'BRK.B', name: 'Berkshire Hathaway Inc., Class B' },
  { symbol: 'QTEST', name: 'The "Quoted" Test Company, Inc.' },
];

export interface EarningsCalendarRow {
  symbol: string;
  name: string;
  reportDate: string;
  fiscalDateEnding: string;
  /** '' when no estimate */
  estimate: string;
  currency: string;
}

/**
 * Every calendar symbol's next report within 3 months after `today` (1 to 91 days ahead): a
 * quarterly phase per symbol, so a date stays put from day to day until it has passed. Each
 * symbol once in the 3-month horizon; longer horizons repeat it every 91 days.
 */
export function earningsCalendarRows(today: string, options: { horizon?: string | undefined } = {}): EarningsCalendarRow[] {
  const horizonDays = options.horizon === '6month' ? 182 : options.horizon === '12month' ? 365 : 91;
  const named = [...DEFAULT_SYMBOLS.map((symbol) => ({ symbol: symbol as string, name: companyProfile(symbol).name })), ...CALENDAR_EXTRA_ROWS];
  const rows: EarningsCalendarRow[] = [];
  for (const { symbol, name } of named) {
    const phase = hashString(`earnings-calendar|${symbol}`) % 91;
    const sinceEpoch = daysFromTo('2000-01-01', today);
    const first = 1 + ((((phase - sinceEpoch - 1) % 91) + 91) % 91);
    for (let ahead = first; ahead <= horizonDays; ahead += 91) {
      const reportDate = plusDays(today, ahead);
      const random = seededRandom('earnings-estimate', symbol, reportDate);
      const estimate = random() < 0.15 ? '' : fixed(between(random, 0.2, 4), 2);
      rows.push({ symbol, name, reportDate, fiscalDateEnding: lastWeekdayOnOrBefore(plusDays(reportDate, -30)), estimate, currency: 'USD' });
    }
  }
  return rows.sort((a, b) => a.reportDate.localeCompare(b.reportDate) || a.symbol.localeCompare(b.symbol));
}

const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** A CSV answer: the fake sends it as text/csv, as Alpha Vantage does for its CSV functions. */
export class CsvText {
  constructor(readonly text: string) {}
}

/** EARNINGS_CALENDAR as Alpha Vantage sends it: CSV with a header, CRLF line ends, quoted fields where needed. */
export function earningsCalendarCsv(today: string, options: { symbol?: string | undefined; horizon?: string | undefined } = {}): CsvText {
  const wanted = options.symbol?.toUpperCase();
  const lines = ['symbol,name,reportDate,fiscalDateEnding,estimate,currency'];
  for (const row of earningsCalendarRows(today, options)) {
    if (wanted !== undefined && wanted !== '' && row.symbol !== wanted) continue;
    lines.push([row.symbol, row.name, row.reportDate, row.fiscalDateEnding, row.estimate, row.currency].map(csvField).join(','));
  }
  return new CsvText(`${lines.join('\r\n')}\r\n`);
}

/** The fake's 3-month Treasury yield, percent; the same rate as the fake prices its chains with. */
export const TREASURY_3MONTH_PERCENT = (RISK_FREE_RATE * 100).toFixed(2);

/**
 * TREASURY_YIELD: the 40 weekdays before `today`, latest first; "." on exchange holidays (no
 * quote), the latest quoted day at TREASURY_3MONTH_PERCENT for 3month, older days a few
 * basis points off. Other maturities sit higher.
 */
export function treasuryYieldBody(today: string, options: { maturity?: string | undefined; interval?: string | undefined } = {}): Record<string, unknown> {
  const maturity = (options.maturity ?? '10year').toLowerCase();
  const base = maturity === '3month' ? RISK_FREE_RATE * 100 : RISK_FREE_RATE * 100 + 0.1 + (hashString(maturity) % 50) / 100;
  const data: Array<{ date: string; value: string }> = [];
  let quoted = 0;
  for (let date = plusDays(today, -1); data.length < 40; date = plusDays(date, -1)) {
    if (weekday(date) === 0 || weekday(date) === 6) continue;
    if (!isTradingDay(date)) {
      data.push({ date, value: '.' });
      continue;
    }
    const offset = quoted === 0 ? 0 : (seededRandom('treasury', maturity, date)() - 0.5) * 0.1;
    quoted += 1;
    data.push({ date, value: fixed(base + offset, 2) });
  }
  const label = maturity.replace(/(\d+)(month|year)/, (_, n: string, unit: string) => `${n}-${unit === 'month' ? 'Month' : 'Year'}`);
  return { name: `${label} Treasury Constant Maturity Rate`, interval: options.interval ?? 'monthly', unit: 'percent', data };
}

// ---------------------------------------------------------------------------
// Options chains
// ---------------------------------------------------------------------------

export type MissingStyle = 'mixed' | 'absent' | 'None';

export interface ChainOptions {
  /** the quote date, 'YYYY-MM-DD' (default DEFAULT_AS_OF) */
  today?: string;
  /** expirations to list (default: `defaultExpirations(today, 8)`) */
  expirations?: readonly string[];
  /** default: the GLOBAL_QUOTE price for the symbol */
  underlyingPrice?: number;
}

export interface OptionsBodyOptions extends ChainOptions {
  /** include implied_volatility and the greeks (REALTIME_OPTIONS needs require_greeks=true). Default true. */
  requireGreeks?: boolean;
  endpoint?: 'Realtime Options' | 'Historical Options';
  /** how a missing bid / delta is written: field absent, "None", or alternating (default). */
  missing?: MissingStyle;
  /** only this contract ID (the `contract` parameter) */
  contract?: string;
}

export interface ChainContract {
  contractID: string;
  symbol: string;
  expiration: string;
  strike: number;
  type: 'call' | 'put';
  dte: number;
  theoretical: number;
  /** null: no bid on the book */
  bid: number | null;
  ask: number;
  bidSize: number;
  askSize: number;
  last: number;
  volume: number;
  openInterest: number;
  impliedVolatility: number;
  /** null: the source has no delta */
  delta: number | null;
  gamma: number;
  theta: number;
  vega: number;
  rho: number;
  underlyingPrice: number;
}

function normalCdf(x: number): number {
  // Zelen & Severo (Abramowitz-Stegun 26.2.17), |error| < 7.5e-8.
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = normalPdf(x) * poly;
  return x >= 0 ? 1 - tail : tail;
}

function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

function strikeStep(price: number): number {
  if (price < 25) return 0.5;
  if (price < 60) return 1;
  if (price < 150) return 2.5;
  if (price < 400) return 5;
  if (price < 1000) return 10;
  return 25;
}

function occSymbol(symbol: string, expiration: string, type: 'call' | 'put', strike: number): string {
  const yymmdd = expiration.slice(2, 4) + expiration.slice(5, 7) + expiration.slice(8, 10);
  return `${symbol}${yymmdd}${type === 'call' ? 'C' : 'P'}${String(Math.round(strike * 1000)).padStart(8, '0')}`;
}

/** The full priced chain: expirations in order, strikes low to high, call then put. */
export function optionChain(symbol: string, options: ChainOptions = {}): ChainContract[] {
  const p = companyProfile(symbol);
  const today = options.today ?? DEFAULT_AS_OF;
  const expirations = [...(options.expirations ?? defaultExpirations(today, 8))].sort();
  const spot = options.underlyingPrice ?? quoteFigures(p.symbol).price;
  if (!(spot > 0)) throw new RangeError(`underlyingPrice must be positive, got ${spot}`);
  const q = p.dividendPerShare > 0 ? p.dividendPerShare / spot : 0;
  const step = strikeStep(spot);
  const lowest = Math.max(step, Math.floor((spot * 0.75) / step) * step);
  const highest = Math.ceil((spot * 1.25) / step) * step;
  const baseOpenInterest = Math.max(50, Math.min(40_000, p.sharesOutstanding / 200_000));

  const chain: ChainContract[] = [];
  for (const expiration of expirations) {
    const dte = daysFromTo(today, expiration);
    if (dte < 0) continue;
    const t = Math.max(dte, 0.5) / 365;
    for (let k = lowest; k <= highest + 1e-9; k += step) {
      const strike = Math.round(k * 100) / 100;
      const moneyness = Math.log(strike / spot);
      for (const type of ['call', 'put'] as const) {
        const random = seededRandom('option', p.symbol, today, expiration, type, strike.toFixed(2));
        const smile = 1 - 0.8 * moneyness + 2.5 * moneyness * moneyness;
        const term = 1 + 0.15 * Math.exp(-dte / 14);
        const iv = Math.min(3, Math.max(0.05, p.impliedVolatility * smile * term * (1 + 0.04 * (random() - 0.5))));
        const sqrtT = Math.sqrt(t);
        const d1 = (Math.log(spot / strike) + (RISK_FREE_RATE - q + (iv * iv) / 2) * t) / (iv * sqrtT);
        const d2 = d1 - iv * sqrtT;
        const discQ = Math.exp(-q * t);
        const discR = Math.exp(-RISK_FREE_RATE * t);
        const price =
          type === 'call'
            ? spot * discQ * normalCdf(d1) - strike * discR * normalCdf(d2)
            : strike * discR * normalCdf(-d2) - spot * discQ * normalCdf(-d1);
        const delta = type === 'call' ? discQ * normalCdf(d1) : -discQ * normalCdf(-d1);
        const gamma = (discQ * normalPdf(d1)) / (spot * iv * sqrtT);
        const vega = (spot * discQ * normalPdf(d1) * sqrtT) / 100;
        const decay = -(spot * discQ * normalPdf(d1) * iv) / (2 * sqrtT);
        const theta =
          (type === 'call'
            ? decay - RISK_FREE_RATE * strike * discR * normalCdf(d2) + q * spot * discQ * normalCdf(d1)
            : decay + RISK_FREE_RATE * strike * discR * normalCdf(-d2) - q * spot * discQ * normalCdf(-d1)) / 365;
        const rho = (type === 'call' ? strike * t * discR * normalCdf(d2) : -strike * t * discR * normalCdf(-d2)) / 100;

        const theoretical = Math.max(0, price);
        const tick = theoretical < 3 ? 0.01 : 0.05;
        const halfSpread = Math.max(0.01, theoretical * 0.025 + 0.02);
        const bid = Math.max(0, Math.floor((theoretical - halfSpread) / tick) * tick);
        const ask = Math.max(bid + tick, Math.ceil((theoretical + halfSpread) / tick) * tick);
        const nearness = Math.exp(-6 * Math.abs(moneyness));
        const openInterest = Math.round(baseOpenInterest * nearness * (0.3 + random()) * (dte < 60 ? 1 : 0.6));
        const volume = Math.round(openInterest * between(random, 0, 0.25));
        chain.push({
          contractID: occSymbol(p.symbol, expiration, type, strike),
          symbol: p.symbol,
          expiration,
          strike,
          type,
          dte,
          theoretical,
          bid: round2(bid),
          ask: round2(ask),
          bidSize: bid > 0 ? 1 + Math.floor(random() * 250) : 0,
          askSize: 1 + Math.floor(random() * 250),
          last: volume > 0 ? round2(Math.max(0.01, theoretical * (1 + 0.06 * (random() - 0.5)))) : 0,
          volume,
          openInterest,
          impliedVolatility: iv,
          delta,
          gamma,
          theta,
          vega,
          rho,
          underlyingPrice: spot,
        });
      }
    }
  }
  markMissing(chain, today);
  return chain;
}

/**
 * About 1.5 % of contracts lose their bid and 1.5 % their delta, deterministically. Two more
 * sit where a wheel scan looks: at the expiration nearest 35 DTE, the put nearest
 * |delta| 0.25 has no bid and the put nearest |delta| 0.20 has no delta.
 */
function markMissing(chain: ChainContract[], today: string): void {
  for (const contract of chain) {
    const roll = seededRandom('missing', contract.contractID, today)();
    if (roll < 0.015) contract.bid = null;
    else if (roll < 0.03) contract.delta = null;
  }
  if (chain.length === 0) return;
  const target = chain.reduce((best, c) => (Math.abs(c.dte - 35) < Math.abs(best.dte - 35) ? c : best), chain[0]!).expiration;
  const puts = chain.filter((c) => c.expiration === target && c.type === 'put' && c.strike < c.underlyingPrice);
  const nearest = (goal: number, exclude?: ChainContract): ChainContract | undefined =>
    puts
      .filter((c) => c !== exclude)
      .reduce<ChainContract | undefined>((best, c) => {
        const distance = (x: ChainContract): number => Math.abs(Math.abs(x.delta ?? 0) - goal);
        return best === undefined || distance(c) < distance(best) ? c : best;
      }, undefined);
  const noBid = nearest(0.25);
  if (noBid) noBid.bid = null;
  const noDelta = nearest(0.2, noBid);
  if (noDelta) noDelta.delta = null;
}

/** REALTIME_OPTIONS / HISTORICAL_OPTIONS body. */
export function optionsBody(symbol: string, options: OptionsBodyOptions = {}): Record<string, unknown> {
  const today = options.today ?? DEFAULT_AS_OF;
  const style = options.missing ?? 'mixed';
  const greeks = options.requireGreeks ?? true;
  let missingCount = 0;
  const writeMissing = (row: Record<string, string>, key: string): void => {
    const useNone = style === 'None' || (style === 'mixed' && missingCount % 2 === 1);
    missingCount += 1;
    if (useNone) row[key] = 'None';
  };

  const wanted = options.contract?.toUpperCase();
  const data = optionChain(symbol, options)
    .filter((c) => wanted === undefined || c.contractID === wanted)
    .map((c) => {
      const row: Record<string, string> = {
        contractID: c.contractID,
        symbol: c.symbol,
        expiration: c.expiration,
        strike: fixed(c.strike, 2),
        type: c.type,
        last: fixed(c.last, 2),
        mark: fixed(c.bid === null ? c.ask : (c.bid + c.ask) / 2, 2),
      };
      if (c.bid === null) writeMissing(row, 'bid');
      else row['bid'] = fixed(c.bid, 2);
      row['bid_size'] = String(c.bidSize);
      row['ask'] = fixed(c.ask, 2);
      row['ask_size'] = String(c.askSize);
      row['volume'] = String(c.volume);
      row['open_interest'] = String(c.openInterest);
      row['date'] = today;
      if (greeks) {
        row['implied_volatility'] = fixed(c.impliedVolatility, 5);
        if (c.delta === null) writeMissing(row, 'delta');
        else row['delta'] = fixed(c.delta, 5);
        row['gamma'] = fixed(c.gamma, 5);
        row['theta'] = fixed(c.theta, 5);
        row['vega'] = fixed(c.vega, 5);
        row['rho'] = fixed(c.rho, 5);
      }
      return row;
    });
  return { endpoint: options.endpoint ?? 'Realtime Options', message: 'success', data };
}

export interface MarketDataChainOptions extends ChainOptions {
  /** Unix seconds of the quotes (default: 16:00 New York on `today`) */
  updated?: number;
}

/** marketdata.app `/v1/options/chain/{symbol}/` body: one array per field, null for missing values. */
export function marketDataChainBody(symbol: string, options: MarketDataChainOptions = {}): Record<string, unknown> {
  const today = options.today ?? DEFAULT_AS_OF;
  const chain = optionChain(symbol, options);
  if (chain.length === 0) return { s: 'no_data' };
  const updated = options.updated ?? newYorkCloseUnix(today);
  const column = <T>(pick: (c: ChainContract) => T): T[] => chain.map(pick);
  const mid = (c: ChainContract): number => round2(c.bid === null ? c.ask : (c.bid + c.ask) / 2);
  const intrinsic = (c: ChainContract): number =>
    round2(Math.max(0, c.type === 'call' ? c.underlyingPrice - c.strike : c.strike - c.underlyingPrice));
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    s: 'ok',
    optionSymbol: column((c) => c.contractID),
    underlying: column((c) => c.symbol),
    expiration: column((c) => newYorkCloseUnix(c.expiration)),
    side: column((c) => c.type),
    strike: column((c) => c.strike),
    firstTraded: column((c) => newYorkCloseUnix(plusDays(c.expiration, -180)) - 9000),
    dte: column((c) => c.dte),
    updated: column(() => updated),
    bid: column((c) => c.bid),
    bidSize: column((c) => c.bidSize),
    mid: column(mid),
    ask: column((c) => c.ask),
    askSize: column((c) => c.askSize),
    last: column((c) => (c.volume > 0 ? c.last : null)),
    openInterest: column((c) => c.openInterest),
    volume: column((c) => c.volume),
    inTheMoney: column((c) => intrinsic(c) > 0),
    intrinsicValue: column(intrinsic),
    extrinsicValue: column((c) => round2(Math.max(0, mid(c) - intrinsic(c)))),
    underlyingPrice: column((c) => round2(c.underlyingPrice)),
    iv: column((c) => r3(c.impliedVolatility)),
    delta: column((c) => (c.delta === null ? null : r3(c.delta))),
    gamma: column((c) => r3(c.gamma)),
    theta: column((c) => r3(c.theta)),
    vega: column((c) => r3(c.vega)),
  };
}

// ---------------------------------------------------------------------------
// Dispatch and overrides
// ---------------------------------------------------------------------------

export type BodyFactory = (params: Readonly<Record<string, string>>) => unknown;
/** A JSON body, or a BodyFactory: a function of the request's query parameters that returns one. */
export type BodyOverride = unknown;

const overrides = new Map<string, BodyOverride>();

function overrideKey(fn: string, symbol: string): string {
  return `${fn.toUpperCase()}|${symbol.toUpperCase()}`;
}

/** Make every later `bodyFor(fn, symbol)` answer with `body` (a function is called with the query parameters). */
export function setBodyOverride(fn: string, symbol: string, body: BodyOverride): void {
  overrides.set(overrideKey(fn, symbol), body);
}

export function clearBodyOverrides(): void {
  overrides.clear();
}

/** The override for (fn, symbol), resolved against the parameters, or undefined when none is set. */
export function bodyOverride(
  fn: string,
  symbol: string,
  params: Readonly<Record<string, string>> = {},
  from: ReadonlyMap<string, BodyOverride> = overrides,
): { body: unknown } | undefined {
  const key = overrideKey(fn, symbol);
  if (!from.has(key)) return undefined;
  const value = from.get(key);
  if (value instanceof CsvText) return { body: value };
  return { body: typeof value === 'function' ? (value as BodyFactory)(params) : structuredClone(value) };
}

export { overrideKey as bodyOverrideKey };

export interface BodyContext extends FundamentalsOptions {
  /** options quote date (HISTORICAL_OPTIONS' `date` parameter wins) */
  today?: string;
  expirations?: readonly string[];
  underlyingPrice?: number;
}

/**
 * The body Alpha Vantage would send for a supported function: an override when
 * one is set, else the generated body. undefined for an unsupported function.
 */
export function bodyFor(
  fn: string,
  symbol: string,
  params: Readonly<Record<string, string>> = {},
  context: BodyContext = {},
): unknown {
  const override = bodyOverride(fn, symbol, params);
  if (override) return override.body;
  return generatedBody(fn, symbol, params, context);
}

/** REALTIME_BULK_QUOTES (premium): one row per symbol of the comma-separated list, same prices as GLOBAL_QUOTE. */
export function bulkQuotesBody(symbols: readonly string[], options: FundamentalsOptions = {}): Record<string, unknown> {
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const data = symbols.map((symbol) => {
    const quote = quoteFigures(symbol, options);
    const change = quote.price - quote.previousClose;
    return {
      symbol: symbol.toUpperCase(),
      timestamp: `${asOf} 16:00:00.000`,
      open: fixed(quote.open, 4),
      high: fixed(quote.high, 4),
      low: fixed(quote.low, 4),
      close: fixed(quote.price, 4),
      volume: String(quote.volume),
      previous_close: fixed(quote.previousClose, 4),
      change: fixed(change, 4),
      change_percent: fixed((change / quote.previousClose) * 100, 4),
    };
  });
  return { endpoint: 'Realtime Bulk Quotes', message: '', data };
}

/** The generated body only (overrides ignored); undefined for an unsupported function. */
export function generatedBody(
  fn: string,
  symbol: string,
  params: Readonly<Record<string, string>> = {},
  context: BodyContext = {},
): unknown {
  const fundamentals: FundamentalsOptions = context.asOf === undefined ? {} : { asOf: context.asOf };
  switch (fn.toUpperCase()) {
    case 'EARNINGS':
      return earningsBody(symbol, fundamentals);
    case 'OVERVIEW':
      return overviewBody(symbol, context.today === undefined ? fundamentals : { ...fundamentals, today: context.today });
    case 'EARNINGS_CALENDAR':
      return earningsCalendarCsv(context.today ?? DEFAULT_AS_OF, { symbol: params['symbol'], horizon: params['horizon'] });
    case 'TREASURY_YIELD':
      return treasuryYieldBody(context.today ?? DEFAULT_AS_OF, { maturity: params['maturity'], interval: params['interval'] });
    case 'CASH_FLOW':
      return cashFlowBody(symbol, fundamentals);
    case 'GLOBAL_QUOTE':
      return globalQuoteBody(symbol, fundamentals);
    case 'REALTIME_BULK_QUOTES':
      return bulkQuotesBody(symbol.split(','), fundamentals);
    case 'REALTIME_OPTIONS':
    case 'HISTORICAL_OPTIONS': {
      const historical = fn.toUpperCase() === 'HISTORICAL_OPTIONS';
      const today = (historical ? params['date'] : undefined) ?? context.today ?? DEFAULT_AS_OF;
      const body: OptionsBodyOptions = {
        today,
        endpoint: historical ? 'Historical Options' : 'Realtime Options',
        requireGreeks: historical || params['require_greeks'] === 'true',
      };
      if (context.expirations) body.expirations = context.expirations;
      if (context.underlyingPrice !== undefined) body.underlyingPrice = context.underlyingPrice;
      if (params['contract']) body.contract = params['contract'];
      return optionsBody(symbol, body);
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------
// Bundled sample data
// ---------------------------------------------------------------------------

export interface SampleDataOptions extends FundamentalsOptions {
  quarters?: number;
  years?: number;
}

export type SampleData = Record<'EARNINGS' | 'OVERVIEW' | 'CASH_FLOW' | 'GLOBAL_QUOTE', Record<string, unknown>>;

/** What src/sample-data/alpha-vantage-sample.json holds: trimmed bodies for each symbol. */
export function buildSampleData(
  symbols: readonly string[] = DEFAULT_SYMBOLS,
  options: SampleDataOptions = { quarters: 5, years: 2 },
): SampleData {
  const data: SampleData = { EARNINGS: {}, OVERVIEW: {}, CASH_FLOW: {}, GLOBAL_QUOTE: {} };
  const trimmed: HistoryOptions = { quarters: options.quarters ?? 5, years: options.years ?? 2 };
  if (options.asOf !== undefined) trimmed.asOf = options.asOf;
  for (const raw of symbols) {
    const symbol = raw.toUpperCase();
    data.EARNINGS[symbol] = earningsBody(symbol, trimmed);
    data.OVERVIEW[symbol] = overviewBody(symbol, trimmed);
    data.CASH_FLOW[symbol] = cashFlowBody(symbol, trimmed);
    data.GLOBAL_QUOTE[symbol] = globalQuoteBody(symbol, trimmed);
  }
  return data;
}
