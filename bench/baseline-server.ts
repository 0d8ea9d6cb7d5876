/**
 * BASELINE: the least a server can do to answer the bench's two warm queries from the same
 * Redis entries the service wrote, without GraphQL, express, Apollo, Keyv or DataLoader.
 *
 *   REDIS_URL=redis://127.0.0.1:6379/14 DATABASE_URL=postgres://…/wheel_bench_14 PORT=0 node bench/.build/bench/baseline-server.js
 *
 * POST (any path) with the very body the bench sends to the service ({query, variables,
 * operationName}); the operationName picks the answer:
 *
 * - IntrinsicValues: one MGET of `wheel:alphavantage:{earnings,overview,cash_flow}:{SYMBOL}`
 *   for every symbol + one `select symbol, assumptions from curated_stocks` on the service's
 *   PostgreSQL (sent together, as the service's loaders do), Keyv's envelope `{"value":…,"expires":…}` parsed, then `resolveAssumptions`
 *   and `valueStock` from dist/domain: the functions the service runs.
 * - ScanResults: one MGET of the five `wheel:scanner:*` entries the service's snapshot reads,
 *   then the valuations of the listed tickers as above (for the badge and intrinsicValue).
 * - IndexResults (an index scan's tickers, two fields a contract): the same MGET, the dict parsed.
 * - ScreenerTop: the same MGET, then one MGET of the listed tickers' OVERVIEW (dividend yield),
 *   every contract's Black-Scholes probability of assignment and score (RISK_FREE_RATE from the
 *   environment: the rate the service reported), sorted by score, the first 50.
 *
 * The answer is the same JSON, field for field and in the same order, as the service's for
 * the documents in bench/queries.ts; run.ts checks that before it measures anything.
 * Writes "baseline ready at http://…" on stdout once it listens.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type RedisClientType } from '@redis/client';
import pg from 'pg';
import type { DcfValuationResult, StockValuationResult } from '../src/domain/valuation.js';
import type { PartialAssumptions } from '../src/domain/assumptions.js';
import type { ScannedContract } from '../src/domain/scan-rules.js';
import { assumptions as assumptionsModule, fundamentals, valuation } from './dist.js';

const NAMESPACE = 'wheel:';
const FUNDAMENTALS = ['earnings', 'overview', 'cash_flow'] as const;
const SCANNER_KEYS = ['ticker_options', 'ticker_scan_times', 'last_run', 'progress', 'scan_in_progress'].map(
  (name) => `${NAMESPACE}scanner:${name}`,
);

interface SavedStock {
  symbol: string;
  assumptions: PartialAssumptions;
}

/** Keyv's envelope: the value, unless absent or expired (Keyv treats both as a miss). */
function unwrap<T>(raw: string | null | undefined): T | undefined {
  if (raw === null || raw === undefined) return undefined;
  const entry = JSON.parse(raw) as { value: T; expires?: number | null };
  return typeof entry.expires === 'number' && Date.now() > entry.expires ? undefined : entry.value;
}

class MissError extends Error {}

/** The service's durable database: the curated list's saved assumptions. */
const database = new pg.Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });

async function valuations(redis: RedisClientType, symbols: readonly string[]): Promise<Map<string, StockValuationResult | MissError>> {
  const unique = [...new Set(symbols)];
  const keys = unique.flatMap((symbol) => FUNDAMENTALS.map((fn) => `${NAMESPACE}alphavantage:${fn}:${symbol}`));
  const [bodies, curated] = await Promise.all([
    redis.mGet(keys),
    database.query<SavedStock>('select symbol, assumptions from curated_stocks order by position'),
  ]);
  const saved = new Map(curated.rows.map((stock) => [stock.symbol, stock.assumptions]));
  const results = new Map<string, StockValuationResult | MissError>();
  unique.forEach((symbol, index) => {
    const [earnings, overview, cashFlow] = [0, 1, 2].map((at) => unwrap<Record<string, unknown>>(bodies[index * 3 + at]));
    if (earnings === undefined || overview === undefined || cashFlow === undefined) {
      // Warm only: the baseline never goes upstream.
      results.set(symbol, new MissError(`not cached: ${symbol}`));
      return;
    }
    results.set(
      symbol,
      valuation.valueStock({
        symbol,
        // The stored bodies were validated before they were cached: parse, as the service's provider does.
        earnings: fundamentals.parseEarnings(earnings),
        overview: fundamentals.parseOverview(overview),
        cashFlow: fundamentals.parseCashFlow(cashFlow),
        assumptions: assumptionsModule.resolveAssumptions(undefined, saved.get(symbol)),
      }),
    );
  });
  return results;
}

