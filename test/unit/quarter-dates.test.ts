import { describe, expect, it } from 'vitest';
import {
  addQuarters,
  currentQuarterStart,
  isQuarterStart,
  parseCalendarDate,
  parseQuarterStart,
  previousQuarterStart,
  quarterStartOf,
  quartersBetween,
  sameQuarterYearEarlier,
  snapshotDate,
} from '../../src/domain/quarter-dates.js';

describe('parseQuarterStart', () => {
  it.each(['2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01', '2000-01-01', '0001-10-01'])('accepts %s', (raw) => {
    expect(parseQuarterStart(raw)).toEqual({ date: raw, problem: null });
  });

  it.each([
    ['2026-02-01', 'not a quarter\'s first day'],
    ['2026-04-02', 'not a quarter\'s first day'],
    ['2026-12-01', 'not a quarter\'s first day'],
    ['2026-02-30', 'not a calendar date'],
    ['2026-13-01', 'not a calendar date'],
    ['2026-00-01', 'not a calendar date'],
    ['2026-04-00', 'not a calendar date'],
    ['0000-01-01', 'not a calendar date'],
    ['2026-4-1', 'not a date written YYYY-MM-DD'],
    ['2026-04-01T00:00:00Z', 'not a date written YYYY-MM-DD'],
    [' 2026-04-01', 'not a date written YYYY-MM-DD'],
    ['', 'not a date written YYYY-MM-DD'],
    ['April 1, 2026', 'not a date written YYYY-MM-DD'],
  ])('refuses %j: %s', (raw, why) => {
    const parsed = parseQuarterStart(raw);
    expect(parsed.date).toBeNull();
    expect(parsed.problem).toContain(why);
    expect(parsed.problem).toContain('YYYY-01-01, -04-01, -07-01 or -10-01');
  });

  it('names at most 20 characters of what it was given', () => {
    const parsed = parseQuarterStart('x'.repeat(500));
    expect(parsed.problem).toContain(`"${'x'.repeat(20)}"`);
    expect(parsed.problem).not.toContain('x'.repeat(21));
  });

  it('knows leap days without mistaking them for quarter starts', () => {
    expect(parseQuarterStart('2028-02-29').problem).toContain("not a quarter's first day");
    expect(parseQuarterStart('2026-02-29').problem).toContain('not a calendar date');
    expect(parseQuarterStart('2100-02-29').problem).toContain('not a calendar date');
    expect(parseQuarterStart('2000-02-29').problem).toContain("not a quarter's first day");
    expect(isQuarterStart('2000-02-29')).toBe(false);
    expect(isQuarterStart('2000-04-01')).toBe(true);
  });
});

describe('parseCalendarDate', () => {
  it.each(['2026-02-28', '2024-02-29', '2025-12-31', '0001-01-01'])('accepts the calendar date %s', (raw) => {
    expect(parseCalendarDate(raw)).toEqual({ date: raw, problem: null });
  });

  it.each([
    ['2025-02-29', 'not a calendar date'],
    ['2026-13-01', 'not a calendar date'],
    ['2026-04-31', 'not a calendar date'],
    ['0000-01-01', 'not a calendar date'],
    ['2026-4-1', 'not a date written YYYY-MM-DD'],
    ['2026-04-01T00:00:00Z', 'not a date written YYYY-MM-DD'],
    ['', 'not a date written YYYY-MM-DD'],
  ])('refuses %s: %s', (raw, problem) => {
    const parsed = parseCalendarDate(raw);
    expect(parsed.date).toBeNull();
    expect(parsed.problem).toContain(problem);
  });
});

