import type { PartialAssumptions } from './assumptions.js';

/** A stock of the curated list as its owner saved it. */
export interface SavedStock {
  symbol: string;
  active: boolean;
  /** only what was saved; the rest falls back to the defaults */
  assumptions: PartialAssumptions;
}
