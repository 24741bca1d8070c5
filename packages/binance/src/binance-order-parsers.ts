// What Binance says about our orders and account, in core's terms (binance.md §7,
// §8): order status -> OrderState, order answers, trades, balances and
// user-stream events -> OrderUpdate / TradeUpdate / BalanceUpdate. Core's
// InFlightOrder owns every transition; this file only reports what Binance said.
// The requests we send are in binance-order-requests.ts.
import BigNumber from 'bignumber.js';
import type {
  BalanceUpdate,
  OpenOrder,
  OrderState,
  OrderType,
  OrderUpdate,
  TradeUpdate,
  UserStreamUpdate,
} from '@hb/core/connector';
import { openOrderOf, type WireObject } from '@hb/core/connector';
import type { BinanceOrderStatus } from './binance-types.js';
import {
  asArray,
  asObject,
  malformed,
  readBoolean,
  readDecimal,
  readPositiveDecimal,
  readSequence,
  readNumber,
  readString,
  type SymbolMap,
} from './binance-utils.js';

// ---------------------------------------------------------------- states ----

const STATES: Readonly<Record<BinanceOrderStatus, OrderState>> = {
  // Order lists only: accepted but not yet working.
  PENDING_NEW: 'PENDING_CREATE',
  NEW: 'OPEN',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  PENDING_CANCEL: 'PENDING_CANCEL',
  CANCELED: 'CANCELED',
  // A definitive rejection: the only Binance status that fails an order.
  REJECTED: 'FAILED',
  // Time in force (IOC/FOK/MARKET remainders) and self-trade prevention.
  EXPIRED: 'EXPIRED',
  EXPIRED_IN_MATCH: 'EXPIRED',
};

/** Binance order status -> core state; an unknown status is a malformed message. */
export function toOrderState(status: string): OrderState {
  const state = (STATES as Readonly<Record<string, OrderState>>)[status];
  if (state === undefined) throw malformed(`order status ${JSON.stringify(status)}`);
  return state;
}

// ------------------------------------------------------------ REST orders ----

/**
 * An order answer -> OrderUpdate: `POST /api/v3/order` (ACK/RESULT/FULL),
 * `GET /api/v3/order`, each `openOrders` row, and `DELETE /api/v3/order` (whose
 * `clientOrderId` is the cancel's own id, so `origClientOrderId` wins). An ACK
 * has no status: the engine accepted the order, so it is OPEN.
 */
export function parseOrderUpdate(raw: unknown, symbols: SymbolMap): OrderUpdate {
  const o = asObject(raw, 'order');
  const orig = o['origClientOrderId'];
  const time = o['updateTime'] ?? o['transactTime'] ?? o['time'];
  const status = o['status'];
  return {
    clientOrderId: typeof orig === 'string' ? orig : readString(o, 'clientOrderId', 'order'),
    exchangeOrderId: String(readNumber(o, 'orderId', 'order')),
    tradingPair: symbols.toPair(readString(o, 'symbol', 'order')),
    newState: status === undefined ? 'OPEN' : toOrderState(readString(o, 'status', 'order')),
    timestamp:
      typeof time === 'number' && Number.isFinite(time) ? time : readNumber(o, 'transactTime', 'order'),
    ...(status === undefined
      ? {}
      : { cumulativeFilledAmount: new BigNumber(readDecimal(o, 'executedQty', 'order')) }),
  };
}

/** The `fills` of a FULL order answer -> one TradeUpdate each (none for ACK/RESULT). */
export function parseOrderFills(raw: unknown, symbols: SymbolMap): TradeUpdate[] {
  const o = asObject(raw, 'order');
  if (o['fills'] === undefined) return [];
  const clientOrderId = readString(o, 'clientOrderId', 'order');
  const exchangeOrderId = String(readNumber(o, 'orderId', 'order'));
  const tradingPair = symbols.toPair(readString(o, 'symbol', 'order'));
  const timestamp = readNumber(o, 'transactTime', 'order');
  return asArray(o['fills'], 'order.fills').map((item) => {
    const f = asObject(item, 'order fill');
    const price = new BigNumber(readPositiveDecimal(f, 'price', 'order fill'));
    const qty = new BigNumber(readPositiveDecimal(f, 'qty', 'order fill'));
    return {
      tradeId: String(readSequence(f, 'tradeId', 'order fill')),
      clientOrderId,
      exchangeOrderId,
      tradingPair,
      fillBaseAmount: qty,
      fillPrice: price,
      fillQuoteAmount: price.times(qty),
      fee: {
        amount: new BigNumber(readDecimal(f, 'commission', 'order fill')),
        asset: readString(f, 'commissionAsset', 'order fill'),
      },
      timestamp,
    };
  });
}

