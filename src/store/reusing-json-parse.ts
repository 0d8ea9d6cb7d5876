import { LRUCache } from 'lru-cache';
import { deepFreeze } from '../deep-freeze.js';

export interface ReusingJsonParseOptions {
  /** shorter texts are parsed every time: cheaper than looking them up */
  minLength: number;
  /** the remembered texts together stay under this many characters (least recently used go first) */
  maxTextLength: number;
  /**
   * longer texts are parsed every time and not remembered: one of them would push out the
   * many bodies warm queries share, and hashing a text of megabytes to look it up costs
   * about as much as keeping it. Its reader remembers it otherwise (the scan results by version).
   */
  maxLength?: number;
}

/**
 * A JSON.parse that hands back the same deep-frozen value when it meets the same text again.
 * Warm queries read the same entries from Redis on every request (78 upstream bodies,
 * 480 kB, for intrinsicValues(26)). Redis is still read every time, so a changed entry is
 * parsed anew and nothing is ever staler than the store; only re-parsing unchanged bytes
 * is saved. The value is frozen because every later reader shares it.
 */
export function createReusingJsonParse(options: ReusingJsonParseOptions): (text: string) => unknown {
  const parsed = new LRUCache<string, { value: unknown }>({
    maxSize: options.maxTextLength,
    sizeCalculation: (_entry, text) => text.length,
  });
  const maxLength = options.maxLength ?? options.maxTextLength;
  return (text) => {
    if (text.length < options.minLength || text.length > maxLength) return JSON.parse(text);
    let entry = parsed.get(text);
    if (entry === undefined) {
      entry = { value: deepFreeze(JSON.parse(text) as unknown) };
      parsed.set(text, entry);
    }
    return entry.value;
  };
}
