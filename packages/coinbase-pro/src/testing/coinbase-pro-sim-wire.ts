// Engine values -> Coinbase Exchange JSON (coinbase-pro.md §3, §4, §5, §7, §8). Pure
// functions and the simulator's own wire types: every field name and decimal format
// the simulator sends is decided here, independently of the connector's parsers.

import BigNumber from 'bignumber.js';
import type { AccountTrade, EngineOrder, EngineSide, EngineTrade } from '@hb/testing';
import type { CoinbaseSimProduct } from './coinbase-pro-sim-types.js';

/** ISO 8601 with microseconds, as Coinbase stamps everything (`2023-11-14T22:13:20.123000Z`). */
export function isoMicros(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace('Z', '000Z');
}

/** A decimal with exactly `places` decimals, truncated. */
export function fixed(v: BigNumber.Value, places: number): string {
  return new BigNumber(v).toFixed(places, BigNumber.ROUND_DOWN);
}

/** Sizes: 8 decimals (`"0.00100000"`). */
export function size8(v: BigNumber.Value): string {
  return fixed(v, 8);
}

/** Fees, executed values, balances: 16 decimals (`"0.0100000000000000"`). */
export function amount16(v: BigNumber.Value): string {
  return fixed(v, 16);
}

/** Decimals of an increment (`"0.01"` -> 2). */
export function incrementPlaces(increment: string): number {
  return Math.max(0, new BigNumber(increment).decimalPlaces() ?? 0);
}

/** A price with the product's quote increment's decimals (`"37012.50"`). */
export function price(product: CoinbaseSimProduct, v: BigNumber.Value): string {
  return fixed(v, incrementPlaces(product.quoteIncrement));
}

/** `GET /products` entry. */
export interface CbProductJson {
  readonly id: string;
  readonly base_currency: string;
  readonly quote_currency: string;
  readonly quote_increment: string;
  readonly base_increment: string;
  readonly display_name: string;
  readonly min_market_funds: string;
  readonly base_min_size?: string;
  readonly margin_enabled: boolean;
  readonly post_only: boolean;
  readonly limit_only: boolean;
  readonly cancel_only: boolean;
  readonly trading_disabled: boolean;
  readonly status: string;
  readonly status_message: string;
  readonly auction_mode: boolean;
  readonly fx_stablecoin: boolean;
  readonly max_slippage_percentage: string;
}

/** One product as listed. */
export function productJson(p: CoinbaseSimProduct): CbProductJson {
  return {
    id: p.id,
    base_currency: p.baseCurrency,
    quote_currency: p.quoteCurrency,
    quote_increment: p.quoteIncrement,
    base_increment: p.baseIncrement,
    display_name: p.id,
    min_market_funds: p.minMarketFunds,
    ...(p.baseMinSize === undefined ? {} : { base_min_size: p.baseMinSize }),
    margin_enabled: false,
    post_only: p.postOnly,
    limit_only: p.limitOnly,
    cancel_only: p.cancelOnly,
    trading_disabled: p.tradingDisabled,
    status: p.status,
    status_message: '',
    auction_mode: false,
    fx_stablecoin: false,
    max_slippage_percentage: '0.02000000',
  };
}

/** What the simulator knows of an order beyond the engine's view. */
export interface OrderExtras {
  readonly product: CoinbaseSimProduct;
  readonly profileId: string;
  /** A valid client_oid as sent (malformed ones are dropped, as Coinbase does). */
  readonly clientOid: string | undefined;
  /** Taker fee rate fixed at placement: market funds are shown net of the fee reserve. */
  readonly takerFeeRate: BigNumber;
}

/** The REST order object (`POST /orders`, `GET /orders...`). */
export interface CbOrderJson {
  readonly id: string;
  readonly price?: string;
  readonly size?: string;
  readonly product_id: string;
  readonly profile_id: string;
  readonly side: EngineSide;
  readonly funds?: string;
  readonly specified_funds?: string;
  readonly type: 'limit' | 'market';
  readonly time_in_force?: string;
  readonly post_only: boolean;
  readonly created_at: string;
  readonly done_at?: string;
  readonly done_reason?: string;
  readonly reject_reason?: string;
  readonly fill_fees: string;
  readonly filled_size: string;
  readonly executed_value: string;
  readonly status: string;
  readonly settled: boolean;
  readonly client_oid?: string;
}

