// Wire types of the Coinbase Exchange API (the Coinbase Pro protocol): exactly
// the JSON it sends, field names and all (shared/exchanges/coinbase-pro.md).
// Decimals are strings, trade ids and sequences are numbers, most other ids are
// UUID strings, times are ISO 8601 with microseconds. Private to the package:
// nothing here is exported from index.ts; the rest of hb only ever sees core's
// normalised values.

/** A decimal as Coinbase sends it: a JSON string such as `"0.00100000"`. */
export type CoinbaseProDecimal = string;

/** ISO 8601 time with (up to) microseconds, e.g. `"2023-11-14T22:13:20.123456Z"`. */
export type CoinbaseProTime = string;

/** Order side on the wire (also the book side: `buy` = bid, `sell` = ask). */
export type CoinbaseProSide = 'buy' | 'sell';

// ---------------------------------------------------------------- errors ----

/** Body of every refused REST request (and of the `{"message": ...}` WS auth failures). */
export interface CoinbaseProErrorBody {
  readonly message: string;
}

// -------------------------------------------------------------- products ----

/** `status` of a product: `online` is tradable; the other values seen are unconfirmed. */
export type CoinbaseProProductStatus = 'online' | 'offline' | 'internal' | 'delisted';

/** One entry of `GET /products` (and the body of `GET /products/{id}`). */
export interface CoinbaseProProduct {
  /** `BASE-QUOTE`, uppercase; the source of the pair (not base_currency, see auction books). */
  readonly id: string;
  readonly base_currency: string;
  readonly quote_currency: string;
  /** Price tick. */
  readonly quote_increment: CoinbaseProDecimal;
  /** Size step. */
  readonly base_increment: CoinbaseProDecimal;
  readonly display_name: string;
  /** Minimum notional in quote; since 2022-06-30 it applies to limit orders too. */
  readonly min_market_funds: CoinbaseProDecimal;
  readonly margin_enabled: boolean;
  /** Only post-only limit orders accepted. */
  readonly post_only: boolean;
  /** No market orders. */
  readonly limit_only: boolean;
  /** No new orders, cancels only. */
  readonly cancel_only: boolean;
  readonly trading_disabled: boolean;
  readonly status: CoinbaseProProductStatus | string;
  readonly status_message: string;
  readonly auction_mode: boolean;
  readonly fx_stablecoin: boolean;
  readonly max_slippage_percentage: CoinbaseProDecimal;
  /** Removed 2022-06-30; older simulators and snapshots still send it. */
  readonly base_min_size?: CoinbaseProDecimal;
  /** Removed 2022-06-30. */
  readonly base_max_size?: CoinbaseProDecimal;
  /** Removed 2022-06-30. */
  readonly max_market_funds?: CoinbaseProDecimal;
}

/** `GET /time` (`epoch` in seconds, with a fraction). */
export interface CoinbaseProTimeResponse {
  readonly iso: CoinbaseProTime;
  readonly epoch: number;
}

// ----------------------------------------------------------- market data ----

/** Level 1/2 book entry: `[price, size, num_orders]`. */
export type CoinbaseProAggregatedLevel = readonly [
  price: CoinbaseProDecimal,
  size: CoinbaseProDecimal,
  numOrders: number,
];

/** Level 3 book entry: one resting order `[price, size, order_id]`. */
export type CoinbaseProOrderLevel = readonly [
  price: CoinbaseProDecimal,
  size: CoinbaseProDecimal,
  orderId: string,
];

/** `GET /products/{id}/book?level=N`; `sequence` aligns with the `full` channel's. */
export interface CoinbaseProBook<L> {
  readonly sequence: number;
  readonly bids: readonly L[];
  readonly asks: readonly L[];
  /** Newer responses only. */
  readonly auction_mode?: boolean;
  /** Newer responses only (null outside auctions). */
  readonly auction?: unknown;
}

/** `GET /products/{id}/book?level=2` (or 1). */
export type CoinbaseProLevel2Book = CoinbaseProBook<CoinbaseProAggregatedLevel>;

/** `GET /products/{id}/book?level=3`. */
export type CoinbaseProLevel3Book = CoinbaseProBook<CoinbaseProOrderLevel>;

/** One row of `GET /products/{id}/trades` (newest first). */
export interface CoinbaseProTrade {
  readonly time: CoinbaseProTime;
  readonly trade_id: number;
  readonly price: CoinbaseProDecimal;
  readonly size: CoinbaseProDecimal;
  /** The MAKER order's side: `sell` means the taker bought. */
  readonly side: CoinbaseProSide;
}

