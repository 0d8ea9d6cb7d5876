import { DateTimeResolver } from 'graphql-scalars';
import { Field, Float, ObjectType } from 'type-graphql';
import type { ValuationMethod as DomainValuationMethod } from '../domain/assumptions.js';
import { ValuationAssumptions } from './valuation-assumptions.type.js';
import { ValuationMethod } from './valuation-method.enum.js';

@ObjectType({ description: "One stock's valuation as recorded on a quarter's first day." })
export class ValuationSnapshot {
  @Field(() => String)
  symbol!: string;

  @Field(() => String, { description: 'YYYY-MM-DD: Jan 1, Apr 1, Jul 1 or Oct 1' })
  date!: string;

  @Field(() => Float, { nullable: true })
  epsTtm!: number | null;

  @Field(() => Float, { nullable: true })
  fcfPerShare!: number | null;

  @Field(() => Float, { nullable: true })
  epsIntrinsicValue!: number | null;

  @Field(() => Float, { nullable: true })
  fcfIntrinsicValue!: number | null;

  @Field(() => Float, { nullable: true })
  effectiveIntrinsicValue!: number | null;

  @Field(() => ValuationMethod)
  preferredMethod!: DomainValuationMethod;

  @Field(() => ValuationAssumptions)
  assumptions!: ValuationAssumptions;

  @Field(() => DateTimeResolver)
  recordedAt!: Date;
}
