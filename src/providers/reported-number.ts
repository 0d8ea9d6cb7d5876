import { Decimal } from 'decimal.js';
import type { ReportedFigure } from '../domain/fundamentals.js';

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Providers send numbers as strings and use "None" (sometimes "" or "-") for missing
 * values. Anything that isn't a plain finite decimal is null, so decimal.js never sees
 * "Infinity", "NaN" or hex literals.
 */
export function parseReportedNumber(raw: unknown): Decimal | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? new Decimal(raw) : null;
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  return NUMERIC.test(text) ? new Decimal(text) : null;
}

/**
 * A finite number from a provider's field ("None", "", null and garbage are missing). No
 * Decimal on the way: option chains have thousands of rows of a dozen figures each.
 */
export function numberOrNull(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  return NUMERIC.test(text) ? Number(text) : null;
}

export function reportedFigure(raw: unknown): ReportedFigure {
  return { value: parseReportedNumber(raw), reported: describeRaw(raw) };
}

function describeRaw(raw: unknown): string {
  if (raw === undefined) return 'missing';
  if (typeof raw === 'string') return raw.trim() === '' ? 'empty' : JSON.stringify(raw);
  return typeof raw === 'object' && raw !== null ? 'not a number' : String(raw);
}
