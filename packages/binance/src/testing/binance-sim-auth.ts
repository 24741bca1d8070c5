// The exchange side of Binance's HMAC authentication (shared/exchanges/binance.md §6),
// written from the documentation on its own, never from the connector's signer:
// if both were built from one piece of code, a shared misreading would pass every test.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { BINANCE_SIM_MSG, BinanceSimError, mandatoryParam } from './binance-sim-errors.js';

/** Default and maximum `recvWindow` (ms). */
export const RECV_WINDOW = { default: 5000, max: 60_000 } as const;

/** The secret behind an API key, or undefined for an unknown key. */
export type SecretLookup = (apiKey: string) => string | undefined;

/** `hex(HMAC-SHA256(secret, payload))`, lowercase. */
export function hmacSha256Hex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

/**
 * Removes every `signature=` pair from a query string or form body, keeping the
 * other bytes exactly as sent: the server signs what the client signed, which is the
 * transmitted text without the signature itself.
 */
export function stripSignature(raw: string): string {
  if (raw === '') return raw;
  return raw
    .split('&')
    .filter((pair) => pair.split('=', 1)[0] !== 'signature')
    .join('&');
}

/** Constant-time comparison of two hex signatures, case-insensitive as Binance's HMAC check is. */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected.toLowerCase(), 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** What a SIGNED REST request carries. */
export interface SignedRestRequest {
  /** `X-MBX-APIKEY` header value. */
  readonly apiKey: string | undefined;
  /** Query string exactly as sent (no `?`). */
  readonly rawQuery: string;
  /** Body exactly as sent. */
  readonly body: string;
  /** Merged parameters (query wins over body). */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Authenticates a SIGNED REST request: known key (-2014 / -2015, HTTP 401), signature
 * over query + body as sent (-1102 when missing, -1022 when wrong), then the
 * timestamp rule (-1021). Returns the API key.
 */
export function authenticateRest(
  req: SignedRestRequest,
  secretFor: SecretLookup,
  serverTime: number,
): string {
  const apiKey = req.apiKey;
  if (apiKey === undefined || apiKey === '')
    throw new BinanceSimError(-2014, BINANCE_SIM_MSG.apiKeyFormat, 401);
  const secret = secretFor(apiKey);
  if (secret === undefined) throw new BinanceSimError(-2015, BINANCE_SIM_MSG.badApiKey, 401);
  const signature = req.params['signature'];
  if (signature === undefined || signature === '') throw mandatoryParam('signature');
  const payload = stripSignature(req.rawQuery) + stripSignature(req.body);
  if (!signaturesEqual(hmacSha256Hex(secret, payload), signature)) {
    throw new BinanceSimError(-1022, BINANCE_SIM_MSG.badSignature);
  }
  checkTimestamp(req.params['timestamp'], req.params['recvWindow'], serverTime);
  return apiKey;
}

/**
 * Binance's acceptance rule: `timestamp < serverTime + 1000` and
 * `serverTime - timestamp <= recvWindow` (default 5000, max 60000).
 */
export function checkTimestamp(timestampRaw: unknown, recvWindowRaw: unknown, serverTime: number): void {
  const timestamp = toNumber(timestampRaw);
  if (timestamp === undefined || !Number.isInteger(timestamp) || timestamp <= 0) {
    throw mandatoryParam('timestamp');
  }
  let recvWindow: number = RECV_WINDOW.default;
  if (recvWindowRaw !== undefined && recvWindowRaw !== '') {
    const rw = toNumber(recvWindowRaw);
    if (rw === undefined || rw < 0) throw mandatoryParam('recvWindow');
    if (rw > RECV_WINDOW.max)
      throw new BinanceSimError(-1131, `recvWindow must be less than ${RECV_WINDOW.max}`);
    recvWindow = rw;
  }
  // Microsecond timestamps (16 digits) are accepted by Binance; compare in ms.
  const tsMs = timestamp > 1e14 ? timestamp / 1000 : timestamp;
  if (tsMs >= serverTime + 1000) throw new BinanceSimError(-1021, BINANCE_SIM_MSG.timestampAhead);
  if (serverTime - tsMs > recvWindow) throw new BinanceSimError(-1021, BINANCE_SIM_MSG.timestampOutside);
}

/**
 * The WebSocket API signing payload: every param except `signature`, sorted by key,
 * joined as `k=v&k=v` with values as their plain text (no url-encoding).
 */
export function wsApiSigningPayload(params: Readonly<Record<string, unknown>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${plainValue(params[k])}`)
    .join('&');
}

/**
 * Authenticates a signed WebSocket API request (`apiKey`, `timestamp`, `signature`,
 * optional `recvWindow` in `params`). Returns the API key.
 */
export function authenticateWsApi(
  params: Readonly<Record<string, unknown>>,
  secretFor: SecretLookup,
  serverTime: number,
): string {
  const apiKey = params['apiKey'];
  if (typeof apiKey !== 'string' || apiKey === '') throw mandatoryParam('apiKey');
  const signature = params['signature'];
  if (typeof signature !== 'string' || signature === '') throw mandatoryParam('signature');
  if (params['timestamp'] === undefined) throw mandatoryParam('timestamp');
  const secret = secretFor(apiKey);
  if (secret === undefined) throw new BinanceSimError(-2015, BINANCE_SIM_MSG.badApiKey, 401);
  if (!signaturesEqual(hmacSha256Hex(secret, wsApiSigningPayload(params)), signature)) {
    throw new BinanceSimError(-1022, BINANCE_SIM_MSG.badSignature);
  }
  checkTimestamp(params['timestamp'], params['recvWindow'], serverTime);
  return apiKey;
}

function plainValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || !/^\d+(\.\d{1,3})?$/.test(v)) return undefined;
  return Number(v);
}
