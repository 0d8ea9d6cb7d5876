import { registerEnumType } from 'type-graphql';

export enum OptionType {
  PUT = 'PUT',
  CALL = 'CALL',
}

registerEnumType(OptionType, { name: 'OptionType', description: 'cash-secured put or covered call' });
