import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues } from 'graphql';
import type { GraphQLContext } from '../graphql/context.js';
import { UpstreamCostError } from '../graphql/errors/upstream-cost.error.js';
import { alphaVantageCacheKey } from '../providers/alpha-vantage/cache-policy.js';
import { namedCost, scanTickerRequests, upstreamCost, valuationDemand, type StoreLists, type ValuationDemand } from './upstream-cost.js';

/**
 * Refuses, before anything executes, an operation that could make more than `maxCalls`
 * upstream calls (src/server/upstream-cost.ts counts them). The store's lists are read only
 * when the operation values them, through the request's own memoised reads, which its
 * resolvers then reuse.
 */
export function upstreamCostPlugin(maxCalls: number): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          // Variables that do not coerce: graphql-js refuses the operation itself, nothing runs.
          if (!variables.coerced) return;
          const demand = valuationDemand(schema, document, operation, variables.coerced);
          const named = namedCost(demand);
          if (named > maxCalls) throw new UpstreamCostError(named, maxCalls);
          if (!demand.curatedList && !demand.scanTickers && demand.scanTicker.size === 0 && demand.dailyCalls.size === 0) return;
          const lists = await storeLists(demand, contextValue);
          // Cached entries cost nothing: one batched read of what the scan tickers and the daily calls need (it primes the request's loader).
          const requests = scanTickerRequests(demand, lists);
          const answered = requests.length > 0 ? await contextValue.loaders.cachedAnswers(requests) : [];
          const cached = new Set(requests.filter((_, index) => answered[index]).map(alphaVantageCacheKey));
          const cost = upstreamCost(demand, { ...lists, cached });
          if (cost > maxCalls) throw new UpstreamCostError(cost, maxCalls);
        },
      };
    },
  };
}

/** A list the store cannot give fails its field the same way, so nothing of it is valued: empty. */
async function storeLists(demand: ValuationDemand, context: GraphQLContext): Promise<StoreLists> {
  const [curatedList, scanTickers] = await Promise.all([
    demand.curatedList ? context.loaders.savedStocks().then((stocks) => stocks.map((stock) => stock.symbol), () => []) : [],
    demand.scanTickers
      ? context.loaders.scanSnapshot().then(
          (snapshot) => Object.keys(snapshot.tickerOptions).filter((symbol) => (snapshot.tickerOptions[symbol]?.length ?? 0) > 0),
          () => [],
        )
      : [],
  ]);
  return { curatedList, scanTickers };
}
