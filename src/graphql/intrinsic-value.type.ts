import { Field, Float, ObjectType } from 'type-graphql';
import type { ValuationMethod as DomainValuationMethod } from '../domain/assumptions.js';
import type { ValuationTier as DomainValuationTier } from '../domain/price-discount.js';
import { DcfValuation } from './dcf-valuation.type.js';
import { Quote } from './quote.type.js';
import { ValuationAssumptions } from './valuation-assumptions.type.js';
import { ValuationMethod } from './valuation-method.enum.js';
import { ValuationTier } from './valuation-tier.enum.js';

@ObjectType({ description: 'Fair value per share by the EPS and FCF discounted-cash-flow models, rounded to cents.' })
export class IntrinsicValue {
  @Field(() => String)
  symbol!: string;

  @Field(() => ValuationAssumptions)
  assumptions!: ValuationAssumptions;

  @Field(() => Float, {
    nullable: true,
    description: "sum of the four latest quarters' reported EPS (the overview's EPS when fewer than four quarters exist)",
  })
  epsTtm!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'sum over the four latest quarters of operatingCashflow minus capital expenditures',
  })
  fcfTtm!: number | null;

  @Field(() => Float, { nullable: true })
  sharesOutstanding!: number | null;

  @Field(() => Float, { nullable: true })
  fcfPerShare!: number | null;

  @Field(() => DcfValuation, { nullable: true, description: 'null when the EPS model cannot run (e.g. EPS TTM <= 0); notes says why' })
  eps!: DcfValuation | null;

  @Field(() => DcfValuation, { nullable: true, description: 'null when the FCF model cannot run (e.g. FCF per share <= 0); notes says why' })
  fcf!: DcfValuation | null;

  @Field(() => [String], { description: 'human-readable reasons for skipped models and fallbacks used' })
  notes!: string[];

  @Field(() => ValuationMethod)
  preferredMethod!: DomainValuationMethod;

  @Field(() => Float, { nullable: true, description: 'intrinsic value of the preferred method; null if that model could not run' })
  effectiveIntrinsicValue!: number | null;

  // Resolved by IntrinsicValuePriceResolver: one price per symbol of the request, batched.
  @Field(() => Quote, { nullable: true, description: "the stock's latest price; null when it could not be had" })
  quote?: Quote | null;

  @Field(() => Float, {
    nullable: true,
    description: '(effectiveIntrinsicValue - price) / effectiveIntrinsicValue * 100, 2 decimals; null without a positive intrinsic value or a price',
  })
  discountPercent?: number | null;

  @Field(() => ValuationTier, { nullable: true, description: 'null when discountPercent is null' })
  tier?: DomainValuationTier | null;
}
