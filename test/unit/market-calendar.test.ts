import { describe, expect, it } from 'vitest';

import {
  addDays,
  daysBetween,
  formatNewYorkDateTime,
  isEarlyClose,
  isExchangeHoliday,
  isMarketOpen,
  isTradingDay,
  marketSession,
  newYorkDate,
  nextWeeklyExpirations,
  weeklyExpirationForFriday,
} from '../../src/domain/market-calendar.js';

const at = (iso: string): Date => new Date(iso);

describe('newYorkDate', () => {
  it('gives the New York calendar date, not the UTC one', () => {
    // 23:30 EDT on Thursday is already Friday in UTC.
    expect(newYorkDate(at('2026-05-08T03:30:00Z'))).toBe('2026-05-07');
    expect(newYorkDate(at('2026-05-08T04:00:00Z'))).toBe('2026-05-08');
  });

  it('follows EST in winter', () => {
    expect(newYorkDate(at('2026-01-15T04:59:59Z'))).toBe('2026-01-14');
    expect(newYorkDate(at('2026-01-15T05:00:00Z'))).toBe('2026-01-15');
  });

  it('rejects an invalid Date', () => {
    expect(() => newYorkDate(new Date('not a date'))).toThrow(RangeError);
  });
});

describe('formatNewYorkDateTime', () => {
  it('formats New York wall-clock time as YYYY-MM-DD HH:MM:SS in summer (EDT)', () => {
    expect(formatNewYorkDateTime(at('2026-07-15T14:05:09Z'))).toBe('2026-07-15 10:05:09');
  });

  it('formats New York wall-clock time in winter (EST), 24-hour, zero-padded', () => {
    expect(formatNewYorkDateTime(at('2026-01-05T20:07:03.999Z'))).toBe('2026-01-05 15:07:03');
    expect(formatNewYorkDateTime(at('2026-01-05T05:00:00Z'))).toBe('2026-01-05 00:00:00');
  });
});

