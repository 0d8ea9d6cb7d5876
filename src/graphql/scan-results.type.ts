import { Field, ObjectType } from 'type-graphql';
import { ScanCriteria } from './scan-criteria.type.js';
import { TickerScanResult } from './ticker-scan-result.type.js';

@ObjectType()
export class ScanResults {
  @Field(() => String, { description: "'Never', the last completion message, or the last failure message" })
  lastRun!: string;

  @Field(() => [TickerScanResult], { description: 'tickers with at least one matching option, sorted by symbol' })
  tickers!: TickerScanResult[];

  @Field(() => ScanCriteria, { nullable: true, description: 'the criteria of the scan that produced these results; null before any scan' })
  criteria!: ScanCriteria | null;
}
