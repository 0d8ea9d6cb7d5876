import { Field, Float, ObjectType } from 'type-graphql';
import type { ValuationMethod as DomainValuationMethod } from '../domain/assumptions.js';
import { ValuationMethod } from './valuation-method.enum.js';

@ObjectType({ description: 'One discounted-cash-flow model, step by step.' })
export class DcfValuation {
  @Field(() => ValuationMethod)
  method!: DomainValuationMethod;

  @Field(() => Float, { description: 'EPS TTM (EPS method) or FCF per share (FCF method) that the projection starts from' })
  startingValue!: number;

  @Field(() => [Float], { description: 'one value per projected year' })
  projected!: number[];

  @Field(() => [Float], { description: 'present value of each projected year' })
  presentValues!: number[];

  @Field(() => Float)
  sumOfPresentValues!: number;

  @Field(() => Float)
  terminalValue!: number;

  @Field(() => Float)
  presentValueOfTerminal!: number;

  @Field(() => Float)
  intrinsicValue!: number;
}
