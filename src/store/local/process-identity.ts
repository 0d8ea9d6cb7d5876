import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logger.js';

const ID_PATTERN = /^[0-9a-f-]{36}$/;

/**
 * This process's name among the processes sharing one Redis budget: a random id kept in
 * CACHE_DIR/budget-process-id, so a restart on the same CACHE_DIR is the same process (its
 * count of the day goes on) and processes on different ones are told apart. Created with
 * O_EXCL, so two starts at once agree on one id. Where CACHE_DIR cannot be written, an id
 * for this run only (logged): its restarts then count as new processes.
 */
export function budgetProcessId(directory: string, logger: Logger): string {
  const file = join(directory, 'budget-process-id');
  try {
    mkdirSync(directory, { recursive: true });
    try {
      writeFileSync(file, randomUUID(), { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const id = readFileSync(file, 'utf8').trim();
    if (ID_PATTERN.test(id)) return id;
    // cut by a crash between create and write: start again, whole this time
    const fresh = randomUUID();
    writeFileSync(`${file}.${process.pid}.tmp`, fresh);
    renameSync(`${file}.${process.pid}.tmp`, file);
    return fresh;
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'budget process id not kept in CACHE_DIR; this run counts as a new process');
    return randomUUID();
  }
}
