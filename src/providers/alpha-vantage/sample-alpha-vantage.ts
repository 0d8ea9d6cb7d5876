import { readFileSync } from 'node:fs';
import { SymbolNotFoundError } from '../provider-errors.js';
import type { AlphaVantageBody, AlphaVantageFetcher, AlphaVantageRequest } from './alpha-vantage.request.js';
import { classifyAnswer } from './answer-classifier.js';
import { sampleMarketEventAnswer } from './sample-market-events.js';
import { SampleMarket } from './sample-market.js';

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
  /** quotes and option chains for today's New York date */
  private readonly market: SampleMarket;

  constructor(
    private readonly clock: () => Date = () => new Date(),
    file: URL = SAMPLE_FILE,
  ) {
    this.data = JSON.parse(readFileSync(file, 'utf8')) as SampleData;
    this.market = new SampleMarket({ quotes: this.data['GLOBAL_QUOTE'] ?? {}, overviews: this.data['OVERVIEW'] ?? {} }, clock);
  }

  get symbols(): string[] {
    return Object.keys(this.data['OVERVIEW'] ?? {});
  }

  async fetch(request: AlphaVantageRequest): Promise<AlphaVantageBody> {
    const marketEvent = sampleMarketEventAnswer(request, this.symbols, this.clock());
    if (marketEvent !== undefined) return classifyAnswer(request, marketEvent);
    const body = this.market.answer(request) ?? this.data[request.fn]?.[request.symbol];
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