const dcf = (model: DcfValuationResult | null) =>
  model === null
    ? null
    : {
        method: model.method,
        startingValue: model.startingValue,
        projected: model.projected,
        presentValues: model.presentValues,
        sumOfPresentValues: model.sumOfPresentValues,
        terminalValue: model.terminalValue,
        presentValueOfTerminal: model.presentValueOfTerminal,
        intrinsicValue: model.intrinsicValue,
      };

/** IntrinsicValueFields (test/operations/valuation.graphql), in its field order. */
const intrinsicValueFields = (value: StockValuationResult) => ({
  symbol: value.symbol,
  assumptions: {
    epsGrowthRate: value.assumptions.epsGrowthRate,
    epsMultiple: value.assumptions.epsMultiple,
    fcfGrowthRate: value.assumptions.fcfGrowthRate,
    fcfMultiple: value.assumptions.fcfMultiple,
    desiredReturn: value.assumptions.desiredReturn,
    projectionYears: value.assumptions.projectionYears,
    preferredMethod: value.assumptions.preferredMethod,
  },
  epsTtm: value.epsTtm,
  fcfTtm: value.fcfTtm,
  sharesOutstanding: value.sharesOutstanding,
  fcfPerShare: value.fcfPerShare,
  eps: dcf(value.eps),
  fcf: dcf(value.fcf),
  notes: value.notes,
  preferredMethod: value.preferredMethod,
  effectiveIntrinsicValue: value.effectiveIntrinsicValue,
});

async function intrinsicValues(redis: RedisClientType, variables: { symbols?: string[] }): Promise<unknown> {
  const symbols = (variables.symbols ?? []).map((symbol) => symbol.trim().toUpperCase());
  const results = await valuations(redis, symbols);
  const errors: unknown[] = [];
  const data = symbols.map((symbol, index) => {
    const result = results.get(symbol)!;
    if (result instanceof MissError) {
      errors.push({ message: result.message, path: ['intrinsicValues', index] });
      return null;
    }
    return intrinsicValueFields(result);
  });
  return errors.length > 0 ? { errors, data: null } : { data: { intrinsicValues: data } };
}

async function scanResults(redis: RedisClientType): Promise<unknown> {
  const [options, times, lastRun, progress] = (await redis.mGet(SCANNER_KEYS)).map((raw) => unwrap<unknown>(raw)) as [
    Record<string, ScannedContract[]> | undefined,
    Record<string, string> | undefined,
    string | undefined,
    { startedAt: string } | undefined,
  ];
  const tickerOptions = options ?? {};
  const symbols = Object.keys(tickerOptions)
    .sort()
    .filter((symbol) => (tickerOptions[symbol] ?? []).length > 0);
  const results = await valuations(redis, symbols);
  const tickers = symbols.map((symbol) => {
    const result = results.get(symbol)!;
    const effective = result instanceof MissError ? null : result.effectiveIntrinsicValue;
    return {
      symbol,
      scannedAt: new Date(times?.[symbol] ?? progress?.startedAt ?? 0).toISOString(),
      options: tickerOptions[symbol]!.map((option) => ({
        contractId: option.contractId,
        type: option.type,
        expiration: option.expiration,
        daysToExpiration: option.daysToExpiration,
        strike: option.strike,
        bid: option.bid,
        delta: option.delta,
        impliedVolatility: option.impliedVolatility,
        underlyingPrice: option.underlyingPrice,
        percentChange: option.percentChange,
        annualizedReturn: option.annualizedReturn,
        belowIntrinsicValue: effective === null ? null : option.strike <= effective,
      })),
      intrinsicValue: result instanceof MissError ? null : { effectiveIntrinsicValue: effective },
    };
  });
  return { data: { scanResults: { lastRun: lastRun ?? 'Never', tickers } } };
}

/** The five entries the service's snapshot reads when the dict changed, parsed. */
async function scanEntries(redis: RedisClientType): Promise<Record<string, ScannedContract[]>> {
  const [options] = (await redis.mGet(SCANNER_KEYS)).map((raw) => unwrap<unknown>(raw)) as [Record<string, ScannedContract[]> | undefined];
  return options ?? {};
}

async function indexResults(redis: RedisClientType): Promise<unknown> {
  const tickerOptions = await scanEntries(redis);
  const tickers = Object.keys(tickerOptions)
    .sort()
    .filter((symbol) => (tickerOptions[symbol] ?? []).length > 0)
    .map((symbol) => ({
      symbol,
      options: tickerOptions[symbol]!.map((option) => ({ contractId: option.contractId, annualizedReturn: option.annualizedReturn })),
    }));
  return { data: { scanResults: { tickers } } };
}

