/**
 * Who pays for the upstream calls one GraphQL request makes. `spend` is called once for
 * each answer that really goes upstream (a cache hit, a remembered unknown symbol or a
 * call joined in flight costs nothing) and throws UpstreamRateLimitedError, naming the
 * budget and when it renews, when the caller's is spent. Synchronous, so that the charge
 * and the start of the call are one step: no second caller slips in between.
 */
export interface UpstreamAllowance {
  spend(): void;
}

/** Background work (scans) runs under its own token-authenticated start and budget: not charged per client. */
export const UNMETERED: UpstreamAllowance = { spend: () => undefined };
