import { describe, expect, it } from 'vitest';
import { createReusingJsonParse } from '../../src/store/reusing-json-parse.js';

const body = (n: number) => JSON.stringify({ value: { quarterlyEarnings: Array.from({ length: 40 }, (_, i) => ({ reportedEPS: `${n}.${i}` })) }, expires: 1 });

describe('createReusingJsonParse', () => {
  it('hands back the same deep-frozen value for the same text, even from a different string object', () => {
    const parse = createReusingJsonParse({ minLength: 64, maxTextLength: 1_000_000 });
    const text = body(1);
    const first = parse(text) as { value: { quarterlyEarnings: Array<{ reportedEPS: string }> } };
    const again = parse(`${text.slice(0, 10)}${text.slice(10)}`);
    expect(again).toBe(first);
    expect(first).toEqual(JSON.parse(text));
    expect(Object.isFrozen(first.value.quarterlyEarnings[3])).toBe(true);
    expect(() => {
      first.value.quarterlyEarnings[3]!.reportedEPS = '9';
    }).toThrow(TypeError);
  });

  it('parses changed text anew', () => {
    const parse = createReusingJsonParse({ minLength: 64, maxTextLength: 1_000_000 });
    const before = parse(body(1));
    const after = parse(body(2));
    expect(after).not.toBe(before);
    expect(after).toEqual(JSON.parse(body(2)));
  });

  it('parses short texts every time, unfrozen', () => {
    const parse = createReusingJsonParse({ minLength: 64, maxTextLength: 1_000_000 });
    const text = JSON.stringify({ value: 'Never', expires: 1 });
    expect(parse(text)).not.toBe(parse(text));
    expect(Object.isFrozen(parse(text))).toBe(false);
  });

  it('remembers at most maxTextLength characters, dropping the least recently used', () => {
    const parse = createReusingJsonParse({ minLength: 64, maxTextLength: body(1).length * 2 });
    const one = parse(body(1));
    const two = parse(body(2));
    expect(parse(body(1))).toBe(one); // used again: body(2) is now the least recent
    const three = parse(body(3)); // no room for three: body(2) goes
    expect(parse(body(3))).toBe(three);
    expect(parse(body(2))).not.toBe(two);
    expect(parse(body(2))).toEqual(two);
  });

  it('parses texts longer than maxLength every time, without remembering them', () => {
    const parse = createReusingJsonParse({ minLength: 64, maxTextLength: 1_000_000, maxLength: body(1).length - 1 });
    expect(parse(body(1))).not.toBe(parse(body(1)));
    expect(parse(body(1))).toEqual(JSON.parse(body(1)));
  });
});
