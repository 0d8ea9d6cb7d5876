/**
 * What can go wrong upstream, as the rest of the service needs to tell it apart. The
 * GraphQL layer turns each into its error code (SERVICE.md); messages never carry the key.
 */
export abstract class UpstreamError extends Error {
  abstract readonly code: 'SYMBOL_NOT_FOUND' | 'UPSTREAM_RATE_LIMITED' | 'UPSTREAM_UNAVAILABLE';
}

export class SymbolNotFoundError extends UpstreamError {
  override name = 'SymbolNotFoundError';
  readonly code = 'SYMBOL_NOT_FOUND';
  constructor(readonly symbol: string, readonly fn: string) {
    super(`Alpha Vantage knows no symbol ${symbol} (${fn})`);
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
