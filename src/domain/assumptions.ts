import { z } from 'zod';

/**
 * The valuation assumptions, declared once: the type, the defaults, the ranges, the
 * validation messages and the GraphQL descriptions all come from this schema.
 */

const show = (value: unknown): string => (typeof value === 'string' ? value : String(value));

/** A number field whose every refusal says the field's whole rule and what was given. */
function ranged(
  name: string,
  rule: { min: number; max: number; minExclusive?: boolean; integer?: boolean; unit?: string },
  fallback: number,
) {
  const range = rule.integer
    ? `a whole number from ${rule.min} to ${rule.max}`
    : `${rule.minExclusive ? `greater than ${rule.min}` : `at least ${rule.min}`} and at most ${rule.max}`;
  let schema = z.number({
    error: (issue) =>
      issue.code === 'invalid_type' && !rule.integer
        ? `${name} must be a finite number (got ${show(issue.input)})`
        : `${name} must be ${range} (got ${show(issue.input)})`,
  });
  if (rule.integer) schema = schema.int();
  schema = (rule.minExclusive ? schema.gt(rule.min) : schema.gte(rule.min)).lte(rule.max);
  const lower = rule.minExclusive ? `above ${rule.min}, at most ${rule.max}` : `${rule.min} to ${rule.max}`;
  return schema.default(fallback).describe(rule.unit ? `${rule.unit}, ${lower}` : lower);
}

export const VALUATION_METHODS = ['EPS', 'FCF'] as const;

export const valuationAssumptionsSchema = z.object({
  epsGrowthRate: ranged('epsGrowthRate', { min: -50, max: 100, unit: 'percent a year' }, 10),
  fcfGrowthRate: ranged('fcfGrowthRate', { min: -50, max: 100, unit: 'percent a year' }, 10),
  epsMultiple: ranged('epsMultiple', { min: 0, max: 200, minExclusive: true }, 20),
  fcfMultiple: ranged('fcfMultiple', { min: 0, max: 200, minExclusive: true }, 20),
  desiredReturn: ranged('desiredReturn', { min: 0, max: 100, minExclusive: true, unit: 'percent a year' }, 15),
  projectionYears: ranged('projectionYears', { min: 1, max: 30, integer: true }, 5),
  preferredMethod: z
    .enum(VALUATION_METHODS, { error: (issue) => `preferredMethod must be EPS or FCF (got ${show(issue.input)})` })
    .default('EPS')
    .describe('the model whose value is the effective intrinsic value'),
});

export type ValuationAssumptions = z.output<typeof valuationAssumptionsSchema>;
export type ValuationMethod = ValuationAssumptions['preferredMethod'];
export type AssumptionName = keyof ValuationAssumptions;

export const DEFAULT_ASSUMPTIONS: Readonly<ValuationAssumptions> = Object.freeze(valuationAssumptionsSchema.parse({}));

/** The schema's description of one field, for the GraphQL types. */
export const assumptionDescription = (name: AssumptionName): string =>
  valuationAssumptionsSchema.shape[name].description ?? '';

/** One message per field that is out of its range (empty when all is well). */
export function validateAssumptions(assumptions: ValuationAssumptions): string[] {
  const result = valuationAssumptionsSchema.safeParse(assumptions);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

/** A partial set, as a caller or a saved stock gives it; null and undefined mean "not given". */
export type PartialAssumptions = { [K in keyof ValuationAssumptions]?: ValuationAssumptions[K] | null };

/** argument > the stock's saved assumptions > defaults, field by field. */
export function resolveAssumptions(
  argument: PartialAssumptions | null | undefined,
  saved: PartialAssumptions | null | undefined,
): ValuationAssumptions {
  const resolved = { ...DEFAULT_ASSUMPTIONS };
  for (const name of Object.keys(DEFAULT_ASSUMPTIONS) as AssumptionName[]) {
    const value = argument?.[name] ?? saved?.[name];
    if (value !== null && value !== undefined) (resolved as Record<AssumptionName, unknown>)[name] = value;
  }
  return resolved;
}