/** `GET /products/{id}/ticker`. */
export interface CoinbaseProTicker {
  readonly trade_id: number;
  readonly price: CoinbaseProDecimal;
  readonly size: CoinbaseProDecimal;
  readonly time: CoinbaseProTime;
  readonly bid: CoinbaseProDecimal;
  readonly ask: CoinbaseProDecimal;
  readonly volume: CoinbaseProDecimal;
}

// ---------------------------------------------------------------- orders ----

/** Order `status`. List filters also accept `received` and `all`. */
export type CoinbaseProOrderStatus = 'pending' | 'received' | 'open' | 'active' | 'done' | 'rejected';

/** Final outcome of a `done` order. */
export type CoinbaseProDoneReason = 'filled' | 'canceled' | 'rejected';

/** Order type on the wire. */
export type CoinbaseProOrderType = 'limit' | 'market' | 'stop';

/** Time in force on the wire (GTC is the default). */
export type CoinbaseProTimeInForce = 'GTC' | 'GTT' | 'IOC' | 'FOK' | 'GTD';

/** Self-trade prevention mode (`dc` default). */
export type CoinbaseProStp = 'dc' | 'co' | 'cn' | 'cb';

/** `POST /orders` body, in the key order we send (and sign). */
export interface CoinbaseProPlaceOrderBody {
  readonly product_id: string;
  readonly side: CoinbaseProSide;
  readonly type: CoinbaseProOrderType;
  /** limit/stop only. */
  readonly price?: CoinbaseProDecimal;
  /** Base amount. */
  readonly size?: CoinbaseProDecimal;
  /** Quote amount (market orders by funds). */
  readonly funds?: CoinbaseProDecimal;
  readonly client_oid?: string;
  /** Only with GTC/GTT; a crossing post-only order is rejected. */
  readonly post_only?: boolean;
  readonly time_in_force?: CoinbaseProTimeInForce;
  readonly cancel_after?: 'min' | 'hour' | 'day';
  readonly stp?: CoinbaseProStp;
  readonly stop?: 'loss' | 'entry';
  readonly stop_price?: CoinbaseProDecimal;
  readonly stop_limit_price?: CoinbaseProDecimal;
  readonly max_floor?: CoinbaseProDecimal;
  readonly profile_id?: string;
}

/**
 * The order object (`POST /orders` answer, `GET /orders/{id}`,
 * `GET /orders/client:{oid}`, rows of `GET /orders`). A `pending` order carries
 * fewer fields, hence the optional ones.
 */
export interface CoinbaseProOrder {
  readonly id: string;
  readonly price?: CoinbaseProDecimal;
  readonly size?: CoinbaseProDecimal;
  readonly product_id: string;
  readonly profile_id?: string;
  readonly side: CoinbaseProSide;
  readonly funds?: CoinbaseProDecimal;
  readonly specified_funds?: CoinbaseProDecimal;
  readonly type: CoinbaseProOrderType;
  readonly time_in_force?: CoinbaseProTimeInForce;
  readonly expire_time?: CoinbaseProTime;
  readonly post_only?: boolean;
  readonly created_at: CoinbaseProTime;
  readonly done_at?: CoinbaseProTime;
  readonly done_reason?: CoinbaseProDoneReason;
  readonly reject_reason?: string;
  /** Cumulative fees, quote currency. */
  readonly fill_fees?: CoinbaseProDecimal;
  /** Cumulative executed base amount. */
  readonly filled_size?: CoinbaseProDecimal;
  /** Cumulative executed quote amount (average price = executed_value / filled_size). */
  readonly executed_value?: CoinbaseProDecimal;
  readonly status: CoinbaseProOrderStatus;
  readonly settled?: boolean;
  readonly stop?: 'loss' | 'entry';
  readonly stop_price?: CoinbaseProDecimal;
  readonly client_oid?: string;
  readonly max_floor?: CoinbaseProDecimal;
}

/** `DELETE /orders/{id}` and `DELETE /orders/client:{oid}`: the JSON string of the id canceled. */
export type CoinbaseProCancelResponse = string;

/** `DELETE /orders?product_id=...`: the ids canceled. */
export type CoinbaseProCancelAllResponse = readonly string[];

// --------------------------------------------------------------- account ----