describe('daysBetween and addDays', () => {
  it('counts calendar days between New York dates', () => {
    expect(daysBetween('2026-04-06', '2026-04-10')).toBe(4);
    expect(daysBetween('2026-04-10', '2026-04-10')).toBe(0);
    expect(daysBetween('2026-04-10', '2026-04-06')).toBe(-4);
  });

  it('is not thrown off by a DST change in between', () => {
    expect(daysBetween('2026-03-06', '2026-03-13')).toBe(7);
    expect(daysBetween('2026-10-30', '2026-11-06')).toBe(7);
  });

  it('crosses month, year and leap-day boundaries', () => {
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('rejects malformed or impossible dates', () => {
    expect(() => daysBetween('2026-4-6', '2026-04-10')).toThrow(RangeError);
    expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow(RangeError);
  });
});

describe('isExchangeHoliday', () => {
  // Published NYSE holidays (nyse.com/markets/hours-calendars).
  const nyse2026 = [
    '2026-01-01', // New Year's Day
    '2026-01-19', // Martin Luther King, Jr. Day
    '2026-02-16', // Washington's Birthday
    '2026-04-03', // Good Friday
    '2026-05-25', // Memorial Day
    '2026-06-19', // Juneteenth
    '2026-07-03', // Independence Day, observed (July 4 is a Saturday)
    '2026-09-07', // Labor Day
    '2026-11-26', // Thanksgiving
    '2026-12-25', // Christmas
  ];
  const nyse2027 = [
    '2027-01-01',
    '2027-01-18',
    '2027-02-15',
    '2027-03-26', // Good Friday
    '2027-05-31',
    '2027-06-18', // Juneteenth observed (June 19 is a Saturday)
    '2027-07-05', // Independence Day observed (July 4 is a Sunday)
    '2027-09-06',
    '2027-11-25',
    '2027-12-24', // Christmas observed (December 25 is a Saturday)
  ];

  it.each([...nyse2026, ...nyse2027])('%s is an NYSE holiday', (day) => {
    expect(isExchangeHoliday(day)).toBe(true);
  });

  it('does not observe a Saturday New Year on the Friday before (2027-12-31 trades)', () => {
    expect(isExchangeHoliday('2027-12-31')).toBe(false);
    expect(isExchangeHoliday('2022-12-30')).toBe(false);
  });

  it('moves a Sunday holiday to the Monday (Christmas 2022 → 2022-12-26)', () => {
    expect(isExchangeHoliday('2022-12-26')).toBe(true);
  });

  it('has Juneteenth only from 2022', () => {
    expect(isExchangeHoliday('2021-06-18')).toBe(false);
    expect(isExchangeHoliday('2022-06-20')).toBe(true);
  });

  it('does not close for federal holidays the NYSE trades through', () => {
    expect(isExchangeHoliday('2026-10-12')).toBe(false); // Columbus Day
    expect(isExchangeHoliday('2026-11-11')).toBe(false); // Veterans Day
  });

  it('includes announced special closures', () => {
    expect(isExchangeHoliday('2025-01-09')).toBe(true); // National Day of Mourning, President Carter
  });

  it('treats an ordinary weekday or a weekend day as not a holiday', () => {
    expect(isExchangeHoliday('2026-04-02')).toBe(false);
    expect(isExchangeHoliday('2026-04-04')).toBe(false);
    expect(isTradingDay('2026-04-04')).toBe(false);
  });
});

describe('isEarlyClose', () => {
  it('closes early on the day after Thanksgiving and on a weekday Christmas Eve', () => {
    expect(isEarlyClose('2026-11-27')).toBe(true);
    expect(isEarlyClose('2026-12-24')).toBe(true);
    expect(isEarlyClose('2024-12-24')).toBe(true);
  });

  it('closes early on a weekday July 3', () => {
    expect(isEarlyClose('2025-07-03')).toBe(true);
    expect(isEarlyClose('2024-07-03')).toBe(true);
  });

  it('has no early close when July 3 or December 24 is itself the observed holiday', () => {
    expect(isEarlyClose('2026-07-03')).toBe(false);
    expect(isEarlyClose('2026-07-02')).toBe(false);
    expect(isEarlyClose('2021-12-24')).toBe(false);
  });

  it('is false on ordinary days', () => {
    expect(isEarlyClose('2026-11-20')).toBe(false);
    expect(isEarlyClose('2026-12-23')).toBe(false);
  });
});

describe('marketSession', () => {
  it('runs 9:30 to 16:00 New York time, EST in winter', () => {
    expect(marketSession('2026-01-14')).toEqual({
      open: at('2026-01-14T14:30:00Z'),
      close: at('2026-01-14T21:00:00Z'),
      earlyClose: false,
    });
  });

  it('runs 9:30 to 16:00 New York time, EDT in summer', () => {
    expect(marketSession('2026-07-15')).toEqual({
      open: at('2026-07-15T13:30:00Z'),
      close: at('2026-07-15T20:00:00Z'),
      earlyClose: false,
    });
  });

  it('opens at 9:30 local on both sides of the March DST change (Sunday 2026-03-08)', () => {
    expect(marketSession('2026-03-08')).toBeNull();
    expect(marketSession('2026-03-06')?.open).toEqual(at('2026-03-06T14:30:00Z')); // EST
    expect(marketSession('2026-03-09')?.open).toEqual(at('2026-03-09T13:30:00Z')); // EDT
  });

  it('opens at 9:30 local on both sides of the November DST change (Sunday 2026-11-01)', () => {
    expect(marketSession('2026-11-01')).toBeNull();
    expect(marketSession('2026-10-30')?.open).toEqual(at('2026-10-30T13:30:00Z')); // EDT
    expect(marketSession('2026-11-02')?.open).toEqual(at('2026-11-02T14:30:00Z')); // EST
  });

  it('closes at 13:00 on an early-close day', () => {
    expect(marketSession('2026-11-27')).toEqual({
      open: at('2026-11-27T14:30:00Z'),
      close: at('2026-11-27T18:00:00Z'),
      earlyClose: true,
    });
  });

  it('is null on weekends and holidays', () => {
    expect(marketSession('2026-06-13')).toBeNull(); // Saturday
    expect(marketSession('2026-06-14')).toBeNull(); // Sunday
    expect(marketSession('2026-04-03')).toBeNull(); // Good Friday
  });
});

describe('isMarketOpen', () => {
  it('is open from 9:30 and closed from 16:00 New York time', () => {
    expect(isMarketOpen(at('2026-07-15T13:29:59Z'))).toBe(false);
    expect(isMarketOpen(at('2026-07-15T13:30:00Z'))).toBe(true);
    expect(isMarketOpen(at('2026-07-15T19:59:59Z'))).toBe(true);
    expect(isMarketOpen(at('2026-07-15T20:00:00Z'))).toBe(false);
  });

  it('is closed on weekends', () => {
    expect(isMarketOpen(at('2026-06-13T16:00:00Z'))).toBe(false); // Saturday noon
    expect(isMarketOpen(at('2026-06-14T16:00:00Z'))).toBe(false); // Sunday noon
  });

  it('is closed on holidays', () => {
    expect(isMarketOpen(at('2026-04-03T16:00:00Z'))).toBe(false); // Good Friday
    expect(isMarketOpen(at('2026-06-19T16:00:00Z'))).toBe(false); // Juneteenth
    expect(isMarketOpen(at('2026-12-25T17:00:00Z'))).toBe(false); // Christmas
  });

  it('reads the time in New York, daylight saving included: 13:45 UTC is open in EDT but not in EST', () => {
    expect(isMarketOpen(at('2026-03-09T13:45:00Z'))).toBe(true); // 09:45 EDT, Monday after the change
    expect(isMarketOpen(at('2026-03-06T13:45:00Z'))).toBe(false); // 08:45 EST, Friday before
    expect(isMarketOpen(at('2026-10-30T13:45:00Z'))).toBe(true); // 09:45 EDT, Friday before the change
    expect(isMarketOpen(at('2026-11-02T13:45:00Z'))).toBe(false); // 08:45 EST, Monday after
  });

  it('reads the close in New York too: 20:30 UTC is open in EST but not in EDT', () => {
    expect(isMarketOpen(at('2026-11-02T20:30:00Z'))).toBe(true); // 15:30 EST
    expect(isMarketOpen(at('2026-10-30T20:30:00Z'))).toBe(false); // 16:30 EDT
  });

  it('closes at 13:00 the day after Thanksgiving 2026 (2026-11-27)', () => {
    expect(isMarketOpen(at('2026-11-27T17:59:00Z'))).toBe(true); // 12:59 EST
    expect(isMarketOpen(at('2026-11-27T18:00:00Z'))).toBe(false); // 13:00 EST
    expect(isMarketOpen(at('2026-11-27T20:00:00Z'))).toBe(false); // 15:00 EST
  });

  it('keeps the full session the day before an early close', () => {
    expect(isMarketOpen(at('2026-11-25T20:00:00Z'))).toBe(true); // 15:00 EST, day before Thanksgiving
  });
});

describe('weeklyExpirationForFriday', () => {
  it('is the Friday itself on a normal week', () => {
    expect(weeklyExpirationForFriday('2026-04-10')).toBe('2026-04-10');
  });

  it('moves to the Thursday when the Friday is a holiday', () => {
    expect(weeklyExpirationForFriday('2026-04-03')).toBe('2026-04-02');
  });

  it('rejects a date that is not a Friday', () => {
    expect(() => weeklyExpirationForFriday('2026-04-09')).toThrow(RangeError);
  });
});

describe('nextWeeklyExpirations', () => {
  it('lists the next Fridays after today', () => {
    // Monday 2026-05-04, noon in New York.
    expect(nextWeeklyExpirations(at('2026-05-04T16:00:00Z'), 4)).toEqual([
      '2026-05-08',
      '2026-05-15',
      '2026-05-22',
      '2026-05-29',
    ]);
  });

  it('uses Thursday 2026-04-02 in Good Friday week', () => {
    expect(nextWeeklyExpirations(at('2026-03-30T16:00:00Z'), 2)).toEqual(['2026-04-02', '2026-04-10']);
  });

  it('uses Thursday 2026-06-18 when Juneteenth falls on a Friday', () => {
    expect(nextWeeklyExpirations(at('2026-06-15T16:00:00Z'), 2)).toEqual(['2026-06-18', '2026-06-26']);
  });

  it('uses Thursday 2026-12-24 when Christmas falls on a Friday, and Thursday 2026-12-31 for New Year', () => {
    expect(nextWeeklyExpirations(at('2026-12-21T16:00:00Z'), 3)).toEqual([
      '2026-12-24',
      '2026-12-31',
      '2027-01-08',
    ]);
  });

  it('skips an expiry falling today', () => {
    // Friday 2026-05-08, 10:00 EDT.
    expect(nextWeeklyExpirations(at('2026-05-08T14:00:00Z'), 2)).toEqual(['2026-05-15', '2026-05-22']);
  });

  it('skips a holiday-shifted Thursday expiry falling today', () => {
    // Thursday 2026-04-02 is Good Friday week's expiry.
    expect(nextWeeklyExpirations(at('2026-04-02T14:00:00Z'), 1)).toEqual(['2026-04-10']);
    // On Good Friday itself, that week's expiry is already past.
    expect(nextWeeklyExpirations(at('2026-04-03T14:00:00Z'), 1)).toEqual(['2026-04-10']);
  });

  it('uses the New York date: Thursday evening in New York still includes Friday', () => {
    // 23:30 EDT Thursday 2026-05-07 is already Friday in UTC.
    expect(nextWeeklyExpirations(at('2026-05-08T03:30:00Z'), 1)).toEqual(['2026-05-08']);
  });

  it('starts from the coming Friday on a weekend', () => {
    expect(nextWeeklyExpirations(at('2026-05-09T16:00:00Z'), 1)).toEqual(['2026-05-15']); // Saturday
    expect(nextWeeklyExpirations(at('2026-05-10T16:00:00Z'), 1)).toEqual(['2026-05-15']); // Sunday
  });

  it('returns an empty list for a count of 0 and rejects a bad count', () => {
    expect(nextWeeklyExpirations(at('2026-05-04T16:00:00Z'), 0)).toEqual([]);
    expect(() => nextWeeklyExpirations(at('2026-05-04T16:00:00Z'), -1)).toThrow(RangeError);
    expect(() => nextWeeklyExpirations(at('2026-05-04T16:00:00Z'), 1.5)).toThrow(RangeError);
  });
});
