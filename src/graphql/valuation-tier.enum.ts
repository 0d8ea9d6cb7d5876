import { registerEnumType } from 'type-graphql';

export enum ValuationTier {
  DEEP_DISCOUNT = 'DEEP_DISCOUNT',
  DISCOUNT = 'DISCOUNT',
  MODEST_DISCOUNT = 'MODEST_DISCOUNT',
  FAIR = 'FAIR',
  OVERVALUED = 'OVERVALUED',
}

registerEnumType(ValuationTier, {
  name: 'ValuationTier',
  description: 'how far the price is below the effective intrinsic value, by the answered discountPercent',
  valuesConfig: {
    DEEP_DISCOUNT: { description: 'discount 30 % or more' },
    DISCOUNT: { description: '20 % to under 30 %' },
    MODEST_DISCOUNT: { description: '10 % to under 20 %' },
    FAIR: { description: '0 % to under 10 %' },
    OVERVALUED: { description: 'price above intrinsic value (discount below 0)' },
  },
});
