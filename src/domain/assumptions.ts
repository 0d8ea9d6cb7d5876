import { DEFAULT_ASSUMPTIONS, type ValuationAssumptions } from './valuation.js';

/** A partial set, as a caller or a saved stock gives it; null and undefined mean "not given". */
export type PartialAssumptions = { [K in keyof ValuationAssumptions]?: ValuationAssumptions[K] | null };

/** argument > the stock's saved assumptions > defaults, field by field. */
export function resolveAssumptions(
  argument: PartialAssumptions | null | undefined,
  saved: PartialAssumptions | null | undefined,
): ValuationAssumptions {
  const pick = <K extends keyof ValuationAssumptions>(name: K): ValuationAssumptions[K] =>
    (argument?.[name] ?? saved?.[name] ?? DEFAULT_ASSUMPTIONS[name]) as ValuationAssumptions[K];
  return {
    epsGrowthRate: pick('epsGrowthRate'),
    epsMultiple: pick('epsMultiple'),
    fcfGrowthRate: pick('fcfGrowthRate'),
    fcfMultiple: pick('fcfMultiple'),
    desiredReturn: pick('desiredReturn'),
    projectionYears: pick('projectionYears'),
    preferredMethod: pick('preferredMethod'),
  };
}
