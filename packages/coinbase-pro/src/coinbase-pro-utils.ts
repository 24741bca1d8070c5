// Names, ids and times on the Coinbase wire: product id <-> `BASE-QUOTE` pair,
// ISO-8601 times, client_oid UUIDs, subscribe messages, plus the small readers
// every parser uses to narrow `unknown` JSON into wire fields (one
// malformed-message error shape).
//
// The readers mirror @hb/binance's one for one, but connectors must not import
// each other; they belong in @hb/core (see the package report).
import { randomBytes } from 'node:crypto';
import { HbError, splitTradingPair, type TradingPairParts } from '@hb/core';
import { COINBASE_PRO_CLIENT_OID_PATTERN, COINBASE_PRO_EXCHANGE } from './coinbase-pro-constants.js';
import type { CoinbaseProChannelSpec, CoinbaseProSubscribeRequest, CoinbaseProWsAuthFields } from './coinbase-pro-types.js';

// ------------------------------------------------------------ wire reads ----

/** A JSON object as parsed, before its fields are narrowed. */
export type WireObject = Readonly<Record<string, unknown>>;

/** The error every parser throws for a frame or body that is not the documented shape. */
export function malformed(what: string, cause?: unknown): HbError {
  return new HbError('malformed_message', `${COINBASE_PRO_EXCHANGE}: malformed ${what}`, {
    exchange: COINBASE_PRO_EXCHANGE,
    retryable: false,
    cause,
  });
}

/** Narrows to a plain JSON object. */
export function asObject(value: unknown, what: string): WireObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(`${what} (not an object)`);
  return value as WireObject;
}

/** Narrows to a JSON array. */
export function asArray(value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) throw malformed(`${what} (not an array)`);
  return value;
}

/** A required string field. */
export function readString(o: WireObject, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw malformed(`${what}.${key} (not a string)`);
  return v;
}

/** An optional string field: undefined when absent or null, else it must be a string. */
export function readOptionalString(o: WireObject, key: string, what: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw malformed(`${what}.${key} (not a string)`);
  return v;
}

/** A required finite number field (trade ids, sequences). */
export function readNumber(o: WireObject, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw malformed(`${what}.${key} (not a number)`);
  return v;
}

/** A required boolean field. */
export function readBoolean(o: WireObject, key: string, what: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw malformed(`${what}.${key} (not a boolean)`);
  return v;
}

/** An optional boolean field (absent means false: product flags older payloads lack). */
export function readFlag(o: WireObject, key: string, what: string): boolean {
  const v = o[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw malformed(`${what}.${key} (not a boolean)`);
  return v;
}

/**
 * Coinbase's decimal strings: plain digits with an optional fraction, optionally
 * negative. Never exponent notation, never a JSON number.
 */
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;
/** Book prices and sizes, which are never negative. */
const UNSIGNED_DECIMAL = /^[0-9]+(\.[0-9]+)?$/;

/** True for a string Coinbase could send as a book price or size. */
export function isUnsignedDecimal(s: string): boolean {
  return UNSIGNED_DECIMAL.test(s);
}

/** A required decimal-string field, returned as the string (callers choose BigNumber or number). */
export function readDecimal(o: WireObject, key: string, what: string): string {
  const v = readString(o, key, what);
  if (!DECIMAL.test(v)) throw malformed(`${what}.${key} (not a decimal string)`);
  return v;
}

/** An optional decimal-string field: undefined when absent or null. */
export function readOptionalDecimal(o: WireObject, key: string, what: string): string | undefined {
  const v = readOptionalString(o, key, what);
  if (v !== undefined && !DECIMAL.test(v)) throw malformed(`${what}.${key} (not a decimal string)`);
  return v;
}

/** A required `buy`/`sell` field. */
export function readSide(o: WireObject, key: string, what: string): 'buy' | 'sell' {
  const v = o[key];
  if (v !== 'buy' && v !== 'sell') throw malformed(`${what}.${key} (not buy/sell)`);
  return v;
}

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
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as [string, string, string, string, string, string, string, string | undefined, string];
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

/** Response headers as ky/fetch (`Headers`) or node:http give them. */
export type ResponseHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** One header, case-insensitively, from either header shape. */
export function readHeader(headers: ResponseHeaders | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Readonly<Record<string, string | readonly string[] | undefined>>)) {
    if (k.toLowerCase() === lower) return typeof v === 'string' ? v : v?.[0];
  }
  return undefined;
}
