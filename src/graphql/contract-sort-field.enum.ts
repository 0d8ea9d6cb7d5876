import { registerEnumType } from 'type-graphql';

/** The figures a contract list can be ordered by (src/domain/contract-order.ts sorts). */
export enum ContractSortField {
  SCORE = 'SCORE',
  ANNUALIZED_RETURN = 'ANNUALIZED_RETURN',
  PROBABILITY_OF_ASSIGNMENT = 'PROBABILITY_OF_ASSIGNMENT',
  MARGIN_OF_SAFETY = 'MARGIN_OF_SAFETY',
  OPEN_INTEREST = 'OPEN_INTEREST',
  SPREAD_PERCENT = 'SPREAD_PERCENT',
  EXPIRATION = 'EXPIRATION',
  STRIKE = 'STRIKE',
}

registerEnumType(ContractSortField, { name: 'ContractSortField' });
