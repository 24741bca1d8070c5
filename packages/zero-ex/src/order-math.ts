import BigNumber from 'bignumber.js';
import type { ZeroExMarket } from './active-order-tracker.js';
import type { ZeroExOrder } from './order.js';
import { ZeroExError } from './zero-ex-errors.js';

/** floor(numerator × target / denominator), as the Exchange computes partial amounts. */
export function partialAmountFloor(numerator: bigint, denominator: bigint, target: bigint): bigint {
  if (denominator === 0n)
    throw new ZeroExError('invalid_fill_amount', 'division by zero in a partial amount');
  return (numerator * target) / denominator;
}

/**
 * True when floor(numerator × target / denominator) is off by 0.1% or more of
 * the exact value: the Exchange refuses such fills (`RoundingError` in v3,
 * `ROUNDING_ERROR` in v2.1). Same rule as 0x's LibMath.isRoundingErrorFloor.
 */
export function isRoundingErrorFloor(numerator: bigint, denominator: bigint, target: bigint): boolean {
  if (denominator === 0n)
    throw new ZeroExError('invalid_fill_amount', 'division by zero in a rounding check');
  if (target === 0n || numerator === 0n) return false;
  const remainder = (target * numerator) % denominator;
  return remainder * 1000n >= numerator * target;
}

/** Maker asset a fill of `takerAssetFillAmount` moves (floored, as the Exchange does). */
export function makerAssetFilledFor(
  order: Pick<ZeroExOrder, 'makerAssetAmount' | 'takerAssetAmount'>,
  takerAssetFillAmount: bigint,
): bigint {
  return partialAmountFloor(takerAssetFillAmount, order.takerAssetAmount, order.makerAssetAmount);
}

/**
 * Whether the Exchange accepts a fill of `takerAssetFillAmount` of this order
 * as to rounding (the amount must also be within what remains fillable).
 */
export function isFillAmountAcceptable(
  order: Pick<ZeroExOrder, 'makerAssetAmount' | 'takerAssetAmount'>,
  takerAssetFillAmount: bigint,
): boolean {
  return (
    takerAssetFillAmount > 0n &&
    !isRoundingErrorFloor(takerAssetFillAmount, order.takerAssetAmount, order.makerAssetAmount)
  );
}

/** The four fields of a limit order that follow from side, amount and price. */
export interface LimitOrderAmounts {
  readonly makerAssetData: string;
  readonly takerAssetData: string;
  readonly makerAssetAmount: bigint;
  readonly takerAssetAmount: bigint;
}

/**
 * The asset data and amounts of a limit order (zero-ex.md §3): a `sell`
 * (ask) of `amount` base at `price` quote per base gives base and asks for
 * amount × price quote; a `buy` (bid) gives the quote and asks for the base.
 * The base amount must be a whole number of base units; the quote amount is
 * truncated to whole quote units (the maker never gives more than priced).
 * An amount that truncates to 0 → `invalid_order`.
 */
export function limitOrderAmounts(
  market: ZeroExMarket,
  side: 'buy' | 'sell',
  amount: BigNumber.Value,
  price: BigNumber.Value,
): LimitOrderAmounts {
  const a = new BigNumber(amount);
  const p = new BigNumber(price);
  if (!a.isFinite() || a.lte(0) || !p.isFinite() || p.lte(0))
    throw new ZeroExError(
      'invalid_order',
      `amount and price must be positive numbers, got ${a.toFixed()} @ ${p.toFixed()}`,
    );
  const baseUnits = a.shiftedBy(market.baseDecimals);
  if (!baseUnits.isInteger())
    throw new ZeroExError(
      'invalid_order',
      `${a.toFixed()} is not a whole number of base units at ${market.baseDecimals} decimals`,
    );
  // A buy gives quote: floor so the maker never offers more than amount × price.
  // A sell asks for quote: floor too (the spec's truncation); the price is then at most the one asked.
  const quoteUnits = a.times(p).shiftedBy(market.quoteDecimals).integerValue(BigNumber.ROUND_FLOOR);
  if (quoteUnits.lte(0))
    throw new ZeroExError('invalid_order', `${a.toFixed()} at ${p.toFixed()} is less than one quote unit`);
  const base = BigInt(baseUnits.toFixed(0));
  const quote = BigInt(quoteUnits.toFixed(0));
  return side === 'sell'
    ? {
        makerAssetData: market.baseAssetData.toLowerCase(),
        takerAssetData: market.quoteAssetData.toLowerCase(),
        makerAssetAmount: base,
        takerAssetAmount: quote,
      }
    : {
        makerAssetData: market.quoteAssetData.toLowerCase(),
        takerAssetData: market.baseAssetData.toLowerCase(),
        makerAssetAmount: quote,
        takerAssetAmount: base,
      };
}
