// What Coinbase says about our orders and account, in core's terms
// (coinbase-pro.md §7, §8): order status / done_reason -> OrderState, order
// objects, fills, accounts, fees and `user`-channel messages -> OrderUpdate /
// TradeUpdate / BalanceUpdate. Core's InFlightOrder owns every transition; this
// file only reports what Coinbase said. The order we send is in
// coinbase-pro-order-requests.ts.
import BigNumber from 'bignumber.js';
import type {
  BalanceUpdate,
  OpenOrder,
  OrderState,
  OrderUpdate,
  TradeUpdate,
  UserStreamUpdate,
} from '@hb/core/connector';
import { openOrderOf, type WireObject } from '@hb/core/connector';
import {
  asArray,
  asObject,
  malformed,
  quoteOf,
  readDecimal,
  readPositiveDecimal,
  readSequence,
  readFlag,
  readOptionalDecimal,
  readOptionalString,
  readSide,
  readString,
  readTime,
  toTradingPair,
} from './coinbase-pro-utils.js';

// ---------------------------------------------------------------- states ----

/**
 * Order `status` (+ `done_reason` for `done`) -> core state.
 * - `pending` / `received`: the POST was answered 200, which the docs define as
 *   "accepted by the matching engine": the exchange has the order, so OPEN
 *   (PENDING_CREATE would say nothing core does not already know, and would hold
 *   back the Created event of an order that exists).
 * - `open`, `active` (armed stop): OPEN.
 * - `done`: by `done_reason`: filled -> FILLED, canceled -> CANCELED,
 *   rejected (e.g. a crossing post-only) -> FAILED.
 * - `rejected`: FAILED, a definitive rejection.
 * Anything else is a malformed message.
 */
export function toOrderState(status: string, doneReason?: string): OrderState {
  switch (status) {
    case 'pending':
    case 'received':
    case 'open':
    case 'active':
      return 'OPEN';
    case 'rejected':
      return 'FAILED';
    case 'done':
      switch (doneReason) {
        case 'filled':
          return 'FILLED';
        case 'canceled':
          return 'CANCELED';
        case 'rejected':
          return 'FAILED';
        default:
          throw malformed(`done_reason ${JSON.stringify(doneReason)}`);
      }
    default:
      throw malformed(`order status ${JSON.stringify(status)}`);
  }
}

// ------------------------------------------------------------ REST orders ----

/** A non-empty client_oid, or undefined (orders placed without one echo nothing). */
function clientOidOf(o: WireObject, what: string): string | undefined {
  const v = readOptionalString(o, 'client_oid', what);
  return v === undefined || v === '' ? undefined : v;
}

/**
 * An order object -> OrderUpdate: the `POST /orders` answer, `GET /orders/{id}`,
 * `GET /orders/client:{oid}` and each `GET /orders` row. A resting order with
 * `filled_size > 0` is PARTIALLY_FILLED; `filled_size` becomes the cumulative
 * amount (absent on `pending` orders, which carry fewer fields).
 */
export function parseOrderUpdate(raw: unknown): OrderUpdate {
  const o = asObject(raw, 'order');
  const status = readString(o, 'status', 'order');
  const doneReason = readOptionalString(o, 'done_reason', 'order');
  const filled = readOptionalDecimal(o, 'filled_size', 'order');
  let state = toOrderState(status, doneReason);
  if (state === 'OPEN' && filled !== undefined && new BigNumber(filled).gt(0)) state = 'PARTIALLY_FILLED';
  const doneAt = readOptionalString(o, 'done_at', 'order');
  const clientOrderId = clientOidOf(o, 'order');
  const rejectReason = readOptionalString(o, 'reject_reason', 'order');
  const reason = state === 'FAILED' ? (rejectReason ?? doneReason ?? status) : undefined;
  return {
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    exchangeOrderId: readString(o, 'id', 'order'),
    tradingPair: toTradingPair(readString(o, 'product_id', 'order')),
    newState: state,
    timestamp: doneAt !== undefined ? readTime(o, 'done_at', 'order') : readTime(o, 'created_at', 'order'),
    ...(filled === undefined ? {} : { cumulativeFilledAmount: new BigNumber(filled) }),
    ...(reason === undefined || reason === '' ? {} : { reason }),
  };
}

/** `GET /orders` -> one update per order. */
export function parseOrderUpdates(raw: unknown): OrderUpdate[] {
  return asArray(raw, 'orders').map(parseOrderUpdate);
}

