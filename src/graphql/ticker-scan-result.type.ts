import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import { IntrinsicValue } from './intrinsic-value.type.js';
import { OptionContract } from './option-contract.type.js';

@ObjectType({ description: 'One ticker of the last scan with the contracts it kept.' })
export class TickerScanResult {
  @Field(() => String)
  symbol!: string;

  @Field(() => DateTimeResolver)
  scannedAt!: Date;

  @Field(() => [OptionContract], { description: "the contracts kept, after the query's filter, in the query's order (default: expiration, then strike)" })
  options!: OptionContract[];

  @Field(() => IntrinsicValue, { nullable: true, description: 'loaded through a DataLoader: one batch for all tickers of a query' })
  intrinsicValue?: IntrinsicValue | null;
}
