import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../../src/db/database-unavailable.error.js';
import { toClientError } from '../../src/graphql/error-boundary.js';
import { StoreUnavailableError } from '../../src/store/store-unavailable.error.js';

describe('STORE_UNAVAILABLE at the boundary', () => {
  it('names the database when the durable store did not answer, Redis when the cache did', () => {
    const database = toClientError(new DatabaseUnavailableError('the database did not answer (saving a curated stock)'));
    const cache = toClientError(new StoreUnavailableError('the store did not answer'));
    expect(database?.extensions['code']).toBe('STORE_UNAVAILABLE');
    expect(cache?.extensions['code']).toBe('STORE_UNAVAILABLE');
    expect(database?.message).toMatch(/^the database is not answering: .*nothing was lost/);
    expect(cache?.message).toMatch(/^the store \(Redis\) is not answering/);
  });
});
