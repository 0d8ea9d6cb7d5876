import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type UpstreamOutcome = 'ok' | 'SYMBOL_NOT_FOUND' | 'UPSTREAM_RATE_LIMITED' | 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_PLAN_REQUIRED';

/**
 * The service's Prometheus metrics, one registry per process (served at /metrics). Parts
 * of the service take it as a dependency and record what they see; nothing here does I/O.
 */
export class Metrics {
  readonly registry = new Registry();

  private readonly cacheLookups = new Counter({
    name: 'wheel_cache_lookups_total',
    help: 'Cache lookups of upstream answers, by function and result (hit or miss)',
    labelNames: ['function', 'result'] as const,
    registers: [this.registry],
  });

  private readonly upstreamCalls = new Counter({
    name: 'wheel_upstream_calls_total',
    help: 'Upstream HTTP attempts (retries included), by provider',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  private readonly upstreamAnswers = new Counter({
    name: 'wheel_upstream_answers_total',
    help: 'Upstream requests by provider, function and outcome (ok or the error code)',
    labelNames: ['provider', 'function', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly budgetWaits = new Histogram({
    name: 'wheel_rate_budget_wait_seconds',
    help: 'Time an upstream call waited for the local rate budget',
    labelNames: ['provider'] as const,
    buckets: [0.001, 0.01, 0.1, 0.5, 1, 5, 15, 30, 60],
    registers: [this.registry],
  });

  private readonly batchSizes = new Histogram({
    name: 'wheel_dataloader_batch_size',
    help: 'Keys per DataLoader batch',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 26, 50, 78, 100, 250, 500],
    registers: [this.registry],
  });

  private readonly scanDurations = new Histogram({
    name: 'wheel_scan_duration_seconds',
    help: 'Wall time of scans, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 900, 2700],
    registers: [this.registry],
  });

  private readonly graphqlDurations = new Histogram({
    name: 'wheel_graphql_request_duration_seconds',
    help: 'GraphQL request latency, by the root field asked (other: several, or no valid operation) and whether errors were returned',
    labelNames: ['operation', 'errors'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'wheel_' });
  }

  cacheLookup(fn: string, hit: boolean): void {
    this.cacheLookups.inc({ function: fn, result: hit ? 'hit' : 'miss' });
  }

  upstreamAttempt(provider: string): void {
    this.upstreamCalls.inc({ provider });
  }

  upstreamAnswer(provider: string, fn: string, outcome: UpstreamOutcome): void {
    this.upstreamAnswers.inc({ provider, function: fn, outcome });
  }

  budgetWait(provider: string, seconds: number): void {
    this.budgetWaits.observe({ provider }, seconds);
  }

  batch(loader: string, size: number): void {
    this.batchSizes.observe({ loader }, size);
  }

  scanFinished(outcome: 'completed' | 'partial' | 'failed', seconds: number): void {
    this.scanDurations.observe({ outcome }, seconds);
  }

  /** `operation`: a root field name or `other` (bounded by the schema), never a client's operationName */
  graphqlRequest(operation: string, seconds: number, hadErrors: boolean): void {
    this.graphqlDurations.observe({ operation, errors: hadErrors ? 'yes' : 'no' }, seconds);
  }
}