describe('quarterStartOf', () => {
  it.each([
    ['2026-01-01', '2026-01-01'],
    ['2026-03-31', '2026-01-01'],
    ['2026-04-01', '2026-04-01'],
    ['2026-06-30', '2026-04-01'],
    ['2026-08-15', '2026-07-01'],
    ['2026-10-01', '2026-10-01'],
    ['2026-12-31', '2026-10-01'],
    ['2028-02-29', '2028-01-01'],
  ])('puts %s in the quarter starting %s', (date, start) => {
    expect(quarterStartOf(date)).toBe(start);
  });

  it('throws a RangeError for a date that does not exist', () => {
    expect(() => quarterStartOf('2026-02-30')).toThrow(RangeError);
  });
});

describe('currentQuarterStart', () => {
  it("uses New York's date: 03:30 UTC on Apr 1 is still Mar 31 in New York (EDT, UTC-4)", () => {
    expect(currentQuarterStart(new Date('2026-04-01T03:30:00Z'))).toBe('2026-01-01');
    expect(currentQuarterStart(new Date('2026-04-01T04:00:00Z'))).toBe('2026-04-01');
  });

  it('uses EST (UTC-5) in winter: 04:59 UTC on Jan 1 is still Dec 31 in New York', () => {
    expect(currentQuarterStart(new Date('2027-01-01T04:59:00Z'))).toBe('2026-10-01');
    expect(currentQuarterStart(new Date('2027-01-01T05:00:00Z'))).toBe('2027-01-01');
  });
});

describe('quarter arithmetic', () => {
  it('counts the quarters between two quarter starts, negative when the second is earlier', () => {
    expect(quartersBetween('2026-01-01', '2026-01-01')).toBe(0);
    expect(quartersBetween('2026-01-01', '2026-04-01')).toBe(1);
    // Oct 2025 → Jan, Apr, Jul, Oct 2026, Jan 2027: 5 steps.
    expect(quartersBetween('2025-10-01', '2027-01-01')).toBe(5);
    expect(quartersBetween('2024-01-01', '2026-01-01')).toBe(8);
    expect(quartersBetween('2026-07-01', '2026-01-01')).toBe(-2);
  });

  it('refuses dates that are not quarter starts', () => {
    expect(() => quartersBetween('2026-01-02', '2026-04-01')).toThrow(RangeError);
    expect(() => quartersBetween('2026-01-01', '2026-4-1')).toThrow(RangeError);
  });

  it('steps back a quarter across a year end', () => {
    expect(previousQuarterStart('2026-04-01')).toBe('2026-01-01');
    expect(previousQuarterStart('2026-01-01')).toBe('2025-10-01');
  });

  it('finds the same quarter a year earlier', () => {
    expect(sameQuarterYearEarlier('2026-04-01')).toBe('2025-04-01');
    expect(sameQuarterYearEarlier('2026-01-01')).toBe('2025-01-01');
  });

  it('adds quarters both ways and keeps four-digit years', () => {
    expect(addQuarters('2026-10-01', 1)).toBe('2027-01-01');
    expect(addQuarters('2026-10-01', 9)).toBe('2029-01-01');
    expect(addQuarters('0002-01-01', -4)).toBe('0001-01-01');
    expect(() => addQuarters('0001-01-01', -1)).toThrow(RangeError);
    expect(() => addQuarters('9999-10-01', 1)).toThrow(RangeError);
    expect(() => addQuarters('2026-01-01', 0.5)).toThrow(RangeError);
  });
});

describe('snapshotDate', () => {
  const midMay = new Date('2026-05-15T15:00:00Z');

  it("is the current quarter's first day when no date is given", () => {
    expect(snapshotDate(undefined, midMay)).toEqual({ date: '2026-04-01', problem: null });
    expect(snapshotDate(null, midMay)).toEqual({ date: '2026-04-01', problem: null });
  });

  it('is the given quarter start, past or future', () => {
    expect(snapshotDate('2025-07-01', midMay)).toEqual({ date: '2025-07-01', problem: null });
    expect(snapshotDate('2027-01-01', midMay)).toEqual({ date: '2027-01-01', problem: null });
  });

  it('refuses a given date that is not a quarter start', () => {
    expect(snapshotDate('2026-05-15', midMay).problem).toContain("not a quarter's first day");
  });
});
