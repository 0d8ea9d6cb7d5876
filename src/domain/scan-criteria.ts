import { z } from 'zod';
import { normalizeSymbol } from './symbol.js';

/**
 * What a scan may be asked, declared once: the type, the defaults, the ranges, the
 * validation messages and the GraphQL descriptions all come from this schema.
 */

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/** A number field whose every refusal says the field's rule and what was given. */
const bounded = (rule: string, min: number, max: number, integer = false) => {
  let schema = z.number({ error: (issue) => `${rule} (got ${show(issue.input)}).` });
  if (integer) schema = schema.int();
  return schema.gte(min).lte(max);
};

/** The service contract: a scan accepts up to 500 symbols. */
export const MAX_SCAN_SYMBOLS = 500;
export const WEEKS_RANGE = { min: 1, max: 12 } as const;
export const MIN_ANNUALIZED_RETURN_RANGE = { min: 0, max: 1000 } as const;
export const MAX_DELTA_RANGE = { min: 0, max: 1 } as const;

export const scanCriteriaSchema = z.object({
  symbols: z
    .array(z.string())
    .superRefine((symbols, context) => {
      if (symbols.length === 0) context.addIssue({ code: 'custom', message: 'symbols must name at least one ticker.' });
      if (symbols.length > MAX_SCAN_SYMBOLS) context.addIssue({ code: 'custom', message: `at most ${MAX_SCAN_SYMBOLS} symbols per scan.` });
      const invalid = symbols.filter((symbol) => normalizeSymbol(symbol) === undefined);
      if (invalid.length > 0) {
        context.addIssue({
          code: 'custom',
          message: `symbols must be tickers such as AAPL or BRK.B; not valid: ${invalid.map(show).join(', ')}.`,
        });
      }
    })
    .nullish()
    .describe('default: the active curated symbols'),
  optionType: z.enum(['PUT', 'CALL']).default('PUT').describe('puts to sell cash-secured, or calls to sell covered'),
  weeks: bounded(`weeks must be a whole number from ${WEEKS_RANGE.min} to ${WEEKS_RANGE.max}`, WEEKS_RANGE.min, WEEKS_RANGE.max, true)
    .default(4)
    .describe(`how many weekly expirations ahead to scan (${WEEKS_RANGE.min}-${WEEKS_RANGE.max})`),
  minAnnualizedReturn: bounded(
    `minAnnualizedReturn must be a percentage from ${MIN_ANNUALIZED_RETURN_RANGE.min} to ${MIN_ANNUALIZED_RETURN_RANGE.max}`,
    MIN_ANNUALIZED_RETURN_RANGE.min,
    MIN_ANNUALIZED_RETURN_RANGE.max,
  )
    .nullish()
    .describe('default 30 for puts, 20 for calls'),
  maxDelta: bounded(`maxDelta must be from ${MAX_DELTA_RANGE.min} to ${MAX_DELTA_RANGE.max}`, MAX_DELTA_RANGE.min, MAX_DELTA_RANGE.max)
    .nullish()
    .describe('absolute delta bound; default 0.20 for puts, the DTE-scaled bound for calls'),
});

/** As a caller gives them: a field left out or null takes its default. */
export type ScanCriteriaInput = { [K in keyof z.input<typeof scanCriteriaSchema>]?: z.input<typeof scanCriteriaSchema>[K] | null };
export type ScanCriteria = z.output<typeof scanCriteriaSchema>;
export type ScanCriterion = keyof ScanCriteria;

export const DEFAULT_SCAN_CRITERIA: Readonly<ScanCriteria> = Object.freeze(scanCriteriaSchema.parse({}));

/** The schema's description of one field, for the GraphQL input. */
export const scanCriterionDescription = (name: ScanCriterion): string => scanCriteriaSchema.shape[name].description ?? '';

/** The criteria with defaults filled in, or one human-readable message per problem. */
export function parseScanCriteria(input: ScanCriteriaInput): { criteria: ScanCriteria; problems: [] } | { criteria: null; problems: string[] } {
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));
  const result = scanCriteriaSchema.safeParse(given);
  if (result.success) return { criteria: result.data, problems: [] };
  return { criteria: null, problems: result.error.issues.map((issue) => issue.message) };
}
