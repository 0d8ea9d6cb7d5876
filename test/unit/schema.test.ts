import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { buildSchema, findBreakingChanges } from 'graphql';
import { describe, expect, it } from 'vitest';
import { printSortedSchema } from '../../src/graphql/print-schema.js';
import { buildGraphQLSchema } from '../../src/graphql/schema.js';

const committedSchema = new URL('../../schema.graphql', import.meta.url);
// The team's published public contract, vendored into the repository (test/contract/).
const contract = new URL('../contract/api-contract.graphql', import.meta.url);

describe('schema.graphql', () => {
  it('is the schema the code builds (run `npm run schema` after changing a type)', async () => {
    const built = printSortedSchema(await buildGraphQLSchema());
    expect(readFileSync(committedSchema, 'utf8')).toBe(built);
  });

  it('breaks nothing of the public contract, test/contract/api-contract.graphql', () => {
    expect(existsSync(contract), `missing ${contract.pathname}`).toBe(true);
    const breaks = findBreakingChanges(
      buildSchema(readFileSync(contract, 'utf8')),
      buildSchema(readFileSync(committedSchema, 'utf8')),
    );
    expect(breaks.map((change) => `${change.type}: ${change.description}`)).toEqual([]);
  });
});
