/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
};

/** A stock on the curated list, with its saved valuation assumptions. */
export type CuratedStock = {
  __typename?: 'CuratedStock';
  /** inactive stocks stay listed but are left out of scans */
  active: Scalars['Boolean']['output'];
  /** saved assumptions, completed with the defaults */
  assumptions: ValuationAssumptions;
  /** with the saved assumptions; null when it could not be computed */
  intrinsicValue: Maybe<IntrinsicValue>;
  symbol: Scalars['String']['output'];
};

/** One discounted-cash-flow model, step by step. */
export type DcfValuation = {
  __typename?: 'DcfValuation';
  intrinsicValue: Scalars['Float']['output'];
  method: ValuationMethod;
  presentValueOfTerminal: Scalars['Float']['output'];
  /** present value of each projected year */
  presentValues: Array<Scalars['Float']['output']>;
  /** one value per projected year */
  projected: Array<Scalars['Float']['output']>;
  /** EPS TTM (EPS method) or FCF per share (FCF method) that the projection starts from */
  startingValue: Scalars['Float']['output'];
  sumOfPresentValues: Scalars['Float']['output'];
  terminalValue: Scalars['Float']['output'];
};

/** Fair value per share by the EPS and FCF discounted-cash-flow models, rounded to cents. */
export type IntrinsicValue = {
  __typename?: 'IntrinsicValue';
  assumptions: ValuationAssumptions;
  /** intrinsic value of the preferred method; null if that model could not run */
  effectiveIntrinsicValue: Maybe<Scalars['Float']['output']>;
  /** null when the EPS model cannot run (e.g. EPS TTM <= 0); notes says why */
  eps: Maybe<DcfValuation>;
  /** sum of the four latest quarterly reportedEPS (OVERVIEW EPS when fewer than four quarters exist) */
  epsTtm: Maybe<Scalars['Float']['output']>;
  /** null when the FCF model cannot run (e.g. FCF per share <= 0); notes says why */
  fcf: Maybe<DcfValuation>;
  fcfPerShare: Maybe<Scalars['Float']['output']>;
  /** sum over the four latest quarters of operatingCashflow minus capital expenditures */
  fcfTtm: Maybe<Scalars['Float']['output']>;
  /** human-readable reasons for skipped models and fallbacks used */
  notes: Array<Scalars['String']['output']>;
  preferredMethod: ValuationMethod;
  sharesOutstanding: Maybe<Scalars['Float']['output']>;
  symbol: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** The curated list, with each stock’s saved assumptions. */
  curatedStocks: Array<CuratedStock>;
  /** Fair value per share of one stock by the EPS and FCF models. */
  intrinsicValue: IntrinsicValue;
  /** Fair values of several stocks in one batch (at most 100 symbols), in the order asked. */
  intrinsicValues: Array<IntrinsicValue>;
};


export type QueryIntrinsicValueArgs = {
  assumptions: InputMaybe<ValuationAssumptionsInput>;
  symbol: Scalars['String']['input'];
};


export type QueryIntrinsicValuesArgs = {
  assumptions: InputMaybe<ValuationAssumptionsInput>;
  symbols: Array<Scalars['String']['input']>;
};

/** The assumptions a valuation ran with, after argument > saved > defaults. */
export type ValuationAssumptions = {
  __typename?: 'ValuationAssumptions';
  /** discount rate, percent a year */
  desiredReturn: Scalars['Float']['output'];
  /** EPS growth rate, percent a year */
  epsGrowthRate: Scalars['Float']['output'];
  /** terminal multiple of the last projected EPS */
  epsMultiple: Scalars['Float']['output'];
  /** FCF growth rate, percent a year */
  fcfGrowthRate: Scalars['Float']['output'];
  /** terminal multiple of the last projected FCF per share */
  fcfMultiple: Scalars['Float']['output'];
  preferredMethod: ValuationMethod;
  projectionYears: Scalars['Int']['output'];
};

