import { Field, Float, InputType, Int } from 'type-graphql';
import { DEFAULT_SCAN_CRITERIA, scanCriterionDescription } from '../domain/scan-criteria.js';
import type { OptionType as DomainOptionType } from '../domain/scan-rules.js';
import { ContractFilter } from './contract-filter.input.js';
import { OptionType } from './option-type.enum.js';

/** The GraphQL face of the scan criteria schema (domain/scan-criteria.ts): descriptions and defaults come from it. */
@InputType()
export class StartScanInput {
  @Field(() => [String], { nullable: true, description: scanCriterionDescription('symbols') })
  symbols?: string[] | null;

  @Field(() => OptionType, { nullable: true, defaultValue: DEFAULT_SCAN_CRITERIA.optionType, description: scanCriterionDescription('optionType') })
  optionType?: DomainOptionType | null;

  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_SCAN_CRITERIA.weeks, description: scanCriterionDescription('weeks') })
  weeks?: number | null;

  @Field(() => Float, { nullable: true, description: scanCriterionDescription('minAnnualizedReturn') })
  minAnnualizedReturn?: number | null;

  @Field(() => Float, { nullable: true, description: scanCriterionDescription('maxDelta') })
  maxDelta?: number | null;

  @Field(() => ContractFilter, { nullable: true, description: 'what the scan keeps beyond the return and delta rules' })
  filter?: ContractFilter | null;
}
