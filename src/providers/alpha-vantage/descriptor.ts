import type { ProviderDescriptor } from '../provider-descriptor.js';

export const ALPHA_VANTAGE: ProviderDescriptor = { id: 'alphavantage', label: 'Alpha Vantage', budgetKey: 'wheel:budget:alphavantage' };
