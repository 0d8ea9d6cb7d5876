import { describe, expect, it } from 'vitest';

import { fallsWithin, nextDateOnOrAfter } from '../../src/domain/contract-events.js';

describe('nextDateOnOrAfter', () => {
  it('is the earliest date on or after today, whatever the order given', () => {
    expect(nextDateOnOrAfter(['2026-07-30', '2026-04-30', '2026-01-29'], '2026-04-08')).toBe('2026-04-30');
  });

  it('counts today itself', () => {
    expect(nextDateOnOrAfter(['2026-04-07', '2026-04-08', '2026-07-30'], '2026-04-08')).toBe('2026-04-08');
  });

  it('is null when every date is past, or there is none', () => {
    expect(nextDateOnOrAfter(['2026-01-29', '2026-04-07'], '2026-04-08')).toBeNull();
    expect(nextDateOnOrAfter([], '2026-04-08')).toBeNull();
  });

  it('ignores what is not a YYYY-MM-DD date', () => {
    expect(nextDateOnOrAfter(['None', '', '2026-5-1', '2026-05-01'], '2026-04-08')).toBe('2026-05-01');
  });
});

describe('fallsWithin', () => {
  it('includes both today and the expiration', () => {
    expect(fallsWithin('2026-04-08', '2026-04-08', '2026-04-17')).toBe(true);
    expect(fallsWithin('2026-04-12', '2026-04-08', '2026-04-17')).toBe(true);
    expect(fallsWithin('2026-04-17', '2026-04-08', '2026-04-17')).toBe(true);
  });

  it('excludes a date before today or after the expiration', () => {
    expect(fallsWithin('2026-04-07', '2026-04-08', '2026-04-17')).toBe(false);
    expect(fallsWithin('2026-04-18', '2026-04-08', '2026-04-17')).toBe(false);
  });

  it('is false without a date', () => {
    expect(fallsWithin(null, '2026-04-08', '2026-04-17')).toBe(false);
  });
});
