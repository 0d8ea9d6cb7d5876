import { Field, InputType } from 'type-graphql';
import type { ContractOrder as DomainContractOrder } from '../domain/contract-order.js';
import { ContractSortField } from './contract-sort-field.enum.js';
import { SortDirection } from './sort-direction.enum.js';

@InputType({ description: 'nulls last in either direction; ties by symbol, expiration, strike, contractId' })
export class ContractOrder implements DomainContractOrder {
  @Field(() => ContractSortField)
  field!: DomainContractOrder['field'];

  @Field(() => SortDirection)
  direction!: DomainContractOrder['direction'];
}
