// A writer for the embedded store's kill loop (test/e2e/embedded-store.e2e.test.ts): the real
// store module (built dist/), four loops of ~20 kB entries, "ack <i>" on stdout once each
// write has been answered. Usage: node embedded-store-writer.mjs <CACHE_DIR> <run>
import { createLogger } from '../../dist/logger.js';
import { createStore } from '../../dist/store/create-store.js';

const [cacheDir, run] = process.argv.slice(2);
const store = createStore({ redisUrl: undefined, cacheDir, namespace: 'wheel', timeoutMs: 10_000 }, createLogger('silent'));
await store.ready;
process.stdout.write('ready\n');
// Random text, so that Postgres's compression does not shrink the writes to nothing.
const pad = Array.from({ length: 2_000 }, () => Math.random().toString(36).slice(2, 12)).join('');
let next = 0;
async function writeForever() {
  for (;;) {
    const i = next++;
    if (await store.cache.set(`kill:${run}:${i}`, { run: Number(run), i, at: Date.now(), pad })) process.stdout.write(`ack ${i}\n`);
  }
}
await Promise.all([writeForever(), writeForever(), writeForever(), writeForever()]);
