import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { initializeDataDirectory } from '../../src/db/initialize-data-directory.js';

/** Set while a run's temp folder exists: each vitest project runs this setup, in one process. */
const RUN_DIRECTORY = 'WHEEL_TEST_RUN_DIRECTORY';

/**
 * Once per test run: what test files may take from inject() (see embedded-store-template.ts),
 * and one temp folder for the whole run. Every CACHE_DIR holds a 40 MB copy of the embedded
 * store; left in the machine's temp folder they came to 3.6 GB a run, and a CI machine with
 * little disk ran out during the second Node version. The workers and the servers they spawn
 * inherit TMPDIR, so whatever a test leaves behind goes with the run.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  // The first project's setup makes the run's folder (and points TMPDIR at it); the others use it.
  const existingRun = process.env[RUN_DIRECTORY];
  const machineTemp = existingRun === undefined ? tmpdir() : dirname(existingRun);
  project.provide('embeddedStoreTemplate', await prepareEmbeddedStoreTemplate(machineTemp));
  if (existingRun !== undefined) return () => {};
  const runDirectory = mkdtempSync(join(machineTemp, 'wheel-test-run-'));
  process.env[RUN_DIRECTORY] = runDirectory;
  process.env['TMPDIR'] = runDirectory;
  return () => {
    rmSync(runDirectory, { recursive: true, force: true });
    delete process.env[RUN_DIRECTORY];
  };
}

/** One initialized PGlite data directory per PGlite version, kept in the machine's temp folder for later runs. */
async function prepareEmbeddedStoreTemplate(machineTemp: string): Promise<string> {
  const template = join(machineTemp, `wheel-pglite-template-${pgliteVersion()}`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  try {
    await initializeDataDirectory(template);
  } catch (error) {
    // Another run (a second worktree, say) renamed its copy in first: use that one.
    rmSync(`${template}.init-${process.pid}`, { recursive: true, force: true });
    if (!existsSync(join(template, 'PG_VERSION'))) throw error;
  }
  return template;
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest = join(dirname(dirname(require.resolve('@electric-sql/pglite'))), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
