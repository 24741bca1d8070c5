// Bittrex's order life cycle in core's terms (bittrex.md §7, §8): Order objects
// (REST and the `order` stream), executions and balances -> OrderUpdate /
// TradeUpdate / BalanceUpdate. Core's InFlightOrder owns every transition; this
// file only reports what Bittrex said. The body we send is in bittrex-order-requests.ts.
import BigNumber from 'bignumber.js';
import type {
  BalanceUpdate,
  OpenOrder,
  OrderSide,
  OrderState,
  OrderUpdate,
  TradeUpdate,
} from '@hb/core/connector';
import {
  asArray,
  asObject,
  malformed,
  readDirection,
  readFlag,
  readOptionalDecimal,
  readOptionalString,
  readString,
  readTime,
  readUnsigned,
  type WireObject,
} from './bittrex-utils.js';

/** The fields of an Order object the connector uses. */
export interface BittrexOrder {
  readonly id: string;
  readonly marketSymbol: string;
  readonly side: OrderSide;
  readonly type: string;
  /** Absent for ceiling orders. */
  readonly quantity: BigNumber | undefined;
  readonly limit: BigNumber | undefined;
  readonly timeInForce: string;
  readonly clientOrderId: string | undefined;
  readonly fillQuantity: BigNumber;
  readonly commission: BigNumber;
  readonly proceeds: BigNumber;
  readonly status: 'OPEN' | 'CLOSED';
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly closedAt: number | undefined;
}

/** Reads an Order object (REST answer or `order` stream delta). */
export function parseOrder(value: unknown, what = 'order'): BittrexOrder {
  const o: WireObject = asObject(value, what);
  const status = readString(o, 'status', what);
  if (status !== 'OPEN' && status !== 'CLOSED') throw malformed(`${what}.status (${status})`);
  const type = readString(o, 'type', what);
  const quantity = readOptionalDecimal(o, 'quantity', what);
  // Only ceiling orders (sized by quote) come without a quantity.
  if (quantity === undefined && !type.startsWith('CEILING')) throw malformed(`${what}.quantity (absent)`);
  const limit = readOptionalDecimal(o, 'limit', what);
  if (limit !== undefined && !new BigNumber(limit).gt(0)) throw malformed(`${what}.limit (not above zero)`);
  const createdAt = readTime(o, 'createdAt', what);
  const updatedAt = o['updatedAt'] === undefined ? createdAt : readTime(o, 'updatedAt', what);
  return {
    id: readString(o, 'id', what),
    marketSymbol: readString(o, 'marketSymbol', what),
    side: readDirection(o, 'direction', what),
    type,
    quantity: quantity === undefined ? undefined : new BigNumber(quantity),
    limit: limit === undefined ? undefined : new BigNumber(limit),
    timeInForce: readString(o, 'timeInForce', what),
    clientOrderId: readOptionalString(o, 'clientOrderId', what),
    fillQuantity: new BigNumber(readUnsigned(o, 'fillQuantity', what)),
    commission: new BigNumber(readUnsigned(o, 'commission', what)),
    proceeds: new BigNumber(readUnsigned(o, 'proceeds', what)),
    status,
    createdAt,
    updatedAt,
    closedAt:
      o['closedAt'] === undefined || o['closedAt'] === null ? undefined : readTime(o, 'closedAt', what),
  };
}

/**
 * Bittrex says only OPEN or CLOSED; how a CLOSED order ended follows from its
 * fills (Hummingbot's rule): all filled -> FILLED, otherwise CANCELED (a
 * cancel, an IOC/market remainder, or an unfilled FOK). A partly filled open
 * order is OPEN here: core counts fills itself.
 */
export function toOrderState(order: BittrexOrder): OrderState {
  if (order.status === 'OPEN') return 'OPEN';
  if (order.quantity !== undefined && order.fillQuantity.gte(order.quantity)) return 'FILLED';
  return 'CANCELED';
}

/** An Order -> core's update. */
export function toOrderUpdate(order: BittrexOrder): OrderUpdate {
  return {
    clientOrderId: order.clientOrderId,
    exchangeOrderId: order.id,
    tradingPair: order.marketSymbol,
    newState: toOrderState(order),
    timestamp: order.closedAt ?? order.updatedAt,
    cumulativeFilledAmount: order.fillQuantity,
  };
}

/** An Order -> an open order row (for `fetchOpenOrders`). */
export function toOpenOrder(order: BittrexOrder): OpenOrder {
  const limit = order.limit;
  return {
    clientOrderId: order.clientOrderId,
    exchangeOrderId: order.id,
    tradingPair: order.marketSymbol,
    side: order.side,
    orderType:
      limit === undefined ? 'market' : order.timeInForce.startsWith('POST_ONLY') ? 'limit_maker' : 'limit',
    price: limit ?? new BigNumber(NaN),
    amount: order.quantity ?? new BigNumber(NaN),
    filledAmount: order.fillQuantity,
    state: order.fillQuantity.gt(0) && order.status === 'OPEN' ? 'PARTIALLY_FILLED' : toOrderState(order),
    timestamp: order.createdAt,
  };
}

/**
 * An Execution -> a fill. The commission is charged in the quote currency
 * (§10); `isTaker` says which side we were.
 */
export function parseExecution(value: unknown, what = 'execution', clientOrderId?: string): TradeUpdate {
  const o = asObject(value, what);
  const marketSymbol = readString(o, 'marketSymbol', what);
  const quote = marketSymbol.slice(marketSymbol.indexOf('-') + 1);
  const amount = new BigNumber(readUnsigned(o, 'quantity', what));
  const price = new BigNumber(readUnsigned(o, 'rate', what));
  if (!amount.gt(0) || !price.gt(0)) throw malformed(`${what} (non-positive quantity or rate)`);
  return {
    tradeId: readString(o, 'id', what),
    exchangeOrderId: readString(o, 'orderId', what),
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    tradingPair: marketSymbol,
    fillBaseAmount: amount,
    fillQuoteAmount: amount.times(price),
    fillPrice: price,
    fee: { amount: new BigNumber(readUnsigned(o, 'commission', what)), asset: quote },
    isMaker: !readFlag(o, 'isTaker', what),
    timestamp: readTime(o, 'executedAt', what),
  };
}

/** `GET /orders/{id}/executions` (or `/executions`) -> fills. */
export function parseExecutions(body: unknown, clientOrderId?: string): TradeUpdate[] {
  return asArray(body, 'executions').map((e, i) => parseExecution(e, `executions[${i}]`, clientOrderId));
}

/** A Balance object -> core's balance. */
export function parseBalance(value: unknown, what = 'balance'): BalanceUpdate {
  const o = asObject(value, what);
  const total = new BigNumber(readUnsigned(o, 'total', what));
  const available = new BigNumber(readUnsigned(o, 'available', what));
  if (available.gt(total)) throw malformed(`${what} (available above total)`);
  return {
    asset: readString(o, 'currencySymbol', what),
    total,
    available,
    timestamp: o['updatedAt'] === undefined ? Date.now() : readTime(o, 'updatedAt', what),
  };
}

/** `GET /balances` -> balances. */
export function parseBalances(body: unknown): BalanceUpdate[] {
  return asArray(body, 'balances').map((b, i) => parseBalance(b, `balances[${i}]`));
}

/** `GET /orders/open` (or closed) -> orders. */
export function parseOrders(body: unknown): BittrexOrder[] {
  return asArray(body, 'orders').map((o, i) => parseOrder(o, `orders[${i}]`));
}
