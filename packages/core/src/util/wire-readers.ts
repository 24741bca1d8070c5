import { HbError } from '../errors/hb-error.js';

/** A JSON object as parsed, before its fields are narrowed. */
export type WireObject = Readonly<Record<string, unknown>>;

/**
 * Exchanges send decimals as strings: plain digits with an optional fraction,
 * optionally negative (balance deltas); never exponent notation.
 */
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;
/** Book prices and quantities, which are never negative. */
const UNSIGNED_DECIMAL = /^[0-9]+(\.[0-9]+)?$/;

/** True for a string an exchange could send as a book price or quantity. */
export function isUnsignedDecimal(s: string): boolean {
  return UNSIGNED_DECIMAL.test(s);
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
  /** A required finite number field (ids and times). */
  readNumber(o: WireObject, key: string, what: string): number;
  /** A required boolean field. */
  readBoolean(o: WireObject, key: string, what: string): boolean;
  /** A required decimal-string field, returned as the string (callers choose BigNumber or number). */
  readDecimal(o: WireObject, key: string, what: string): string;
  /** An optional string field: undefined when absent or null, else it must be a string. */
  readOptionalString(o: WireObject, key: string, what: string): string | undefined;
  /** An optional decimal-string field: undefined when absent or null. */
  readOptionalDecimal(o: WireObject, key: string, what: string): string | undefined;
  /** An optional boolean field; absent or null reads as false (flags older payloads lack). */
  readFlag(o: WireObject, key: string, what: string): boolean;
  /** A required `buy`/`sell` field. */
  readSide(o: WireObject, key: string, what: string): 'buy' | 'sell';
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
  return {
    malformed,
    readOptionalString,
    readOptionalDecimal(o, key, what) {
      const v = readOptionalString(o, key, what);
      if (v !== undefined && !DECIMAL.test(v)) throw malformed(`${what}.${key} (not a decimal string)`);
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
    asObject(value, what) {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw malformed(`${what} (not an object)`);
      return value as WireObject;
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
      if (!DECIMAL.test(v)) throw malformed(`${what}.${key} (not a decimal string)`);
      return v;
    },
  };
}
