// Engine values -> Binance's JSON (shared/exchanges/binance.md §4, §5, §7, §8c). Pure
// functions: every field name, spelling (`cummulativeQuoteQty`) and decimal format
// the simulator sends is decided here and nowhere else.

import BigNumber from 'bignumber.js';
import type { AccountTrade, EngineOrder, EngineSide, EngineTrade } from '@hb/testing';
import type {
  BinanceCancelOrderResponse,
  BinanceExecutionReport,
  BinanceMyTrade,
  BinanceOrderAck,
  BinanceOrderFill,
  BinanceOrderFull,
  BinanceOrderResult,
  BinanceOrderSide,
  BinanceOrderStatus,
  BinanceQueryOrderResponse,
  BinanceRecentTrade,
  BinanceTimeInForce,
  BinanceTradeEvent,
} from '../binance-types.js';

/** Binance's decimal format: a string with exactly 8 decimals ("0.10000000"). */
export function dec(v: BigNumber.Value | undefined): string {
  if (v === undefined) return '0.00000000';
  return new BigNumber(v).toFixed(8, BigNumber.ROUND_DOWN);
}

/** The order types the simulator places. */
export type SimOrderType = 'LIMIT' | 'LIMIT_MAKER' | 'MARKET';

/** `BUY` / `SELL`. */
export function wireSide(side: EngineSide): BinanceOrderSide {
  return side === 'buy' ? 'BUY' : 'SELL';
}

/** Binance's order type of an engine order (post-only limit = LIMIT_MAKER). */
export function wireType(o: EngineOrder): SimOrderType {
  if (o.type === 'market') return 'MARKET';
  return o.postOnly ? 'LIMIT_MAKER' : 'LIMIT';
}

/** Binance reports GTC for LIMIT_MAKER and MARKET orders, which take no timeInForce. */
export function wireTif(o: EngineOrder): BinanceTimeInForce {
  return wireType(o) === 'LIMIT' ? o.timeInForce : 'GTC';
}

/** Binance's order status of an engine order. */
export function wireStatus(o: EngineOrder): BinanceOrderStatus {
  switch (o.status) {
    case 'new':
      return 'NEW';
    case 'partially_filled':
      return 'PARTIALLY_FILLED';
    case 'filled':
      return 'FILLED';
    case 'cancelled':
      return 'CANCELED';
    case 'rejected':
      return 'REJECTED';
    case 'expired':
      return o.expireReason === 'self_trade_prevention' ? 'EXPIRED_IN_MATCH' : 'EXPIRED';
  }
}

/** `selfTradePreventionMode` of an order. */
export function wireStp(o: EngineOrder): string {
  return o.selfTradePrevention.toUpperCase();
}

/** Binance's numeric order id (the engine's ids are decimal strings). */
export function wireOrderId(o: EngineOrder): number {
  return Number(o.orderId);
}

/** `origQty`: a market order given by quote shows what it executed. */
function origQty(o: EngineOrder): string {
  return dec(o.amount ?? o.filledAmount);
}

/** ACK answer of `POST /api/v3/order`. */
export function orderAck(symbol: string, o: EngineOrder, transactTime: number): BinanceOrderAck {
  return {
    symbol,
    orderId: wireOrderId(o),
    orderListId: -1,
    clientOrderId: o.clientOrderId ?? '',
    transactTime,
  };
}

/** RESULT answer of `POST /api/v3/order`. */
export function orderResult(symbol: string, o: EngineOrder, transactTime: number): BinanceOrderResult {
  return {
    ...orderAck(symbol, o, transactTime),
    price: dec(o.price),
    origQty: origQty(o),
    executedQty: dec(o.filledAmount),
    origQuoteOrderQty: dec(o.quoteAmount),
    cummulativeQuoteQty: dec(o.filledQuote),
    status: wireStatus(o),
    timeInForce: wireTif(o),
    type: wireType(o),
    side: wireSide(o.side),
    workingTime: o.createdAt,
    selfTradePreventionMode: wireStp(o),
  };
}

/** FULL answer of `POST /api/v3/order`: RESULT plus this order's taker fills. */
export function orderFull(
  symbol: string,
  o: EngineOrder,
  transactTime: number,
  fills: readonly EngineTrade[],
): BinanceOrderFull {
  return {
    ...orderResult(symbol, o, transactTime),
    fills: fills.map((t): BinanceOrderFill => ({
      price: dec(t.price),
      qty: dec(t.amount),
      commission: dec(t.takerFee.amount),
      commissionAsset: t.takerFee.asset,
      tradeId: t.tradeId,
    })),
  };
}

/** `GET /api/v3/order` and each row of `GET /api/v3/openOrders`. */
export function queryOrder(symbol: string, o: EngineOrder): BinanceQueryOrderResponse {
  return {
    symbol,
    orderId: wireOrderId(o),
    orderListId: -1,
    clientOrderId: o.clientOrderId ?? '',
    price: dec(o.price),
    origQty: origQty(o),
    executedQty: dec(o.filledAmount),
    cummulativeQuoteQty: dec(o.filledQuote),
    status: wireStatus(o),
    timeInForce: wireTif(o),
    type: wireType(o),
    side: wireSide(o.side),
    stopPrice: dec(0),
    icebergQty: dec(0),
    time: o.createdAt,
    updateTime: o.updatedAt,
    isWorking: o.status !== 'rejected',
    workingTime: o.createdAt,
    origQuoteOrderQty: dec(o.quoteAmount),
    selfTradePreventionMode: wireStp(o),
  };
}

