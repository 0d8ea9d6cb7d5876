/**
 * The embedded store's Keyv adapter (src/store/local/pglite-keyv-store.ts) on a real PGlite:
 * expiry by an injected clock, getMany's order, delete, clear by namespace, and a reopen.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded-database.js';
import { createLogger } from '../../src/logger.js';
import { PgliteKeyvStore } from '../../src/store/local/pglite-keyv-store.js';
import { seededCacheDir } from '../support/embedded-store-template.js';

const logger = createLogger('silent');
const cacheDir = seededCacheDir('wheel-keyv-adapter-');
let database: EmbeddedDatabase;
let clock = 1_000_000;
let store: PgliteKeyvStore;

beforeAll(async () => {
  database = await openEmbeddedDatabase(cacheDir, logger);
  store = new PgliteKeyvStore({ database: Promise.resolve(database), logger, now: () => clock });
  store.namespace = 'wheel';
  await store.ready;
});

afterAll(async () => {
  await store?.disconnect();
  await database?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

async function rowCount(): Promise<number> {
  const { rows } = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM keyv_entries');
  return rows[0]!.n;
}

describe('the PGlite Keyv adapter', () => {
  it('gives back what was set, as the text Keyv serialized, and overwrites in place', async () => {
    await store.set('wheel:a', '{"value":1}');
    await store.set('wheel:a', '{"value":2}');
    expect(await store.get('wheel:a')).toBe('{"value":2}');
    expect(await store.has('wheel:a')).toBe(true);
    expect(await store.get('wheel:never')).toBeUndefined();
    expect(await store.has('wheel:never')).toBe(false);
  });

  it('never returns an entry past its TTL, and the sweep deletes the row', async () => {
    await store.set('wheel:short', '"s"', 1_000);
    await store.set('wheel:forever', '"f"');
    clock += 999;
    expect(await store.get('wheel:short')).toBe('"s"');
    clock += 1;
    expect(await store.get('wheel:short')).toBeUndefined();
    expect(await store.has('wheel:short')).toBe(false);
    expect(await store.getMany(['wheel:short', 'wheel:forever'])).toEqual([undefined, '"f"']);

    const before = await rowCount();
    await store.sweep();
    expect(await rowCount()).toBe(before - 1);
    expect(await store.get('wheel:forever')).toBe('"f"');
  });

  it('answers getMany in the order asked, undefined for each miss, a repeated key twice', async () => {
    await store.setMany([
      { key: 'wheel:m1', value: '"one"' },
      { key: 'wheel:m2', value: '"two"', ttl: 60_000 },
      { key: 'wheel:m3', value: '"three"' },
    ]);
    expect(await store.getMany(['wheel:m3', 'wheel:nope', 'wheel:m1', 'wheel:m3', 'wheel:m2'])).toEqual([
      '"three"',
      undefined,
      '"one"',
      '"three"',
      '"two"',
    ]);
    expect(await store.getMany([])).toEqual([]);
  });

  it('deletes one or many, saying whether a live entry went', async () => {
    await store.set('wheel:d1', '1');
    await store.set('wheel:d2', '2');
    await store.set('wheel:d3', '3', 10);
    clock += 10;
    expect(await store.delete('wheel:d1')).toBe(true);
    expect(await store.delete('wheel:d1')).toBe(false);
    expect(await store.delete('wheel:d3')).toBe(false); // expired: nothing live went
    expect(await store.deleteMany(['wheel:d2', 'wheel:none'])).toBe(true);
    expect(await store.getMany(['wheel:d1', 'wheel:d2', 'wheel:d3'])).toEqual([undefined, undefined, undefined]);
  });

  it('clears its own namespace only', async () => {
    await store.set('wheel:c', '"mine"');
    await store.set('wheel-sample:c', '"other namespace"');
    await store.clear();
    expect(await store.get('wheel:c')).toBeUndefined();
    expect(await store.get('wheel-sample:c')).toBe('"other namespace"');
  });

  it('keeps entries and their expiry across a close and a reopen', async () => {
    await store.set('wheel:kept', '"k"');
    await store.set('wheel:kept-ttl', '"t"', 5_000);
    await store.disconnect();
    await database.close();

    database = await openEmbeddedDatabase(cacheDir, logger);
    store = new PgliteKeyvStore({ database: Promise.resolve(database), logger, now: () => clock });
    store.namespace = 'wheel';
    expect(await store.getMany(['wheel:kept', 'wheel:kept-ttl'])).toEqual(['"k"', '"t"']);
    clock += 5_000;
    expect(await store.getMany(['wheel:kept', 'wheel:kept-ttl'])).toEqual(['"k"', undefined]);
  });
});
