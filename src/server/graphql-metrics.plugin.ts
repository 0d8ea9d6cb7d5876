import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Metrics } from '../observability/metrics.js';

/** The label of anything not answered by one known root field: an unparsable or invalid operation, several root fields. */
export const OTHER_OPERATION = 'other';

/**
 * Records each GraphQL request's latency (Prometheus), labelled by the root field the
 * operation selects (`intrinsicValue`, `startScan`, …), never by the client's
 * operationName: a name is whatever a client writes, so as a label it would grow the
 * metric without bound, while root fields are fixed by the schema (and the label says
 * what was asked). The operation is only known once it has validated, so the field is one
 * of the schema's. Several root fields, no operation (syntax or validation errors) or only
 * `__typename`: `other`.
 */
export function graphqlMetricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operation, document, errors }) {
          const label = operation && document ? rootFieldLabel(operation, fragmentsOf(document.definitions)) : OTHER_OPERATION;
          metrics.graphqlRequest(label, (performance.now() - started) / 1000, (errors?.length ?? 0) > 0);
        },
      };
    },
  };
}

/** The single root field an operation selects (through fragments and aliases), else `other`. */
export function rootFieldLabel(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): string {
  const names = new Set<string>();
  const seen = new Set<string>();
  const collect = (selections: SelectionSetNode): void => {
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== '__typename') names.add(selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (fragment && !seen.has(name)) {
          seen.add(name);
          collect(fragment.selectionSet);
        }
      }
    }
  };
  collect(operation.selectionSet);
  return names.size === 1 ? [...names][0]! : OTHER_OPERATION;
}

function fragmentsOf(definitions: readonly { kind: Kind }[]): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      const fragment = definition as FragmentDefinitionNode;
      fragments.set(fragment.name.value, fragment);
    }
  }
  return fragments;
}
