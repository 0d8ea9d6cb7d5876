/**
 * The PostgreSQL server of the tests (TEST_DATABASE_URL, default the local Debian server that
 * .ci/run starts). Each test gets a database of its own, made from template0 and dropped after:
 *
 *   const database = await createTestDatabase();   // database.url: postgres://…/wheel_test_…
 *   await database.drop();
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { missingTool } from './tools.js';

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** For `describe.skipIf`: the server does not answer (skips with a warning; in CI the file fails). */
export function missingPostgres(): boolean {
  let answers = false;
  try {
    // Synchronous, as skipIf needs: one `select 1` in a child process, bounded.
    execFileSync(process.execPath, ['-e', PROBE, TEST_DATABASE_URL], { timeout: 10_000, stdio: 'ignore' });
    answers = true;
  } catch {
    answers = false;
  }
  return missingTool('a PostgreSQL server at TEST_DATABASE_URL', answers, "apt-get install postgresql, then start it; .ci/run does");
}

const PROBE = `const pg = require(${JSON.stringify(createRequire(import.meta.url).resolve('pg'))});
const client = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
client.connect().then(() => client.query('select 1')).then(() => process.exit(0), () => process.exit(1));`;

export async function createTestDatabase(prefix = 'wheel_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${name} template template0`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // Connections still open (a process killed in a test) are ended with the database.
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** `database` reached through a TCP proxy in front of the test server: `proxy.silence()` makes it a server that does not answer. */
export async function proxiedDatabase(database: TestDatabase): Promise<{ url: string; proxy: TcpProxy }> {
  const target = new URL(TEST_DATABASE_URL);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const url = new URL(database.url);
  url.host = `127.0.0.1:${proxy.port}`;
  return { url: url.toString(), proxy };
}
