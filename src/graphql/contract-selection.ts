import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';

/** What a scanResults / scanResult field selects, read through fragments, @include and @skip as graphql-js reads them. */
export interface ScreenerSelection {
  /** OptionContract fields selected anywhere below the field */
  contractFields: Set<string>;
  /** ScanResults.contracts (the flat table) */
  contracts: boolean;
  /** TickerScanResult.options, directly (scanResult) or under ScanResults.tickers */
  tickerOptions: boolean;
  /** ScanResults.riskFreeRate */
  riskFreeRate: boolean;
}

export function screenerSelection(info: GraphQLResolveInfo): ScreenerSelection {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  const selection: ScreenerSelection = { contractFields: new Set(), contracts: false, tickerOptions: false, riskFreeRate: false };
  if (tree) walk(tree, selection);
  return selection;
}

function walk(tree: ResolveTree, selection: ScreenerSelection): void {
  for (const [typeName, fields] of Object.entries(tree.fieldsByTypeName)) {
    for (const field of Object.values(fields)) {
      if (typeName === 'OptionContract') selection.contractFields.add(field.name);
      if (typeName === 'ScanResults' && field.name === 'contracts') selection.contracts = true;
      if (typeName === 'ScanResults' && field.name === 'riskFreeRate') selection.riskFreeRate = true;
      if (typeName === 'TickerScanResult' && field.name === 'options') selection.tickerOptions = true;
      walk(field, selection);
    }
  }
}
