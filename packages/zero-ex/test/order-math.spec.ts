// 0x amount math (zero-ex.md §3): limit order amounts from side, amount and
// price; partial amounts and the Exchange's 0.1% rounding rule.
import fc from 'fast-check';
import {
  encodeErc20AssetData,
  isFillAmountAcceptable,
  isRoundingErrorFloor,
  limitOrderAmounts,
  makerAssetFilledFor,
  partialAmountFloor,
} from '../src/index.js';

const market = {
  baseAssetData: encodeErc20AssetData('0xe41d2489571d322189246dafa5ebde1f4699f498'),
  quoteAssetData: encodeErc20AssetData('0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48'),
  baseDecimals: 18,
  quoteDecimals: 6,
};

describe('order math', () => {
  it('a sell is an ask (maker gives base), a buy a bid (maker gives quote)', () => {
    expect(limitOrderAmounts(market, 'sell', '100', '0.25')).toEqual({
      makerAssetData: market.baseAssetData,
      takerAssetData: market.quoteAssetData,
      makerAssetAmount: 100n * 10n ** 18n,
      takerAssetAmount: 25n * 10n ** 6n,
    });
    expect(limitOrderAmounts(market, 'buy', '1.5', '2.000001')).toEqual({
      makerAssetData: market.quoteAssetData,
      takerAssetData: market.baseAssetData,
      makerAssetAmount: 3000001n, // 3.0000015 truncated to 6 decimals
      takerAssetAmount: 15n * 10n ** 17n,
    });
  });

  it('refuses amounts finer than a base unit, sub-unit quotes and non-positive input', () => {
    expect(() => limitOrderAmounts(market, 'sell', '1e-19', '1')).toThrow(/whole number of base units/);
    expect(() => limitOrderAmounts(market, 'sell', '1e-12', '0.0001')).toThrow(/less than one quote unit/);
    expect(() => limitOrderAmounts(market, 'sell', '0', '1')).toThrow(/positive/);
    expect(() => limitOrderAmounts(market, 'buy', '1', '-1')).toThrow(/positive/);
    expect(() => limitOrderAmounts(market, 'buy', 'NaN', '1')).toThrow(
      expect.objectContaining({ kind: 'invalid_order' }),
    );
  });

  it("partial amounts floor; the rounding rule is 0x's (error ≥ 0.1%)", () => {
    expect(partialAmountFloor(1n, 7n, 3n)).toBe(0n);
    expect(
      makerAssetFilledFor(
        { makerAssetAmount: 100n * 10n ** 18n, takerAssetAmount: 10n ** 17n },
        4n * 10n ** 16n,
      ),
    ).toBe(40n * 10n ** 18n);
    // 1 of 7 taker units of a 3-for-7 order gives 0 maker units: 100% error.
    expect(isRoundingErrorFloor(1n, 7n, 3n)).toBe(true);
    expect(isFillAmountAcceptable({ makerAssetAmount: 3n, takerAssetAmount: 7n }, 1n)).toBe(false);
    expect(isFillAmountAcceptable({ makerAssetAmount: 3n, takerAssetAmount: 7n }, 7n)).toBe(true);
    // 999 of 1000 gives 998.001 -> 998: error 0.0001% -> fine.
    expect(isRoundingErrorFloor(999n, 1000n, 999n)).toBe(false);
    expect(isFillAmountAcceptable({ makerAssetAmount: 1n, takerAssetAmount: 1n }, 0n)).toBe(false);
    expect(() => partialAmountFloor(1n, 0n, 1n)).toThrow(
      expect.objectContaining({ kind: 'invalid_fill_amount' }),
    );
  });

  it('property: the floored amount is within 0.1% of the exact one exactly when no rounding error is reported', () => {
    fc.assert(
      fc.property(
        fc.bigInt(1n, 10n ** 30n),
        fc.bigInt(1n, 10n ** 30n),
        fc.bigInt(1n, 10n ** 30n),
        (n, d, t) => {
          const floor = partialAmountFloor(n, d, t);
          // exact = n*t/d; error = exact - floor = ((n*t) mod d) / d; relative error ≥ 0.1% <=> 1000*(n*t mod d) ≥ n*t
          const relErrorAtLeast = ((n * t) % d) * 1000n >= n * t;
          expect(isRoundingErrorFloor(n, d, t)).toBe(relErrorAtLeast);
          expect(floor * d <= n * t && (floor + 1n) * d > n * t).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: a buy gives exactly floor(amount × price) quote units and asks for the whole base amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 9 }),
        fc.integer({ min: 1, max: 10 ** 9 }),
        (baseMilli, priceMicro) => {
          const amount = (baseMilli / 1000).toString();
          const price = (priceMicro / 10 ** 6).toString();
          let o;
          try {
            o = limitOrderAmounts(market, 'buy', amount, price);
          } catch {
            return; // less than one quote unit
          }
          const exactQuoteUnits = (BigInt(baseMilli) * BigInt(priceMicro) * 10n ** 6n) / (1000n * 10n ** 6n);
          expect(o.makerAssetAmount).toBe(exactQuoteUnits);
          expect(o.takerAssetAmount).toBe(BigInt(baseMilli) * 10n ** 15n);
        },
      ),
      { numRuns: 300 },
    );
  });
});
