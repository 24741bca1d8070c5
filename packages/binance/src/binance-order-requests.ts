// Our orders as Binance's signed-request params (binance.md §7): the exact
// `POST /api/v3/order` params and the by-client-id lookup / cancel params. The
// API client sends them; `recvWindow`/`timestamp`/`signature` are BinanceAuth's.
import {
  limitPriceParam,
  positiveDecimalParam,
  type OrderRequestFields,
  type OrderType,
} from '@hb/core/connector';
import { BINANCE_EXCHANGE } from './binance-constants.js';
import { BINANCE_CLIENT_ORDER_IDS } from './binance-utils.js';

/** One order as the market wants it placed. */
export interface NewOrderRequest extends OrderRequestFields {
  readonly symbol: string;
  /** Omitted: Binance's default (FULL for LIMIT/MARKET, ACK for LIMIT_MAKER). */
  readonly responseType?: 'ACK' | 'RESULT' | 'FULL';
}

const WIRE_TYPES: Readonly<Record<OrderType, string>> = {
  limit: 'LIMIT',
  limit_maker: 'LIMIT_MAKER',
  market: 'MARKET',
};

/**
 * `POST /api/v3/order` params in the order they are sent (and signed). LIMIT
 * carries `timeInForce=GTC`; LIMIT_MAKER and MARKET must not carry any (Binance
 * rejects a parameter that is not required). `recvWindow`/`timestamp` are added
 * by BinanceAuth.
 */
export function buildNewOrderParams(order: NewOrderRequest): [string, string][] {
  const params: [string, string][] = [
    ['symbol', order.symbol],
    ['side', order.side === 'buy' ? 'BUY' : 'SELL'],
    ['type', WIRE_TYPES[order.orderType]],
  ];
  if (order.orderType === 'limit') params.push(['timeInForce', 'GTC']);
  params.push(['quantity', positiveDecimalParam(BINANCE_EXCHANGE, order.amount, 'quantity')]);
  if (order.orderType !== 'market') params.push(['price', limitPriceParam(BINANCE_EXCHANGE, order)]);
  params.push(['newClientOrderId', BINANCE_CLIENT_ORDER_IDS.check(order.clientOrderId)]);
  if (order.responseType !== undefined) params.push(['newOrderRespType', order.responseType]);
  return params;
}

/** `DELETE /api/v3/order` and `GET /api/v3/order` params: by our client id, which survives unknown outcomes. */
export function buildOrderLookupParams(symbol: string, clientOrderId: string): [string, string][] {
  return [
    ['symbol', symbol],
    ['origClientOrderId', BINANCE_CLIENT_ORDER_IDS.check(clientOrderId)],
  ];
}
