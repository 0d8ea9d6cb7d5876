import { Field, Float, ObjectType } from 'type-graphql';
import { OptionContract } from './option-contract.type.js';
import { ScanCriteria } from './scan-criteria.type.js';
import { TickerScanResult } from './ticker-scan-result.type.js';

@ObjectType()
export class ScanResults {
  @Field(() => String, { description: "'Never', the last completion message, or the last failure message" })
  lastRun!: string;

  @Field(() => [TickerScanResult], { description: "tickers with at least one matching option (after the query's filter), sorted by symbol" })
  tickers!: TickerScanResult[];

  @Field(() => [OptionContract], {
    description:
      "every kept contract of every ticker, after the query's filter, in the query's order (default: score, highest first), at most the query's first",
  })
  contracts!: OptionContract[];

  @Field(() => ScanCriteria, { nullable: true, description: 'the criteria of the scan that produced these results; null before any scan' })
  criteria!: ScanCriteria | null;

  @Field(() => Float, { description: 'the risk-free rate (a decimal, e.g. 0.0425) the probabilities were computed with' })
  riskFreeRate!: number;
}