/** One row of `GET /accounts` (`balance = available + hold`). */
export interface CoinbaseProAccount {
  readonly id: string;
  readonly currency: string;
  readonly balance: CoinbaseProDecimal;
  readonly available: CoinbaseProDecimal;
  readonly hold: CoinbaseProDecimal;
  readonly profile_id: string;
}

/** `liquidity` of a fill: Maker, Taker (and `O`, listed without explanation). */
export type CoinbaseProLiquidity = 'M' | 'T' | 'O';

/** One row of `GET /fills` (descending trade_id). `side` is OUR order's side. */
export interface CoinbaseProFill {
  readonly created_at: CoinbaseProTime;
  readonly trade_id: number;
  readonly product_id: string;
  readonly order_id: string;
  readonly user_id: string;
  readonly profile_id: string;
  readonly liquidity: CoinbaseProLiquidity;
  readonly price: CoinbaseProDecimal;
  readonly size: CoinbaseProDecimal;
  /** Fee charged, quote currency. */
  readonly fee: CoinbaseProDecimal;
  readonly side: CoinbaseProSide;
  readonly settled: boolean;
  /** Notional in USD (not the quote currency on non-USD books). */
  readonly usd_volume: CoinbaseProDecimal;
}

/** `GET /fees`: the account's current tier. */
export interface CoinbaseProFees {
  readonly maker_fee_rate: CoinbaseProDecimal;
  readonly taker_fee_rate: CoinbaseProDecimal;
  readonly usd_volume: CoinbaseProDecimal;
}

// ---------------------------------------------------------- WS: control ----

/** A channel in a subscribe request: a name (root `product_ids` apply) or its own list. */
export type CoinbaseProChannelSpec =
  string | { readonly name: string; readonly product_ids?: readonly string[] };

/** The four fields that authenticate a subscription (a signed `GET /users/self/verify`). */
export interface CoinbaseProWsAuthFields {
  readonly key: string;
  readonly passphrase: string;
  readonly timestamp: string;
  readonly signature: string;
}

/** `subscribe` / `unsubscribe` request (auth fields present when authenticated). */
export interface CoinbaseProSubscribeRequest extends Partial<CoinbaseProWsAuthFields> {
  readonly type: 'subscribe' | 'unsubscribe';
  readonly product_ids?: readonly string[];
  readonly channels: readonly CoinbaseProChannelSpec[];
}

/** Reply to subscribe and unsubscribe: everything now subscribed. */
export interface CoinbaseProSubscriptions {
  readonly type: 'subscriptions';
  readonly channels: readonly { readonly name: string; readonly product_ids: readonly string[] }[];
}

/** A refused request or a disconnect notice (`reason` e.g. `ErrSlowConsume`). */
export interface CoinbaseProWsError {
  readonly type: 'error';
  readonly message: string;
  readonly reason?: string;
}

/** One per product per second on the `heartbeat` channel. */
export interface CoinbaseProHeartbeat {
  readonly type: 'heartbeat';
  readonly sequence: number;
  readonly last_trade_id: number;
  readonly product_id: string;
  readonly time: CoinbaseProTime;
}

// -------------------------------------------------------- WS: level2 -----

/** First `level2`/`level2_batch` message per product: the whole aggregated book. */
export interface CoinbaseProLevel2Snapshot {
  readonly type: 'snapshot';
  readonly product_id: string;
  readonly bids: readonly (readonly [price: CoinbaseProDecimal, size: CoinbaseProDecimal])[];
  readonly asks: readonly (readonly [price: CoinbaseProDecimal, size: CoinbaseProDecimal])[];
}

/** Absolute level sizes (`"0"` removes); no sequence number. */
export interface CoinbaseProLevel2Update {
  readonly type: 'l2update';
  readonly product_id: string;
  readonly time: CoinbaseProTime;
  /** `[side, price, size]`; `buy` = bid, `sell` = ask. */
  readonly changes: readonly (readonly [
    side: CoinbaseProSide,
    price: CoinbaseProDecimal,
    size: CoinbaseProDecimal,
  ])[];
}

// ---------------------------------------------- WS: full / matches / user ----

/** Fields of every sequenced `full`-channel message. */
interface FullMessageBase {
  readonly time: CoinbaseProTime;
  readonly product_id: string;
  /** Per product, +1 per message. */
  readonly sequence: number;
}

/**
 * Extra fields on the authenticated `user` channel (and on one's own orders in
 * an authenticated `full` feed).
 */
export interface CoinbaseProUserFields {
  readonly user_id?: string;
  readonly profile_id?: string;
}

