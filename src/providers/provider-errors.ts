/**
 * What can go wrong upstream, as the rest of the service needs to tell it apart. Each
 * class carries its API error code (README.md, "Errors"); the error boundary maps code → client.
 * Messages name the provider that answered and never carry a key.
 */
export abstract class UpstreamError extends Error {
  abstract readonly code: 'SYMBOL_NOT_FOUND' | 'UPSTREAM_RATE_LIMITED' | 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_PLAN_REQUIRED';
}

export class SymbolNotFoundError extends UpstreamError {
  override name = 'SymbolNotFoundError';
  readonly code = 'SYMBOL_NOT_FOUND';
  /** @param message defaults to "{provider} knows no symbol {symbol} ({what})" */
  constructor(
    readonly symbol: string,
    readonly what: string,
    /** the label of the provider that answered */
    readonly provider: string,
    message?: string,
  ) {
    super(message ?? `${provider} knows no symbol ${symbol} (${what})`);
  }
}

export class UpstreamRateLimitedError extends UpstreamError {
  override name = 'UpstreamRateLimitedError';
  readonly code = 'UPSTREAM_RATE_LIMITED';
}

export class UpstreamUnavailableError extends UpstreamError {
  override name = 'UpstreamUnavailableError';
  readonly code = 'UPSTREAM_UNAVAILABLE';
}

/** The key's plan does not include the function asked (Alpha Vantage's premium-endpoint answer). */
export class UpstreamPlanRequiredError extends UpstreamError {
  override name = 'UpstreamPlanRequiredError';
  readonly code = 'UPSTREAM_PLAN_REQUIRED';
}
