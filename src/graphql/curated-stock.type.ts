import { Field, ObjectType } from 'type-graphql';
import { IntrinsicValue } from './intrinsic-value.type.js';
import { ValuationAssumptions } from './valuation-assumptions.type.js';

@ObjectType({ description: 'A stock on the curated list, with its saved valuation assumptions.' })
export class CuratedStock {
  @Field(() => String)
  symbol!: string;

  @Field(() => Boolean, { description: 'inactive stocks stay listed but are left out of scans' })
  active!: boolean;

  @Field(() => ValuationAssumptions, { description: 'saved assumptions, completed with the defaults' })
  assumptions!: ValuationAssumptions;

  @Field(() => IntrinsicValue, { nullable: true, description: 'with the saved assumptions; null when it could not be computed' })
  intrinsicValue?: IntrinsicValue | null;
}
