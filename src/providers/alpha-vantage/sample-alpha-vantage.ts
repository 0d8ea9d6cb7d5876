import { readFileSync } from 'node:fs';
import { SymbolNotFoundError } from '../provider-errors.js';
import type { AlphaVantageBody, AlphaVantageFetcher, AlphaVantageRequest } from './alpha-vantage.request.js';
import { classifyAnswer } from './answer-classifier.js';
import { sampleMarketEventAnswer } from './sample-market-events.js';

/** Bundled at the repository's top level so that `src/` and `dist/` find it alike. */
const SAMPLE_FILE = new URL('../../../sample-data/alpha-vantage-sample.json', import.meta.url);

type SampleData = Partial<Record<string, Record<string, AlphaVantageBody>>>;

export const SAMPLE_PROVIDER = 'the bundled sample data';

/**
 * Sample-data mode (no API key): answers from bundled, Alpha Vantage-shaped bodies through
 * the same classifier, source, cache and loaders as the real API. The figures are illustrative only.
 */
export class SampleAlphaVantage implements AlphaVantageFetcher {
  private readonly data: SampleData;

  constructor(file: URL = SAMPLE_FILE) {
    this.data = JSON.parse(readFileSync(file, 'utf8')) as SampleData;
  }

  get symbols(): string[] {
    return Object.keys(this.data['OVERVIEW'] ?? {});
  }

  async fetch(request: AlphaVantageRequest): Promise<AlphaVantageBody> {
    const marketEvent = sampleMarketEventAnswer(request, this.symbols, new Date());
    if (marketEvent !== undefined) return classifyAnswer(request, marketEvent);
    const body = this.data[request.fn]?.[request.symbol];
    if (!body) {
      const known = this.symbols.includes(request.symbol);
      throw new SymbolNotFoundError(
        request.symbol,
        request.fn,
        SAMPLE_PROVIDER,
        known
          ? `${request.symbol} has no ${request.fn} in ${SAMPLE_PROVIDER} (ALPHAVANTAGE_API_KEY is unset)`
          : `${request.symbol} is not in ${SAMPLE_PROVIDER} (ALPHAVANTAGE_API_KEY is unset); it has ${this.symbols.join(', ')}`,
      );
    }
    return classifyAnswer(request, body);
  }
}
