import type { PartialAssumptions } from '../domain/assumptions.js';

export interface SavedStock {
  symbol: string;
  active: boolean;
  /** only what was saved; the rest falls back to the defaults */
  assumptions: PartialAssumptions;
}

/**
 * Turns the stored list (undefined: none stored yet) into the one to store; answering
 * `stored` itself leaves the entry as it is. It may run more than once per update (again on
 * the newer list when another writer came first), so it must not do anything else.
 */
export type CuratedListChange = (stored: readonly SavedStock[] | undefined) => readonly SavedStock[];

/**
 * `curated:stocks`, the curated list as one entry without expiry, as its writers see it:
 * every update is applied to the list as it is at that moment, whichever process wrote
 * last, so no write is lost. Reads go through the cache like any entry (the entry is Keyv's
 * own format). Every call is bounded in time; a store that does not answer throws
 * StoreUnavailableError (a change is refused rather than lost).
 */
export interface CuratedList {
  /** @returns the list as stored by this update */
  update(change: CuratedListChange): Promise<readonly SavedStock[]>;
}
