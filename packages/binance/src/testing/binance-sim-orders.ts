// New-order parameters as Binance checks them (shared/exchanges/binance.md §3, §7):
// parameter presence per order type, number formats, then the symbol filters in the
// order exchangeInfo lists them. Pure: params and market in, a spec or a
// BinanceSimError out.

import BigNumber from 'bignumber.js';
import type { EngineSide, TimeInForce } from '@hb/testing';
import {
  BinanceSimError,
  filterFailure,
  illegalChars,
  mandatoryParam,
  paramNotRequired,
  tooMuchPrecision,
} from './binance-sim-errors.js';
import type { BinanceSimMarket } from './binance-sim-types.js';
import type { SimOrderType } from './binance-sim-wire.js';

/** What `newOrderRespType` asks for. */
export type OrderRespType = 'ACK' | 'RESULT' | 'FULL';

/** A validated new order. */
export interface NewOrderSpec {
  readonly type: SimOrderType;
  readonly side: EngineSide;
  /** LIMIT only. */
  readonly timeInForce: TimeInForce | undefined;
  readonly quantity: BigNumber | undefined;
  /** MARKET only, instead of quantity. */
  readonly quoteOrderQty: BigNumber | undefined;
  readonly price: BigNumber | undefined;
  readonly newClientOrderId: string | undefined;
  readonly respType: OrderRespType;
}

const DECIMAL_RE = /^([0-9]{1,20})(\.[0-9]{1,20})?$/;
const CLIENT_ID_RE = /^[a-zA-Z0-9-_]{1,36}$/;
const MAX_DECIMALS = 8;

/** Parses `side`. */
export function parseSide(raw: string | undefined): EngineSide {
  if (raw === undefined || raw === '') throw mandatoryParam('side');
  if (raw === 'BUY') return 'buy';
  if (raw === 'SELL') return 'sell';
  throw new BinanceSimError(-1117, 'Invalid side.');
}

/** Parses a decimal parameter, or undefined when absent. */
export function parseDecimal(params: Readonly<Record<string, string>>, name: string): BigNumber | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (raw === '') throw mandatoryParam(name);
  if (!DECIMAL_RE.test(raw)) throw illegalChars(name, '^([0-9]{1,20})(\\.[0-9]{1,20})?$');
  const v = new BigNumber(raw);
  if ((v.decimalPlaces() ?? 0) > MAX_DECIMALS) throw tooMuchPrecision(name);
  return v;
}

/** Parses an integer id parameter (`orderId`, `fromId`), or undefined when absent. */
export function parseId(params: Readonly<Record<string, string>>, name: string): number | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (!/^[0-9]{1,20}$/.test(raw)) throw illegalChars(name, '^[0-9]{1,20}$');
  return Number(raw);
}

/** Parses `newClientOrderId` (and any other client id parameter). */
export function parseClientOrderId(
  params: Readonly<Record<string, string>>,
  name: string,
): string | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (raw === '') {
    throw name === 'newClientOrderId'
      ? new BinanceSimError(-1118, 'New client order ID was empty.')
      : new BinanceSimError(-1119, 'Original client order ID was empty.');
  }
  if (!CLIENT_ID_RE.test(raw)) throw illegalChars(name, '^[a-zA-Z0-9-_]{1,36}$');
  return raw;
}

/**
 * Checks the parameters of `POST /api/v3/order` for one market: which parameters an
 * order type requires and which it must not get (-1102 / -1106), formats (-1100,
 * -1111), enums (-1115, -1116, -1117).
 */
