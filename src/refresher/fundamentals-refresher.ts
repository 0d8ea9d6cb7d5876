import { setTimeout as delay } from 'node:timers/promises';
import { refreshPlan, type CachedEntryState, type RefreshAllowance, type StockRefresh } from '../domain/fundamentals-refresh.js';
import type { Logger } from '../logger.js';
import type { AlphaVantageRequest, AlphaVantageSource } from '../providers/alpha-vantage/alpha-vantage.request.js';
import { alphaVantageCacheKey } from '../providers/alpha-vantage/cache-policy.js';
import { FUNDAMENTAL_FUNCTIONS } from '../providers/alpha-vantage/fundamentals.loader.js';
import { notFoundKey } from '../providers/cached-source.js';
import { SymbolNotFoundError, UpstreamRateLimitedError } from '../providers/provider-errors.js';
import type { CuratedStocks } from '../services/curated-stocks.js';
import type { Cache } from '../store/cache.js';
import type { CallBudget } from '../store/call-budget.port.js';
import type { ScanLock } from '../store/scan-lock.port.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';

/** A cached fundamental within two of its seven days of expiry is fetched again, while it still answers. */
export const REFRESH_AHEAD_MS = 2 * 24 * 60 * 60 * 1000;
/** the pause after a tick that made calls: the next one waits on the budget's pace anyway */
const BUSY_PAUSE_MS = 1000;
/** the pause after a tick with nothing to do, or that could not do it (not the leader, budget spent) */
const IDLE_PAUSE_MS = 60_000;
/** how long stop() waits for a running tick's call */
const STOP_WAIT_MS = 2000;

export interface FundamentalsRefresherOptions {
  /** the Alpha Vantage source behind the shared cache: its calls pay the key's budget */
  source: AlphaVantageSource;
  cache: Cache;
  curatedStocks: CuratedStocks;
  /** one refreshing process at a time (REFRESHER_LEASE) */
  lease: ScanLock;
  /** the refresher's own share of the key's budget (refreshAllowance), counted in the shared store */
  budget: CallBudget;
  allowance: RefreshAllowance;
  /** the budget's New York day */
  clock: () => Date;
  logger: Logger;
}

/** What one tick did. */
export interface RefreshTick {
  /** this process held the lease and refreshed */
  leader: boolean;
  /** the upstream calls made (or joined in flight), in order */
  calls: AlphaVantageRequest[];
  /** why the tick stopped before its plan was done (the share spent, an upstream failure) */
  stoppedBy?: string;
}

/**
 * Keeps the active curated stocks' fundamentals warm in the background, so that
 * curatedStocks answers from the cache: each tick reads the list and its entries' expiries,
 * and fetches the due entries (refreshPlan: never-valued first, then the stalest) while the
 * refresher's own budget grants calls, at most a "minute" of them. Each call is paid twice:
 * from the refresher's share (a day and a minute of its own, in the shared store, so every
 * process counts the same), then, inside the client, from the key's budget like any call;
 * so the total stays within the key's limits and the refresher within its share. Only the
 * holder of the lease refreshes.
 */
export class FundamentalsRefresher {
  private owner: string | undefined;
  private renewedAt = 0;
  private running: Promise<RefreshTick> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastProblem = '';

  constructor(private readonly options: FundamentalsRefresherOptions) {}

