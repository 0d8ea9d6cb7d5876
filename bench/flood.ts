/**
 * Row 6: one flood must not starve other requests of the store. A warm query's latency in
 * alternating slices, quiet and under a flood of queries for symbols nobody asked before,
 * whose upstream calls queue on a paced budget (every call reads and writes the budget's
 * counts in Redis while it waits its turn).
 */
import { cannon, post, sleep, summarise, type GraphQLBody, type LoadResult, type Slice } from './harness.js';
import { INTRINSIC_VALUES } from './queries.js';

export interface FloodOptions {
  connections: number;
  /** measured seconds in all, half quiet, half flooded */
  durationS: number;
  slices: number;
  /** flood requests in flight at any time, each sent again as soon as it is answered */
  flooders: number;
  symbolsPerRequest: number;
}

export interface FloodResult {
  quiet: LoadResult;
  flooded: LoadResult;
  floodRequests: number;
  floodSymbols: number;
  /** 'data', or the first error code of an answer */
  floodOutcomes: Record<string, number>;
}

/** `warm` on the service at `url`, quiet then with the flood on the same service, `slices` times. */
export async function measureFlood(url: string, warm: GraphQLBody, options: FloodOptions): Promise<FloodResult> {
  const { connections, durationS, slices, flooders, symbolsPerRequest } = options;
  const sliceS = durationS / 2 / slices;
  const quiet: Slice[] = [];
  const flooded: Slice[] = [];
  const outcomes: Record<string, number> = {};
  let requests = 0;
  let symbols = 0;
  const run = Date.now().toString(36).toUpperCase().slice(-4);
  for (let slice = 0; slice < slices; slice += 1) {
    quiet.push(await cannon(url, warm, connections, sliceS));
    let flooding = true;
    const flood = Array.from({ length: flooders }, async () => {
      while (flooding) {
        const fresh = Array.from({ length: symbolsPerRequest }, () => `F${run}${(symbols += 1).toString(36).toUpperCase()}`);
        const answer = await post(url, { query: INTRINSIC_VALUES, operationName: 'IntrinsicValues', variables: { symbols: fresh } });
        const outcome = answer.json.errors?.[0]?.extensions?.code ?? (answer.status === 200 ? 'data' : `HTTP ${answer.status}`);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        requests += 1;
      }
    });
    // The flood's calls queue on the budget first.
    await sleep(500);
    flooded.push(await cannon(url, warm, connections, sliceS));
    flooding = false;
    await Promise.all(flood);
  }
  return { quiet: summarise(quiet), flooded: summarise(flooded), floodRequests: requests, floodSymbols: symbols, floodOutcomes: outcomes };
}
