import { Field, ObjectType } from 'type-graphql';
import { TickerScanResult } from './ticker-scan-result.type.js';

@ObjectType()
export class ScanResults {
  @Field(() => String, { description: "'Never', the last completion message, or the last failure message" })
  lastRun!: string;

  @Field(() => [TickerScanResult], { description: 'tickers with at least one matching option, sorted by symbol' })
  tickers!: TickerScanResult[];
}