const RISK_FREE_RATE = Number(process.env['RISK_FREE_RATE'] ?? 0.04);

/** Half to even at `digits` decimals: the service's rounding of figures. */
function halfEven(value: number, digits: number): number {
  const scaled = value * 10 ** digits;
  let rounded = Math.round(scaled);
  if (Math.abs(scaled - Math.trunc(scaled)) === 0.5 && rounded % 2 !== 0) rounded -= 1;
  return rounded / 10 ** digits;
}

/** The standard normal CDF through Numerical Recipes' erfcc (fractional error below 1.2e-7): a simple version, as the baseline may be. */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t *
    Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** N(-d2) for a put, N(d2) for a call, at the strike: the probability of assignment. */
function probabilityOfAssignment(option: ScannedContract, dividendYield: number): number | null {
  const { impliedVolatility: sigma, underlyingPrice: price, strike } = option;
  if (sigma === null || price === null || !(sigma > 0) || !(price > 0)) return null;
  const years = Math.max(option.daysToExpiration, 1) / 365;
  const d2 = (Math.log(price / strike) + (RISK_FREE_RATE - dividendYield - (sigma * sigma) / 2) * years) / (sigma * Math.sqrt(years));
  return halfEven(option.type === 'PUT' ? normalCdf(-d2) : normalCdf(d2), 4);
}

async function screenerTop(redis: RedisClientType): Promise<unknown> {
  const tickerOptions = await scanEntries(redis);
  const symbols = Object.keys(tickerOptions);
  const overviews = symbols.length === 0 ? [] : await redis.mGet(symbols.map((symbol) => `${NAMESPACE}alphavantage:overview:${symbol}`));
  const rows: Array<{ symbol: string; option: ScannedContract; poa: number | null; score: number | null }> = [];
  symbols.forEach((symbol, index) => {
    const yieldText = unwrap<Record<string, string>>(overviews[index])?.['DividendYield'];
    const dividendYield = yieldText === undefined || yieldText === 'None' || !Number.isFinite(Number(yieldText)) ? 0 : Number(yieldText);
    for (const option of tickerOptions[symbol] ?? []) {
      const poa = probabilityOfAssignment(option, dividendYield);
      rows.push({ symbol, option, poa, score: poa === null ? null : halfEven(option.annualizedReturn * (1 - poa), 2) });
    }
  });
  // Highest score first, nulls last; ties by symbol, expiration, strike, contract.
  rows.sort(
    (a, b) =>
      (b.score ?? -Infinity) - (a.score ?? -Infinity) ||
      a.symbol.localeCompare(b.symbol) ||
      a.option.expiration.localeCompare(b.option.expiration) ||
      a.option.strike - b.option.strike ||
      a.option.contractId.localeCompare(b.option.contractId),
  );
  const contracts = rows.slice(0, 50).map(({ option, poa, score }) => ({
    contractId: option.contractId,
    annualizedReturn: option.annualizedReturn,
    probabilityOfAssignment: poa,
    score,
  }));
  return { data: { scanResults: { riskFreeRate: RISK_FREE_RATE, contracts } } };
}

const ANSWERS: Record<string, (redis: RedisClientType, variables: { symbols?: string[] }) => Promise<unknown>> = {
  IntrinsicValues: intrinsicValues,
  ScanResults: scanResults,
  IndexResults: indexResults,
  ScreenerTop: screenerTop,
};

async function main(): Promise<void> {
  const redis: RedisClientType = createClient({ url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' });
  redis.on('error', (error: Error) => process.stderr.write(`baseline redis error: ${error.message}\n`));
  await redis.connect();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const send = (status: number, payload: unknown) => {
        const text = JSON.stringify(payload);
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      let request: { operationName?: string; variables?: { symbols?: string[] } };
      try {
        request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof request;
      } catch {
        send(400, { errors: [{ message: 'malformed JSON' }] });
        return;
      }
      const answerOf = ANSWERS[request.operationName ?? ''];
      const answer = answerOf
        ? answerOf(redis, request.variables ?? {})
        : Promise.resolve({ errors: [{ message: `unknown operation ${String(request.operationName)}` }] });
      answer.then(
        (payload) => send(200, payload),
        (error: unknown) => send(500, { errors: [{ message: error instanceof Error ? error.message : String(error) }] }),
      );
    });
  });

  await new Promise<void>((resolve) => server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`baseline ready at http://127.0.0.1:${port}/graphql\n`);

  const stop = () => {
    server.close();
    server.closeAllConnections();
    void redis.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`baseline failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
