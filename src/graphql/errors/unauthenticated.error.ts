import { GraphQLError } from 'graphql';

export class UnauthenticatedError extends GraphQLError {
  constructor(message = 'this operation needs the header Authorization: Bearer <one of API_TOKENS>') {
    super(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
}
