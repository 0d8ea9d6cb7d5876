import { Field, Float, InputType, Int } from 'type-graphql';
import type { OptionType as DomainOptionType } from '../domain/scan-rules.js';
import { OptionType } from './option-type.enum.js';

@InputType()
export class StartScanInput {
  @Field(() => [String], { nullable: true, description: 'default: the active curated symbols' })
  symbols?: string[] | null;

  @Field(() => OptionType, { nullable: true, defaultValue: 'PUT' })
  optionType?: DomainOptionType | null;

  @Field(() => Int, { nullable: true, defaultValue: 4, description: 'how many weekly expirations ahead to scan (1-12)' })
  weeks?: number | null;

  @Field(() => Float, { nullable: true, description: 'default 30 for puts, 20 for calls' })
  minAnnualizedReturn?: number | null;

  @Field(() => Float, { nullable: true, description: 'absolute delta bound; default 0.20 for puts, the DTE-scaled bound for calls' })
  maxDelta?: number | null;
}