  /** Ticks until stop(): the first at once, each next one a pause after the last ended. */
  start(): void {
    const next = (pauseMs: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.tick().then((tick) => next(tick.calls.length > 0 ? BUSY_PAUSE_MS : IDLE_PAUSE_MS)), pauseMs);
      this.timer.unref();
    };
    next(0);
  }

  /** One round of refreshing (tests drive it directly); a tick already running is joined. */
  tick(): Promise<RefreshTick> {
    this.running ??= this.refresh()
      .catch((error: unknown): RefreshTick => {
        const reason = error instanceof Error ? error.message : String(error);
        if (reason !== this.lastProblem) this.options.logger.warn({ err: reason }, 'background refresh failed; the next tick tries again');
        this.lastProblem = reason;
        return { leader: false, calls: [], stoppedBy: reason };
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /**
   * Stops ticking and gives back the lease. A running tick makes no further call; the one it
   * has on its way (which may queue for the key's minute) is not waited for beyond STOP_WAIT_MS,
   * so that a shutdown stays within its grace period.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.running) await Promise.race([this.running, delay(STOP_WAIT_MS, undefined, { ref: false })]);
    const owner = this.owner;
    this.owner = undefined;
    if (owner !== undefined) await this.options.lease.release(owner).catch(() => undefined);
  }

  private async refresh(): Promise<RefreshTick> {
    const calls: AlphaVantageRequest[] = [];
    if (this.stopped || !(await this.holdLease())) return { leader: false, calls };
    const stocks = (await this.options.curatedStocks.list()).filter((stock) => stock.active);
    const plan = await this.plan(stocks.map((stock) => stock.symbol));
    const requests = plan.flatMap((stock) => stock.fns.map((fn) => ({ fn, symbol: stock.symbol }) as AlphaVantageRequest));
    for (const request of requests.slice(0, this.options.allowance.perMinute)) {
      if (this.stopped || !(await this.holdLease())) return { leader: false, calls };
      try {
        await this.options.budget.acquire(this.options.clock());
      } catch (error) {
        if (!(error instanceof UpstreamRateLimitedError)) throw error;
        return this.done(calls, error.message);
      }
      calls.push(request);
      const answer = await this.options.source.refresh(request);
      // An unknown symbol is remembered like any answer; anything else waits for the next tick.
      if (answer instanceof Error && !(answer instanceof SymbolNotFoundError)) return this.done(calls, answer.message);
    }
    return this.done(calls);
  }

  private done(calls: AlphaVantageRequest[], stoppedBy?: string): RefreshTick {
    if (calls.length > 0) this.options.logger.info({ calls: calls.length, symbols: [...new Set(calls.map((call) => call.symbol))] }, 'background refresh of curated fundamentals');
    if (stoppedBy === undefined) {
      this.lastProblem = '';
      return { leader: true, calls };
    }
    this.report(stoppedBy);
    return { leader: true, calls, stoppedBy };
  }

  /** Each kind of problem logged once while it lasts (a spent share would otherwise log every minute). */
  private report(reason: string): void {
    if (reason !== this.lastProblem) this.options.logger.info({ reason }, 'background refresh waits');
    this.lastProblem = reason;
  }

  /** Takes the lease, or renews it a third of the way through; false while another process holds it. */
  private async holdLease(): Promise<boolean> {
    const { lease, clock } = this.options;
    try {
      if (this.owner === undefined) {
        this.owner = await lease.acquire(clock());
        this.renewedAt = Date.now();
      } else if (Date.now() - this.renewedAt >= lease.leaseMs / 3) {
        if (!(await lease.renew(this.owner))) this.owner = undefined;
        else this.renewedAt = Date.now();
      }
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      this.report(error.message);
      return false;
    }
    if (this.stopped && this.owner !== undefined) {
      // stop() ran while this was taking the lease: give it back too
      await lease.release(this.owner).catch(() => undefined);
      this.owner = undefined;
    }
    return this.owner !== undefined;
  }

  /**
   * The due entries, from the expiries of the data entries and of the remembered unknown
   * symbols, in one store read. Expiries are Keyv's, written on Date.now(): judged on it too.
   */
  private async plan(symbols: readonly string[]): Promise<StockRefresh[]> {
    const requests = symbols.flatMap((symbol) => FUNDAMENTAL_FUNCTIONS.map((fn) => ({ fn, symbol })));
    const keys = requests.map(alphaVantageCacheKey);
    const expiries = await this.options.cache.expiries([...keys, ...keys.map(notFoundKey)]);
    const stocks = symbols.map((symbol, stock) => ({
      symbol,
      entries: FUNDAMENTAL_FUNCTIONS.map((fn, offset): CachedEntryState => {
        const index = stock * FUNDAMENTAL_FUNCTIONS.length + offset;
        const notFound = expiries[keys.length + index];
        // A remembered "no such symbol" is the later word: asking again before it goes would get it again.
        return notFound !== undefined ? { fn, expiresAt: notFound, notFound: true } : { fn, expiresAt: expiries[index] };
      }),
    }));
    return refreshPlan(stocks, Date.now(), REFRESH_AHEAD_MS);
  }
}