/**
 * `GET /orders?status=open&status=pending&status=active` rows -> open orders,
 * whoever placed them. A limit order with `post_only` is hb's `limit_maker`;
 * stop orders become `limit` when priced, else `market`.
 */
export function parseOpenOrders(rows: readonly unknown[]): OpenOrder[] {
  return rows.map((row) => {
    const o = asObject(row, 'order');
    const type = readString(o, 'type', 'order');
    return openOrderOf(parseOrderUpdate(row), {
      side: readSide(o, 'side', 'order'),
      // A plain limit order is left to core's rule (`limit` when priced), as are stop orders.
      orderType:
        type === 'market'
          ? 'market'
          : type === 'limit' && readFlag(o, 'post_only', 'order')
            ? 'limit_maker'
            : undefined,
      price: readOptionalDecimal(o, 'price', 'order'),
      amount: readOptionalDecimal(o, 'size', 'order'),
      timestamp: readTime(o, 'created_at', 'order'),
    });
  });
}

/**
 * `DELETE /orders/...` -> the id Coinbase says it canceled (the exchange id, or
 * the client_oid when canceling by client id). The body is a bare JSON string.
 */
export function parseCancelResponse(raw: unknown): string {
  if (typeof raw !== 'string' || raw === '') throw malformed('cancel response (not an id string)');
  return raw;
}

/**
 * `GET /fills` -> TradeUpdates. Rows carry no client_oid; core matches them by
 * exchange order id. The fee is what Coinbase charged, in the quote currency;
 * the quote amount is price x size (`usd_volume` is in USD, not the quote).
 */
export function parseFills(raw: unknown): TradeUpdate[] {
  return asArray(raw, 'fills').map((row) => {
    const f = asObject(row, 'fill');
    const productId = readString(f, 'product_id', 'fill');
    const price = new BigNumber(readPositiveDecimal(f, 'price', 'fill'));
    const size = new BigNumber(readPositiveDecimal(f, 'size', 'fill'));
    const liquidity = readString(f, 'liquidity', 'fill');
    return {
      tradeId: String(readSequence(f, 'trade_id', 'fill')),
      exchangeOrderId: readString(f, 'order_id', 'fill'),
      tradingPair: toTradingPair(productId),
      fillBaseAmount: size,
      fillPrice: price,
      fillQuoteAmount: price.times(size),
      fee: { amount: new BigNumber(readDecimal(f, 'fee', 'fill')), asset: quoteOf(productId) },
      // `O` is documented without a meaning: say nothing rather than guess.
      ...(liquidity === 'M' ? { isMaker: true } : liquidity === 'T' ? { isMaker: false } : {}),
      timestamp: readTime(f, 'created_at', 'fill'),
    };
  });
}

/**
 * `GET /accounts` -> one balance per currency (`balance` = available + hold).
 * The body has no time, so the caller passes the receive time.
 */
export function parseAccountBalances(raw: unknown, receivedAt: number): BalanceUpdate[] {
  return asArray(raw, 'accounts').map((row) => {
    const a = asObject(row, 'account');
    return {
      asset: readString(a, 'currency', 'account'),
      total: new BigNumber(readDecimal(a, 'balance', 'account')),
      available: new BigNumber(readDecimal(a, 'available', 'account')),
      timestamp: receivedAt,
    };
  });
}

/** The account's fee tier from `GET /fees` (rates as fractions: 0.004 = 0.4 %). */
export interface CoinbaseProFeeRates {
  readonly makerFeeRate: BigNumber;
  readonly takerFeeRate: BigNumber;
  /** Trailing 30-day volume in USD. */
  readonly usdVolume: BigNumber;
}

/** `GET /fees` -> the current rates. */
export function parseFees(raw: unknown): CoinbaseProFeeRates {
  const o = asObject(raw, 'fees');
  return {
    makerFeeRate: new BigNumber(readDecimal(o, 'maker_fee_rate', 'fees')),
    takerFeeRate: new BigNumber(readDecimal(o, 'taker_fee_rate', 'fees')),
    usdVolume: new BigNumber(readDecimal(o, 'usd_volume', 'fees')),
  };
}

// ------------------------------------------------------------ user stream ----

/** What one `user`-channel frame means to the market. */
export type CoinbaseProUserEvent =
  | { readonly kind: 'updates'; readonly updates: UserStreamUpdate[] }
  /**
   * One of our fills arrived without a fee rate (an older feed): its fee is
   * unknown, and a fill is counted once per trade id, so it is not reported
   * from the stream. Fetch `/fills?order_id=` for the order instead.
   */
  | {
      readonly kind: 'fill_without_fee';
      readonly exchangeOrderId: string;
      readonly tradingPair: string;
      readonly tradeId: string;
    }
  /** Frames that change nothing we track (`change`, `activate`, control frames, other types). */
  | { readonly kind: 'ignored'; readonly type: string };