/**
 * `GET /api/v3/myTrades` -> TradeUpdates. Rows carry no client order id; core
 * matches them by exchange order id.
 */
export function parseMyTrades(raw: unknown, symbols: SymbolMap): TradeUpdate[] {
  return asArray(raw, 'myTrades').map((row) => {
    const t = asObject(row, 'myTrade');
    return {
      tradeId: String(readSequence(t, 'id', 'myTrade')),
      exchangeOrderId: String(readNumber(t, 'orderId', 'myTrade')),
      tradingPair: symbols.toPair(readString(t, 'symbol', 'myTrade')),
      fillBaseAmount: new BigNumber(readPositiveDecimal(t, 'qty', 'myTrade')),
      fillPrice: new BigNumber(readPositiveDecimal(t, 'price', 'myTrade')),
      fillQuoteAmount: new BigNumber(readDecimal(t, 'quoteQty', 'myTrade')),
      fee: {
        amount: new BigNumber(readDecimal(t, 'commission', 'myTrade')),
        asset: readString(t, 'commissionAsset', 'myTrade'),
      },
      isMaker: readBoolean(t, 'isMaker', 'myTrade'),
      timestamp: readNumber(t, 'time', 'myTrade'),
    };
  });
}

/** `GET /api/v3/account` -> one balance per asset (total = free + locked). */
export function parseAccountBalances(raw: unknown): BalanceUpdate[] {
  const a = asObject(raw, 'account');
  const timestamp = readNumber(a, 'updateTime', 'account');
  return asArray(a['balances'], 'account.balances').map((row) => {
    const b = asObject(row, 'account balance');
    const free = new BigNumber(readDecimal(b, 'free', 'account balance'));
    return {
      asset: readString(b, 'asset', 'account balance'),
      available: free,
      total: free.plus(readDecimal(b, 'locked', 'account balance')),
      timestamp,
    };
  });
}

// ------------------------------------------------------------ user stream ----

/**
 * `executionReport` -> an order update, plus a trade update when it reports a
 * fill (`x == TRADE`). For a cancel, `c` is the cancel request's id and `C` the
 * order's, so a CANCELED report is identified by `C`.
 */
export function parseExecutionReport(raw: unknown, symbols: SymbolMap): UserStreamUpdate[] {
  const r = asObject(raw, 'executionReport');
  const what = 'executionReport';
  const status = readString(r, 'X', what);
  const original = readString(r, 'C', what);
  const clientOrderId = status === 'CANCELED' && original !== '' ? original : readString(r, 'c', what);
  const exchangeOrderId = String(readNumber(r, 'i', what));
  const tradingPair = symbols.toPair(readString(r, 's', what));
  const timestamp = readNumber(r, 'T', what);
  const rejectReason = readString(r, 'r', what);
  const order: OrderUpdate = {
    clientOrderId,
    exchangeOrderId,
    tradingPair,
    newState: toOrderState(status),
    timestamp,
    cumulativeFilledAmount: new BigNumber(readDecimal(r, 'z', what)),
    ...(rejectReason !== 'NONE' ? { reason: rejectReason } : {}),
  };
  const updates: UserStreamUpdate[] = [{ kind: 'order', update: order }];
  if (readString(r, 'x', what) === 'TRADE') {
    const commission = new BigNumber(readDecimal(r, 'n', what));
    const asset = r['N'];
    if (typeof asset !== 'string' && !(asset === null && commission.isZero()))
      throw malformed(`${what}.N (no commission asset)`);
    updates.push({
      kind: 'trade',
      update: {
        tradeId: String(readSequence(r, 't', what)),
        clientOrderId,
        exchangeOrderId,
        tradingPair,
        fillBaseAmount: new BigNumber(readPositiveDecimal(r, 'l', what)),
        fillPrice: new BigNumber(readPositiveDecimal(r, 'L', what)),
        fillQuoteAmount: new BigNumber(readDecimal(r, 'Y', what)),
        fee: { amount: commission, asset: typeof asset === 'string' ? asset : '' },
        isMaker: readBoolean(r, 'm', what),
        timestamp,
      },
    });
  }
  return updates;
}

