import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { buildSchema as buildSdlSchema, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESOLVERS } from '../../src/graphql/schema.js';

// The base contract vendored in test/contract/ (DateTime, ValuationMethod, ValuationAssumptions)
// plus the history types as the value part of the public contract states them, descriptions included.
const BASE_CONTRACT = readFileSync(new URL('../contract/api-contract.graphql', import.meta.url), 'utf8');
const HISTORY_TYPES = /* GraphQL */ `
  "One stock's valuation as recorded on a quarter's first day."
  type ValuationSnapshot {
    symbol: String!
    "YYYY-MM-DD: Jan 1, Apr 1, Jul 1 or Oct 1"
    date: String!
    epsTtm: Float
    fcfPerShare: Float
    epsIntrinsicValue: Float
    fcfIntrinsicValue: Float
    effectiveIntrinsicValue: Float
    preferredMethod: ValuationMethod!
    assumptions: ValuationAssumptions!
    recordedAt: DateTime!
  }
  type ValuationChange {
    "the snapshot compared with"
    date: String!
    effectiveIntrinsicValue: Float
    "current effective intrinsic value minus the snapshot's, 2 decimals"
    change: Float
    "change / the snapshot's value * 100, 2 decimals"
    changePercent: Float
  }
  type ValuationAnalytics {
    symbol: String!
    "snapshots with an effective intrinsic value"
    snapshots: Int!
    mean: Float
    "sample standard deviation of the snapshots' effective intrinsic values, 2 decimals; null under 2 snapshots"
    standardDeviation: Float
    "standardDeviation / mean * 100, 2 decimals"
    coefficientOfVariation: Float
    "((last / first) ^ (1 / years) - 1) * 100, 2 decimals, years = quarters between the first and last snapshot / 4; null unless both are positive and at least a quarter apart"
    cagrPercent: Float
    "Pearson correlation of the EPS and FCF intrinsic values over the snapshots that have both, 3 decimals; null under 3 such snapshots"
    epsFcfCorrelation: Float
    "against the latest snapshot before the current quarter's"
    previousQuarter: ValuationChange
    "against the snapshot of the same quarter a year earlier"
    yearAgo: ValuationChange
  }
  type SnapshotRun {
    date: String!
    recorded: Int!
    "already recorded for that date (and force was false)"
    skipped: Int!
    "symbols that could not be valued, with why"
    failed: [String!]!
  }
`;

const TYPES = ['ValuationSnapshot', 'ValuationChange', 'ValuationAnalytics', 'SnapshotRun'] as const;

function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type in the schema`);
  return type;
}

describe('valuation history GraphQL types', () => {
  const contract = buildSdlSchema(`${BASE_CONTRACT}\n${HISTORY_TYPES}`);
  let built: GraphQLSchema;

  beforeAll(async () => {
    // The project's schema: the history resolvers reach every one of these types.
    built = await buildSchema({
      resolvers: RESOLVERS,
      scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
      authChecker: () => true,
      validate: false,
    });
  });

  it.each(TYPES)('%s has the contract fields, types and nullability, in order', (name) => {
    const shape = (type: GraphQLObjectType) => Object.values(type.getFields()).map((field) => `${field.name}: ${String(field.type)}`);
    expect(shape(objectType(built, name))).toEqual(shape(objectType(contract, name)));
  });

  it.each(TYPES)("%s keeps the contract's descriptions", (name) => {
    const expected = objectType(contract, name);
    const actual = objectType(built, name);
    if (expected.description) expect(actual.description).toBe(expected.description);
    for (const field of Object.values(expected.getFields())) {
      if (field.description) expect(actual.getFields()[field.name]?.description, field.name).toBe(field.description);
    }
  });
});
