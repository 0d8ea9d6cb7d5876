/**
 * Which earnings and ex-dividend dates matter to a contract: the next one from today, and
 * whether it falls before the contract expires. Pure: today's New York date is passed in.
 * Dates are 'YYYY-MM-DD', which compare as strings.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The earliest date on or after today (dates in any order; malformed ones ignored); null when none. */
export function nextDateOnOrAfter(dates: readonly string[], todayNy: string): string | null {
  let next: string | null = null;
  for (const date of dates) {
    if (!ISO_DATE.test(date) || date < todayNy) continue;
    if (next === null || date < next) next = date;
  }
  return next;
}

/** The date falls between today and the expiration, both ends included; false without a date. */
export function fallsWithin(date: string | null, todayNy: string, expiration: string): boolean {
  return date !== null && ISO_DATE.test(date) && todayNy <= date && date <= expiration;
}
