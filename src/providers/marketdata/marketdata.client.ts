import { HTTPError, type Got } from 'got';
import type { Fetcher } from '../cached-source.js';
import { UpstreamError } from '../provider-errors.js';
import { createUpstreamHttp, describeHttpFailure, type ProviderClientOptions } from '../provider-http.js';
import { classifyMarketDataAnswer } from './answer-classifier.js';
import { MARKETDATA } from './descriptor.js';
import type { MarketDataBody, MarketDataChainRequest } from './marketdata.request.js';

/** The data provider the original app used: columnar JSON, Bearer token. */
export class MarketDataClient implements Fetcher<MarketDataChainRequest, MarketDataBody> {
  private readonly http: Got;

  constructor(private readonly options: ProviderClientOptions) {
    this.http = createUpstreamHttp({
      ...options,
      provider: MARKETDATA,
      headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
    });
  }

  async fetch(request: MarketDataChainRequest): Promise<MarketDataBody> {
    const url = `${this.options.baseUrl.replace(/\/$/, '')}/options/chain/${encodeURIComponent(request.symbol)}/`;
    const what = `the ${request.side} chain of ${request.symbol}`;
    let body: unknown;
    try {
      try {
        body = await this.http.get(url, { searchParams: { side: request.side, from: request.from, to: request.to } }).json();
      } catch (error) {
        // 404 is how marketdata.app says "no data" for a symbol or window; its body tells which.
        if (error instanceof HTTPError && error.response.statusCode === 404) body = parseJson(error.response.body);
        else throw describeHttpFailure(error, MARKETDATA.label, what);
      }
      const data = classifyMarketDataAnswer(request, body);
      this.options.metrics.upstreamAnswer(MARKETDATA.id, 'OPTIONS_CHAIN', 'ok');
      return data;
    } catch (error) {
      this.options.metrics.upstreamAnswer(MARKETDATA.id, 'OPTIONS_CHAIN', error instanceof UpstreamError ? error.code : 'UPSTREAM_UNAVAILABLE');
      throw error;
    }
  }
}

function parseJson(text: unknown): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    return undefined;
  }
}
