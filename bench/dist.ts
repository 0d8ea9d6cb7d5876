/**
 * The service's own compiled code (`dist/`, what `npm run build` emits and `dist/main.js` runs),
 * loaded at run time so that the baseline and the sequential reference scan run exactly the
 * domain functions the service runs. Types come from `src/`.
 */
import { readFileSync } from 'node:fs';
import type * as Valuation from '../src/domain/valuation.js';
import type * as Assumptions from '../src/domain/assumptions.js';
import type * as ScanRules from '../src/domain/scan-rules.js';
import type * as MarketCalendar from '../src/domain/market-calendar.js';
import type * as AlphaVantageOptions from '../src/providers/alpha-vantage/market.parsers.js';
import type * as Config from '../src/config.js';
import type * as Fundamentals from '../src/providers/alpha-vantage/fundamentals.parser.js';

/** bench/.build/bench/dist.js → the repository's dist/ */
export const DIST = new URL('../../../dist/', import.meta.url);
export const MAIN = new URL('main.js', DIST).pathname;

/** The node flags `npm start` gives dist/main.js (package.json's start script): --heap-growing-percent=25. */
const startScript = (JSON.parse(readFileSync(new URL('../package.json', DIST), 'utf8')) as { scripts: { start: string } }).scripts.start;
export const SERVICE_NODE_ARGS: readonly string[] = startScript.split(/\s+/).filter((arg) => arg.startsWith('--'));

const load = <T>(path: string): Promise<T> => import(new URL(path, DIST).href) as Promise<T>;

export const valuation = await load<typeof Valuation>('domain/valuation.js');
export const assumptions = await load<typeof Assumptions>('domain/assumptions.js');
export const scanRules = await load<typeof ScanRules>('domain/scan-rules.js');
export const marketCalendar = await load<typeof MarketCalendar>('domain/market-calendar.js');
export const alphaVantageOptions = await load<typeof AlphaVantageOptions>('providers/alpha-vantage/market.parsers.js');
export const config = await load<typeof Config>('config.js');
export const fundamentals = await load<typeof Fundamentals>('providers/alpha-vantage/fundamentals.parser.js');
