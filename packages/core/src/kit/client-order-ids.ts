// The client-order-id policy: how a market names its orders so that every one
// can be found again by that name after an unknown outcome. The exchange
// decides the format; core decides that an id is checked before it is sent and
// never rewritten (a rewritten id could not be looked up).
import { randomBytes } from 'node:crypto';
import { HbError } from '../errors/hb-error.js';
import type { OrderSide } from '../orders/order-types.js';

/** How a market makes and checks client order ids. */
export interface ClientOrderIdPolicy {
  /** A fresh id for a new order. */
  create(side: OrderSide, tradingPair: string): string;
  /** Returns `id` unchanged when the exchange accepts it; throws `invalid_order` otherwise. */
  check(id: string): string;
}

/** Options of {@link prefixedClientOrderIds}. */
export interface PrefixedClientOrderIdOptions {
  /** Exchange name, for messages. */
  readonly exchange: string;
  /** Leading characters of every id. Default `hb`. */
  readonly prefix?: string;
  /** Length of a fresh id. Default 32. */
  readonly length?: number;
  /** The exchange's limit on ids (length and characters). */
  readonly pattern: RegExp;
  /** Readable description of `pattern` for the error message. */
  readonly describe: string;
  /** Wall clock, ms (injectable so ids are deterministic in tests). */
  readonly now?: () => number;
  /** `n` random hex characters (injectable). */
  readonly randomHex?: (n: number) => string;
}

function defaultRandomHex(n: number): string {
  return randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);
}

function refuse(exchange: string, describe: string, id: string): HbError {
  return new HbError(
    'invalid_order',
    `${exchange}: client order id must be ${describe}: ${JSON.stringify(id.slice(0, 64))}`,
    { exchange, retryable: false },
  );
}

/**
 * Ids of `prefix`, `B`/`S`, the time in base 36 (ids sort by creation) and
 * random hex to the length: for exchanges that take free-form ids within a
 * length and alphabet (Binance: at most 36 of `[A-Za-z0-9_-]`).
 */
export function prefixedClientOrderIds(options: PrefixedClientOrderIdOptions): ClientOrderIdPolicy {
  const prefix = options.prefix ?? 'hb';
  const length = options.length ?? 32;
  const now = options.now ?? Date.now;
  const randomHex = options.randomHex ?? defaultRandomHex;
  const check = (id: string): string => {
    if (!options.pattern.test(id)) throw refuse(options.exchange, options.describe, id);
    return id;
  };
  return {
    check,
    create(side) {
      const head = `${prefix}${side === 'buy' ? 'B' : 'S'}${Math.floor(now()).toString(36)}`;
      const room = length - head.length;
      if (room < 4) throw new RangeError(`client order id prefix too long for length ${length}: ${prefix}`);
      return check(head + randomHex(room));
    },
  };
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A lowercase RFC-4122 v4 UUID from 16 random bytes (version and variant bits forced). */
export function uuidV4(random16: () => Uint8Array = () => randomBytes(16)): string {
  const b = Uint8Array.from(random16());
  if (b.length !== 16) throw new RangeError(`a UUID needs 16 random bytes, got ${b.length}`);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Buffer.from(b).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether `id` is a lowercase RFC-4122 v4 UUID. */
export function isUuidV4(id: string): boolean {
  return UUID_V4.test(id);
}

/** Ids that are lowercase UUIDv4s: for exchanges that want one (Coinbase `client_oid`). */
export function uuidClientOrderIds(
  exchange: string,
  random16: () => Uint8Array = () => randomBytes(16),
): ClientOrderIdPolicy {
  return {
    create: () => uuidV4(random16),
    check(id) {
      if (!isUuidV4(id)) throw refuse(exchange, 'a lowercase UUIDv4', id);
      return id;
    },
  };
}
