import { DateTimeResolver } from 'graphql-scalars';
import { Field, Float, ObjectType } from 'type-graphql';

@ObjectType({ description: "A stock's latest price from Alpha Vantage (GLOBAL_QUOTE, or REALTIME_BULK_QUOTES with ALPHAVANTAGE_BULK_QUOTES)." })
export class Quote {
  @Field(() => Float, { description: "the provider's price, rounded to cents (half-even)" })
  price!: number;

  @Field(() => DateTimeResolver, {
    description:
      "when the provider priced it (its latest trading day's close, or the live price): the close of GLOBAL_QUOTE's latest trading day (16:00 New York, 13:00 on early-close days), or the time the answer was fetched when that was before that close; bulk quotes: their timestamp (New York time)",
  })
  asOf!: Date;

  @Field(() => Boolean, { description: 'asOf is more than 24 hours old' })
  stale!: boolean;
}
