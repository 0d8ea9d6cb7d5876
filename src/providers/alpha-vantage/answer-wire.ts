import { CsvError, parse } from 'csv-parse/sync';
import { UpstreamUnavailableError } from '../provider-errors.js';
import { describeCall, functionSpec } from './alpha-vantage.functions.js';
import type { AlphaVantageRequest } from './alpha-vantage.request.js';
import { PROVIDER } from './answer-classifier.js';

/** Does this function answer its data as CSV (its errors still come as JSON)? */
export const answersCsv = (request: AlphaVantageRequest): boolean => functionSpec(request.fn).csvColumns !== undefined;

/**
 * A CSV function's answer text as the classifier takes it: a JSON error answer (`Note`,
 * `Information`, `Error Message`) as its object, data as `{ data: rows }` with only the
 * function's kept columns, so that what is cached stays small. The header names the columns.
 */
export function decodeCsvAnswer(request: AlphaVantageRequest, text: string): unknown {
  const what = describeCall(request);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      throw new UpstreamUnavailableError(`${PROVIDER} answered ${what} with malformed JSON`);
    }
  }
  const kept = functionSpec(request.fn).csvColumns ?? [];
  let records: Array<Record<string, string>>;
  try {
    records = parse(trimmed, { columns: true, skip_empty_lines: true, trim: true, bom: true }) as Array<Record<string, string>>;
  } catch (error) {
    const reason = error instanceof CsvError ? error.code : 'unreadable';
    throw new UpstreamUnavailableError(`${PROVIDER} answered ${what} with CSV that does not parse (${reason})`);
  }
  const header = trimmed.slice(0, trimmed.search(/\r?\n|$/)).split(',').map((name) => name.trim().replace(/^"|"$/g, ''));
  const missing = kept.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new UpstreamUnavailableError(`${PROVIDER} answered ${what} in an unexpected shape: no ${missing.join(', ')} column`);
  }
  return { data: records.map((record) => Object.fromEntries(kept.map((column) => [column, record[column] ?? '']))) };
}
