// Huobi's `err-code` strings mapped to hb's reasons, in one table tested case by
// case (test/huobi-errors.spec.ts), through core's classifier. Huobi answers most
// errors with HTTP 200 and `{"status":"error","err-code":...,"err-msg":...}`, so
// the REST client checks every 2xx body with `huobiBodyError`; real HTTP errors
// (429, 5xx) go through `classifyHuobiError` with the same table.
import {
  HbError,
  createErrorClassifier,
  type ErrorBodyReader,
  type ErrorMapping,
  type ErrorReason,
  type ExchangeErrorClassifier,
} from '@hb/core/connector';
import { HUOBI_EXCHANGE } from './huobi-constants.js';

/**
 * Every `err-code` the connector distinguishes (huobi.md §4, §6, §7, §9). The
 * first matching row wins. Codes not listed fall back on the HTTP status, which
 * is 200 for Huobi's error bodies: `unknown`, so a placement with such an answer
 * is looked up by client order id, never failed blindly.
 */
export const HUOBI_ERROR_TABLE: readonly ErrorMapping[] = [
  // A refused Signature V2 timestamp ("Invalid submission time or incorrect time
  // format"): clock drift, not a bad key. Retryable, so the REST client re-syncs
  // the server-time offset and resends once.
  {
    code: 'api-signature-not-valid',
    message: /submission time|time format/i,
    reason: 'authentication',
    retryable: true,
  },
  // Authentication and account.
  { code: 'api-signature-not-valid', reason: 'authentication' },
  { code: 'api-signature-check-failed', reason: 'authentication' },
  { code: 'login-required', reason: 'authentication' },
  { code: 'api-key-invalid', reason: 'authentication' },
  { code: 'account-account-id-inexistent', reason: 'authentication' },
  // Funds.
  { code: 'order-accountbalance-error', reason: 'insufficient_funds' },
  { code: 'account-balance-insufficient-error', reason: 'insufficient_funds' },
  // Order rules: definitive refusals.
  { code: 'order-limitorder-amount-min-error', reason: 'invalid_order' },
  { code: 'order-limitorder-amount-max-error', reason: 'invalid_order' },
  { code: 'order-marketorder-amount-min-error', reason: 'invalid_order' },
  { code: 'order-marketorder-amount-max-error', reason: 'invalid_order' },
  { code: 'order-value-min-error', reason: 'invalid_order' },
  { code: 'order-orderprice-precision-error', reason: 'invalid_order' },
  { code: 'order-orderamount-precision-error', reason: 'invalid_order' },
  { code: 'order-invalid-price', reason: 'invalid_order' },
  { code: 'order-limitorder-price-min-error', reason: 'invalid_order' },
  { code: 'order-limitorder-price-max-error', reason: 'invalid_order' },
  { code: 'order-type-invalid', reason: 'invalid_order' },
  // Cancel of an order already final: the market then asks for its state.
  { code: 'order-orderstate-error', reason: 'invalid_order' },
  { code: 'order-disabled', reason: 'invalid_order' },
  { code: 'base-symbol-trade-disabled', reason: 'invalid_order' },
  { code: 'base-symbol-error', reason: 'invalid_order' },
  { code: 'invalid-client-order-id', reason: 'invalid_order' },
  { code: 'base-argument-unsupported', reason: 'invalid_order' },
  { code: 'validation-constraints-required', reason: 'invalid_order' },
  { code: 'invalid-parameter', reason: 'invalid_order' },
  // Lookups.
  { code: 'base-record-invalid', reason: 'order_not_found' },
  { code: 'base-not-found', reason: 'order_not_found' },
  { code: 'not-found', reason: 'order_not_found' },
  // Limits and availability.
  { code: 'too-many-request', reason: 'rate_limit' },
  { message: /too many request/i, reason: 'rate_limit' },
  { code: 'gateway-internal-error', reason: 'unavailable' },
  { code: 'base-system-error', reason: 'unavailable' },
  { code: 'sys-maintenance', reason: 'unavailable' },
];

/**
 * Reads v1 error bodies (`err-code`, `err-msg`) and v2 ones (`code` other than
 * 200, `message`); anything else is not an error body.
 */
const readHuobiError: ErrorBodyReader = (o) => {
  if (o['status'] === 'error' || typeof o['err-code'] === 'string') {
    return {
      code: typeof o['err-code'] === 'string' ? o['err-code'] : undefined,
      message: typeof o['err-msg'] === 'string' ? o['err-msg'] : undefined,
    };
  }
  if (typeof o['code'] === 'number' && o['code'] !== 200 && o['status'] === undefined) {
    return { code: o['code'], message: typeof o['message'] === 'string' ? o['message'] : undefined };
  }
  return undefined;
};

/** Classifies a refusal (any status) with {@link HUOBI_ERROR_TABLE}. */
export const classifyHuobiError: ExchangeErrorClassifier = createErrorClassifier(
  HUOBI_EXCHANGE,
  HUOBI_ERROR_TABLE,
  readHuobiError,
);

/** True for a JSON body in one of Huobi's error shapes. */
function isErrorBody(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    !Array.isArray(json) &&
    readHuobiError(json as Readonly<Record<string, unknown>>) !== undefined
  );
}

/** The error a 2xx body stands for (Huobi's HTTP-200 errors), or undefined for a good answer. */
export function huobiBodyError(json: unknown, status: number, headers?: Headers): HbError | undefined {
  return isErrorBody(json) ? classifyHuobiError(status, json, headers ?? new Headers()) : undefined;
}

/** True when `e` is the stale-timestamp refusal (recovered by a clock re-sync). */
export function isHuobiClockSkew(e: HbError): boolean {
  return e.exchangeCode === 'api-signature-not-valid' && e.reason === 'authentication' && e.retryable;
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
  return new HbError(reason, `${HUOBI_EXCHANGE}: account stream: code ${code}: ${message}`, {
    exchange: HUOBI_EXCHANGE,
    exchangeCode: code,
    retryable: reason === 'authentication' ? false : undefined,
  });
}
