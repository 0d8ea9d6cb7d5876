import {
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** A valuation loads EARNINGS, OVERVIEW and CASH_FLOW of its symbol: one call each when cold. */
export const CALLS_PER_VALUATION = 3;

/** Where the symbols a field values come from: one of its arguments, or a list in the store. */
export type SymbolSource = { argument: string } | 'curatedList' | 'scanTickers';

export interface ValuingField {
  symbols: SymbolSource;
  /** it values its symbols whatever it selects, or only when its selection reaches one of these fields */
  valuesWhen: 'always' | readonly `${string}.${string}`[];
}

/**
 * Every root field that can make upstream calls during the request, by schema coordinate. A
 * request's DataLoaders share each (function, symbol) across aliases and assumptions, so a
 * request costs CALLS_PER_VALUATION per distinct symbol it may value, at most. startScan
 * is not here: its calls run in the background, under the scan's own symbol cap and budget.
 */
export const VALUING_FIELDS: Readonly<Record<string, ValuingField>> = {
  'Query.intrinsicValue': { symbols: { argument: 'symbol' }, valuesWhen: 'always' },
  'Query.intrinsicValues': { symbols: { argument: 'symbols' }, valuesWhen: 'always' },
  'Query.curatedStocks': { symbols: 'curatedList', valuesWhen: ['CuratedStock.intrinsicValue'] },
  'Query.scanResults': { symbols: 'scanTickers', valuesWhen: ['TickerScanResult.intrinsicValue', 'OptionContract.belowIntrinsicValue'] },
  'Mutation.saveCuratedStock': { symbols: { argument: 'symbol' }, valuesWhen: ['CuratedStock.intrinsicValue'] },
};

/** The symbols an operation may value: those its arguments name, and whether it values the store's lists. */
export interface ValuationDemand {
  /** trimmed and upper-cased, as the resolvers read them */
  symbols: Set<string>;
  curatedList: boolean;
  scanTickers: boolean;
}

/**
 * What an operation may value, read from the document and its coerced variables before it
 * runs: fields through fragments and aliases, every @include/@skip branch counted (the worst
 * case), arguments as graphql-js coerces them (a lone string for a list included).
 */
export function valuationDemand(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): ValuationDemand {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const demand: ValuationDemand = { symbols: new Set(), curatedList: false, scanTickers: false };
  const root = schema.getRootType(operation.operation);
  if (!root) return demand;

  for (const field of fieldsOf(schema, root, operation.selectionSet, fragments)) {
    const spec = VALUING_FIELDS[`${root.name}.${field.name.value}`];
    const definition = root.getFields()[field.name.value];
    if (!spec || !definition) continue;
    if (spec.valuesWhen !== 'always' && !reaches(schema, definition, field, spec.valuesWhen, fragments)) continue;
    if (spec.symbols === 'curatedList') demand.curatedList = true;
    else if (spec.symbols === 'scanTickers') demand.scanTickers = true;
    else for (const symbol of argumentSymbols(definition, field, spec.symbols.argument, variables)) demand.symbols.add(symbol);
  }
  return demand;
}

/** The store's lists, read only when the demand names them (a list that could not be read: empty, the field fails alike). */
export interface StoreLists {
  curatedList?: readonly string[];
  scanTickers?: readonly string[];
}

/** Worst-case upstream calls: every distinct symbol cold. */
export function upstreamCost(demand: ValuationDemand, lists: StoreLists = {}): number {
  const symbols = new Set(demand.symbols);
  if (demand.curatedList) for (const symbol of lists.curatedList ?? []) symbols.add(symbol);
  if (demand.scanTickers) for (const symbol of lists.scanTickers ?? []) symbols.add(symbol);
  return symbols.size * CALLS_PER_VALUATION;
}

function argumentSymbols(
  definition: GraphQLField<unknown, unknown>,
  field: FieldNode,
  argument: string,
  variables: Readonly<Record<string, unknown>>,
): string[] {
  let value: unknown;
  try {
    value = getArgumentValues(definition, field, variables as Record<string, unknown>)[argument];
  } catch {
    // graphql-js refuses the same arguments when it executes the field: nothing is valued.
    return [];
  }
  const raw = Array.isArray(value) ? value : [value];
  return raw.filter((item): item is string => typeof item === 'string').map((symbol) => symbol.trim().toUpperCase());
}

/** Whether a field's selection, at any depth, selects one of `coordinates` (Type.field). */
function reaches(
  schema: GraphQLSchema,
  definition: GraphQLField<unknown, unknown>,
  field: FieldNode,
  coordinates: readonly string[],
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): boolean {
  const type = getNamedType(definition.type);
  if (!field.selectionSet || !isObjectType(type)) return false;
  return fieldsOf(schema, type, field.selectionSet, fragments).some((child) => {
    if (coordinates.includes(`${type.name}.${child.name.value}`)) return true;
    const childDefinition = type.getFields()[child.name.value];
    return childDefinition !== undefined && reaches(schema, childDefinition, child, coordinates, fragments);
  });
}

/** The fields a selection set selects on `type`, through fragment spreads and inline fragments, directives ignored. */
function fieldsOf(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visited: ReadonlySet<string> = new Set(),
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      fields.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (appliesTo(schema, type, selection.typeCondition?.name.value)) fields.push(...fieldsOf(schema, type, selection.selectionSet, fragments, visited));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // Validation refuses fragment cycles before this runs; `visited` keeps a bug from looping.
      if (!fragment || visited.has(name) || !appliesTo(schema, type, fragment.typeCondition.name.value)) continue;
      fields.push(...fieldsOf(schema, type, fragment.selectionSet, fragments, new Set([...visited, name])));
    }
  }
  return fields;
}

/** A fragment applies when its condition is absent, names the type, or is an interface or union the type belongs to. */
function appliesTo(schema: GraphQLSchema, type: GraphQLObjectType, condition: string | undefined): boolean {
  if (condition === undefined || condition === type.name) return true;
  const named = schema.getType(condition);
  return isAbstractType(named) && schema.isSubType(named, type);
}
