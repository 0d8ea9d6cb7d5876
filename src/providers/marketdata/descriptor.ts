import type { ProviderDescriptor } from '../provider-descriptor.js';

export const MARKETDATA: ProviderDescriptor = { id: 'marketdata', label: 'marketdata.app', budgetKey: 'wheel:budget:marketdata' };
