/** A ticker as the API defines it (README.md): 1-10 of A-Z, digits, '.', '-' (after upper-casing). */
export const SYMBOL_PATTERN = /^[A-Z0-9.-]{1,10}$/;

/** What a caller may write for one: the same in either case of ASCII letters, and nothing else. */
const SYMBOL_AS_GIVEN = /^[A-Za-z0-9.-]{1,10}$/;

/**
 * The ticker a caller meant (trimmed, upper-cased), or undefined when `raw` is not one.
 * Checked before upper-casing: JavaScript upper-cases "ß" to "SS" and "ﬁ" to "FI", which
 * would turn letters no ticker has into one that exists.
 */
export function normalizeSymbol(raw: string): string | undefined {
  const trimmed = raw.trim();
  return SYMBOL_AS_GIVEN.test(trimmed) ? trimmed.toUpperCase() : undefined;
}
