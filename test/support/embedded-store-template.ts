/**
 * A fast start for tests on the embedded store: a fresh PGlite data directory costs ~3 s of
 * initdb, a copy of an initialized one opens in ~0.5 s. The vitest global setup
 * (test/support/global-setup.ts) initializes one template per PGlite version, once per
 * machine, with the service's own initializer; tests copy it into their CACHE_DIR.
 *
 *   const cacheDir = seededCacheDir('wheel-my-test-');   // a temp CACHE_DIR holding a copy
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { embeddedDataDirectory } from '../../src/db/embedded-database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** an initialized PGlite data directory to copy, never opened itself */
    embeddedStoreTemplate: string;
  }
}

/** Copies the template into `cacheDir`'s data directory: the store then opens without initdb. */
export function seedEmbeddedStore(cacheDir: string): string {
  cpSync(inject('embeddedStoreTemplate'), embeddedDataDirectory(cacheDir), { recursive: true });
  return cacheDir;
}

/** A new temp CACHE_DIR with the template in place. */
export function seededCacheDir(prefix: string): string {
  return seedEmbeddedStore(mkdtempSync(join(tmpdir(), prefix)));
}
