import { TZDate } from '@date-fns/tz';

const NEW_YORK = 'America/New_York';

/**
 * Milliseconds from `now` to the next midnight in New York: how long a once-a-day answer
 * (the earnings calendar, the Treasury yield) stays cached. DST days are 23 or 25 hours.
 */
export function untilNextNewYorkDay(now: Date): number {
  const ny = new TZDate(now.getTime(), NEW_YORK);
  const midnight = new TZDate(ny.getFullYear(), ny.getMonth(), ny.getDate() + 1, 0, 0, 0, 0, NEW_YORK);
  return Math.max(1, midnight.getTime() - now.getTime());
}
