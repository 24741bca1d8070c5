// Small helpers: wire readers bound to Bittrex, times and decimals. Bittrex
// market symbols are already `BASE-QUOTE` (bittrex.md §3); core's SymbolMap,
// built from /v3/markets, refuses pairs it does not list.
import BigNumber from 'bignumber.js';
import { HbError, createWireReaders, isUnsignedDecimal, type WireObject } from '@hb/core/connector';
import { BITTREX_EXCHANGE } from './bittrex-constants.js';

export type { WireObject };

const readers = createWireReaders(BITTREX_EXCHANGE);
export const {
  malformed,
  asObject,
  asArray,
  readString,
  readNumber,
  readBoolean,
  readOptionalString,
  readFlag,
} = readers;

/**
 * Bittrex documents decimals as strings (`"0.06000000"`) but its Swagger types
 * them as numbers: accept both, refuse anything else (§2).
 */
export function readDecimal(o: WireObject, key: string, what: string): string {
  const v = o[key];
  if (typeof v === 'number') {
    // The same bounds as the string form: unsigned, at most 15 integer and 18
    // fraction digits, so 1e300, -5 or NaN is a refused frame, not an amount.
    const s = Number.isFinite(v) ? new BigNumber(v).toFixed() : '';
    if (!isUnsignedDecimal(s)) throw malformed(`${what}.${key} (not an unsigned decimal in range)`);
    return s;
  }
  return readers.readDecimal(o, key, what);
}

/** {@link readDecimal} for an optional field. */
export function readOptionalDecimal(o: WireObject, key: string, what: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return readDecimal(o, key, what);
}

/** A non-negative decimal (book quantities, rates, fills). */
export function readUnsigned(o: WireObject, key: string, what: string): string {
  const v = readDecimal(o, key, what);
  if (v.startsWith('-')) throw malformed(`${what}.${key} (negative)`);
  return v;
}

/** An ISO 8601 UTC time (`2023-11-14T22:13:20.12Z`, any fraction) in ms. */
export function readTime(o: WireObject, key: string, what: string): number {
  const s = readString(o, key, what);
  const ms = Date.parse(s);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(s) || !Number.isFinite(ms))
    throw malformed(`${what}.${key} (not an ISO time)`);
  return ms;
}

/** `BUY`/`SELL` -> `buy`/`sell`. */
export function readDirection(o: WireObject, key: string, what: string): 'buy' | 'sell' {
  const v = o[key];
  if (v === 'BUY') return 'buy';
  if (v === 'SELL') return 'sell';
  throw malformed(`${what}.${key} (not BUY/SELL)`);
}

/** A whole non-negative sequence number (JSON number, or the digits of a header). */
export function parseSequence(value: unknown, what: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw malformed(`${what} (not a sequence)`);
  return n;
}

/** Millisecond epoch -> the ISO form Bittrex sends. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** A decimal as Bittrex wants it sent: plain digits, no exponent, no trailing zeros. */
export function formatDecimal(value: BigNumber.Value): string {
  const v = new BigNumber(value);
  if (!v.isFinite()) throw new HbError('invalid_order', `${BITTREX_EXCHANGE}: not a finite decimal`);
  return v.toFixed();
}