/** Every field is optional: a missing one falls back to the stock's saved assumptions, then to the defaults (10, 20, 10, 20, 15, 5, EPS). */
export type ValuationAssumptionsInput = {
  /** percent a year, above 0, at most 100 */
  desiredReturn: InputMaybe<Scalars['Float']['input']>;
  /** percent a year, -50 to 100 */
  epsGrowthRate: InputMaybe<Scalars['Float']['input']>;
  /** above 0, at most 200 */
  epsMultiple: InputMaybe<Scalars['Float']['input']>;
  /** percent a year, -50 to 100 */
  fcfGrowthRate: InputMaybe<Scalars['Float']['input']>;
  /** above 0, at most 200 */
  fcfMultiple: InputMaybe<Scalars['Float']['input']>;
  preferredMethod: InputMaybe<ValuationMethod>;
  /** 1 to 30 */
  projectionYears: InputMaybe<Scalars['Int']['input']>;
};

/** which discounted-cash-flow model */
export type ValuationMethod =
  | 'EPS'
  | 'FCF';

/** Every field is optional: a missing one falls back to the stock's saved assumptions, then to the defaults (10, 20, 10, 20, 15, 5, EPS). */
export type ValuationAssumptionsInput = {
  /** percent a year, above 0, at most 100 */
  desiredReturn: number | null | undefined;
  /** percent a year, -50 to 100 */
  epsGrowthRate: number | null | undefined;
  /** above 0, at most 200 */
  epsMultiple: number | null | undefined;
  /** percent a year, -50 to 100 */
  fcfGrowthRate: number | null | undefined;
  /** above 0, at most 200 */
  fcfMultiple: number | null | undefined;
  preferredMethod: ValuationMethod | null | undefined;
  /** 1 to 30 */
  projectionYears: number | null | undefined;
};

/** which discounted-cash-flow model */
export type ValuationMethod =
  | 'EPS'
  | 'FCF';

export type DcfFieldsFragment = { method: ValuationMethod, startingValue: number, projected: Array<number>, presentValues: Array<number>, sumOfPresentValues: number, terminalValue: number, presentValueOfTerminal: number, intrinsicValue: number };

export type IntrinsicValueFieldsFragment = { symbol: string, epsTtm: number | null, fcfTtm: number | null, sharesOutstanding: number | null, fcfPerShare: number | null, notes: Array<string>, preferredMethod: ValuationMethod, effectiveIntrinsicValue: number | null, assumptions: { epsGrowthRate: number, epsMultiple: number, fcfGrowthRate: number, fcfMultiple: number, desiredReturn: number, projectionYears: number, preferredMethod: ValuationMethod }, eps: { method: ValuationMethod, startingValue: number, projected: Array<number>, presentValues: Array<number>, sumOfPresentValues: number, terminalValue: number, presentValueOfTerminal: number, intrinsicValue: number } | null, fcf: { method: ValuationMethod, startingValue: number, projected: Array<number>, presentValues: Array<number>, sumOfPresentValues: number, terminalValue: number, presentValueOfTerminal: number, intrinsicValue: number } | null };

export type IntrinsicValueQueryVariables = Exact<{
  symbol: string;
  assumptions: ValuationAssumptionsInput | null | undefined;
}>;


export type IntrinsicValueQuery = { intrinsicValue: { symbol: string, epsTtm: number | null, fcfTtm: number | null, sharesOutstanding: number | null, fcfPerShare: number | null, notes: Array<string>, preferredMethod: ValuationMethod, effectiveIntrinsicValue: number | null, assumptions: { epsGrowthRate: number, epsMultiple: number, fcfGrowthRate: number, fcfMultiple: number, desiredReturn: number, projectionYears: number, preferredMethod: ValuationMethod }, eps: { method: ValuationMethod, startingValue: number, projected: Array<number>, presentValues: Array<number>, sumOfPresentValues: number, terminalValue: number, presentValueOfTerminal: number, intrinsicValue: number } | null, fcf: { method: ValuationMethod, startingValue: number, projected: Array<number>, presentValues: Array<number>, sumOfPresentValues: number, terminalValue: number, presentValueOfTerminal: number, intrinsicValue: number } | null } };

export type IntrinsicValuesQueryVariables = Exact<{
  symbols: Array<string> | string;
  assumptions: ValuationAssumptionsInput | null | undefined;
}>;


