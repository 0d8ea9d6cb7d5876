import type { Request, Response, Router } from 'express';
import express from 'express';
import { normalizeSymbol } from '../domain/symbol.js';
import { VALUATION_HISTORY_CSV_CONTENT_TYPE, valuationHistoryCsv } from '../domain/valuation-history-csv.js';
import type { ValuationSnapshot } from '../domain/valuation-snapshot.js';
import { bearerTokenIsValid } from '../graphql/bearer-token.js';
import type { Logger } from '../logger.js';
import type { ValuationHistory } from '../services/valuation-history.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';

export const VALUATION_HISTORY_CSV_PATH = '/exports/valuation-history.csv';

export interface ValuationHistoryExportDeps {
  valuationHistory: ValuationHistory;
  /** the bearer tokens mutations accept: the export needs one too */
  apiTokens: readonly string[];
  logger: Logger;
}

/**
 * GET /exports/valuation-history.csv[?symbol=…]: every snapshot (of one stock), ordered by
 * symbol then date, as RFC 4180 CSV, streamed a page of rows at a time. The first page is
 * read before anything is sent, so a database that does not answer is a 503 with a body that
 * says so; a failure after that ends the connection without the last chunk, so a truncated
 * file never passes for a complete one. Errors answer in the GraphQL errors' shape.
 */
export function valuationHistoryExport(deps: ValuationHistoryExportDeps): Router {
  const router = express.Router();
  router.get(VALUATION_HISTORY_CSV_PATH, async (request: Request, response: Response) => {
    if (!bearerTokenIsValid(request.headers.authorization, deps.apiTokens)) {
      response.set('WWW-Authenticate', 'Bearer');
      return refuse(response, 401, 'UNAUTHENTICATED', 'this export needs the header Authorization: Bearer <one of API_TOKENS>');
    }
    const raw = request.query['symbol'];
    let symbol: string | undefined;
    if (raw !== undefined) {
      symbol = typeof raw === 'string' ? normalizeSymbol(raw) : undefined;
      if (symbol === undefined) {
        const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 20)) : 'more than one symbol';
        return refuse(response, 400, 'BAD_USER_INPUT', `symbol: ${shown} is not a ticker symbol: give one, 1-10 of A-Z, digits, '.', '-' (or none for every stock)`);
      }
    }

    const pages = deps.valuationHistory.pages({ symbol });
    let first: IteratorResult<ValuationSnapshot[]>;
    try {
      first = await pages.next();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      return refuse(response, 503, 'STORE_UNAVAILABLE', 'the database is not answering: the export cannot be read; try again shortly');
    }
    response.status(200);
    response.set('Content-Type', VALUATION_HISTORY_CSV_CONTENT_TYPE);
    response.set('Content-Disposition', `attachment; filename="${symbol === undefined ? 'valuation-history' : `valuation-history-${symbol}`}.csv"`);
    response.set('Cache-Control', 'no-store');
    const csv = valuationHistoryCsv(rows(first, pages));
    csv.on('error', (error) => {
      deps.logger.warn({ err: error instanceof Error ? error.message : String(error), symbol }, 'valuation history export cut short');
      response.destroy(error);
    });
    csv.pipe(response);
  });
  return router;
}

async function* rows(first: IteratorResult<ValuationSnapshot[]>, rest: AsyncGenerator<ValuationSnapshot[]>): AsyncGenerator<ValuationSnapshot> {
  if (first.done) return;
  yield* first.value;
  for await (const page of rest) yield* page;
}

function refuse(response: Response, status: number, code: string, message: string): void {
  response.status(status).json({ errors: [{ message, extensions: { code } }] });
}
