import { Field, Float, Int, ObjectType } from 'type-graphql';
import { ValuationChange } from './valuation-change.type.js';

@ObjectType({ description: "Statistics over one stock's valuation snapshots." })
export class ValuationAnalytics {
  @Field(() => String)
  symbol!: string;

  @Field(() => Int, { description: 'snapshots with an effective intrinsic value' })
  snapshots!: number;

  @Field(() => Float, { nullable: true, description: "mean of the snapshots' effective intrinsic values, 2 decimals; null when no snapshot has one" })
  mean!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: "sample standard deviation of the snapshots' effective intrinsic values, 2 decimals; null under 2 snapshots",
  })
  standardDeviation!: number | null;

  @Field(() => Float, { nullable: true, description: 'standardDeviation / mean * 100, 2 decimals' })
  coefficientOfVariation!: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      '((last / first) ^ (1 / years) - 1) * 100, 2 decimals, years = quarters between the first and last snapshot / 4; null unless both are positive and at least a quarter apart',
  })
  cagrPercent!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Pearson correlation of the EPS and FCF intrinsic values over the snapshots that have both, 3 decimals; null under 3 such snapshots',
  })
  epsFcfCorrelation!: number | null;

  @Field(() => ValuationChange, { nullable: true, description: "against the latest snapshot before the current quarter's" })
  previousQuarter!: ValuationChange | null;

  @Field(() => ValuationChange, { nullable: true, description: 'against the snapshot of the same quarter a year earlier' })
  yearAgo!: ValuationChange | null;
}
