/**
 * NYSE trading calendar, in New York time. Pure functions: no I/O, no clock
 * (the current instant is always passed in as a `Date`) and no module state.
 *
 * Libraries, and why:
 * - `@date-fns/tz` (`TZDate`) does the America/New_York conversions, DST
 *   included. It comes from the date-fns team, is actively released and has no
 *   dependencies. The date-only arithmetic on 'YYYY-MM-DD' strings needs no
 *   time zone, so it is done with `Date.UTC` and date-fns itself is not needed.
 * - `nyse-holidays` gives the full-day closures. It was the only
 *   exchange-specific package on npm that checked out: its rules match the
 *   NYSE's published list (Juneteenth from 2022; Good Friday from the Easter
 *   computus; Sunday holidays move to Monday; Saturday holidays move to Friday
 *   unless that Friday ends an accounting period, so New Year's Day on a
 *   Saturday is not observed on Dec 31). `date-holidays` models public
 *   holidays, not exchange closures, so the NYSE rules would have to be
 *   written into it by hand. `market-calendar` is a single undocumented
 *   release, and `@photon/market-calendar` does not exist on npm.
 *   `nyse-holidays` is not very active (last release 1.2.0; its rules have not
 *   needed to change since Juneteenth), so the unit tests compare it with the
 *   NYSE's published dates for 2026 and 2027. The package returns holidays with a `dateString` in
 *   'YYYY-MM-DD' form, which is all this module reads: its `Date` objects and
 *   `isHoliday(Date)` depend on the host time zone and are not used.
 *
 * No package covers early closes, so they come from this small rule table.
 * Source: NYSE "Holidays and Trading Hours" (nyse.com/markets/hours-calendars).
 * On these days the market closes at 1:00 p.m.:
 * - July 3, when it is a Monday to Thursday. A Friday July 3 is itself the
 *   observed Independence Day, and a weekend July 3 has no session.
 * - The Friday after Thanksgiving (the fourth Thursday of November).
 * - December 24, when it is a Monday to Thursday. A Friday December 24 is the
 *   observed Christmas Day.
 * Closures that are announced ad hoc (national days of mourning, for example)
 * are listed in UNSCHEDULED_CLOSURES.
 */
import { TZDate } from '@date-fns/tz';
import { getHolidays } from 'nyse-holidays';

export const NEW_YORK_TIME_ZONE = 'America/New_York';

/** Regular session, New York wall-clock time. */
export const REGULAR_OPEN = { hour: 9, minute: 30 } as const;
export const REGULAR_CLOSE = { hour: 16, minute: 0 } as const;
export const EARLY_CLOSE = { hour: 13, minute: 0 } as const;

/**
 * Full-day closures announced ad hoc by the NYSE (not rule-based, so not in
 * `nyse-holidays`): national days of mourning for Presidents G. H. W. Bush
 * (2018-12-05) and Carter (2025-01-09).
 */
const UNSCHEDULED_CLOSURES: ReadonlySet<string> = new Set(['2018-12-05', '2025-01-09']);

const MS_PER_DAY = 86_400_000;
const NY_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day of week, as `Date#getUTCDay`: 0 = Sunday ... 6 = Saturday. */
const SATURDAY = 6;
const SUNDAY = 0;
const FRIDAY = 5;

export interface MarketSession {
  /** Opening bell, 9:30 New York time. */
  readonly open: Date;
  /** Closing bell, 16:00 New York time, or 13:00 on an early-close day. */
  readonly close: Date;
  readonly earlyClose: boolean;
}

interface CalendarDate {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  readonly day: number;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function assertValidInstant(now: Date, name = 'now'): void {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new RangeError(`${name} must be a valid Date`);
  }
}

/** Parses and validates a 'YYYY-MM-DD' calendar date. */
function parseNyDate(nyDate: string): CalendarDate {
  const match = NY_DATE_PATTERN.exec(nyDate);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (
      probe.getUTCFullYear() === year &&
      probe.getUTCMonth() === month - 1 &&
      probe.getUTCDate() === day
    ) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Expected a calendar date as YYYY-MM-DD, got "${nyDate}"`);
}

function formatCalendarDate({ year, month, day }: CalendarDate): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Days since 1970-01-01 for a calendar date (time-zone free). */
function epochDay(date: CalendarDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY;
}

function fromEpochDay(days: number): CalendarDate {
  const d = new Date(days * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function dayOfWeek(date: CalendarDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** Adds calendar days to a 'YYYY-MM-DD' date. */
export function addDays(nyDate: string, days: number): string {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer, got ${days}`);
  return formatCalendarDate(fromEpochDay(epochDay(parseNyDate(nyDate)) + days));
}

/** The calendar date in New York at the given instant, as 'YYYY-MM-DD'. */
export function newYorkDate(now: Date): string {
  assertValidInstant(now);
  const ny = new TZDate(now.getTime(), NEW_YORK_TIME_ZONE);
  return formatCalendarDate({ year: ny.getFullYear(), month: ny.getMonth() + 1, day: ny.getDate() });
}

/** New York wall-clock time at the given instant, as 'YYYY-MM-DD HH:MM:SS' (24-hour). */
export function formatNewYorkDateTime(now: Date): string {
  assertValidInstant(now);
  const ny = new TZDate(now.getTime(), NEW_YORK_TIME_ZONE);
  const date = formatCalendarDate({ year: ny.getFullYear(), month: ny.getMonth() + 1, day: ny.getDate() });
  return `${date} ${pad(ny.getHours())}:${pad(ny.getMinutes())}:${pad(ny.getSeconds())}`;
}

