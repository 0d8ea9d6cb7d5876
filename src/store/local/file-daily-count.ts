import type { Logger } from '../../logger.js';
import type { DailyCount } from '../paced-call-budget.js';
import { readJsonFile, writeJsonFileWhole } from './json-file.js';

interface SavedCount {
  /** 'YYYY-MM-DD', US/Eastern */
  day: string;
  used: number;
}

/**
 * The day's count of one budget in a small JSON file of its own, {day, used}, so that a
 * restart without Redis does not hand out the day's budget again. Written on every counted
 * call, to a temporary file then renamed over the old one, so the file is always whole; a
 * count of another day reads as zero, so the budget renews at Eastern midnight. The count in
 * memory is the truth for this process: the file is read once, and a write that fails is
 * logged and the call still goes (the count is kept in memory until the next write).
 */
export class FileDailyCount implements DailyCount {
  private saved: SavedCount | undefined;

  constructor(
    private readonly file: string,
    private readonly perDay: number,
    private readonly logger: Logger,
  ) {}

  used(day: string): Promise<number> {
    return Promise.resolve(this.usedOn(day));
  }

  take(day: string): Promise<boolean> {
    const used = this.usedOn(day);
    if (used >= this.perDay) return Promise.resolve(false);
    this.saved = { day, used: used + 1 };
    this.write(this.saved);
    return Promise.resolve(true);
  }

  private usedOn(day: string): number {
    this.saved ??= this.read();
    return this.saved.day === day ? this.saved.used : 0;
  }

  private read(): SavedCount {
    let parsed: unknown;
    try {
      parsed = readJsonFile(this.file);
    } catch (error) {
      if (!(error instanceof SyntaxError)) this.warn('read', error);
      parsed = null;
    }
    if (parsed === undefined) return { day: '', used: 0 };
    const saved = parsed as Partial<SavedCount> | null;
    if (typeof saved?.day === 'string' && Number.isInteger(saved.used) && (saved.used as number) >= 0) {
      return { day: saved.day, used: saved.used as number };
    }
    this.logger.warn({ file: this.file }, 'daily budget file unreadable; counting the day from zero');
    return { day: '', used: 0 };
  }

  private write(count: SavedCount): void {
    try {
      writeJsonFileWhole(this.file, count);
    } catch (error) {
      this.warn('write', error);
    }
  }

  private warn(operation: string, error: unknown): void {
    this.logger.warn({ file: this.file, operation, err: error instanceof Error ? error.message : String(error) }, 'daily budget file');
  }
}
