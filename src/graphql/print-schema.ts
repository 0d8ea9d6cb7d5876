import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';

/** The committed schema.graphql's form: sorted, so that diffs show only real changes. */
export function printSortedSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
