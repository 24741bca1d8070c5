// The exchange side of Coinbase's HMAC authentication (coinbase-pro.md §6), written
// from the documentation on its own, never from the connector's signer: if both came
// from one piece of code, a shared misreading would pass every test.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { COINBASE_SIM_MSG, CoinbaseSimError } from './coinbase-pro-sim-errors.js';

/** What the server knows of an API key. */
export interface KeyRecord {
  /** The base64 secret as issued. */
  readonly apiSecret: string;
  readonly passphrase: string;
}

/** The key record behind an API key, or undefined for an unknown key. */
export type KeyLookup = (apiKey: string) => KeyRecord | undefined;

/** `base64(HMAC-SHA256(base64decode(secret), timestamp + METHOD + requestPath + body))`. */
export function coinbaseSignature(
  secretBase64: string,
  timestamp: string,
  method: string,
  requestPath: string,
  body: string,
): string {
  const key = Buffer.from(secretBase64, 'base64');
  return createHmac('sha256', key)
    .update(timestamp + method.toUpperCase() + requestPath + body, 'utf8')
    .digest('base64');
}

/** What a signed request (REST headers, or the fields of a feed subscribe) carries. */
export interface SignedParts {
  readonly key: string | undefined;
  readonly passphrase: string | undefined;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly method: string;
  /** Path and `?query` exactly as sent. */
  readonly requestPath: string;
  /** Body exactly as sent ('' when none). */
  readonly body: string;
}

/**
 * Checks a signed request: known key, passphrase, timestamp within `toleranceSec` of
 * server time, then the signature. Every failure is a 401 with Coinbase's text.
 * Returns the API key.
 */
export function authenticate(
  parts: SignedParts,
  lookup: KeyLookup,
  serverTimeMs: number,
  toleranceSec: number,
): string {
  const key = parts.key;
  const record = key === undefined || key === '' ? undefined : lookup(key);
  if (key === undefined || record === undefined)
    throw new CoinbaseSimError(401, COINBASE_SIM_MSG.invalidApiKey);
  if (parts.passphrase !== record.passphrase)
    throw new CoinbaseSimError(401, COINBASE_SIM_MSG.invalidPassphrase);
  const ts = parts.timestamp;
  if (ts === undefined || !/^\d+(\.\d+)?$/.test(ts))
    throw new CoinbaseSimError(401, COINBASE_SIM_MSG.invalidSignature);
  if (Math.abs(Number(ts) * 1000 - serverTimeMs) > toleranceSec * 1000) {
    throw new CoinbaseSimError(401, COINBASE_SIM_MSG.timestampExpired);
  }
  const expected = coinbaseSignature(record.apiSecret, ts, parts.method, parts.requestPath, parts.body);
  if (parts.signature === undefined || !sameText(expected, parts.signature)) {
    throw new CoinbaseSimError(401, COINBASE_SIM_MSG.invalidSignature);
  }
  return key;
}

/** True for a string that decodes from standard base64 (what a Coinbase secret is). */
export function isBase64(s: string): boolean {
  return s.length > 0 && s.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
