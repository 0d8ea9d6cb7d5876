import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';

export interface GraphQLAnswer<Data> {
  data: Data | null;
  errors: Array<{ message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }>;
  status: number;
}

/**
 * A real GraphQL client (graphql-request) against a running server, returning data and
 * errors side by side so a test can look at both.
 */
export async function ask<Data, Variables extends object>(
  url: string,
  document: TypedDocumentNode<Data, Variables> | string,
  variables?: Variables,
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer<Data>> {
  const client = new GraphQLClient(url, { headers });
  try {
    const query = typeof document === 'string' ? document : print(document);
    const response = await client.rawRequest<Data>(query, variables as Record<string, unknown> | undefined);
    return { data: response.data ?? null, errors: (response.errors ?? []) as GraphQLAnswer<Data>['errors'], status: response.status };
  } catch (error) {
    if (error instanceof ClientError) {
      const { response } = error;
      return {
        data: (response.data as Data | undefined) ?? null,
        errors: (response.errors ?? []) as GraphQLAnswer<Data>['errors'],
        status: response.status,
      };
    }
    throw error;
  }
}

export const errorCodes = (answer: GraphQLAnswer<unknown>): unknown[] => answer.errors.map((error) => error.extensions?.['code']);
