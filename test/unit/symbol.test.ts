/**
 * Ticker symbols are checked as the caller wrote them, before upper-casing: JavaScript's
 * toUpperCase turns "ß" into "SS" and "ﬁ" into "FI". Every place a symbol enters agrees:
 * the GraphQL arguments, the scan criteria and CURATED_SYMBOLS.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { parseScanCriteria } from '../../src/domain/scan-criteria.js';
import { normalizeSymbol, SYMBOL_PATTERN } from '../../src/domain/symbol.js';
import { parseSymbol } from '../../src/graphql/symbol-argument.js';
import { ASCII_LOOKALIKES, asciiTicker, tickerWithForeignLetter } from '../support/symbol-arbitraries.js';

/** The rule spelt out by code unit, independently of the regular expressions under test. */
function expectedSymbol(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (trimmed.length < 1 || trimmed.length > 10) return undefined;
  let symbol = '';
  for (const unit of trimmed) {
    const code = unit.charCodeAt(0);
    if (code >= 0x61 && code <= 0x7a) symbol += String.fromCharCode(code - 0x20);
    else if ((code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || unit === '.' || unit === '-') symbol += unit;
    else return undefined;
  }
  return symbol;
}

const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 14 }),
  fc.string({ unit: 'binary', maxLength: 14 }),
  asciiTicker,
  asciiTicker.map((ticker) => ` ${ticker}\t`),
  tickerWithForeignLetter,
);

describe('normalizeSymbol', () => {
  it('refuses "ß", "ﬁ" and the other letters that upper-case into ASCII', () => {
    expect('ß'.toUpperCase()).toBe('SS'); // why the check comes first
    for (const letter of ASCII_LOOKALIKES) {
      expect({ letter, symbol: normalizeSymbol(letter) }).toEqual({ letter, symbol: undefined });
      expect({ letter, symbol: normalizeSymbol(`MA${letter}`) }).toEqual({ letter, symbol: undefined });
    }
    expect(normalizeSymbol('maß')).toBeUndefined();
  });

  it('upper-cases ASCII tickers, trimmed', () => {
    expect(normalizeSymbol(' brk.b ')).toBe('BRK.B');
    expect(normalizeSymbol('rds-a')).toBe('RDS-A');
    expect(normalizeSymbol('AAPL')).toBe('AAPL');
  });

  it('for any text: the ticker the rule spells out by code unit, or undefined; never a changed length', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const symbol = normalizeSymbol(raw);
        expect(symbol).toBe(expectedSymbol(raw));
        if (symbol !== undefined) {
          expect(symbol).toMatch(SYMBOL_PATTERN);
          expect(symbol.length).toBe(raw.trim().length);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses any ticker with a non-ASCII letter in it', () => {
    fc.assert(
      fc.property(tickerWithForeignLetter, (raw) => {
        expect(normalizeSymbol(raw)).toBeUndefined();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('every place a symbol enters', () => {
  it('the GraphQL argument: BAD_USER_INPUT naming the argument', () => {
    expect(() => parseSymbol('ß', 'symbols')).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'symbols' } }));
    expect(parseSymbol(' aapl')).toBe('AAPL');
  });

  it('the scan criteria: named among the invalid symbols', () => {
    const { problems } = parseScanCriteria({ symbols: ['AAPL', 'maß', 'ﬁ'] });
    expect(problems.join(' ')).toContain('not valid: "maß", "ﬁ"');
    expect(parseScanCriteria({ symbols: ['aapl'] }).problems).toEqual([]);
  });

  it('CURATED_SYMBOLS: refused at start-up, not seeded as MASS', () => {
    expect(() => loadConfig({ CURATED_SYMBOLS: 'AAPL,maß' })).toThrow(/CURATED_SYMBOLS/);
    expect(() => loadConfig({ CURATED_SYMBOLS: 'ﬁ' })).toThrow(/CURATED_SYMBOLS/);
    expect(loadConfig({ CURATED_SYMBOLS: 'aapl, brk.b' }).curatedSymbols).toEqual(['AAPL', 'BRK.B']);
  });
});
