import { Field, Float, InputType, Int } from 'type-graphql';
import type { ValuationMethod as DomainValuationMethod } from '../domain/valuation.js';
import { ValuationMethod } from './valuation-method.enum.js';

@InputType({
  description:
    "Every field is optional: a missing one falls back to the stock's saved assumptions, then to the defaults (10, 20, 10, 20, 15, 5, EPS).",
})
export class ValuationAssumptionsInput {
  @Field(() => Float, { nullable: true, description: 'percent a year, -50 to 100' })
  epsGrowthRate?: number;

  @Field(() => Float, { nullable: true, description: 'above 0, at most 200' })
  epsMultiple?: number;

  @Field(() => Float, { nullable: true, description: 'percent a year, -50 to 100' })
  fcfGrowthRate?: number;

  @Field(() => Float, { nullable: true, description: 'above 0, at most 200' })
  fcfMultiple?: number;

  @Field(() => Float, { nullable: true, description: 'percent a year, above 0, at most 100' })
  desiredReturn?: number;

  @Field(() => Int, { nullable: true, description: '1 to 30' })
  projectionYears?: number;

  @Field(() => ValuationMethod, { nullable: true })
  preferredMethod?: DomainValuationMethod;
}
