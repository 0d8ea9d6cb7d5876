import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { EmbeddedDatabaseError } from './embedded-database.error.js';

/** What a lock file holds: enough to tell a live holder from a dead one, and to name it. */
interface LockHolder {
  pid: number;
  hostname: string;
  /** the kernel's boot id (Linux): a holder from before a reboot is gone */
  bootId?: string;
  /** when the holder process started, epoch ms: a live process with the same pid but a later start is another one */
  startedAtMs: number;
}

/** A lock file this young with no readable holder may be one being written: not taken over yet. */
const UNREADABLE_GRACE_MS = 5_000;
/** /proc start times are in clock ticks of 10 ms; the process start we record is computed from uptime. */
const START_TIME_TOLERANCE_MS = 2_000;

/**
 * One process per data directory. PGlite (Postgres in single-user mode) takes no lock of its
 * own, and two processes on one directory corrupt it (electric-sql/pglite#1106, #892): the
 * lock file, created with O_EXCL, holds the holder's pid, host, boot and start time. A dead
 * holder's file is taken over; a live holder is never robbed, whatever the file's age.
 */
export class DataDirectoryLock {
  private constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  /** @param what the directory the lock guards, named in the refusal */
  static acquire(file: string, what: string): DataDirectoryLock {
    const mine = serialize(currentHolder());
    // A takeover that lost a race to another starter looks again; three rounds settle it.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (createExclusive(file, mine)) return new DataDirectoryLock(file, mine);
      const seen = readText(file);
      if (seen === undefined) continue; // vanished between the two calls: try to create it again
      const holder = parse(seen);
      if (holder === undefined) {
        if (ageMs(file) < UNREADABLE_GRACE_MS) {
          throw new EmbeddedDatabaseError(`${what} is being opened by another process (lock file ${file}); try again in a few seconds`);
        }
      } else if (isAlive(holder)) {
        throw new EmbeddedDatabaseError(
          `${what} is in use by process ${holder.pid} on ${holder.hostname} (since ${new Date(holder.startedAtMs).toISOString()}; lock file ${file}). ` +
            'One process per CACHE_DIR: stop that process, give this one another CACHE_DIR, or set REDIS_URL for a store processes can share.',
        );
      }
      takeOver(file, seen);
    }
    throw new EmbeddedDatabaseError(`${what}: could not take the lock file ${file} (other processes are starting on it at the same time)`);
  }

  /** Removes the file if it is still ours (a takeover by mistake elsewhere must not be undone by us). */
  release(): void {
    if (readText(this.file) === this.text) unlinkQuietly(this.file);
  }
}

function currentHolder(): LockHolder {
  return {
    pid: process.pid,
    hostname: hostname(),
    bootId: bootId(),
    startedAtMs: Math.round(Date.now() - process.uptime() * 1000),
  };
}

function isAlive(holder: LockHolder): boolean {
  // Our own pid in the file is a previous life of ours: a container restarts its service as pid 1.
  if (holder.pid === process.pid) return false;
  // Another host's process cannot be asked; only the operator can say it is gone.
  if (holder.hostname !== hostname()) return true;
  const boot = bootId();
  if (holder.bootId !== undefined && boot !== undefined && holder.bootId !== boot) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: alive, owned by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const started = processStartMs(holder.pid);
  return started === undefined || Math.abs(started - holder.startedAtMs) <= START_TIME_TOLERANCE_MS;
}

/**
 * Moves the stale file aside, then checks that what moved is the file judged stale: if
 * another starter replaced it meanwhile, its fresh lock is put back and we look again.
 */
function takeOver(file: string, stale: string): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readText(aside) === stale) unlinkQuietly(aside);
  else renameSync(aside, file);
}

function createExclusive(file: string, text: string): boolean {
  let descriptor: number;
  try {
    descriptor = openSync(file, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new EmbeddedDatabaseError(`cannot create the lock file ${file}: ${(error as Error).message}`);
  }
  try {
    writeSync(descriptor, text);
  } finally {
    closeSync(descriptor);
  }
  return true;
}

function serialize(holder: LockHolder): string {
  return `${JSON.stringify(holder)}\n`;
}

function parse(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isInteger(value.pid) && typeof value.hostname === 'string' && typeof value.startedAtMs === 'number') {
      return value as LockHolder;
    }
  } catch {
    // unreadable: treated as no holder
  }
  return undefined;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

function bootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A process's start time from /proc (Linux); undefined elsewhere. */
function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime, in clock ticks since boot) counts from after the ")" that closes the command name.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const uptimeSeconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    if (!Number.isFinite(ticks) || !Number.isFinite(uptimeSeconds)) return undefined;
    // USER_HZ is 100 on every Linux build Node runs on.
    return Date.now() - uptimeSeconds * 1000 + ticks * 10;
  } catch {
    return undefined;
  }
}
