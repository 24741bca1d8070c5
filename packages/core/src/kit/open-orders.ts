// An open order as a connector lists it (`fetchOpenOrders`): the identity and
// state come from the same parse as any order answer (an `OrderUpdate`), the
// rest from the exchange's row. The rules for what hb does not place are core's
// (see `OpenOrder`), so every connector maps them the same way.
import BigNumber from 'bignumber.js';
import type { OpenOrder, OrderSide, OrderType, OrderUpdate } from '../orders/order-types.js';

/** What an open-order row adds to its `OrderUpdate`. */
export interface OpenOrderRow {
  readonly side: OrderSide;
  /** The order type when it is one hb places; undefined for others (stop, take-profit...). */
  readonly orderType: OrderType | undefined;
  /** The limit price as the exchange lists it; absent, or 0, for an unpriced order. */
  readonly price: BigNumber.Value | undefined;
  /** The order's amount; absent when the exchange does not list one (NaN). */
  readonly amount: BigNumber.Value | undefined;
  /** Exchange creation time, ms since epoch. */
  readonly timestamp: number;
}

/**
 * The open order of `update` and its `row`: an order type hb does not place
 * becomes `limit` when priced, else `market`; an unpriced order's price and an
 * unlisted amount are NaN; nothing filled yet when the update says nothing.
 */
export function openOrderOf(update: OrderUpdate, row: OpenOrderRow): OpenOrder {
  const price = row.price === undefined ? undefined : new BigNumber(row.price);
  const priced = price !== undefined && price.gt(0);
  return {
    clientOrderId: update.clientOrderId,
    exchangeOrderId: update.exchangeOrderId ?? '',
    tradingPair: update.tradingPair,
    side: row.side,
    orderType: row.orderType ?? (priced ? 'limit' : 'market'),
    price: priced ? price : new BigNumber(NaN),
    amount: row.amount === undefined ? new BigNumber(NaN) : new BigNumber(row.amount),
    filledAmount: update.cumulativeFilledAmount ?? new BigNumber(0),
    state: update.newState,
    timestamp: row.timestamp,
  };
}