export type IntrinsicValuesQuery = { intrinsicValues: Array<{ symbol: string, epsTtm: number | null, fcfTtm: number | null, sharesOutstanding: number | null, fcfPerShare: number | null, notes: Array<string>, preferredMethod: ValuationMethod, effectiveIntrinsicValue: number | null, assumptions: { epsGrowthRate: number, epsMultiple: number, fcfGrowthRate: number, fcfMultiple: number, desiredReturn: number, projectionYears: number, preferredMethod: ValuationMethod }, eps: { method: ValuationMethod, startingValue: number, projected: Array<number>, presentValues: Array<number>, sumOfPresentValues: number, terminalValue: number, presentValueOfTerminal: number, intrinsicValue: number } | null, fcf: { method: ValuationMethod, startingValue: number, projected: Array<number>, presentValues: Array<number>, sumOfPresentValues: number, terminalValue: number, presentValueOfTerminal: number, intrinsicValue: number } | null }> };

export type CuratedStocksQueryVariables = Exact<{ [key: string]: never; }>;


export type CuratedStocksQuery = { curatedStocks: Array<{ symbol: string, active: boolean, assumptions: { preferredMethod: ValuationMethod, projectionYears: number }, intrinsicValue: { symbol: string, effectiveIntrinsicValue: number | null } | null }> };

