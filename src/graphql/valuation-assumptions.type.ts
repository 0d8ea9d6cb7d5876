import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { ValuationMethod as DomainValuationMethod } from '../domain/assumptions.js';
import { ValuationMethod } from './valuation-method.enum.js';

@ObjectType({ description: 'The assumptions a valuation ran with, after argument > saved > defaults.' })
export class ValuationAssumptions {
  @Field(() => Float, { description: 'EPS growth rate, percent a year' })
  epsGrowthRate!: number;

  @Field(() => Float, { description: 'terminal multiple of the last projected EPS' })
  epsMultiple!: number;

  @Field(() => Float, { description: 'FCF growth rate, percent a year' })
  fcfGrowthRate!: number;

  @Field(() => Float, { description: 'terminal multiple of the last projected FCF per share' })
  fcfMultiple!: number;

  @Field(() => Float, { description: 'discount rate, percent a year' })
  desiredReturn!: number;

  @Field(() => Int)
  projectionYears!: number;

  @Field(() => ValuationMethod)
  preferredMethod!: DomainValuationMethod;
}
