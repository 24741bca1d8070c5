// Huobi's `err-code` strings mapped to hb's reasons, in one table tested case by
// case (test/huobi-errors.spec.ts). Huobi answers most errors with HTTP 200 and
// `{"status":"error","err-code":...,"err-msg":...}`, so the REST client checks every
// 2xx body with `huobiBodyError`; real HTTP errors (429, 5xx) go through
// `classifyHuobiError` with the same table.
import { HbError, reasonFromHttpStatus, retryAfterMs, type ErrorReason } from '@hb/core';
import { HUOBI_EXCHANGE } from './huobi-constants.js';

/** How one `err-code` is treated. */
export interface HuobiErrorRule {
  readonly reason: ErrorReason;
  /** Overrides the reason's default retryability. */
  readonly retryable?: boolean;
}

/**
 * Every `err-code` the connector distinguishes (huobi.md §4, §6, §7, §9).
 * Codes not listed are `unknown` (outcome unknown for a placement: looked up by
 * client order id, never failed blindly).
 */
export const HUOBI_ERROR_TABLE: Readonly<Record<string, HuobiErrorRule>> = {
  // authentication
  'api-signature-not-valid': { reason: 'authentication', retryable: false },
  'api-signature-check-failed': { reason: 'authentication', retryable: false },
  'login-required': { reason: 'authentication', retryable: false },
  'api-key-invalid': { reason: 'authentication', retryable: false },
  'account-account-id-inexistent': { reason: 'authentication', retryable: false },
  // funds
  'order-accountbalance-error': { reason: 'insufficient_funds', retryable: false },
  'account-balance-insufficient-error': { reason: 'insufficient_funds', retryable: false },
  // order rules
  'order-limitorder-amount-min-error': { reason: 'invalid_order' },
  'order-limitorder-amount-max-error': { reason: 'invalid_order' },
  'order-marketorder-amount-min-error': { reason: 'invalid_order' },
  'order-marketorder-amount-max-error': { reason: 'invalid_order' },
  'order-value-min-error': { reason: 'invalid_order' },
  'order-orderprice-precision-error': { reason: 'invalid_order' },
  'order-orderamount-precision-error': { reason: 'invalid_order' },
  'order-invalid-price': { reason: 'invalid_order' },
  'order-limitorder-price-min-error': { reason: 'invalid_order' },
  'order-limitorder-price-max-error': { reason: 'invalid_order' },
  'order-type-invalid': { reason: 'invalid_order' },
  'order-orderstate-error': { reason: 'invalid_order' },
  'order-disabled': { reason: 'invalid_order' },
  'base-symbol-trade-disabled': { reason: 'invalid_order' },
  'base-symbol-error': { reason: 'invalid_order' },
  'invalid-client-order-id': { reason: 'invalid_order' },
  'base-argument-unsupported': { reason: 'invalid_order' },
  'validation-constraints-required': { reason: 'invalid_order' },
  'invalid-parameter': { reason: 'invalid_order' },
  'bad-request': { reason: 'invalid_order' },
  // lookups
  'base-record-invalid': { reason: 'order_not_found' },
  'base-not-found': { reason: 'order_not_found' },
  'not-found': { reason: 'order_not_found' },
  // limits and availability
  'too-many-request': { reason: 'rate_limit' },
  'gateway-internal-error': { reason: 'unavailable' },
  'base-system-error': { reason: 'unavailable' },
  'sys-maintenance': { reason: 'unavailable' },
};

/**
 * A refused Signature V2 timestamp: `api-signature-not-valid` with "Invalid
 * submission time" in `err-msg`. Retryable, so the REST client re-syncs the
 * server-time offset and resends once.
 */
const STALE_TIMESTAMP = /submission time|time format|timestamp/i;

/** The error a Huobi error body stands for. */
export function huobiErrorFromBody(
  code: string,
  message: string,
  options: { httpStatus?: number; retryAfterMs?: number } = {},
): HbError {
  const rule = HUOBI_ERROR_TABLE[code];
  let reason: ErrorReason = rule?.reason ?? 'unknown';
  let retryable = rule?.retryable;
  if (code === 'api-signature-not-valid' && STALE_TIMESTAMP.test(message)) retryable = true;
  if (rule === undefined && /too many request/i.test(message)) reason = 'rate_limit';
  return new HbError(reason, `${HUOBI_EXCHANGE}: ${code}: ${message}`, {
    exchange: HUOBI_EXCHANGE,
    exchangeCode: code,
    httpStatus: options.httpStatus,
    retryAfterMs: options.retryAfterMs,
    ...(retryable === undefined ? {} : { retryable }),
  });
}

/** True when `e` is the stale-timestamp refusal (recovered by a clock re-sync). */
export function isHuobiClockSkew(e: HbError): boolean {
  return e.exchangeCode === 'api-signature-not-valid' && e.reason === 'authentication' && e.retryable;
}

/**
 * Checks a 2xx body: v1 `{"status":"error", "err-code", "err-msg"}` and v2
 * `{"code": <not 200>, "message"}` are errors; anything else is a good answer.
 */
export function huobiBodyError(json: unknown, status: number, headers?: Headers): HbError | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as Record<string, unknown>;
  if (o['status'] === 'error') {
    const code = typeof o['err-code'] === 'string' ? o['err-code'] : 'unknown';
    const msg = typeof o['err-msg'] === 'string' ? o['err-msg'] : '';
    return huobiErrorFromBody(code, msg, { httpStatus: status, retryAfterMs: retryAfterMs(headers) });
  }
  if (typeof o['code'] === 'number' && o['code'] !== 200 && o['status'] === undefined) {
    const msg = typeof o['message'] === 'string' ? o['message'] : '';
    return huobiErrorFromBody(String(o['code']), msg, { httpStatus: status });
  }
  return undefined;
}

/** Classifies a non-2xx answer: a Huobi error body when there is one, else by HTTP status. */
export function classifyHuobiError(status: number, body: unknown, headers?: Headers): HbError {
  const fromBody = huobiBodyError(body, status, headers);
  if (fromBody !== undefined) return fromBody;
  return new HbError(reasonFromHttpStatus(status), `${HUOBI_EXCHANGE}: HTTP ${status}`, {
    exchange: HUOBI_EXCHANGE,
    httpStatus: status,
    retryAfterMs: retryAfterMs(headers),
  });
}

/** WebSocket v2 error codes (huobi.md §8) to reasons. */
export function classifyHuobiWsV2Error(code: number, message: string): HbError {
  const reason: ErrorReason =
    code === 2002 || code === 2000
      ? 'authentication'
      : code === 429 || code === 4000
        ? 'rate_limit'
        : code === 500 || code === 100
          ? 'unavailable'
          : code === 2001 || code === 400 || code === 404
            ? 'invalid_order'
            : 'unknown';
  return new HbError(reason, `${HUOBI_EXCHANGE}: account stream ${code} ${message}`, {
    exchange: HUOBI_EXCHANGE,
    exchangeCode: code,
    retryable: reason === 'authentication' ? false : undefined,
  });
}