/** Which of a match's orders is ours, from the `maker_`/`taker_` prefixed fields the user channel adds. */
function ourRoles(m: WireObject): { maker: boolean; taker: boolean } {
  const has = (prefix: string): boolean =>
    m[`${prefix}_user_id`] !== undefined ||
    m[`${prefix}_profile_id`] !== undefined ||
    m[`${prefix}_fee_rate`] !== undefined;
  return { maker: has('maker'), taker: has('taker') };
}

/**
 * A user-channel `match` -> a TradeUpdate for each of OUR orders in it (two only
 * for a self-trade). Fee = size x price x our fee rate, in the quote currency.
 */
function parseOwnMatch(m: WireObject): CoinbaseProUserEvent {
  const what = 'user match';
  const roles = ourRoles(m);
  if (!roles.maker && !roles.taker) throw malformed(`${what} (no maker_/taker_ fields: not our fill)`);
  const productId = readString(m, 'product_id', what);
  const tradingPair = toTradingPair(productId);
  const tradeId = String(readSequence(m, 'trade_id', what));
  const price = new BigNumber(readPositiveDecimal(m, 'price', what));
  const size = new BigNumber(readPositiveDecimal(m, 'size', what));
  const timestamp = readTime(m, 'time', what);
  const updates: UserStreamUpdate[] = [];
  for (const role of ['maker', 'taker'] as const) {
    if (!roles[role]) continue;
    const exchangeOrderId = readString(m, `${role}_order_id`, what);
    const rate = readOptionalDecimal(m, `${role}_fee_rate`, what);
    if (rate === undefined) return { kind: 'fill_without_fee', exchangeOrderId, tradingPair, tradeId };
    updates.push({
      kind: 'trade',
      update: {
        tradeId,
        exchangeOrderId,
        tradingPair,
        fillBaseAmount: size,
        fillPrice: price,
        fillQuoteAmount: price.times(size),
        fee: { amount: size.times(price).times(rate), asset: quoteOf(productId) },
        isMaker: role === 'maker',
        timestamp,
      },
    });
  }
  return { kind: 'updates', updates };
}

function orderEvent(update: OrderUpdate): CoinbaseProUserEvent {
  return { kind: 'updates', updates: [{ kind: 'order', update }] };
}

/**
 * One `user`-channel frame, dispatched on `type`:
 * - `received`: the engine has the order: OPEN, with both client_oid and
 *   order_id, which is how core learns the exchange id of an order whose POST
 *   answer is late or lost;
 * - `open`: OPEN (by order_id);
 * - `match`: our fill(s);
 * - `done`: FILLED or CANCELED (`cancel_reason` code as the reason). No
 *   cumulative amount: the frame does not carry the order's size;
 * - `change` (STP decrement / modify) and `activate`: nothing core tracks;
 *   the final `done` and the fills settle the order.
 */
export function parseUserChannelMessage(raw: unknown): CoinbaseProUserEvent {
  const o = asObject(raw, 'user message');
  const type = readString(o, 'type', 'user message');
  switch (type) {
    case 'received': {
      const clientOrderId = clientOidOf(o, type);
      return orderEvent({
        ...(clientOrderId === undefined ? {} : { clientOrderId }),
        exchangeOrderId: readString(o, 'order_id', type),
        tradingPair: toTradingPair(readString(o, 'product_id', type)),
        newState: 'OPEN',
        timestamp: readTime(o, 'time', type),
      });
    }
    case 'open':
      return orderEvent({
        exchangeOrderId: readString(o, 'order_id', type),
        tradingPair: toTradingPair(readString(o, 'product_id', type)),
        newState: 'OPEN',
        timestamp: readTime(o, 'time', type),
      });
    case 'done': {
      const cancelReason = readOptionalString(o, 'cancel_reason', type);
      return orderEvent({
        exchangeOrderId: readString(o, 'order_id', type),
        tradingPair: toTradingPair(readString(o, 'product_id', type)),
        newState: toOrderState('done', readString(o, 'reason', type)),
        timestamp: readTime(o, 'time', type),
        ...(cancelReason === undefined ? {} : { reason: cancelReason }),
      });
    }
    case 'match':
      return parseOwnMatch(o);
    default:
      return { kind: 'ignored', type };
  }
}
