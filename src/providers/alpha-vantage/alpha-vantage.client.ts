import type { Got } from 'got';
import { UpstreamError, UpstreamPlanRequiredError } from '../provider-errors.js';
import { createUpstreamHttp, describeHttpFailure, type ProviderClientOptions } from '../provider-http.js';
import { describeCall, wireParams, type AlphaVantageFunction } from './alpha-vantage.functions.js';
import type { AlphaVantageBody, AlphaVantageFetcher, AlphaVantageRequest } from './alpha-vantage.request.js';
import { PROVIDER, classifyAnswer } from './answer-classifier.js';
import { answersCsv, decodeCsvAnswer } from './answer-wire.js';
import { ALPHA_VANTAGE } from './descriptor.js';

/** A plan refusal stands this long: asking again would spend budget on the same answer. */
const PLAN_REFUSAL_MS = 60 * 60 * 1000;

/** The real Alpha Vantage over HTTP: every attempt, retries included, is paid from the budget. */
export class AlphaVantageClient implements AlphaVantageFetcher {
  private readonly http: Got;
  private readonly planRefusals = new Map<AlphaVantageFunction, { error: UpstreamPlanRequiredError; until: number }>();

  constructor(private readonly options: ProviderClientOptions) {
    this.http = createUpstreamHttp({ ...options, provider: ALPHA_VANTAGE });
  }

  async fetch(request: AlphaVantageRequest): Promise<AlphaVantageBody> {
    const refusal = this.planRefusals.get(request.fn);
    if (refusal && refusal.until > Date.now()) throw refusal.error;
    const searchParams = { ...wireParams(request), apikey: this.options.apiKey };
    const started = Date.now();
    try {
      const answer = this.http.get(this.options.baseUrl, { searchParams });
      const describe = (error: unknown) => {
        throw describeHttpFailure(error, PROVIDER, describeCall(request));
      };
      const body: unknown = answersCsv(request)
        ? decodeCsvAnswer(request, await answer.text().catch(describe))
        : await answer.json().catch(describe);
      const data = classifyAnswer(request, body);
      this.options.metrics.upstreamAnswer(ALPHA_VANTAGE.id, request.fn, 'ok');
      return data;
    } catch (error) {
      if (error instanceof UpstreamPlanRequiredError) this.planRefusals.set(request.fn, { error, until: Date.now() + PLAN_REFUSAL_MS });
      const code = error instanceof UpstreamError ? error.code : 'UPSTREAM_UNAVAILABLE';
      this.options.metrics.upstreamAnswer(ALPHA_VANTAGE.id, request.fn, code);
      throw error;
    } finally {
      this.options.logger.debug({ fn: request.fn, symbol: request.symbol, ms: Date.now() - started }, 'alpha vantage call');
    }
  }
}
