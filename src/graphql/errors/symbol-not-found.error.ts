import { GraphQLError } from 'graphql';

export class SymbolNotFoundGraphQLError extends GraphQLError {
  constructor(symbol: string) {
    super(`Alpha Vantage knows no symbol ${symbol}`, { extensions: { code: 'SYMBOL_NOT_FOUND', symbol } });
  }
}
