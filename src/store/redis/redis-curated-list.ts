import type { RedisClientType } from '@redis/client';
import pLimit from 'p-limit';
import { answeredOrUnavailable } from '../bounded.js';
import { CURATED_STOCKS_KEY } from '../cache-keys.js';
import type { CuratedList, CuratedListChange, SavedStock } from '../curated-list.port.js';
import { StoreUnavailableError } from '../store-unavailable.error.js';

// Compare-and-set: writes ARGV[2] only if the entry still holds exactly ARGV[1] ('' for none).
// A script rather than WATCH/MULTI: WATCH belongs to the connection, which the store shares
// with the call budget, whose MULTI/EXEC would clear it.
const SET_IF_UNCHANGED = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

/** Conflicts are settled within a few rounds unless many processes write at once. */
const MAX_ATTEMPTS = 50;

export interface RedisCuratedListOptions {
  redis: RedisClientType;
  /** physical key prefix, as the store writes it */
  namespace: string;
  timeoutMs: number;
}

/**
 * The curated list on Redis, shared by every process: read, change, then compare-and-set,
 * again from the read when another process wrote in between. The entry is written as Keyv
 * writes it ({value}, no expiry) so that the cache reads it like any other. Updates of this
 * process go one at a time, so that they do not conflict with each other.
 */
export class RedisCuratedList implements CuratedList {
  private readonly oneAtATime = pLimit(1);

  constructor(private readonly options: RedisCuratedListOptions) {}

  update(change: CuratedListChange): Promise<readonly SavedStock[]> {
    return this.oneAtATime(async () => {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        const raw = await this.bounded(this.options.redis.get(this.physicalKey));
        const stored = storedList(raw);
        const next = change(stored);
        if (next === stored) return next;
        const entry = JSON.stringify({ value: next });
        const written = await this.bounded(
          this.options.redis.eval(SET_IF_UNCHANGED, { keys: [this.physicalKey], arguments: [raw ?? '', entry] }),
        );
        if (written === 1) return next;
        // Another process wrote first: back off a little at random so that two do not collide again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
      throw new StoreUnavailableError(`the curated list changed under ${MAX_ATTEMPTS} attempts to save it`);
    });
  }

  private get physicalKey(): string {
    return `${this.options.namespace}:${CURATED_STOCKS_KEY}`;
  }

  private bounded<T>(promise: Promise<T>): Promise<T> {
    return answeredOrUnavailable(promise, this.options.timeoutMs, 'the curated list');
  }
}

/** The list in Keyv's envelope; an entry Keyv would not read as a list counts as none, as it does for the cache. */
function storedList(raw: string | null): readonly SavedStock[] | undefined {
  if (raw === null) return undefined;
  try {
    const entry = JSON.parse(raw) as { value?: unknown; expires?: unknown };
    if (typeof entry.expires === 'number' && entry.expires < Date.now()) return undefined;
    return Array.isArray(entry.value) ? (entry.value as SavedStock[]) : undefined;
  } catch {
    return undefined;
  }
}