/** Calendar days from one 'YYYY-MM-DD' date to another (negative when `to` is earlier). */
export function daysBetween(fromNyDate: string, toNyDate: string): number {
  return epochDay(parseNyDate(toNyDate)) - epochDay(parseNyDate(fromNyDate));
}

/** True on Saturdays and Sundays. */
export function isWeekend(nyDate: string): boolean {
  const dow = dayOfWeek(parseNyDate(nyDate));
  return dow === SATURDAY || dow === SUNDAY;
}

/**
 * True when the NYSE is closed all day for a holiday (as observed) or an
 * announced special closure. Weekends are not holidays: see `isTradingDay`.
 */
export function isExchangeHoliday(nyDate: string): boolean {
  const date = parseNyDate(nyDate);
  const key = formatCalendarDate(date);
  if (UNSCHEDULED_CLOSURES.has(key)) return true;
  // An observed holiday can, in principle, belong to the next year's list
  // (a Saturday New Year's Day observed on Dec 31 before 1959).
  return [date.year, date.year + 1].some((year) =>
    getHolidays(year).some((holiday) => holiday.dateString === key),
  );
}

/** True when the NYSE has a session on this date (a weekday that is not a holiday). */
export function isTradingDay(nyDate: string): boolean {
  return !isWeekend(nyDate) && !isExchangeHoliday(nyDate);
}

/** True when the session on this date ends at 13:00 (see the rule table at the top). */
export function isEarlyClose(nyDate: string): boolean {
  const date = parseNyDate(nyDate);
  if (!isTradingDay(nyDate)) return false;
  if (date.month === 7 && date.day === 3) return true;
  if (date.month === 12 && date.day === 24) return true;
  if (date.month === 11 && dayOfWeek(date) === FRIDAY) {
    // The day after Thanksgiving: the Friday after the fourth Thursday.
    const thursday = fromEpochDay(epochDay(date) - 1);
    return thursday.day >= 22 && thursday.day <= 28;
  }
  return false;
}

/**
 * The regular session for a New York calendar date, or null when the market
 * does not open that day (weekend or holiday). Times are real instants: 9:30
 * and 16:00 (13:00 on early-close days) New York wall-clock time, EST or EDT
 * as in force that day.
 */
export function marketSession(nyDate: string): MarketSession | null {
  if (!isTradingDay(nyDate)) return null;
  const { year, month, day } = parseNyDate(nyDate);
  const earlyClose = isEarlyClose(nyDate);
  const closeAt = earlyClose ? EARLY_CLOSE : REGULAR_CLOSE;
  const open = new TZDate(year, month - 1, day, REGULAR_OPEN.hour, REGULAR_OPEN.minute, NEW_YORK_TIME_ZONE);
  const close = new TZDate(year, month - 1, day, closeAt.hour, closeAt.minute, NEW_YORK_TIME_ZONE);
  return { open: new Date(open.getTime()), close: new Date(close.getTime()), earlyClose };
}

/** True during the regular session: open ≤ now < close, on a trading day. */
export function isMarketOpen(now: Date): boolean {
  const session = marketSession(newYorkDate(now));
  if (!session) return false;
  const t = now.getTime();
  return t >= session.open.getTime() && t < session.close.getTime();
}

/**
 * The weekly option expiry for the week whose Friday is `friday`: that Friday,
 * or, when the exchange is closed that day, the closest trading day before it
 * (the Thursday, in practice).
 */
export function weeklyExpirationForFriday(friday: string): string {
  if (dayOfWeek(parseNyDate(friday)) !== FRIDAY) {
    throw new RangeError(`Expected a Friday, got ${friday}`);
  }
  let expiry = friday;
  while (!isTradingDay(expiry)) expiry = addDays(expiry, -1);
  return expiry;
}

/**
 * The next `count` weekly expirations strictly after today's New York date,
 * as 'YYYY-MM-DD'. An expiry falling today is skipped (it has no time value
 * left to sell), as is this week's expiry once it has passed.
 */
export function nextWeeklyExpirations(now: Date, count: number): string[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  const today = newYorkDate(now);
  const todayDow = dayOfWeek(parseNyDate(today));
  // The Friday on or after today.
  let friday = addDays(today, (FRIDAY - todayDow + 7) % 7);
  const expirations: string[] = [];
  while (expirations.length < count) {
    const expiry = weeklyExpirationForFriday(friday);
    if (daysBetween(today, expiry) > 0) expirations.push(expiry);
    friday = addDays(friday, 7);
  }
  return expirations;
}

/**
 * The opening bell of the first session that opens after `now`: today's when it is
 * still ahead, else the next trading day's. Holidays and weekends are skipped.
 */
export function nextSessionOpen(now: Date): Date {
  assertValidInstant(now);
  let day = newYorkDate(now);
  // No stretch of closures is longer than a few days; two weeks is a safe bound.
  for (let step = 0; step < 14; step += 1, day = addDays(day, 1)) {
    const session = marketSession(day);
    if (session && session.open.getTime() > now.getTime()) return session.open;
  }
  throw new RangeError(`no session opens within two weeks of ${now.toISOString()}`);
}
