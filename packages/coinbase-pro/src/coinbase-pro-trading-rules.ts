// /products -> core TradingRule per pair (coinbase-pro.md §3). Coinbase states
// its grid directly (quote_increment tick, base_increment step) and its minimum
// as quote funds; since 2022-06-30 there are no size bounds, so the legacy
// base_min_size/base_max_size are read only when a server still sends them.
import BigNumber from 'bignumber.js';
import {
  loadTradingRules,
  makeTradingRule,
  type OrderType,
  type TradingRule,
  type TradingRulesResult,
} from '@hb/core/connector';
import {
  asArray,
  asObject,
  readDecimal,
  readFlag,
  readOptionalDecimal,
  readString,
  toTradingPair,
} from './coinbase-pro-utils.js';

const INFINITY = new BigNumber(Infinity);
const ALL_TYPES: readonly OrderType[] = ['limit', 'limit_maker', 'market'];

/**
 * Order types a product accepts now: `post_only` allows only post-only limits
 * (our limit_maker); `limit_only` removes market orders.
 */
function supportedOrderTypes(postOnly: boolean, limitOnly: boolean): Set<OrderType> {
  if (postOnly) return new Set<OrderType>(['limit_maker']);
  if (limitOnly) return new Set<OrderType>(['limit', 'limit_maker']);
  return new Set<OrderType>(ALL_TYPES);
}

/**
 * One /products entry -> its rule. Tradable only when `status` is `online` and
 * neither `trading_disabled` nor `cancel_only` is set. `min_market_funds` is the
 * minimum notional for every order type (limit orders too since 2022), and
 * `quote_increment` is also the grid of quote amounts (market orders by funds).
 * `auction_mode` is not a restriction we can express, so it is left to the
 * exchange.
 */
export function parseTradingRule(rawProduct: unknown): TradingRule {
  const p = asObject(rawProduct, 'product');
  const id = readString(p, 'id', 'product');
  const what = `product ${id}`;
  const tick = new BigNumber(readDecimal(p, 'quote_increment', what));
  const minSize = readOptionalDecimal(p, 'base_min_size', what);
  const maxSize = readOptionalDecimal(p, 'base_max_size', what);
  const max = maxSize === undefined ? INFINITY : new BigNumber(maxSize);
  return makeTradingRule({
    tradingPair: toTradingPair(id),
    minOrderSize: new BigNumber(minSize ?? 0),
    // A legacy "0" maximum would forbid every order; treat it as no maximum.
    maxOrderSize: max.isZero() ? INFINITY : max,
    minBaseAmountIncrement: new BigNumber(readDecimal(p, 'base_increment', what)),
    minQuoteAmountIncrement: tick,
    minPriceIncrement: tick,
    minNotional: new BigNumber(readOptionalDecimal(p, 'min_market_funds', what) ?? 0),
    minNotionalAppliesToMarket: true,
    supportedOrderTypes: supportedOrderTypes(readFlag(p, 'post_only', what), readFlag(p, 'limit_only', what)),
    tradingEnabled:
      readString(p, 'status', what) === 'online' &&
      !readFlag(p, 'trading_disabled', what) &&
      !readFlag(p, 'cancel_only', what),
  });
}

/**
 * `GET /products` -> rules. One unreadable product is skipped and reported
 * (product id and reason) rather than failing the whole list; a body that is
 * not a list at all throws.
 */
export function parseTradingRules(rawProducts: unknown): TradingRulesResult {
  return loadTradingRules(asArray(rawProducts, 'products'), 'id', parseTradingRule);
}