/** Coinbase's `status` / `done_reason` of an engine order. */
export function orderStatus(o: EngineOrder): { status: string; doneReason?: string } {
  switch (o.status) {
    case 'new':
    case 'partially_filled':
      return { status: 'open' };
    case 'filled':
      return { status: 'done', doneReason: 'filled' };
    case 'cancelled':
    case 'expired':
      return { status: 'done', doneReason: 'canceled' };
    case 'rejected':
      return { status: 'rejected', doneReason: 'rejected' };
  }
}

/**
 * The order object. `pending`: the answer to `POST /orders` sent before the
 * matching engine ran (status `pending`, nothing filled).
 */
export function orderJson(o: EngineOrder, x: OrderExtras, pending = false): CbOrderJson {
  const st = orderStatus(o);
  const done = st.status === 'done';
  const isLimit = o.type === 'limit';
  const specified = o.quoteAmount;
  return {
    id: o.orderId,
    ...(isLimit && o.price !== undefined ? { price: size8(o.price) } : {}),
    ...(o.amount !== undefined ? { size: size8(o.amount) } : {}),
    product_id: x.product.id,
    profile_id: x.profileId,
    side: o.side,
    ...(specified !== undefined
      ? { funds: amount16(specified.div(x.takerFeeRate.plus(1))), specified_funds: amount16(specified) }
      : {}),
    type: o.type,
    ...(isLimit ? { time_in_force: o.timeInForce } : {}),
    post_only: o.postOnly,
    created_at: isoMicros(o.createdAt),
    ...(!pending && done ? { done_at: isoMicros(o.updatedAt), done_reason: st.doneReason } : {}),
    ...(st.status === 'rejected' ? { reject_reason: 'post only' } : {}),
    fill_fees: amount16(pending ? 0 : o.feePaid),
    filled_size: size8(pending ? 0 : o.filledAmount),
    executed_value: amount16(pending ? 0 : o.filledQuote),
    status: pending && st.status !== 'rejected' ? 'pending' : st.status,
    settled: !pending && (done || st.status === 'rejected'),
    ...(x.clientOid === undefined ? {} : { client_oid: x.clientOid }),
  };
}

/** `GET /fills` entry. */
export interface CbFillJson {
  readonly created_at: string;
  readonly trade_id: number;
  readonly product_id: string;
  readonly order_id: string;
  readonly user_id: string;
  readonly profile_id: string;
  readonly liquidity: 'M' | 'T';
  readonly price: string;
  readonly size: string;
  readonly fee: string;
  readonly side: EngineSide;
  readonly settled: boolean;
  readonly usd_volume: string;
}

/** One of our fills (side = our order's side, fee in quote). */
export function fillJson(
  product: CoinbaseSimProduct,
  row: AccountTrade,
  ids: { userId: string; profileId: string },
): CbFillJson {
  const t = row.trade;
  return {
    created_at: isoMicros(t.timestamp),
    trade_id: t.tradeId,
    product_id: product.id,
    order_id: row.orderId,
    user_id: ids.userId,
    profile_id: ids.profileId,
    liquidity: row.isMaker ? 'M' : 'T',
    price: price(product, t.price),
    size: size8(t.amount),
    fee: amount16(row.fee.amount),
    side: row.side,
    settled: true,
    usd_volume: amount16(t.quoteAmount),
  };
}

/** `GET /products/{id}/trades` entry; `side` is the maker's side. */
export interface CbTradeJson {
  readonly time: string;
  readonly trade_id: number;
  readonly price: string;
  readonly size: string;
  readonly side: EngineSide;
}

/** The maker's side of a trade (Coinbase's `side` on public trades and matches). */
export function makerSide(t: EngineTrade): EngineSide {
  return t.takerSide === 'buy' ? 'sell' : 'buy';
}

/** A public trade. */
export function tradeJson(t: EngineTrade): CbTradeJson {
  return {
    time: isoMicros(t.timestamp),
    trade_id: t.tradeId,
    price: size8(t.price),
    size: size8(t.amount),
    side: makerSide(t),
  };
}