/** `DELETE /api/v3/order`: `clientOrderId` is the cancel's own id. */
export function cancelResponse(
  symbol: string,
  o: EngineOrder,
  cancelClientOrderId: string,
  transactTime: number,
): BinanceCancelOrderResponse {
  return {
    symbol,
    origClientOrderId: o.clientOrderId ?? '',
    orderId: wireOrderId(o),
    orderListId: -1,
    clientOrderId: cancelClientOrderId,
    transactTime,
    price: dec(o.price),
    origQty: origQty(o),
    executedQty: dec(o.filledAmount),
    origQuoteOrderQty: dec(o.quoteAmount),
    cummulativeQuoteQty: dec(o.filledQuote),
    status: wireStatus(o),
    timeInForce: wireTif(o),
    type: wireType(o),
    side: wireSide(o.side),
    selfTradePreventionMode: wireStp(o),
  };
}

/** One row of `GET /api/v3/myTrades`. */
export function myTrade(symbol: string, t: AccountTrade): BinanceMyTrade {
  return {
    symbol,
    id: t.trade.tradeId,
    orderId: Number(t.orderId),
    orderListId: -1,
    price: dec(t.trade.price),
    qty: dec(t.trade.amount),
    quoteQty: dec(t.trade.quoteAmount),
    commission: dec(t.fee.amount),
    commissionAsset: t.fee.asset,
    time: t.trade.timestamp,
    isBuyer: t.side === 'buy',
    isMaker: t.isMaker,
    isBestMatch: true,
  };
}

/** One row of `GET /api/v3/trades`: `isBuyerMaker` true when the taker sold. */
export function recentTrade(t: EngineTrade): BinanceRecentTrade {
  return {
    id: t.tradeId,
    price: dec(t.price),
    qty: dec(t.amount),
    quoteQty: dec(t.quoteAmount),
    time: t.timestamp,
    isBuyerMaker: t.takerSide === 'sell',
    isBestMatch: true,
  };
}

/** `<symbol>@trade` event: `m` true when the buyer was the maker (the taker sold). */
export function tradeEvent(symbol: string, t: EngineTrade, eventTime: number): BinanceTradeEvent {
  return {
    e: 'trade',
    E: eventTime,
    s: symbol,
    t: t.tradeId,
    p: dec(t.price),
    q: dec(t.amount),
    T: t.timestamp,
    m: t.takerSide === 'sell',
    M: true,
  };
}

/** Execution types the simulator emits. */
export type SimExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'REJECTED';

/** What one executionReport describes. */
export interface ExecutionReportInput {
  readonly symbol: string;
  readonly order: EngineOrder;
  readonly executionType: SimExecutionType;
  readonly eventTime: number;
  /** `c`: the order's client id, or the cancel request's id on CANCELED. */
  readonly clientOrderId: string;
  /** `C`: the original client id on CANCELED, `""` otherwise. */
  readonly origClientOrderId: string;
  /** `r`. */
  readonly rejectReason: string;
  /** The fill, for TRADE. */
  readonly trade?: EngineTrade;
  /** Whether this order was the maker of `trade`. */
  readonly isMaker?: boolean;
  /** `w`: the order is on the book after this event. */
  readonly onBook: boolean;
  /** `I`: a per-server event counter. */
  readonly eventId: number;
}

/** An `executionReport`, field for field as binance.md §8c's example. */
export function executionReport(i: ExecutionReportInput): BinanceExecutionReport {
  const o = i.order;
  const t = i.trade;
  const fee = t === undefined ? undefined : i.isMaker === true ? t.makerFee : t.takerFee;
  return {
    e: 'executionReport',
    E: i.eventTime,
    s: i.symbol,
    c: i.clientOrderId,
    S: wireSide(o.side),
    o: wireType(o),
    f: wireTif(o),
    q: origQty(o),
    p: dec(o.price),
    P: dec(0),
    F: dec(0),
    g: -1,
    C: i.origClientOrderId,
    x: i.executionType,
    X: wireStatus(o),
    r: i.rejectReason,
    i: wireOrderId(o),
    l: dec(t?.amount),
    z: dec(o.filledAmount),
    L: dec(t?.price),
    n: fee === undefined ? '0' : dec(fee.amount),
    N: fee === undefined ? null : fee.asset,
    T: t?.timestamp ?? (i.executionType === 'NEW' ? o.createdAt : o.updatedAt),
    t: t?.tradeId ?? -1,
    I: i.eventId,
    w: i.onBook,
    m: i.isMaker === true,
    M: false,
    O: o.createdAt,
    Z: dec(o.filledQuote),
    Y: dec(t?.quoteAmount),
    Q: dec(o.quoteAmount),
    W: o.createdAt,
    V: wireStp(o),
  };
}