export const DcfFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DcfFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DcfValuation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"startingValue"}},{"kind":"Field","name":{"kind":"Name","value":"projected"}},{"kind":"Field","name":{"kind":"Name","value":"presentValues"}},{"kind":"Field","name":{"kind":"Name","value":"sumOfPresentValues"}},{"kind":"Field","name":{"kind":"Name","value":"terminalValue"}},{"kind":"Field","name":{"kind":"Name","value":"presentValueOfTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"intrinsicValue"}}]}}]} as unknown as DocumentNode<DcfFieldsFragment, unknown>;
export const IntrinsicValueFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"IntrinsicValueFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IntrinsicValue"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"symbol"}},{"kind":"Field","name":{"kind":"Name","value":"assumptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"epsGrowthRate"}},{"kind":"Field","name":{"kind":"Name","value":"epsMultiple"}},{"kind":"Field","name":{"kind":"Name","value":"fcfGrowthRate"}},{"kind":"Field","name":{"kind":"Name","value":"fcfMultiple"}},{"kind":"Field","name":{"kind":"Name","value":"desiredReturn"}},{"kind":"Field","name":{"kind":"Name","value":"projectionYears"}},{"kind":"Field","name":{"kind":"Name","value":"preferredMethod"}}]}},{"kind":"Field","name":{"kind":"Name","value":"epsTtm"}},{"kind":"Field","name":{"kind":"Name","value":"fcfTtm"}},{"kind":"Field","name":{"kind":"Name","value":"sharesOutstanding"}},{"kind":"Field","name":{"kind":"Name","value":"fcfPerShare"}},{"kind":"Field","name":{"kind":"Name","value":"eps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DcfFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fcf"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DcfFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"preferredMethod"}},{"kind":"Field","name":{"kind":"Name","value":"effectiveIntrinsicValue"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DcfFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DcfValuation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"startingValue"}},{"kind":"Field","name":{"kind":"Name","value":"projected"}},{"kind":"Field","name":{"kind":"Name","value":"presentValues"}},{"kind":"Field","name":{"kind":"Name","value":"sumOfPresentValues"}},{"kind":"Field","name":{"kind":"Name","value":"terminalValue"}},{"kind":"Field","name":{"kind":"Name","value":"presentValueOfTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"intrinsicValue"}}]}}]} as unknown as DocumentNode<IntrinsicValueFieldsFragment, unknown>;
export const IntrinsicValueDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"IntrinsicValue"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"symbol"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"assumptions"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ValuationAssumptionsInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intrinsicValue"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"symbol"},"value":{"kind":"Variable","name":{"kind":"Name","value":"symbol"}}},{"kind":"Argument","name":{"kind":"Name","value":"assumptions"},"value":{"kind":"Variable","name":{"kind":"Name","value":"assumptions"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"IntrinsicValueFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DcfFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DcfValuation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"startingValue"}},{"kind":"Field","name":{"kind":"Name","value":"projected"}},{"kind":"Field","name":{"kind":"Name","value":"presentValues"}},{"kind":"Field","name":{"kind":"Name","value":"sumOfPresentValues"}},{"kind":"Field","name":{"kind":"Name","value":"terminalValue"}},{"kind":"Field","name":{"kind":"Name","value":"presentValueOfTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"intrinsicValue"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"IntrinsicValueFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IntrinsicValue"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"symbol"}},{"kind":"Field","name":{"kind":"Name","value":"assumptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"epsGrowthRate"}},{"kind":"Field","name":{"kind":"Name","value":"epsMultiple"}},{"kind":"Field","name":{"kind":"Name","value":"fcfGrowthRate"}},{"kind":"Field","name":{"kind":"Name","value":"fcfMultiple"}},{"kind":"Field","name":{"kind":"Name","value":"desiredReturn"}},{"kind":"Field","name":{"kind":"Name","value":"projectionYears"}},{"kind":"Field","name":{"kind":"Name","value":"preferredMethod"}}]}},{"kind":"Field","name":{"kind":"Name","value":"epsTtm"}},{"kind":"Field","name":{"kind":"Name","value":"fcfTtm"}},{"kind":"Field","name":{"kind":"Name","value":"sharesOutstanding"}},{"kind":"Field","name":{"kind":"Name","value":"fcfPerShare"}},{"kind":"Field","name":{"kind":"Name","value":"eps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DcfFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fcf"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DcfFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"preferredMethod"}},{"kind":"Field","name":{"kind":"Name","value":"effectiveIntrinsicValue"}}]}}]} as unknown as DocumentNode<IntrinsicValueQuery, IntrinsicValueQueryVariables>;
export const IntrinsicValuesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"IntrinsicValues"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"symbols"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"assumptions"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ValuationAssumptionsInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"intrinsicValues"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"symbols"},"value":{"kind":"Variable","name":{"kind":"Name","value":"symbols"}}},{"kind":"Argument","name":{"kind":"Name","value":"assumptions"},"value":{"kind":"Variable","name":{"kind":"Name","value":"assumptions"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"IntrinsicValueFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DcfFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DcfValuation"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"method"}},{"kind":"Field","name":{"kind":"Name","value":"startingValue"}},{"kind":"Field","name":{"kind":"Name","value":"projected"}},{"kind":"Field","name":{"kind":"Name","value":"presentValues"}},{"kind":"Field","name":{"kind":"Name","value":"sumOfPresentValues"}},{"kind":"Field","name":{"kind":"Name","value":"terminalValue"}},{"kind":"Field","name":{"kind":"Name","value":"presentValueOfTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"intrinsicValue"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"IntrinsicValueFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"IntrinsicValue"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"symbol"}},{"kind":"Field","name":{"kind":"Name","value":"assumptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"epsGrowthRate"}},{"kind":"Field","name":{"kind":"Name","value":"epsMultiple"}},{"kind":"Field","name":{"kind":"Name","value":"fcfGrowthRate"}},{"kind":"Field","name":{"kind":"Name","value":"fcfMultiple"}},{"kind":"Field","name":{"kind":"Name","value":"desiredReturn"}},{"kind":"Field","name":{"kind":"Name","value":"projectionYears"}},{"kind":"Field","name":{"kind":"Name","value":"preferredMethod"}}]}},{"kind":"Field","name":{"kind":"Name","value":"epsTtm"}},{"kind":"Field","name":{"kind":"Name","value":"fcfTtm"}},{"kind":"Field","name":{"kind":"Name","value":"sharesOutstanding"}},{"kind":"Field","name":{"kind":"Name","value":"fcfPerShare"}},{"kind":"Field","name":{"kind":"Name","value":"eps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DcfFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fcf"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DcfFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"preferredMethod"}},{"kind":"Field","name":{"kind":"Name","value":"effectiveIntrinsicValue"}}]}}]} as unknown as DocumentNode<IntrinsicValuesQuery, IntrinsicValuesQueryVariables>;
export const CuratedStocksDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CuratedStocks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"curatedStocks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"symbol"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"assumptions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"preferredMethod"}},{"kind":"Field","name":{"kind":"Name","value":"projectionYears"}}]}},{"kind":"Field","name":{"kind":"Name","value":"intrinsicValue"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"symbol"}},{"kind":"Field","name":{"kind":"Name","value":"effectiveIntrinsicValue"}}]}}]}}]}}]} as unknown as DocumentNode<CuratedStocksQuery, CuratedStocksQueryVariables>;