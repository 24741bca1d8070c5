// Names, ids and times on the Coinbase wire: product id <-> `BASE-QUOTE` pair,
// ISO-8601 times, client_oid UUIDs, subscribe messages, plus the small readers
// every parser uses to narrow `unknown` JSON into wire fields (one
// malformed-message error shape).
import { randomBytes } from 'node:crypto';
import {
  createWireReaders,
  HbError,
  isUnsignedDecimal,
  splitTradingPair,
  type TradingPairParts,
  type WireObject,
} from '@hb/core';
import { COINBASE_PRO_CLIENT_OID_PATTERN, COINBASE_PRO_EXCHANGE } from './coinbase-pro-constants.js';
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
  readOptionalDecimal,
  readSide,
} = createWireReaders(COINBASE_PRO_EXCHANGE);
export { isUnsignedDecimal, type WireObject };

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

/** True when `id` is a client_oid Coinbase will honour (lowercase RFC-4122 v4). */
export function isCoinbaseProClientOid(id: string): boolean {
  return COINBASE_PRO_CLIENT_OID_PATTERN.test(id);
}

/**
 * Checks that an id can be sent as `client_oid` and returns it unchanged: the
 * exchange silently ignores malformed ones, and an order without its client id
 * cannot be found again after an unknown outcome.
 */
export function toCoinbaseProClientOid(clientOrderId: string): string {
  if (!isCoinbaseProClientOid(clientOrderId)) {
    throw new HbError(
      'invalid_order',
      `${COINBASE_PRO_EXCHANGE}: client order id must be a lowercase UUIDv4: ${JSON.stringify(clientOrderId.slice(0, 64))}`,
      { exchange: COINBASE_PRO_EXCHANGE, retryable: false },
    );
  }
  return clientOrderId;
}

/**
 * A fresh client_oid: a lowercase RFC-4122 variant-1 UUIDv4. `random16` is
 * injectable so tests are deterministic; the version and variant bits are
 * forced whatever it returns.
 */
export function newCoinbaseProClientOid(random16: () => Uint8Array = () => randomBytes(16)): string {
  const b = Uint8Array.from(random16());
  if (b.length !== 16) throw new RangeError(`client_oid needs 16 random bytes, got ${b.length}`);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Buffer.from(b).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

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
