import { Field, Float, InputType, Int } from 'type-graphql';
import { contractFilterDescription } from '../domain/contract-filter.js';

/** The GraphQL face of the contract filter schema (src/domain/contract-filter.ts checks and completes it). */
@InputType({ description: 'Every field is optional. A contract whose figure is null fails a filter on that figure.' })
export class ContractFilter {
  @Field(() => Int, { nullable: true, description: contractFilterDescription('minOpenInterest') })
  minOpenInterest?: number | null;

  @Field(() => Int, { nullable: true, description: contractFilterDescription('minVolume') })
  minVolume?: number | null;

  @Field(() => Float, { nullable: true, description: contractFilterDescription('maxSpreadPercent') })
  maxSpreadPercent?: number | null;

  @Field(() => Float, { nullable: true, description: contractFilterDescription('maxProbabilityOfAssignment') })
  maxProbabilityOfAssignment?: number | null;

  @Field(() => Float, { nullable: true, description: contractFilterDescription('minMarginOfSafety') })
  minMarginOfSafety?: number | null;

  @Field(() => Boolean, { nullable: true, description: contractFilterDescription('excludeEarnings') })
  excludeEarnings?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: contractFilterDescription('excludeExDividend') })
  excludeExDividend?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: contractFilterDescription('belowIntrinsicValueOnly') })
  belowIntrinsicValueOnly?: boolean | null;
}
