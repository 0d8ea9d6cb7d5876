/** fast-check generators of ticker-like text, for the symbol rule's property tests. */
import fc from 'fast-check';

/**
 * Letters whose upper case (or case folding) in JavaScript is, or contains, ASCII: ß ﬁ ﬂ ﬀ,
 * long s, the Kelvin sign, dotless i, dotted I, ŉ, ǰ, fullwidth A and a, micro sign, é, Ω.
 */
export const ASCII_LOOKALIKES = [
  '\u00df', '\ufb01', '\ufb02', '\ufb00', '\u017f', '\u212a', '\u0131', '\u0130', '\u0149', '\u01f0', '\uff21', '\uff41', '\u00b5',
  '\u00e9', '\u2126',
] as const;

const tickerUnit = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-');

/** 1-9 of the ticker characters, in either case: one more character still fits the length rule */
export const asciiTicker = fc.array(tickerUnit, { minLength: 1, maxLength: 9 }).map((units) => units.join(''));

/** an ASCII ticker with one non-ASCII character (not a space; often a lookalike letter) (often a lookalike) put somewhere in it */
export const tickerWithForeignLetter = fc
  .tuple(asciiTicker, fc.oneof(fc.constantFrom(...ASCII_LOOKALIKES), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), fc.nat())
  // Not whitespace: a non-ASCII space at either end is trimmed like any space, leaving a valid ticker.
  .filter(([, letter]) => /[^\x00-\x7f]/.test(letter) && letter.trim() === letter)
  .map(([base, letter, at]) => {
    const position = at % (base.length + 1);
    return base.slice(0, position) + letter + base.slice(position);
  });
