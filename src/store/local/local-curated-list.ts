import pLimit from 'p-limit';
import type { Cache } from '../cache.js';
import { CURATED_STOCKS_KEY } from '../cache-keys.js';
import type { CuratedList, CuratedListChange, SavedStock } from '../curated-list.port.js';
import { StoreUnavailableError } from '../store-unavailable.error.js';

/**
 * The curated list on the embedded store, which serves one process: updates go one at a
 * time, each a read then a write. One instance per store (two would queue separately).
 */
export class LocalCuratedList implements CuratedList {
  private readonly oneAtATime = pLimit(1);

  constructor(private readonly cache: Cache) {}

  update(change: CuratedListChange): Promise<readonly SavedStock[]> {
    return this.oneAtATime(async () => {
      // A read that fails throws: a miss here would replace the stored list.
      const [stored] = await this.cache.getManyOrFail<SavedStock[]>([CURATED_STOCKS_KEY]);
      const next = change(stored);
      if (next === stored) return next;
      if (!(await this.cache.set(CURATED_STOCKS_KEY, next))) throw new StoreUnavailableError('the store did not take the curated list');
      return next;
    });
  }
}