export function parseNewOrder(params: Readonly<Record<string, string>>): NewOrderSpec {
  const side = parseSide(params['side']);
  const typeRaw = params['type'];
  if (typeRaw === undefined || typeRaw === '') throw mandatoryParam('type');
  let type: SimOrderType;
  switch (typeRaw) {
    case 'LIMIT':
    case 'LIMIT_MAKER':
    case 'MARKET':
      type = typeRaw;
      break;
    case 'STOP_LOSS':
    case 'STOP_LOSS_LIMIT':
    case 'TAKE_PROFIT':
    case 'TAKE_PROFIT_LIMIT':
      // Real Binance accepts these; the simulator does not trigger stop orders.
      throw new BinanceSimError(-1014, 'Unsupported order combination.');
    default:
      throw new BinanceSimError(-1116, 'Invalid orderType.');
  }

  let timeInForce: TimeInForce | undefined;
  const tifRaw = params['timeInForce'];
  if (type === 'LIMIT') {
    if (tifRaw === undefined || tifRaw === '') throw mandatoryParam('timeInForce');
    if (tifRaw !== 'GTC' && tifRaw !== 'IOC' && tifRaw !== 'FOK')
      throw new BinanceSimError(-1115, 'Invalid timeInForce.');
    timeInForce = tifRaw;
  } else if (tifRaw !== undefined) {
    throw paramNotRequired('timeInForce');
  }

  const quantity = parseDecimal(params, 'quantity');
  const quoteOrderQty = parseDecimal(params, 'quoteOrderQty');
  const price = parseDecimal(params, 'price');
  if (type === 'MARKET') {
    if (price !== undefined) throw paramNotRequired('price');
    if (quantity === undefined && quoteOrderQty === undefined) {
      throw new BinanceSimError(
        -1102,
        "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!",
      );
    }
    if (quantity !== undefined && quoteOrderQty !== undefined) throw paramNotRequired('quoteOrderQty');
  } else {
    if (quantity === undefined) throw mandatoryParam('quantity');
    if (price === undefined) throw mandatoryParam('price');
    if (quoteOrderQty !== undefined) throw paramNotRequired('quoteOrderQty');
  }
  if (price !== undefined && !price.gt(0)) throw new BinanceSimError(-1013, 'Invalid price.');
  if (quantity !== undefined && !quantity.gt(0)) throw new BinanceSimError(-1013, 'Invalid quantity.');
  if (quoteOrderQty !== undefined && !quoteOrderQty.gt(0))
    throw new BinanceSimError(-1013, 'Invalid quantity.');

  const respRaw = params['newOrderRespType'];
  let respType: OrderRespType;
  if (respRaw === undefined) respType = type === 'LIMIT_MAKER' ? 'ACK' : 'FULL';
  else if (respRaw === 'ACK' || respRaw === 'RESULT' || respRaw === 'FULL') respType = respRaw;
  else throw illegalChars('newOrderRespType', 'ACK, RESULT, FULL');

  return {
    type,
    side,
    timeInForce,
    quantity,
    quoteOrderQty,
    price,
    newClientOrderId: parseClientOrderId(params, 'newClientOrderId'),
    respType,
  };
}

/** What the filters need to know besides the order. */
export interface FilterContext {
  /** The account's open orders on this symbol (MAX_NUM_ORDERS). */
  readonly openOrders: number;
  /** Reference price for a MARKET order's notional (average price), if the market has one. */
  readonly referencePrice: BigNumber | undefined;
}

/**
 * Applies the symbol filters in exchangeInfo order: PRICE_FILTER, LOT_SIZE,
 * NOTIONAL, MARKET_LOT_SIZE, MAX_NUM_ORDERS; the first broken one answers
 * `-1013 "Filter failure: <NAME>"`.
 */
export function checkFilters(spec: NewOrderSpec, m: BinanceSimMarket, ctx: FilterContext): void {
  const price = spec.price;
  if (price !== undefined) {
    const minPrice = new BigNumber(m.minPrice);
    const maxPrice = new BigNumber(m.maxPrice);
    const tick = new BigNumber(m.tickSize);
    if (
      (minPrice.gt(0) && price.lt(minPrice)) ||
      (maxPrice.gt(0) && price.gt(maxPrice)) ||
      (tick.gt(0) && !price.minus(minPrice).mod(tick).isZero())
    ) {
      throw filterFailure('PRICE_FILTER');
    }
  }
  const qty = spec.quantity;
  if (qty !== undefined && !lotOk(qty, m.minQty, m.maxQty, m.stepSize)) throw filterFailure('LOT_SIZE');

  const minNotional = new BigNumber(m.minNotional);
  const maxNotional = new BigNumber(m.maxNotional);
  if (spec.type === 'MARKET') {
    // applyMinToMarket: true, applyMaxToMarket: false (as exchangeInfo says).
    const notional =
      spec.quoteOrderQty ??
      (ctx.referencePrice === undefined ? undefined : (qty as BigNumber).times(ctx.referencePrice));
    if (notional !== undefined && minNotional.gt(0) && notional.lt(minNotional))
      throw filterFailure('NOTIONAL');
  } else if (price !== undefined && qty !== undefined) {
    const notional = price.times(qty);
    if ((minNotional.gt(0) && notional.lt(minNotional)) || (maxNotional.gt(0) && notional.gt(maxNotional))) {
      throw filterFailure('NOTIONAL');
    }
  }
  if (spec.type === 'MARKET' && qty !== undefined && !lotOk(qty, '0', m.marketMaxQty, '0')) {
    throw filterFailure('MARKET_LOT_SIZE');
  }
  if (spec.type !== 'MARKET' && ctx.openOrders >= m.maxNumOrders) throw filterFailure('MAX_NUM_ORDERS');
}

function lotOk(qty: BigNumber, minQ: string, maxQ: string, stepS: string): boolean {
  const min = new BigNumber(minQ);
  const max = new BigNumber(maxQ);
  const step = new BigNumber(stepS);
  if (min.gt(0) && qty.lt(min)) return false;
  if (max.gt(0) && qty.gt(max)) return false;
  if (step.gt(0) && !qty.minus(min).mod(step).isZero()) return false;
  return true;
}
