import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { OptionType as DomainOptionType } from '../domain/scan-rules.js';
import { OptionType } from './option-type.enum.js';

@ObjectType({
  description:
    'An option contract the scan kept, with its screener figures. What each figure costs to answer (stored, OVERVIEW, valuation, calendar): README, "What each contract field costs".',
})
export class OptionContract {
  @Field(() => String)
  contractId!: string;

  @Field(() => OptionType)
  type!: DomainOptionType;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  expiration!: string;

  @Field(() => Int)
  daysToExpiration!: number;

  @Field(() => Float)
  strike!: number;

  @Field(() => Float)
  bid!: number;

  @Field(() => Float, { nullable: true })
  delta!: number | null;

  @Field(() => Float, { nullable: true })
  impliedVolatility!: number | null;

  @Field(() => Float, { nullable: true })
  underlyingPrice!: number | null;

  @Field(() => Float, { nullable: true, description: '(underlyingPrice - strike) / strike * 100' })
  percentChange!: number | null;

  @Field(() => Float, { description: 'bid / strike / daysToExpiration * 365 * 100 (daysToExpiration 0 counts as 1)' })
  annualizedReturn!: number;

  @Field(() => Boolean, { nullable: true, description: "strike <= the symbol's effective intrinsic value; null when there is none" })
  belowIntrinsicValue?: boolean | null;

  @Field(() => String, { description: "the underlying's symbol" })
  symbol!: string;

  @Field(() => Float, { nullable: true })
  ask?: number | null;

  @Field(() => Float, { nullable: true, description: '(bid + ask) / 2; null without an ask' })
  mid?: number | null;

  @Field(() => Float, { nullable: true, description: '(ask - bid) / mid * 100, 2 decimals; null without an ask' })
  spreadPercent?: number | null;

  @Field(() => Int, { nullable: true })
  openInterest?: number | null;

  @Field(() => Int, { nullable: true })
  volume?: number | null;

  @Field(() => Float, { description: 'bid * 100: dollars received per contract' })
  premium!: number;

  @Field(() => Float, { description: 'puts: strike * 100 (cash secured); calls: underlyingPrice * 100 (shares held)' })
  collateral!: number;

  @Field(() => Float, { description: 'puts: strike - bid; calls: underlyingPrice - bid' })
  breakeven!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'risk-neutral chance of finishing in the money (Black-Scholes N(-d2) for puts, N(d2) for calls), 4 decimals; null without implied volatility',
  })
  probabilityOfAssignment?: number | null;

  @Field(() => Float, { nullable: true, description: 'chance of finishing beyond the breakeven, 4 decimals; null without implied volatility' })
  probabilityOfProfit?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'one standard deviation of the underlying by expiration: underlyingPrice * iv * sqrt(T), 2 decimals',
  })
  expectedMove?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'puts: (intrinsic value - (strike - bid)) / intrinsic value * 100, 2 decimals; null for calls or without a positive intrinsic value',
  })
  marginOfSafety?: number | null;

  @Field(() => Float, { nullable: true, description: 'annualizedReturn * (1 - probabilityOfAssignment), 2 decimals; null without a probability' })
  score?: number | null;

  @Field(() => String, { nullable: true, description: 'the next earnings report date on or after today (YYYY-MM-DD); null when none is announced' })
  earningsDate?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'an earnings report falls between today and the expiration, both included; null when the calendar could not be loaded',
  })
  earningsBeforeExpiration?: boolean | null;

  @Field(() => String, { nullable: true, description: 'the next ex-dividend date on or after today (YYYY-MM-DD); null when none is known' })
  exDividendDate?: string | null;

  @Field(() => Boolean, { description: 'a known ex-dividend date falls between today and the expiration, both included' })
  exDividendBeforeExpiration!: boolean;
}
