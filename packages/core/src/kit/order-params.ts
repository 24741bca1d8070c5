// What every connector's order-request builder reads from an order, and the one
// rule for writing a decimal onto the wire. Field names and order on the wire
// are the exchange's business; these are not.
import BigNumber from 'bignumber.js';
import type { OrderSide, OrderType } from '../orders/order-types.js';

/** A decimal a connector sends: a BigNumber (rendered without exponent) or an already formatted string. */
export type DecimalParam = BigNumber | string;

/** The fields of an order a placement request is built from. */
export interface OrderRequestFields {
  readonly side: OrderSide;
  readonly orderType: OrderType;
  /** Base amount. */
  readonly amount: DecimalParam;
  /** Required for limit and limit_maker; never sent for market. */
  readonly price?: DecimalParam;
  /** Our id, sent as the exchange's client order id. */
  readonly clientOrderId: string;
}

/**
 * A positive decimal in plain notation (`1e-8` -> `0.00000001`). Anything else
 * is our bug, refused with a RangeError naming the exchange and the field before
 * a request is sent.
 */
export function positiveDecimalParam(exchange: string, value: DecimalParam, name: string): string {
  const s = typeof value === 'string' ? value : value.toFixed();
  if (!/^[0-9]+(\.[0-9]+)?$/.test(s) || new BigNumber(s).lte(0))
    throw new RangeError(`${exchange}: ${name} must be a positive decimal, got ${s}`);
  return s;
}

/** The price of a limit or limit_maker order; a RangeError when it is missing. */
export function limitPriceParam(exchange: string, order: OrderRequestFields, name = 'price'): string {
  if (order.price === undefined)
    throw new RangeError(`${exchange}: a ${order.orderType} order needs a price`);
  return positiveDecimalParam(exchange, order.price, name);
}