/** `outboundAccountPosition` -> absolute balances of the assets that changed. */
export function parseOutboundAccountPosition(raw: unknown): UserStreamUpdate[] {
  const p = asObject(raw, 'outboundAccountPosition');
  const timestamp = readNumber(p, 'u', 'outboundAccountPosition');
  return asArray(p['B'], 'outboundAccountPosition.B').map((row) => {
    const b = asObject(row, 'outboundAccountPosition balance');
    const free = new BigNumber(readDecimal(b, 'f', 'outboundAccountPosition balance'));
    return {
      kind: 'balance',
      update: {
        asset: readString(b, 'a', 'outboundAccountPosition balance'),
        available: free,
        total: free.plus(readDecimal(b, 'l', 'outboundAccountPosition balance')),
        timestamp,
      },
    };
  });
}

/** Why a user data subscription ended: resubscribe (or reconnect) and reconcile by REST. */
export type BinanceStreamEnd = 'eventStreamTerminated' | 'listenKeyExpired' | 'serverShutdown';

/** What one user data frame means to the market. */
export type BinanceUserEvent =
  | { readonly kind: 'updates'; readonly updates: UserStreamUpdate[] }
  | { readonly kind: 'ended'; readonly reason: BinanceStreamEnd; readonly timestamp: number }
  /** Events that change nothing we track (balanceUpdate deltas are followed by an outboundAccountPosition). */
  | { readonly kind: 'ignored'; readonly event: string };

/**
 * One user data event, wrapped (`{subscriptionId, event}`, WS API) or bare
 * (legacy listenKey stream), dispatched on `e`.
 */
export function parseUserDataEvent(raw: unknown, symbols: SymbolMap): BinanceUserEvent {
  const frame = asObject(raw, 'user data frame');
  const event: WireObject =
    'event' in frame && 'subscriptionId' in frame ? asObject(frame['event'], 'user data event') : frame;
  const type = readString(event, 'e', 'user data event');
  switch (type) {
    case 'executionReport':
      return { kind: 'updates', updates: parseExecutionReport(event, symbols) };
    case 'outboundAccountPosition':
      return { kind: 'updates', updates: parseOutboundAccountPosition(event) };
    case 'eventStreamTerminated':
    case 'listenKeyExpired':
    case 'serverShutdown':
      return { kind: 'ended', reason: type, timestamp: readNumber(event, 'E', type) };
    default:
      return { kind: 'ignored', event: type };
  }
}

/** Binance order types hb places, by wire name. */
const OPEN_ORDER_TYPES: Readonly<Record<string, OrderType>> = {
  LIMIT: 'limit',
  LIMIT_MAKER: 'limit_maker',
  MARKET: 'market',
};

/**
 * `GET /api/v3/openOrders` -> open orders, whoever placed them; stop and
 * take-profit types become `limit` when priced, else `market`.
 */
export function parseOpenOrders(raw: unknown, symbols: SymbolMap): OpenOrder[] {
  return asArray(raw, 'openOrders').map((row) => {
    const o = asObject(row, 'openOrders[]');
    return openOrderOf(parseOrderUpdate(row, symbols), {
      side: readString(o, 'side', 'openOrders[]') === 'SELL' ? 'sell' : 'buy',
      orderType: OPEN_ORDER_TYPES[readString(o, 'type', 'openOrders[]')],
      price: readDecimal(o, 'price', 'openOrders[]'),
      amount: readDecimal(o, 'origQty', 'openOrders[]'),
      timestamp: readNumber(o, 'time', 'openOrders[]'),
    });
  });
}
