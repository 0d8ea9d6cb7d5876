import { join } from 'node:path';
import type { Logger } from '../../logger.js';
import type { CallBudget, CallBudgetOptions } from '../call-budget.port.js';
import { PacedCallBudget, paceWindows } from '../paced-call-budget.js';
import { FileDailyCount } from './file-daily-count.js';

/** `wheel:budget:alphavantage` → `{directory}/wheel-budget-alphavantage-day.json` (or `-{kind}.json`) */
export function dailyCountFile(directory: string, keyPrefix: string, kind = 'day'): string {
  return join(directory, `${keyPrefix.replaceAll(/[^A-Za-z0-9_-]+/g, '-')}-${kind}.json`);
}

/**
 * The call budget of a process without Redis: the minute counted in memory (the windows of
 * paceWindows), the day's count in its own file under CACHE_DIR so that it survives restarts.
 */
export function createLocalCallBudget(options: CallBudgetOptions, directory: string, logger: Logger): CallBudget {
  const day = options.perDay > 0 ? new FileDailyCount(dailyCountFile(directory, options.keyPrefix), options.perDay, logger) : undefined;
  return new PacedCallBudget(options, paceWindows(options).local, day);
}
