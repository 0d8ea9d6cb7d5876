import { normalizeSymbol } from '../domain/symbol.js';
import { BadUserInputError } from './errors/bad-user-input.error.js';

/** Trims and upper-cases a ticker; anything but 1-10 of A-Z (either case), digits, '.', '-' is refused. */
export function parseSymbol(raw: string, argumentName = 'symbol'): string {
  const symbol = normalizeSymbol(raw);
  if (symbol === undefined) {
    throw new BadUserInputError(
      `${JSON.stringify(raw.slice(0, 20))} is not a ticker symbol: use 1-10 of A-Z, digits, '.', '-'`,
      argumentName,
    );
  }
  return symbol;
}
