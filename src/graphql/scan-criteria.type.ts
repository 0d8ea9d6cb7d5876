import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { OptionType as DomainOptionType } from '../domain/scan-rules.js';
import { ContractFilterValues } from './contract-filter-values.type.js';
import { OptionType } from './option-type.enum.js';

@ObjectType({ description: 'The criteria a scan ran with, after defaults.' })
export class ScanCriteria {
  @Field(() => OptionType)
  optionType!: DomainOptionType;

  @Field(() => Int)
  weeks!: number;

  @Field(() => Float)
  minAnnualizedReturn!: number;

  @Field(() => Float, { nullable: true, description: 'null: the default rule for the type (0.20 for puts, DTE-scaled for calls)' })
  maxDelta!: number | null;

  @Field(() => [String])
  symbols!: string[];

  @Field(() => ContractFilterValues, { description: 'what the scan kept beyond the return and delta rules' })
  filter!: ContractFilterValues;
}
