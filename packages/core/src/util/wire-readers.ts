import { HbError } from '../errors/hb-error.js';

/** A JSON object as parsed, before its fields are narrowed. */
export type WireObject = Readonly<Record<string, unknown>>;

/**
 * Most integer digits a decimal from the wire may have. 15 digits (below 10^15)
 * is above any price, size, balance or volume an exchange reports, keeps
 * `Number()` of it finite and exact to the unit, and turns a 401-digit "price"
 * into a refused frame instead of an Infinity in the book.
 */
export const WIRE_MAX_INTEGER_DIGITS = 15;
/** Most fraction digits a decimal from the wire may have (18: ERC-20 wei). */
export const WIRE_MAX_FRACTION_DIGITS = 18;

/**
 * Exchanges send decimals as strings: plain digits with an optional fraction,
 * never exponent notation, bounded in length. A sign is allowed only by
 * {@link WireReaders.readSignedDecimal}, for the fields an exchange documents as
 * signed (balance deltas).
 */
const SIGNED_DECIMAL = new RegExp(
  `^-?[0-9]{1,${WIRE_MAX_INTEGER_DIGITS}}(\\.[0-9]{1,${WIRE_MAX_FRACTION_DIGITS}})?$`,
);
/** Prices, sizes, fees and cumulative amounts, which are never negative. */
const UNSIGNED_DECIMAL = new RegExp(
  `^[0-9]{1,${WIRE_MAX_INTEGER_DIGITS}}(\\.[0-9]{1,${WIRE_MAX_FRACTION_DIGITS}})?$`,
);
/** Any digit other than 0: an unsigned decimal with one is > 0. */
const NON_ZERO_DIGIT = /[1-9]/;

/** True for a string an exchange could send as a book quantity, size or fee: unsigned, bounded. */
export function isUnsignedDecimal(s: string): boolean {
  return UNSIGNED_DECIMAL.test(s);
}

/** True for a string an exchange could send as a price: unsigned, bounded and above zero. */
export function isPositiveDecimal(s: string): boolean {
  return UNSIGNED_DECIMAL.test(s) && NON_ZERO_DIGIT.test(s);
}

/**
 * True when a number may enter an order book as a level: price finite and > 0,
 * amount finite and >= 0 (0 removes the level). Written with negated comparisons
 * so NaN fails too.
 */
export function isValidBookLevel(price: number, amount: number): boolean {
  return price > 0 && price < Infinity && amount >= 0 && amount < Infinity;
}

/**
 * The small readers every connector's parsers use to narrow `unknown` JSON into
 * wire fields, bound to one exchange so every parser throws the same error: an
 * `HbError('malformed_message')` naming the exchange and the field. Parsers stay
 * free of `any` and of ad-hoc checks.
 */
export interface WireReaders {
  /** The error for a frame or body that is not the documented shape. */
  malformed(what: string, cause?: unknown): HbError;
  /** Narrows to a plain JSON object. */
  asObject(value: unknown, what: string): WireObject;
  /** Narrows to a JSON array. */
  asArray(value: unknown, what: string): readonly unknown[];
  /** A required string field. */
  readString(o: WireObject, key: string, what: string): string;
  /** A required finite number field (times). */
  readNumber(o: WireObject, key: string, what: string): number;
  /** A required sequence number or id: a non-negative safe integer. */
  readSequence(o: WireObject, key: string, what: string): number;
  /** A required boolean field. */
  readBoolean(o: WireObject, key: string, what: string): boolean;
  /**
   * A required non-negative decimal-string field (sizes, quantities, fees,
   * cumulative amounts, balances), returned as the string (callers choose
   * BigNumber or number). A sign, exponent or over-long number is refused.
   */
  readDecimal(o: WireObject, key: string, what: string): string;
  /** A required decimal-string field that must be above zero (prices of fills and levels). */
  readPositiveDecimal(o: WireObject, key: string, what: string): string;
  /** A required decimal-string field the exchange documents as signed (balance deltas). */
  readSignedDecimal(o: WireObject, key: string, what: string): string;
  /**
   * Checks that `first <= last` for a frame that carries a range of update ids;
   * an inverted range throws the malformed error.
   */
  checkRange(first: number, last: number, what: string): void;
  /** An optional string field: undefined when absent or null, else it must be a string. */
  readOptionalString(o: WireObject, key: string, what: string): string | undefined;
  /** An optional non-negative decimal-string field: undefined when absent or null. */
  readOptionalDecimal(o: WireObject, key: string, what: string): string | undefined;
  /** An optional boolean field; absent or null reads as false (flags older payloads lack). */
  readFlag(o: WireObject, key: string, what: string): boolean;
  /** A required `buy`/`sell` field. */
  readSide(o: WireObject, key: string, what: string): 'buy' | 'sell';
  /**
   * A REST book snapshot: an object whose `sequenceKey` field is the book
   * sequence (the id the stream's updates continue from) and whose `bids` and
   * `asks` the exchange's `parseLevels` reads (as `<what> bids` / `<what> asks`).
   * Such bodies carry no time: the caller stamps its receive time.
   */
  readBookSnapshot<L>(
    raw: unknown,
    what: string,
    sequenceKey: string,
    parseLevels: (raw: unknown, what: string) => L[],
  ): BookSnapshotParts<L>;
}

