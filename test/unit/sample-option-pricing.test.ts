import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blackScholes, bookQuote, SKEW_RANGE, skewedVolatility, type PricingInput } from '../../src/providers/alpha-vantage/sample-option-pricing.js';

const hull = { spot: 42, strike: 40, years: 0.5, riskFreeRate: 0.1, dividendYield: 0, volatility: 0.2 };

const inputs = fc.record({
  spot: fc.double({ min: 5, max: 2000, noNaN: true }),
  moneyness: fc.double({ min: -0.4, max: 0.4, noNaN: true }),
  years: fc.double({ min: 1 / 365, max: 2, noNaN: true }),
  riskFreeRate: fc.double({ min: 0, max: 0.08, noNaN: true }),
  dividendYield: fc.double({ min: 0, max: 0.05, noNaN: true }),
  volatility: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
});
type Inputs = typeof inputs extends fc.Arbitrary<infer T> ? T : never;
const pricing = (input: Inputs, type: PricingInput['type']): PricingInput => ({
  type,
  spot: input.spot,
  strike: input.spot * Math.exp(input.moneyness),
  years: input.years,
  riskFreeRate: input.riskFreeRate,
  dividendYield: input.dividendYield,
  volatility: input.volatility,
});

describe('blackScholes', () => {
  it("prices Hull's textbook case: S 42, K 40, r 10 %, σ 20 %, T 6 months gives a call of 4.76 and a put of 0.81", () => {
    // Hull, Options, Futures and Other Derivatives, example 15.6: d1 = 0.7693, d2 = 0.6278
    const call = blackScholes({ ...hull, type: 'call' });
    const put = blackScholes({ ...hull, type: 'put' });
    expect(call.price).toBeCloseTo(4.7594, 4);
    expect(put.price).toBeCloseTo(0.8086, 4);
    expect(call.delta).toBeCloseTo(0.7791, 4); // N(0.7693)
    expect(put.delta).toBeCloseTo(-0.2209, 4);
  });

  it('quotes the greeks as Alpha Vantage does: theta per calendar day, vega and rho per point', () => {
    const call = blackScholes({ ...hull, type: 'call' });
    // by hand from d1 = 0.76926, d2 = 0.62784: φ(d1) = 0.29676, N(d2) = 0.73496
    expect(call.gamma).toBeCloseTo(0.29676 / (42 * 0.2 * Math.sqrt(0.5)), 4);
    expect(call.vega).toBeCloseTo((42 * 0.29676 * Math.sqrt(0.5)) / 100, 4);
    expect(call.theta).toBeCloseTo((-(42 * 0.29676 * 0.2) / (2 * Math.sqrt(0.5)) - 0.1 * 40 * Math.exp(-0.05) * 0.73496) / 365, 4);
    expect(call.rho).toBeCloseTo((40 * 0.5 * Math.exp(-0.05) * 0.73496) / 100, 4);
  });

  it('keeps put-call parity: C − P = S·e^(−qT) − K·e^(−rT)', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const call = blackScholes(pricing(input, 'call'));
        const put = blackScholes(pricing(input, 'put'));
        const { spot, strike, years, riskFreeRate, dividendYield } = pricing(input, 'call');
        const forward = spot * Math.exp(-dividendYield * years) - strike * Math.exp(-riskFreeRate * years);
        expect(call.price - put.price).toBeCloseTo(forward, Math.max(4, 9 - Math.ceil(Math.log10(spot))));
      }),
    );
  });

  it('gives deltas in range (calls 0 to 1, puts −1 to 0, apart by e^(−qT)) and positive gamma and vega', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const call = blackScholes(pricing(input, 'call'));
        const put = blackScholes(pricing(input, 'put'));
        expect(call.delta).toBeGreaterThanOrEqual(0);
        expect(call.delta).toBeLessThanOrEqual(1);
        expect(put.delta).toBeGreaterThanOrEqual(-1);
        expect(put.delta).toBeLessThanOrEqual(0);
        expect(call.delta - put.delta).toBeCloseTo(Math.exp(-input.dividendYield * input.years), 9);
        expect(call.gamma).toBeGreaterThanOrEqual(0);
        expect(call.gamma).toBe(put.gamma);
        expect(call.vega).toBeGreaterThanOrEqual(0);
        expect(call.price).toBeGreaterThanOrEqual(-1e-9);
        expect(put.price).toBeGreaterThanOrEqual(-1e-9);
      }),
    );
  });

  it('refuses what it cannot price', () => {
    expect(() => blackScholes({ ...hull, type: 'put', years: 0 })).toThrow(RangeError);
    expect(() => blackScholes({ ...hull, type: 'put', volatility: Number.NaN })).toThrow(RangeError);
  });
});

describe('skewedVolatility', () => {
  it('leans to the puts: a lower strike always carries more volatility than a higher one', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -SKEW_RANGE, max: SKEW_RANGE, noNaN: true }),
        fc.double({ min: -SKEW_RANGE, max: SKEW_RANGE, noNaN: true }),
        fc.integer({ min: 1, max: 120 }),
        (a, b, days) => {
          fc.pre(Math.abs(a - b) > 1e-6);
          const [low, high] = a < b ? [a, b] : [b, a];
          expect(skewedVolatility(0.3, 100, 100 * Math.exp(low), days)).toBeGreaterThan(skewedVolatility(0.3, 100, 100 * Math.exp(high), days));
        },
      ),
    );
  });

  it('is the at-the-money volatility at the money, plus a term premium that fades', () => {
    expect(skewedVolatility(0.3, 100, 100, 1)).toBeCloseTo(0.3 * (1 + 0.08 * Math.exp(-1 / 14)), 12);
    expect(skewedVolatility(0.3, 100, 100, 365)).toBeCloseTo(0.3, 6);
    // 25 % below the spot: 1 + 0.9·0.2877 + 1.2·0.0828 = 1.3583
    expect(skewedVolatility(0.3, 100, 75, 365) / 0.3).toBeCloseTo(1.3583, 3);
  });
});

describe('bookQuote', () => {
  it('puts the model price between bid and ask, on cent ticks under $3 and nickel ticks above', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 200, noNaN: true }), fc.integer({ min: 0, max: 50_000 }), (price, openInterest) => {
        const { bid, ask } = bookQuote(price, openInterest);
        expect(bid).toBeGreaterThanOrEqual(0);
        expect(bid).toBeLessThanOrEqual(price + 1e-9);
        expect(ask).toBeGreaterThan(bid);
        expect(ask).toBeGreaterThanOrEqual(price - 1e-9);
        const tick = price < 3 ? 1 : 5;
        expect(Math.round(bid * 100) % tick).toBe(0);
        expect(Math.round(ask * 100) % tick).toBe(0);
      }),
    );
  });

  it('quotes liquid contracts tighter than thin ones', () => {
    const spread = (openInterest: number) => {
      const { bid, ask } = bookQuote(4, openInterest);
      return (ask - bid) / ((ask + bid) / 2);
    };
    expect(spread(20_000)).toBeLessThan(0.05);
    expect(spread(50)).toBeGreaterThan(0.1);
    expect(spread(20_000)).toBeLessThan(spread(1000));
  });

  it('has no bid for a premium worth less than the half-spread', () => {
    expect(bookQuote(0.004, 1000)).toEqual({ bid: 0, ask: 0.02 });
  });
});
