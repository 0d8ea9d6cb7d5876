import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** CI=true (or any value but 0/false): a missing tool fails there, so a skip never counts as a pass. */
export const IN_CI = /^(?!0$|false$).+/i.test(process.env['CI'] ?? '');

/** Whether `command` is an executable on PATH. */
export function onPath(command: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * For `describe.skipIf` / `it.skipIf`: true (skip) when a system tool the tests need is
 * missing on this machine, with a warning naming it. Tests install nothing themselves
 * (.ci/run installs the tools). In CI a missing tool throws instead: the file fails.
 */
export function missingTool(tool: string, present: boolean, install: string): boolean {
  if (present) return false;
  const message = `${tool} is missing (${install})`;
  if (IN_CI) throw new Error(`${message}; CI is set, so the tests that need it fail rather than skip`);
  console.warn(`skipping the tests that need ${message}`);
  return true;
}

/** Debian's redis-server on PATH: tests start Redis servers of their own on spare ports. */
export const missingRedisServer = (): boolean =>
  missingTool('redis-server', onPath('redis-server'), 'install Debian\'s redis-server: apt-get install redis-server; .ci/run does');
