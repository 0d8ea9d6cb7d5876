import { Field, Float, InputType, Int } from 'type-graphql';
import {
  DEFAULT_ASSUMPTIONS,
  assumptionDescription,
  validateAssumptions,
  type PartialAssumptions,
  type ValuationMethod as DomainValuationMethod,
} from '../domain/assumptions.js';
import { BadUserInputError } from './errors/bad-user-input.error.js';
import { ValuationMethod } from './valuation-method.enum.js';

@InputType({
  description:
    "Every field is optional: a missing one falls back to the stock's saved assumptions, then to the defaults " +
    `(${[
      DEFAULT_ASSUMPTIONS.epsGrowthRate,
      DEFAULT_ASSUMPTIONS.epsMultiple,
      DEFAULT_ASSUMPTIONS.fcfGrowthRate,
      DEFAULT_ASSUMPTIONS.fcfMultiple,
      DEFAULT_ASSUMPTIONS.desiredReturn,
      DEFAULT_ASSUMPTIONS.projectionYears,
      DEFAULT_ASSUMPTIONS.preferredMethod,
    ].join(', ')}).`,
})
export class ValuationAssumptionsInput {
  @Field(() => Float, { nullable: true, description: assumptionDescription('epsGrowthRate') })
  epsGrowthRate?: number;

  @Field(() => Float, { nullable: true, description: assumptionDescription('epsMultiple') })
  epsMultiple?: number;

  @Field(() => Float, { nullable: true, description: assumptionDescription('fcfGrowthRate') })
  fcfGrowthRate?: number;

  @Field(() => Float, { nullable: true, description: assumptionDescription('fcfMultiple') })
  fcfMultiple?: number;

  @Field(() => Float, { nullable: true, description: assumptionDescription('desiredReturn') })
  desiredReturn?: number;

  @Field(() => Int, { nullable: true, description: assumptionDescription('projectionYears') })
  projectionYears?: number;

  @Field(() => ValuationMethod, { nullable: true, description: assumptionDescription('preferredMethod') })
  preferredMethod?: DomainValuationMethod;
}

/** The caller's assumptions, only the fields given, checked against the domain's ranges. */
export function checkAssumptions(input: ValuationAssumptionsInput | null): PartialAssumptions | null {
  if (!input) return null;
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));
  const problems = validateAssumptions({ ...DEFAULT_ASSUMPTIONS, ...given });
  if (problems.length > 0) throw new BadUserInputError(`invalid assumptions: ${problems.join('; ')}`, 'assumptions');
  return input;
}
