/**
 * Calendar quarters, named by their first day ('YYYY-01-01', '-04-01', '-07-01',
 * '-10-01'): the dates valuation snapshots are recorded for. Pure: the current
 * instant is passed in, and "today" is New York's date (the market's).
 *
 * Decided here, where the contract is silent:
 * - Without a date, a snapshot run records for the current quarter's first day:
 *   the quarter containing today's New York date, whatever day it is run.
 * - A given date must be a quarter's first day; a past or future quarter is
 *   accepted, since the contract refuses only non-quarter-start dates.
 * - Year 0000 is refused: PostgreSQL's date type has no year zero.
 */
import { newYorkDate } from './market-calendar.js';

/** A quarter as a year and 1-4, for arithmetic; the API speaks its first day. */
interface Quarter {
  readonly year: number;
  /** 1 = Jan-Mar ... 4 = Oct-Dec */
  readonly quarter: number;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 1;
const MAX_YEAR = 9999;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

type CalendarDate = { year: number; month: number; day: number };

/** The date, or why `raw` is not a real 'YYYY-MM-DD' calendar date. */
function readCalendarDate(raw: string): CalendarDate | string {
  const shown = JSON.stringify(raw.slice(0, 20));
  const match = DATE_PATTERN.exec(raw);
  if (!match) return `${shown} is not a date written YYYY-MM-DD`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return `${shown} is not a calendar date`;
  }
  return { year, month, day };
}

const firstDay = ({ year, quarter }: Quarter): string =>
  `${String(year).padStart(4, '0')}-${String((quarter - 1) * 3 + 1).padStart(2, '0')}-01`;

const quarterOf = ({ year, month }: CalendarDate): Quarter => ({ year, quarter: Math.floor((month - 1) / 3) + 1 });

const ordinal = ({ year, quarter }: Quarter): number => year * 4 + (quarter - 1);

function fromOrdinal(value: number): Quarter {
  const year = Math.floor(value / 4);
  if (year < MIN_YEAR || year > MAX_YEAR) throw new RangeError(`quarter out of the years ${MIN_YEAR}-${MAX_YEAR}`);
  return { year, quarter: (value % 4) + 1 };
}

export type CalendarDateParse = { date: string; problem: null } | { date: null; problem: string };

/** Reads any real calendar date written 'YYYY-MM-DD' (a history's bounds); the problem is a sentence for BAD_USER_INPUT. */
export function parseCalendarDate(raw: string): CalendarDateParse {
  const date = readCalendarDate(raw);
  return typeof date === 'string' ? { date: null, problem: date } : { date: raw, problem: null };
}

export type QuarterStartParse = { date: string; problem: null } | { date: null; problem: string };

/**
 * Reads a quarter's first day as a caller writes it. The problem, when there is
 * one, is a sentence for a BAD_USER_INPUT error.
 */
export function parseQuarterStart(raw: string): QuarterStartParse {
  const date = readCalendarDate(raw);
  if (typeof date === 'string') return { date: null, problem: `${date}: use a quarter's first day, YYYY-01-01, -04-01, -07-01 or -10-01` };
  if (date.day !== 1 || (date.month - 1) % 3 !== 0) {
    return { date: null, problem: `${JSON.stringify(raw)} is not a quarter's first day: use YYYY-01-01, -04-01, -07-01 or -10-01` };
  }
  return { date: raw, problem: null };
}

export function isQuarterStart(raw: string): boolean {
  return parseQuarterStart(raw).problem === null;
}

/** The quarter of a quarter-start date; a RangeError for anything else (a caller's bug, not input). */
function quarterStarting(date: string): Quarter {
  const parsed = parseQuarterStart(date);
  if (parsed.problem !== null) throw new RangeError(parsed.problem);
  return quarterOf(readCalendarDate(date) as CalendarDate);
}

/** The first day of the quarter containing a 'YYYY-MM-DD' date. */
export function quarterStartOf(date: string): string {
  const parsed = readCalendarDate(date);
  if (typeof parsed === 'string') throw new RangeError(parsed);
  return firstDay(quarterOf(parsed));
}

/** The first day of the quarter containing today in New York. */
export function currentQuarterStart(now: Date): string {
  return quarterStartOf(newYorkDate(now));
}

/** Whole quarters from one quarter start to another (negative when `to` is earlier). */
export function quartersBetween(from: string, to: string): number {
  return ordinal(quarterStarting(to)) - ordinal(quarterStarting(from));
}

/** The quarter start `count` quarters after `date` (before, when negative). */
export function addQuarters(date: string, count: number): string {
  if (!Number.isInteger(count)) throw new RangeError(`count must be a whole number of quarters, got ${count}`);
  return firstDay(fromOrdinal(ordinal(quarterStarting(date)) + count));
}

export function previousQuarterStart(date: string): string {
  return addQuarters(date, -1);
}

/** The same quarter's first day a year earlier: 2026-04-01 → 2025-04-01. */
export function sameQuarterYearEarlier(date: string): string {
  return addQuarters(date, -4);
}

/**
 * The date a snapshot run records for: the given quarter start, or, when none is
 * given, the first day of the quarter containing today in New York.
 */
export function snapshotDate(raw: string | null | undefined, now: Date): QuarterStartParse {
  if (raw === null || raw === undefined) return { date: currentQuarterStart(now), problem: null };
  return parseQuarterStart(raw);
}
