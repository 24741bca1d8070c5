import BigNumber from 'bignumber.js';
import { OrderRuleError } from '../errors/hb-error.js';
import type { OrderSide, OrderType } from '../orders/order-types.js';
import type { TradingRule } from './trading-rule.js';

const ZERO = new BigNumber(0);
const INFINITY = new BigNumber(Infinity);
const ALL_ORDER_TYPES: readonly OrderType[] = ['limit', 'limit_maker', 'market'];

/** The order fields {@link checkOrder} looks at. */
export interface OrderToCheck {
  readonly tradingPair: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  /** Amount in base. */
  readonly amount: BigNumber;
  /** Limit price; for a market order, an optional reference price used for the min-notional check. */
  readonly price?: BigNumber;
}

/**
 * A trading rule with no limits except those given: any size, any price, every
 * order type, trading enabled. `minNotionalAppliesToMarket` defaults to true,
 * because a venue's minimum notional usually applies to every order.
 */
export function makeTradingRule(partial: Partial<TradingRule> & { tradingPair: string }): TradingRule {
  return {
    minOrderSize: ZERO,
    maxOrderSize: INFINITY,
    minPriceIncrement: ZERO,
    minBaseAmountIncrement: ZERO,
    minQuoteAmountIncrement: ZERO,
    minPrice: ZERO,
    maxPrice: INFINITY,
    minNotional: ZERO,
    minNotionalAppliesToMarket: true,
    supportedOrderTypes: new Set(ALL_ORDER_TYPES),
    tradingEnabled: true,
    ...partial,
  };
}

/**
 * Rounds an amount DOWN to the pair's size step (`minBaseAmountIncrement`).
 * The step, not the minimum size, is the grid: quantizing by the minimum size
 * is what produced "size is too accurate" rejections in the field. Flooring
 * never spends more than asked. Returns 0 when the result is below the minimum
 * order size, or when the amount is not a positive number.
 */
export function quantizeOrderAmount(rule: TradingRule, amount: BigNumber): BigNumber {
  if (!amount.isFinite() || amount.lte(0)) return ZERO;
  const step = rule.minBaseAmountIncrement;
  const floored = step.isFinite() && step.gt(0) ? amount.minus(amount.mod(step)) : amount;
  return floored.lt(rule.minOrderSize) || floored.isZero() ? ZERO : floored;
}

/**
 * Rounds a price to the pair's tick (`minPriceIncrement`).
 * Without `side`, to the nearest tick (halves up). With `side`, never to a more
 * aggressive price than asked: a buy rounds down, a sell rounds up. A NaN price
 * (market order) or a rule without a tick returns the price unchanged.
 */
export function quantizeOrderPrice(rule: TradingRule, price: BigNumber, side?: OrderSide): BigNumber {
  const tick = rule.minPriceIncrement;
  if (!price.isFinite() || !tick.isFinite() || tick.lte(0)) return price;
  // mod is exact on decimals, unlike div, so the grid point is exact too.
  const rest = price.mod(tick);
  if (rest.isZero()) return price;
  const down = price.minus(rest);
  const up = down.plus(tick);
  if (side === 'buy') return down;
  if (side === 'sell') return up;
  return rest.times(2).gte(tick) ? up : down;
}

/**
 * Checks an order against its pair's rule before anything is sent. Returns the
 * first broken rule as an {@link OrderRuleError} (whose message names the rule,
 * the value and the limit), or undefined when the order passes. Order of checks:
 * unknown pair, trading disabled, order type, missing price, amount (positive,
 * min, max, step), price (tick, min, max; limit orders only), min notional
 * (market orders only when the rule says it applies to them and a reference
 * price is given).
 */
export function checkOrder(rule: TradingRule | undefined, order: OrderToCheck): OrderRuleError | undefined {
  const pair = order.tradingPair;
  if (!rule)
    return new OrderRuleError(
      'unknown_pair',
      `no trading rule for ${pair}: the pair is unknown or its rules are not loaded`,
    );
  if (!rule.tradingEnabled) return new OrderRuleError('trading_disabled', `trading is disabled for ${pair}`);
  if (!rule.supportedOrderTypes.has(order.orderType)) {
    const allowed = [...rule.supportedOrderTypes].join(', ') || 'none';
    return new OrderRuleError(
      'order_type',
      `${order.orderType} orders are not accepted for ${pair} (accepted: ${allowed})`,
    );
  }
  const isMarket = order.orderType === 'market';
  const price = order.price;
  const hasPrice = price !== undefined && price.isFinite() && price.gt(0);
  if (!isMarket && !hasPrice) {
    const given = price === undefined ? 'none' : fmt(price);
    return new OrderRuleError(
      'missing_price',
      `a ${order.orderType} order needs a positive price for ${pair} (got ${given})`,
    );
  }

  const amount = order.amount;
  if (!amount.isFinite() || amount.lte(0)) {
    return new OrderRuleError('min_order_size', `amount ${fmt(amount)} is not a positive number for ${pair}`);
  }
  if (amount.lt(rule.minOrderSize)) {
    return new OrderRuleError(
      'min_order_size',
      `amount ${fmt(amount)} is below the minimum order size ${fmt(rule.minOrderSize)} for ${pair}`,
    );
  }
  if (amount.gt(rule.maxOrderSize)) {
    return new OrderRuleError(
      'max_order_size',
      `amount ${fmt(amount)} is above the maximum order size ${fmt(rule.maxOrderSize)} for ${pair}`,
    );
  }
  if (offGrid(amount, rule.minBaseAmountIncrement)) {
    return new OrderRuleError(
      'size_increment',
      `amount ${fmt(amount)} is not a multiple of the size step ${fmt(rule.minBaseAmountIncrement)} for ${pair}`,
    );
  }

  if (!isMarket && hasPrice) {
    if (offGrid(price, rule.minPriceIncrement)) {
      return new OrderRuleError(
        'price_tick',
        `price ${fmt(price)} is not a multiple of the price tick ${fmt(rule.minPriceIncrement)} for ${pair}`,
      );
    }
    if (price.lt(rule.minPrice)) {
      return new OrderRuleError(
        'min_price',
        `price ${fmt(price)} is below the minimum price ${fmt(rule.minPrice)} for ${pair}`,
      );
    }
    if (price.gt(rule.maxPrice)) {
      return new OrderRuleError(
        'max_price',
        `price ${fmt(price)} is above the maximum price ${fmt(rule.maxPrice)} for ${pair}`,
      );
    }
  }

  if (hasPrice && rule.minNotional.gt(0) && (!isMarket || rule.minNotionalAppliesToMarket)) {
    const notional = price.times(amount);
    if (notional.lt(rule.minNotional)) {
      return new OrderRuleError(
        'min_notional',
        `notional ${fmt(notional)} (price ${fmt(price)} x amount ${fmt(amount)}) is below the minimum notional ${fmt(rule.minNotional)} for ${pair}`,
      );
    }
  }
  return undefined;
}

/** True when a step is set and the value is not a whole multiple of it. */
function offGrid(value: BigNumber, step: BigNumber): boolean {
  return step.isFinite() && step.gt(0) && !value.mod(step).isZero();
}

/** Plain decimal notation: messages say 0.00000001, not 1e-8. */
function fmt(v: BigNumber): string {
  return v.toFixed();
}
