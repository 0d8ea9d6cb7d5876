/**
 * The embedded store on a disk that fills up: Postgres PANICs on its WAL, the store stops
 * (writes fail, /ready's isUsable says no) without blocking the process, and nothing written
 * before is lost: once there is room again, the store opens with all of it. The full disk is
 * a small tmpfs of the test's own, so this needs root (mount); elsewhere it is skipped.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedDataDirectory } from '../../src/db/embedded-database.js';
import { createLogger } from '../../src/logger.js';
import { createStore, type Store } from '../../src/store/create-store.js';
import { seededCacheDir } from '../support/embedded-store-template.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'wheel-full-disk-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=56m', 'tmpfs', mountPoint]).status === 0;
if (!mounted) console.warn('skipping the full-disk test: mounting a tmpfs needs root');
const logger = createLogger('silent');

afterAll(() => {
  // Lazily: the engine that stopped still holds its files open in this process.
  if (mounted) spawnSync('umount', ['-l', mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

function open(cacheDir: string): Store {
  return createStore({ redisUrl: undefined, cacheDir, namespace: 'wheel', timeoutMs: 10_000 }, logger);
}

describe.runIf(mounted)('the embedded store on a full disk', () => {
  it('stops writing at ENOSPC, stays responsive, and keeps every write it answered', { timeout: 120_000 }, async () => {
    const template = seededCacheDir('wheel-full-disk-template-');
    cpSync(embeddedDataDirectory(template), embeddedDataDirectory(mountPoint), { recursive: true });
    rmSync(template, { recursive: true, force: true });

    const store = open(mountPoint);
    await store.ready;
    const pad = Array.from({ length: 2_000 }, () => Math.random().toString(36).slice(2, 12)).join('');
    const stored: string[] = [];
    let refused = 0;
    for (let i = 0; i < 10_000 && refused < 3; i += 1) {
      if (await store.cache.set(`full:${i}`, { i, pad })) stored.push(`full:${i}`);
      else refused += 1;
    }
    expect(refused, 'the disk never filled').toBe(3);
    expect(stored.length).toBeGreaterThan(50);
    expect(store.isUsable()).toBe(false);
    // A read answers at once as a miss, not after the timeout and not by spinning.
    const started = Date.now();
    expect(await store.cache.get(stored[0]!)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_000);
    await store.close();

    // Still full: start-up says so rather than start empty.
    await expect(open(mountPoint).ready).rejects.toThrow(/No space left on device.*The disk is full: free some space and start again/);

    expect(spawnSync('mount', ['-o', 'remount,size=256m', mountPoint]).status).toBe(0);
    const reopened = open(mountPoint);
    await reopened.ready;
    try {
      const found = await reopened.cache.getMany<{ i: number }>(stored);
      expect(found.filter((entry) => entry === undefined).length).toBe(0);
      expect(reopened.isUsable()).toBe(true);
      expect(await reopened.cache.set('full:after', { ok: true })).toBe(true);
    } finally {
      await reopened.close();
    }
  });
});
