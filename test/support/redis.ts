import { createClient, type RedisClientType } from '@redis/client';

/** The tests' Redis: TEST_REDIS_URL (not REDIS_URL, which is the service's own setting). */
export const REDIS_BASE_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Each test file owns one of Redis's 16 logical databases, so files running side by side
 * never see each other's keys or rate budgets.
 */
export function redisUrlFor(database: number): string {
  const url = new URL(REDIS_BASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function connectRedis(url: string): Promise<RedisClientType> {
  const client: RedisClientType = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Calls of each Redis command so far, from INFO commandstats (server-wide). */
export async function commandCalls(client: RedisClientType): Promise<Record<string, number>> {
  const info = await client.info('commandstats');
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[match[1]!] = Number(match[2]);
  return calls;
}

/** A connection to a test file's own logical database, emptied first. */
export async function freshDatabase(database: number): Promise<RedisClientType> {
  const client = await connectRedis(redisUrlFor(database));
  await client.flushDb();
  return client;
}

/** Empties the database again and closes the connection (afterAll). */
export async function dropDatabase(client: RedisClientType | undefined): Promise<void> {
  if (!client) return;
  await client.flushDb();
  client.destroy();
}
