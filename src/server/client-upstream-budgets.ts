import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { UpstreamRateLimitedError } from '../providers/provider-errors.js';
import type { UpstreamAllowance } from '../providers/upstream-allowance.js';

/** Who made a request: a bearer-token caller (by its Authorization header) or an anonymous one (by its IP). */
export type Caller = { authorization: string } | { ip: string };

export interface ClientUpstreamBudgetOptions {
  anonymousPerMinute: number;
  authenticatedPerMinute: number;
  /** milliseconds since the epoch; tests move it */
  now?: () => number;
  /** the "minute", shorter only in tests */
  windowMs?: number;
  /** clients remembered at once; past it the oldest windows are forgotten (every map has a limit) */
  maxClients?: number;
}

interface Window {
  startedAt: number;
  spent: number;
}

/**
 * Upstream calls per client per minute: anonymous callers by network (an IPv4 address, an
 * IPv6 /64), bearer-token callers by token (hashed: the token itself is never kept), each
 * in a fixed window that starts with its first call. Counted in this process's memory: with
 * several processes a client may spend each one's budget.
 */
export class ClientUpstreamBudgets {
  private readonly windows = new Map<string, Window>();
  private readonly now: () => number;
  private readonly windowMs: number;
  private readonly maxClients: number;

  constructor(private readonly options: ClientUpstreamBudgetOptions) {
    this.now = options.now ?? Date.now;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxClients = options.maxClients ?? 100_000;
  }

  allowanceFor(caller: Caller): UpstreamAllowance {
    const authenticated = 'authorization' in caller;
    const key = authenticated ? `token:${createHash('sha256').update(caller.authorization).digest('hex')}` : `ip:${clientNetwork(caller.ip)}`;
    const limit = authenticated ? this.options.authenticatedPerMinute : this.options.anonymousPerMinute;
    return { spend: () => this.spend(key, limit, authenticated) };
  }

  private spend(key: string, limit: number, authenticated: boolean): void {
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || now - window.startedAt >= this.windowMs) {
      this.windows.delete(key);
      window = { startedAt: now, spent: 0 };
      this.remember(key, window, now);
    }
    if (window.spent >= limit) {
      const seconds = Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
      const budget = authenticated
        ? `this token's upstream budget of ${limit} calls a minute (AUTHENTICATED_UPSTREAM_CALLS_PER_MINUTE)`
        : `this client's anonymous upstream budget of ${limit} calls a minute (ANONYMOUS_UPSTREAM_CALLS_PER_MINUTE)`;
      throw new UpstreamRateLimitedError(`${budget} is spent; it renews in ${seconds} s. Cached answers are still served.`);
    }
    window.spent += 1;
  }

  /** Map order is start order: past the limit, ended windows go first, then the oldest. */
  private remember(key: string, window: Window, now: number): void {
    if (this.windows.size >= this.maxClients) {
      for (const [oldKey, old] of this.windows) {
        if (now - old.startedAt < this.windowMs && this.windows.size < this.maxClients) break;
        this.windows.delete(oldKey);
      }
    }
    this.windows.set(key, window);
  }
}

/**
 * The network a client's address stands for: an IPv4 address as it is (an IPv4-mapped IPv6
 * one included), an IPv6 address by its /64, the block one subscriber gets.
 */
export function clientNetwork(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIP(ip) !== 6) return ip;
  const [head = '', tail = ''] = ip.split('%')[0]!.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
