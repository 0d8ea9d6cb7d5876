import { SymbolNotFoundError, UpstreamPlanRequiredError, UpstreamRateLimitedError, UpstreamUnavailableError } from '../provider-errors.js';
import { describeCall, functionSpec } from './alpha-vantage.functions.js';
import type { AlphaVantageBody, AlphaVantageRequest } from './alpha-vantage.request.js';
import { ALPHA_VANTAGE } from './descriptor.js';

export const PROVIDER = ALPHA_VANTAGE.label;

/** Alpha Vantage's answer to a free key on a premium function; its rate-limit texts mention premium plans too. */
const PREMIUM_ANSWER = /premium endpoint/i;
/** Alpha Vantage's answer to a wrong or missing key: "the parameter apikey is invalid or missing…", for every symbol. */
const KEY_REFUSED = /\bapikey\b[^.]*\b(?:invalid|missing)\b/i;

/**
 * Alpha Vantage answers errors with HTTP 200: the body decides. Only data of the
 * function's shape comes back; everything else throws, so nothing else is ever cached.
 */
export function classifyAnswer(request: AlphaVantageRequest, body: unknown): AlphaVantageBody {
  const what = describeCall(request);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UpstreamUnavailableError(`${PROVIDER} answered ${what} with something that is not an object`);
  }
  const answer = body as AlphaVantageBody;
  const information = answer['Information'];
  const errorMessage = answer['Error Message'];
  // Before "no such symbol": a refused key says nothing about the symbol, and must never be remembered as one.
  if ([errorMessage, information].some((text) => typeof text === 'string' && KEY_REFUSED.test(text))) {
    throw new UpstreamUnavailableError(`${PROVIDER} refused ${what}: the API key was refused (check ALPHAVANTAGE_API_KEY)`);
  }
  if (typeof information === 'string' && PREMIUM_ANSWER.test(information)) {
    const instead = functionSpec(request.fn).premium?.instead;
    throw new UpstreamPlanRequiredError(
      `${request.fn} needs a premium ${PROVIDER} plan${instead ? `; ${instead}` : ''}`,
    );
  }
  if (typeof answer['Note'] === 'string' || typeof information === 'string') {
    throw new UpstreamRateLimitedError(`${PROVIDER} refused ${what}: its rate limit is reached`);
  }
  // Only a symbol can be unknown; a function without one (the calendar, the Treasury yield) was asked wrongly.
  const aboutSymbol = functionSpec(request.fn).subject === undefined;
  if (typeof errorMessage === 'string' && !aboutSymbol) {
    throw new UpstreamUnavailableError(`${PROVIDER} refused ${what} as an invalid call`);
  }
  if (aboutSymbol && (typeof errorMessage === 'string' || isEmpty(answer))) {
    throw new SymbolNotFoundError(request.symbol, request.fn, PROVIDER);
  }
  const shape = functionSpec(request.fn).answer.safeParse(answer);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.slice(0, 3).join('.')}` : '';
    throw new UpstreamUnavailableError(`${PROVIDER} answered ${what} in an unexpected shape${where}: ${issue?.message ?? 'invalid'}`);
  }
  return answer;
}

/** `{}`, `{"Global Quote": {}}`, `{"data": []}`: an answer with nothing in it. */
function isEmpty(answer: AlphaVantageBody): boolean {
  const values = Object.values(answer);
  return values.every(
    (value) =>
      value === null ||
      (Array.isArray(value) && value.length === 0) ||
      (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0),
  );
}
