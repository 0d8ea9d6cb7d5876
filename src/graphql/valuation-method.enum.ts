import { registerEnumType } from 'type-graphql';

export enum ValuationMethod {
  EPS = 'EPS',
  FCF = 'FCF',
}

registerEnumType(ValuationMethod, { name: 'ValuationMethod', description: 'which discounted-cash-flow model' });
