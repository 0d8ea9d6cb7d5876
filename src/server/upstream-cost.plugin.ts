import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues } from 'graphql';
import type { GraphQLContext } from '../graphql/context.js';
import { UpstreamCostError } from '../graphql/errors/upstream-cost.error.js';
import { alphaVantageCacheKey } from '../providers/alpha-vantage/cache-policy.js';
import { cacheableRequests, namedCost, needsStore, upstreamCost, valuationDemand, type DemandOptions, type Pricing, type StoreLists, type ValuationDemand } from './upstream-cost.js';

/**
 * Refuses, before anything executes, an operation that could make more than `maxCalls`
 * upstream calls (src/server/upstream-cost.ts counts them). The store's lists are read only
 * when the operation values them, through the request's own memoised reads, which its
 * resolvers then reuse. While the background refresher runs, the curated list's valuations
 * answer from the cache and cost nothing.
 */
export function upstreamCostPlugin(maxCalls: number, options: DemandOptions & Partial<Pricing> = {}): ApolloServerPlugin<GraphQLContext> {
  const pricing: Pricing = { bulkQuotes: options.bulkQuotes ?? false };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          // Variables that do not coerce: graphql-js refuses the operation itself, nothing runs.
          if (!variables.coerced) return;
          const demand = valuationDemand(schema, document, operation, variables.coerced, options);
          const named = namedCost(demand);
          if (named > maxCalls) throw new UpstreamCostError(named, maxCalls);
          if (!needsStore(demand)) return;
          const lists = await storeLists(demand, contextValue);
          // Cached entries cost nothing: one batched read of what the scan tickers, the daily calls and the quotes need (it primes the request's loader).
          const requests = cacheableRequests(demand, lists, pricing);
          const answered = requests.length > 0 ? await contextValue.loaders.cachedAnswers(requests) : [];
          const cached = new Set(requests.filter((_, index) => answered[index]).map(alphaVantageCacheKey));
          const cost = upstreamCost(demand, { ...lists, cached }, pricing);
          if (cost > maxCalls) throw new UpstreamCostError(cost, maxCalls);
        },
      };
    },
  };
}

/** A list the store cannot give fails its field the same way, so nothing of it is valued: empty. */
async function storeLists(demand: ValuationDemand, context: GraphQLContext): Promise<StoreLists> {
  const readsCurated = demand.curatedList || demand.activeCuratedList || demand.quotes.curatedList || demand.quotes.activeCuratedList;
  const readsScan = demand.scanTickers !== null || demand.quotes.scanTickers;
  const [curated, scanTickers] = await Promise.all([
    readsCurated ? context.loaders.savedStocks().catch(() => []) : [],
    readsScan
      ? context.loaders.scanSnapshot().then(
          (snapshot) => Object.keys(snapshot.tickerOptions).filter((symbol) => (snapshot.tickerOptions[symbol]?.length ?? 0) > 0),
          () => [],
        )
      : [],
  ]);
  const curatedList = curated.map((stock) => stock.symbol);
  const activeCuratedList = curated.filter((stock) => stock.active).map((stock) => stock.symbol);
  return { curatedList, activeCuratedList, scanTickers };
}