/** The parts of a REST book snapshot every exchange's body carries (see {@link WireReaders.readBookSnapshot}). */
export interface BookSnapshotParts<L> {
  /** The book sequence the snapshot is at. */
  readonly updateId: number;
  readonly bids: L[];
  readonly asks: L[];
}

/** Readers whose errors name `exchange`. */
export function createWireReaders(exchange: string): WireReaders {
  const malformed = (what: string, cause?: unknown): HbError =>
    new HbError('malformed_message', `${exchange}: malformed ${what}`, { exchange, retryable: false, cause });
  const readString = (o: WireObject, key: string, what: string): string => {
    const v = o[key];
    if (typeof v !== 'string') throw malformed(`${what}.${key} (not a string)`);
    return v;
  };
  const readOptionalString = (o: WireObject, key: string, what: string): string | undefined => {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw malformed(`${what}.${key} (not a string)`);
    return v;
  };
  const asObject = (value: unknown, what: string): WireObject => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw malformed(`${what} (not an object)`);
    return value as WireObject;
  };
  const readSequence = (o: WireObject, key: string, what: string): number => {
    const v = o[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      throw malformed(`${what}.${key} (not a sequence number)`);
    return v;
  };
  return {
    malformed,
    asObject,
    readSequence,
    readOptionalString,
    readOptionalDecimal(o, key, what) {
      const v = readOptionalString(o, key, what);
      if (v !== undefined && !UNSIGNED_DECIMAL.test(v))
        throw malformed(`${what}.${key} (not an unsigned decimal string in range)`);
      return v;
    },
    readFlag(o, key, what) {
      const v = o[key];
      if (v === undefined || v === null) return false;
      if (typeof v !== 'boolean') throw malformed(`${what}.${key} (not a boolean)`);
      return v;
    },
    readSide(o, key, what) {
      const v = o[key];
      if (v !== 'buy' && v !== 'sell') throw malformed(`${what}.${key} (not buy/sell)`);
      return v;
    },
    asArray(value, what) {
      if (!Array.isArray(value)) throw malformed(`${what} (not an array)`);
      return value;
    },
    readString,
    readNumber(o, key, what) {
      const v = o[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw malformed(`${what}.${key} (not a number)`);
      return v;
    },
    readBoolean(o, key, what) {
      const v = o[key];
      if (typeof v !== 'boolean') throw malformed(`${what}.${key} (not a boolean)`);
      return v;
    },
    readDecimal(o, key, what) {
      const v = readString(o, key, what);
      if (!UNSIGNED_DECIMAL.test(v))
        throw malformed(`${what}.${key} (not an unsigned decimal string in range)`);
      return v;
    },
    readPositiveDecimal(o, key, what) {
      const v = readString(o, key, what);
      if (!isPositiveDecimal(v)) throw malformed(`${what}.${key} (not a positive decimal string in range)`);
      return v;
    },
    readSignedDecimal(o, key, what) {
      const v = readString(o, key, what);
      if (!SIGNED_DECIMAL.test(v)) throw malformed(`${what}.${key} (not a decimal string in range)`);
      return v;
    },
    readBookSnapshot(raw, what, sequenceKey, parseLevels) {
      const o = asObject(raw, what);
      return {
        updateId: readSequence(o, sequenceKey, what),
        bids: parseLevels(o['bids'], `${what} bids`),
        asks: parseLevels(o['asks'], `${what} asks`),
      };
    },
    checkRange(first, last, what) {
      if (!(first <= last)) throw malformed(`${what} (first update id ${first} above last ${last})`);
    },
  };
}
