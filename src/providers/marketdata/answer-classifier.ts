import { SymbolNotFoundError, UpstreamRateLimitedError, UpstreamUnavailableError } from '../provider-errors.js';
import { MARKETDATA } from './descriptor.js';
import type { MarketDataBody, MarketDataChainRequest } from './marketdata.request.js';

/** marketdata.app says `s: ok` or `s: no_data`; anything else is an error whose `errmsg` tells which. */
export function classifyMarketDataAnswer(request: MarketDataChainRequest, body: unknown): MarketDataBody {
  const provider = MARKETDATA.label;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UpstreamUnavailableError(`${provider} answered ${request.symbol} with something that is not an object`);
  }
  const answer = body as MarketDataBody;
  if (answer['s'] === 'ok' || answer['s'] === 'no_data') return answer;
  const message = String(answer['errmsg'] ?? '');
  if (/limit|credits|quota/i.test(message)) throw new UpstreamRateLimitedError(`${provider} refused ${request.symbol}: ${message}`);
  if (/symbol|not found|invalid/i.test(message)) throw new SymbolNotFoundError(request.symbol, 'options chain', provider);
  throw new UpstreamUnavailableError(`${provider} could not answer ${request.symbol}`);
}