/** Order accepted by the engine; no book change. Market orders carry `funds`, no price. */
export interface CoinbaseProReceived extends FullMessageBase, CoinbaseProUserFields {
  readonly type: 'received';
  readonly order_id: string;
  readonly side: CoinbaseProSide;
  readonly order_type: CoinbaseProOrderType;
  readonly size?: CoinbaseProDecimal;
  readonly price?: CoinbaseProDecimal;
  readonly funds?: CoinbaseProDecimal;
  /** Only on one's own orders. */
  readonly client_oid?: string;
}

/** Order now resting with `remaining_size`. */
export interface CoinbaseProOpen extends FullMessageBase, CoinbaseProUserFields {
  readonly type: 'open';
  readonly order_id: string;
  readonly price: CoinbaseProDecimal;
  readonly remaining_size: CoinbaseProDecimal;
  readonly side: CoinbaseProSide;
}

/** Order left the book (or never rested: market orders have no price). */
export interface CoinbaseProDone extends FullMessageBase, CoinbaseProUserFields {
  readonly type: 'done';
  readonly order_id: string;
  readonly price?: CoinbaseProDecimal;
  readonly reason: 'filled' | 'canceled';
  readonly side: CoinbaseProSide;
  readonly remaining_size?: CoinbaseProDecimal;
  /** Own canceled orders: `101` time in force ... `107` broker. */
  readonly cancel_reason?: string;
}

/** A trade. `side` is the MAKER's side; `size` reduces the maker order. */
export interface CoinbaseProMatch extends FullMessageBase, CoinbaseProUserFields {
  readonly type: 'match' | 'last_match';
  readonly trade_id: number;
  readonly maker_order_id: string;
  readonly taker_order_id: string;
  readonly size: CoinbaseProDecimal;
  readonly price: CoinbaseProDecimal;
  readonly side: CoinbaseProSide;
  /** `user` channel, when we were the taker. */
  readonly taker_user_id?: string;
  readonly taker_profile_id?: string;
  readonly taker_fee_rate?: CoinbaseProDecimal;
  /** `user` channel, when we were the maker. */
  readonly maker_user_id?: string;
  readonly maker_profile_id?: string;
  readonly maker_fee_rate?: CoinbaseProDecimal;
}

/** A resting order's size (STP decrement or modify) or a market order's funds changed. */
export interface CoinbaseProChange extends FullMessageBase, CoinbaseProUserFields {
  readonly type: 'change';
  readonly reason?: string;
  readonly order_id: string;
  readonly side: CoinbaseProSide;
  /** Null for market orders. */
  readonly price: CoinbaseProDecimal | null;
  readonly old_size?: CoinbaseProDecimal;
  readonly new_size?: CoinbaseProDecimal;
  /** Modify only. */
  readonly old_price?: CoinbaseProDecimal;
  readonly new_price?: CoinbaseProDecimal;
  /** Market orders only. */
  readonly old_funds?: CoinbaseProDecimal;
  readonly new_funds?: CoinbaseProDecimal;
}

/** A stop order was armed; no book change. Whether it is sequenced is unconfirmed. */
export interface CoinbaseProActivate extends CoinbaseProUserFields {
  readonly type: 'activate';
  readonly product_id: string;
  readonly order_id: string;
  readonly sequence?: number;
  readonly time?: CoinbaseProTime;
}

/** Every `full`-channel message, discriminated on `type`. */
export type CoinbaseProFullMessage =
  | CoinbaseProReceived
  | CoinbaseProOpen
  | CoinbaseProDone
  | CoinbaseProMatch
  | CoinbaseProChange
  | CoinbaseProActivate;

/** `balance` channel update (not complete; Hummingbot polled `/accounts` instead). */
export interface CoinbaseProBalanceMessage {
  readonly type: 'balance';
  readonly account_id: string;
  readonly currency: string;
  readonly holds: CoinbaseProDecimal;
  readonly available: CoinbaseProDecimal;
  readonly updated: CoinbaseProTime;
  readonly timestamp: CoinbaseProTime;
}

/** Every feed message we understand. Clients must ignore unknown types. */
export type CoinbaseProFeedMessage =
  | CoinbaseProFullMessage
  | CoinbaseProSubscriptions
  | CoinbaseProWsError
  | CoinbaseProHeartbeat
  | CoinbaseProLevel2Snapshot
  | CoinbaseProLevel2Update
  | CoinbaseProBalanceMessage;
