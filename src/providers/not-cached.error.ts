/** A read that may only be answered from the cache found nothing there (see CachedSource.cachedMany). */
export class NotCachedError extends Error {
  override name = 'NotCachedError';

  constructor(
    /** the cache key that was missing */
    readonly key: string,
  ) {
    super(`${key} is not cached`);
  }
}
