import { Field, Float, Int, ObjectType } from 'type-graphql';
import { contractFilterDescription, type ContractFilterValues as DomainContractFilterValues } from '../domain/contract-filter.js';

@ObjectType({ description: 'A contract filter after defaults: null bounds do not filter.' })
export class ContractFilterValues implements DomainContractFilterValues {
  @Field(() => Int, { nullable: true, description: contractFilterDescription('minOpenInterest') })
  minOpenInterest!: number | null;

  @Field(() => Int, { nullable: true, description: contractFilterDescription('minVolume') })
  minVolume!: number | null;

  @Field(() => Float, { nullable: true, description: contractFilterDescription('maxSpreadPercent') })
  maxSpreadPercent!: number | null;

  @Field(() => Float, { nullable: true, description: contractFilterDescription('maxProbabilityOfAssignment') })
  maxProbabilityOfAssignment!: number | null;

  @Field(() => Float, { nullable: true, description: contractFilterDescription('minMarginOfSafety') })
  minMarginOfSafety!: number | null;

  @Field(() => Boolean, { description: contractFilterDescription('excludeEarnings') })
  excludeEarnings!: boolean;

  @Field(() => Boolean, { description: contractFilterDescription('excludeExDividend') })
  excludeExDividend!: boolean;

  @Field(() => Boolean, { description: contractFilterDescription('belowIntrinsicValueOnly') })
  belowIntrinsicValueOnly!: boolean;
}
