// Our orders as Coinbase wants them (coinbase-pro.md §7): the exact `POST /orders`
// body. The API client sends it (and every other request), signed by
// CoinbaseProAuth over the body exactly as serialised here.
import { limitPriceParam, positiveDecimalParam, type OrderRequestFields } from '@hb/core/connector';
import { COINBASE_PRO_EXCHANGE } from './coinbase-pro-constants.js';
import type { CoinbaseProPlaceOrderBody } from './coinbase-pro-types.js';
import { COINBASE_PRO_CLIENT_ORDER_IDS, toProductId } from './coinbase-pro-utils.js';

/** One order as the market wants it placed; `amount` is the base `size` for every type (market orders by size). */
export interface NewOrderRequest extends OrderRequestFields {
  /** hb pair = product id. */
  readonly tradingPair: string;
}

/**
 * `POST /orders` body, keys in the order of the documented signing example:
 * product_id, side, type, price, size, client_oid, post_only. limit is GTC by
 * the exchange's default (so no time_in_force is sent), limit_maker adds
 * `post_only: true`, market sends `size` and no price. `client_oid` must be a
 * lowercase UUIDv4.
 */
export function buildPlaceOrderBody(order: NewOrderRequest): CoinbaseProPlaceOrderBody {
  const product_id = toProductId(order.tradingPair);
  const size = positiveDecimalParam(COINBASE_PRO_EXCHANGE, order.amount, 'size');
  const client_oid = COINBASE_PRO_CLIENT_ORDER_IDS.check(order.clientOrderId);
  if (order.orderType === 'market') return { product_id, side: order.side, type: 'market', size, client_oid };
  const price = limitPriceParam(COINBASE_PRO_EXCHANGE, order);
  const limit = { product_id, side: order.side, type: 'limit' as const, price, size, client_oid };
  return order.orderType === 'limit_maker' ? { ...limit, post_only: true } : limit;
}
