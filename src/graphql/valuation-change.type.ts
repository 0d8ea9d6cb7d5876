import { Field, Float, ObjectType } from 'type-graphql';

@ObjectType({ description: "The stock's current effective intrinsic value against one snapshot's." })
export class ValuationChange {
  @Field(() => String, { description: 'the snapshot compared with' })
  date!: string;

  @Field(() => Float, { nullable: true })
  effectiveIntrinsicValue!: number | null;

  @Field(() => Float, { nullable: true, description: "current effective intrinsic value minus the snapshot's, 2 decimals" })
  change!: number | null;

  @Field(() => Float, { nullable: true, description: "change / the snapshot's value * 100, 2 decimals" })
  changePercent!: number | null;
}
