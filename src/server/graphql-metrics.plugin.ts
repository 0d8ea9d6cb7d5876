import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '../observability/metrics.js';

/** Records each GraphQL request's latency by operation name (Prometheus). */
export function graphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors }) {
          metrics.graphqlRequest(operationName ?? 'anonymous', (performance.now() - started) / 1000, (errors?.length ?? 0) > 0);
        },
      };
    },
  };
}
