/**
 * An index-sized list of tickers for scale tests and the bench: the 26 default symbols first,
 * then made-up tickers of 3-4 letters, deterministic and unique. The fake Alpha Vantage
 * answers any symbol (its bodies are seeded by the symbol, test/support/alpha-vantage-data.ts),
 * so every one of them has a quote, fundamentals and an option chain.
 */
import { DEFAULT_SYMBOLS, seededRandom } from './alpha-vantage-data.js';

export const INDEX_SIZE = 500;

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `count` distinct tickers (default 500, the scan's limit), the same list every time. */
export function symbolUniverse(count = INDEX_SIZE): string[] {
  const symbols = new Set<string>(DEFAULT_SYMBOLS.slice(0, count));
  const random = seededRandom('symbol-universe');
  while (symbols.size < count) {
    const length = random() < 0.5 ? 3 : 4;
    let symbol = '';
    for (let at = 0; at < length; at += 1) symbol += LETTERS[Math.floor(random() * LETTERS.length)];
    symbols.add(symbol);
  }
  return [...symbols];
}
