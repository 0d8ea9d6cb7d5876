/**
 * The data-directory lock (src/db/data-directory-lock.ts): who counts as a live holder. The
 * holders are real processes (a child that runs, one that has exited) on real lock files.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDirectoryLock } from '../../src/db/data-directory-lock.js';

const directory = mkdtempSync(join(tmpdir(), 'wheel-lock-'));
let sleeper: ChildProcess;
let sleeperStartedAtMs: number;
let deadPid: number;

function lockFile(name: string, holder?: Record<string, unknown>): string {
  const file = join(directory, name);
  if (holder !== undefined) writeFileSync(file, JSON.stringify(holder));
  return file;
}

beforeAll(async () => {
  sleeperStartedAtMs = Date.now();
  sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  const exited = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => exited.once('exit', resolve));
  deadPid = exited.pid!;
});

afterAll(() => {
  sleeper?.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

describe('the data-directory lock', () => {
  it('is taken when free, holds our pid and host, and is removed on release', () => {
    const file = lockFile('free.lock');
    const lock = DataDirectoryLock.acquire(file, 'the store in /x');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname() });
    lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('is refused while a live process holds it, naming the pid and the directory', () => {
    const file = lockFile('live.lock', { pid: sleeper.pid, hostname: hostname(), startedAtMs: sleeperStartedAtMs });
    expect(() => DataDirectoryLock.acquire(file, 'the embedded store in /data/pglite')).toThrow(
      new RegExp(`the embedded store in /data/pglite is in use by process ${sleeper.pid} on ${hostname()}`),
    );
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(sleeper.pid);
  });

  it('is refused when held from another host, which cannot be asked', () => {
    const file = lockFile('remote.lock', { pid: deadPid, hostname: 'some-other-host', startedAtMs: 0 });
    expect(() => DataDirectoryLock.acquire(file, 'the store')).toThrow(/in use by process \d+ on some-other-host/);
  });

  it('takes over the file of a holder that has exited', () => {
    const file = lockFile('dead.lock', { pid: deadPid, hostname: hostname(), startedAtMs: Date.now() - 1000 });
    DataDirectoryLock.acquire(file, 'the store').release();
  });

  it('takes over a file holding our own pid: a restarted container runs as the same pid 1', () => {
    const file = lockFile('own.lock', { pid: process.pid, hostname: 'the-container-before', startedAtMs: 0 });
    const lock = DataDirectoryLock.acquire(file, 'the store');
    expect(JSON.parse(readFileSync(file, 'utf8')).hostname).toBe(hostname());
    lock.release();
  });

  it.runIf(existsSync('/proc/self/stat'))('takes over when the live pid belongs to a process started later (pid reused)', () => {
    const file = lockFile('reused.lock', { pid: sleeper.pid, hostname: hostname(), startedAtMs: sleeperStartedAtMs - 3_600_000 });
    DataDirectoryLock.acquire(file, 'the store').release();
  });

  it.runIf(existsSync('/proc/sys/kernel/random/boot_id'))('takes over a holder from before a reboot', () => {
    const file = lockFile('boot.lock', { pid: sleeper.pid, hostname: hostname(), bootId: 'an-earlier-boot', startedAtMs: sleeperStartedAtMs });
    DataDirectoryLock.acquire(file, 'the store').release();
  });

  it('waits on an unreadable file while it may be being written, takes it over once old', () => {
    const file = lockFile('torn.lock');
    writeFileSync(file, '');
    expect(() => DataDirectoryLock.acquire(file, 'the store')).toThrow(/being opened by another process/);
    utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    DataDirectoryLock.acquire(file, 'the store').release();
  });

  it('on release leaves a file that is no longer its own', () => {
    const file = lockFile('replaced.lock');
    const lock = DataDirectoryLock.acquire(file, 'the store');
    writeFileSync(file, JSON.stringify({ pid: sleeper.pid, hostname: hostname(), startedAtMs: sleeperStartedAtMs }));
    lock.release();
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(sleeper.pid);
  });
});
