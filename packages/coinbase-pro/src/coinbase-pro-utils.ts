// Names, ids and times on the Coinbase wire: product id <-> `BASE-QUOTE` pair,
// ISO-8601 times, client_oid UUIDs, subscribe messages, plus the small readers
// every parser uses to narrow `unknown` JSON into wire fields (one
// malformed-message error shape).
import {
  createWireReaders,
  splitTradingPair,
  uuidClientOrderIds,
  type ClientOrderIdPolicy,
  type TradingPairParts,
  type WireObject,
} from '@hb/core/connector';
import { COINBASE_PRO_EXCHANGE } from './coinbase-pro-constants.js';
import type {
  CoinbaseProChannelSpec,
  CoinbaseProSubscribeRequest,
  CoinbaseProWsAuthFields,
} from './coinbase-pro-types.js';

// ------------------------------------------------------------ wire reads ----

/** Core's JSON readers, bound to Coinbase Pro so every parse error names the exchange. */
export const {
  malformed,
  asObject,
  asArray,
  readString,
  readOptionalString,
  readNumber,
  readBoolean,
  readFlag,
  readDecimal,
  readPositiveDecimal,
  readSequence,
  readOptionalDecimal,
  readSide,
  readBookSnapshot,
} = createWireReaders(COINBASE_PRO_EXCHANGE);

// ----------------------------------------------------------------- times ----

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * ISO 8601 (`2023-11-14T22:13:20.123456Z`) -> ms since epoch, the fraction
 * truncated to whole ms. Parsed by hand because `Date.parse` of more than three
 * fraction digits is implementation-defined, and a bad time must be a malformed
 * message rather than NaN.
 */
export function isoToMs(iso: string): number {
  const m = ISO.exec(iso);
  if (m === null) throw malformed(`time ${JSON.stringify(iso.slice(0, 40))}`);
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string | undefined,
    string,
  ];
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
  }
  return t;
}

/** A required ISO-time field -> ms. */
export function readTime(o: WireObject, key: string, what: string): number {
  return isoToMs(readString(o, key, what));
}

/**
 * `GET /time` -> the server's clock in ms. `epoch` (seconds with a fraction) is
 * the precise field; `iso` is the fallback when a server sends only that.
 */
export function parseServerTime(raw: unknown): number {
  const o = asObject(raw, 'time');
  const epoch = o['epoch'];
  if (typeof epoch === 'number' && Number.isFinite(epoch)) return Math.round(epoch * 1000);
  return readTime(o, 'iso', 'time');
}

// -------------------------------------------------------------- products ----

/**
 * A product id (`BTC-USD`) -> hb pair. Coinbase ids already are `BASE-QUOTE`, so
 * this only validates; the split is on `-`, never from `base_currency` (which
 * misleads on auction books such as `BTCAUCTION-USD`).
 */
export function toTradingPair(productId: string): string {
  splitProductId(productId);
  return productId;
}

/** An hb pair -> product id (the same string, validated). */
export function toProductId(tradingPair: string): string {
  splitTradingPair(tradingPair);
  return tradingPair;
}

/** Base and quote currency of a product id, from the id itself. */
export function splitProductId(productId: string): TradingPairParts {
  try {
    return splitTradingPair(productId);
  } catch (e) {
    throw malformed(`product id ${JSON.stringify(productId.slice(0, 40))}`, e);
  }
}

/** The quote currency of a product id: the asset fees are charged in. */
export function quoteOf(productId: string): string {
  return splitProductId(productId).quote;
}

// ------------------------------------------------------------ client oids ----

/**
 * Coinbase's client-order-id policy: `client_oid` is a lowercase UUIDv4. A
 * malformed one is accepted but silently ignored by the exchange, which would
 * break every lookup by client id, so it is refused before anything is sent.
 */
export const COINBASE_PRO_CLIENT_ORDER_IDS: ClientOrderIdPolicy = uuidClientOrderIds(COINBASE_PRO_EXCHANGE);

// ------------------------------------------------------------- WebSocket ----

/**
 * A `subscribe` request. Root `product_ids` apply to every channel given as a
 * plain name; `auth` fields (from `CoinbaseProAuth.wsAuthFields()`) go last, in
 * the documented order.
 */
export function buildSubscribeMessage(
  productIds: readonly string[],
  channels: readonly CoinbaseProChannelSpec[],
  auth?: CoinbaseProWsAuthFields,
): CoinbaseProSubscribeRequest {
  return {
    type: 'subscribe',
    product_ids: [...productIds],
    channels: [...channels],
    ...(auth === undefined
      ? {}
      : { key: auth.key, passphrase: auth.passphrase, timestamp: auth.timestamp, signature: auth.signature }),
  };
}

/** An `unsubscribe` request; omitting product ids drops whole channels. */
export function buildUnsubscribeMessage(
  productIds: readonly string[] | undefined,
  channels: readonly CoinbaseProChannelSpec[],
): CoinbaseProSubscribeRequest {
  return productIds === undefined
    ? { type: 'unsubscribe', channels: [...channels] }
    : { type: 'unsubscribe', product_ids: [...productIds], channels: [...channels] };
}

// --------------------------------------------------------------- headers ----