// ------------------------------------------------------------------ feed messages

interface FeedBase {
  readonly time: string;
  readonly product_id: string;
  readonly sequence: number;
}

/** Fields only the owner's `user` channel copy carries. */
export interface PrivateFields {
  readonly user_id?: string;
  readonly profile_id?: string;
  readonly client_oid?: string;
  readonly maker_user_id?: string;
  readonly maker_profile_id?: string;
  readonly maker_fee_rate?: string;
  readonly taker_user_id?: string;
  readonly taker_profile_id?: string;
  readonly taker_fee_rate?: string;
  readonly cancel_reason?: string;
}

/** `received`: accepted by the matching engine, no book change. */
export interface CbReceived extends FeedBase {
  readonly type: 'received';
  readonly order_id: string;
  readonly order_type: 'limit' | 'market';
  readonly side: EngineSide;
  readonly size?: string;
  readonly price?: string;
  readonly funds?: string;
}

/** `open`: rests on the book with `remaining_size`. */
export interface CbOpen extends FeedBase {
  readonly type: 'open';
  readonly order_id: string;
  readonly price: string;
  readonly remaining_size: string;
  readonly side: EngineSide;
}

/** `match`: a trade; `side` is the maker's. */
export interface CbMatch extends FeedBase {
  readonly type: 'match';
  readonly trade_id: number;
  readonly maker_order_id: string;
  readonly taker_order_id: string;
  readonly size: string;
  readonly price: string;
  readonly side: EngineSide;
}

/** `done`: the order left the engine (or never rested). */
export interface CbDone extends FeedBase {
  readonly type: 'done';
  readonly order_id: string;
  readonly reason: 'filled' | 'canceled';
  readonly side: EngineSide;
  /** Absent for market orders. */
  readonly price?: string;
  readonly remaining_size?: string;
}

/** `change`: a resting order's size shrank (self-trade prevention `dc`). */
export interface CbChange extends FeedBase {
  readonly type: 'change';
  readonly reason: 'STP';
  readonly order_id: string;
  readonly side: EngineSide;
  readonly old_size: string;
  readonly new_size: string;
  /** Null for a market order. */
  readonly price: string | null;
}

/** A message of the `full` channel (public form). */
export type CbFullMessage = CbReceived | CbOpen | CbMatch | CbDone | CbChange;

/** `last_match`: the first message after subscribing to `matches`. */
export type CbLastMatch = Omit<CbMatch, 'type'> & { readonly type: 'last_match' };

/** `heartbeat`. */
export interface CbHeartbeat {
  readonly type: 'heartbeat';
  readonly sequence: number;
  readonly last_trade_id: number;
  readonly product_id: string;
  readonly time: string;
}

/** `ticker` (sent after every match). */
export interface CbTicker {
  readonly type: 'ticker';
  readonly sequence: number;
  readonly product_id: string;
  readonly price: string;
  readonly open_24h: string;
  readonly volume_24h: string;
  readonly low_24h: string;
  readonly high_24h: string;
  readonly volume_30d: string;
  readonly best_bid: string;
  readonly best_bid_size: string;
  readonly best_ask: string;
  readonly best_ask_size: string;
  readonly side: EngineSide;
  readonly time: string;
  readonly trade_id: number;
  readonly last_size: string;
}

/** level2 `snapshot`. */
export interface CbL2Snapshot {
  readonly type: 'snapshot';
  readonly product_id: string;
  readonly bids: [string, string][];
  readonly asks: [string, string][];
}

/** level2 `l2update`: absolute sizes, "0.00000000" removes the level. */
export interface CbL2Update {
  readonly type: 'l2update';
  readonly product_id: string;
  readonly time: string;
  readonly changes: [EngineSide, string, string][];
}

/** `subscriptions` reply. */
export interface CbSubscriptions {
  readonly type: 'subscriptions';
  readonly channels: { name: string; product_ids: string[] }[];
}

/** `error`. */
export interface CbFeedError {
  readonly type: 'error';
  readonly message: string;
  readonly reason?: string;
}
