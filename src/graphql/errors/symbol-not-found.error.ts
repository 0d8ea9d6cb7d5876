import { GraphQLError } from 'graphql';

export class SymbolNotFoundGraphQLError extends GraphQLError {
  constructor(message: string, symbol: string) {
    super(message, { extensions: { code: 'SYMBOL_NOT_FOUND', symbol } });
  }
}
