import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { OptionType as DomainOptionType } from '../domain/scan-rules.js';
import { OptionType } from './option-type.enum.js';

@ObjectType({ description: 'An option contract the scan rules selected.' })
export class OptionContract {
  @Field(() => String)
  contractId!: string;

  @Field(() => OptionType)
  type!: DomainOptionType;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  expiration!: string;

  @Field(() => Int)
  daysToExpiration!: number;

  @Field(() => Float)
  strike!: number;

  @Field(() => Float)
  bid!: number;

  @Field(() => Float, { nullable: true })
  delta!: number | null;

  @Field(() => Float, { nullable: true })
  impliedVolatility!: number | null;

  @Field(() => Float, { nullable: true })
  underlyingPrice!: number | null;

  @Field(() => Float, { nullable: true, description: '(underlyingPrice - strike) / strike * 100' })
  percentChange!: number | null;

  @Field(() => Float, { description: 'bid / strike / daysToExpiration * 365 * 100 (daysToExpiration 0 counts as 1)' })
  annualizedReturn!: number;

  @Field(() => Boolean, { nullable: true, description: "strike <= the symbol's effective intrinsic value; null when there is none" })
  belowIntrinsicValue?: boolean | null;
}
