// Wire types of the Coinbase Exchange API (the Coinbase Pro protocol): exactly
// the JSON it sends, field names and all (shared/exchanges/coinbase-pro.md).
// Decimals are strings, trade ids and sequences are numbers, most other ids are
// UUID strings, times are ISO 8601 with microseconds. Private to the package:
// nothing here is exported from index.ts; the rest of hb only ever sees core's
// normalised values.

/** A decimal as Coinbase sends it: a JSON string such as `"0.00100000"`. */
export type CoinbaseProDecimal = string;

/** Order side on the wire (also the book side: `buy` = bid, `sell` = ask). */
export type CoinbaseProSide = 'buy' | 'sell';

// ---------------------------------------------------------------- orders ----

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
