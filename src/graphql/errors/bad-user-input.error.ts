import { GraphQLError } from 'graphql';

/** A malformed symbol, out-of-range assumptions or scan input: the caller can fix it. */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, argumentName?: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', ...(argumentName ? { argumentName } : {}) } });
  }
}
