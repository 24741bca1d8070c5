// Bittrex refusals -> hb reasons, in one table (bittrex.md §7 "Error codes").
// Bittrex answers `{"code": "...", "detail": "...", "data": {...}}` with an HTTP
// status; rows match on the code. classifyBittrexError is the only way this
// package turns a refusal into an HbError; the spec walks every row.
import {
  HbError,
  classifyExchangeError,
  createErrorClassifier,
  fieldsReader,
  type ErrorMapping,
  type ExchangeErrorClassifier,
} from '@hb/core/connector';
import { BITTREX_EXCHANGE } from './bittrex-constants.js';

/** Every code we classify; the first matching row wins. */
export const BITTREX_ERROR_TABLE: readonly ErrorMapping[] = [
  // 429: back off for the rest of the minute.
  { code: 'THROTTLED', reason: 'rate_limit' },
  // 401/403: the key, its signature or its permissions. Retrying the same
  // request cannot fix any of them.
  { code: 'APIKEY_INVALID', reason: 'authentication', retryable: false },
  { code: 'INVALID_APIKEY', reason: 'authentication', retryable: false },
  { code: 'INVALID_SIGNATURE', reason: 'authentication', retryable: false },
  { code: 'INVALID_TIMESTAMP', reason: 'authentication', retryable: true },
  { code: 'NOT_ALLOWED', reason: 'authentication', retryable: false },
  { code: 'ACCOUNT_DISABLED', reason: 'authentication', retryable: false },
  { code: 'INVALID_RESTRICTED_ACCOUNT', reason: 'authentication', retryable: false },
  { code: 'UNAUTHORIZED', reason: 'authentication', retryable: false },
  // 409: the account cannot pay for the order.
  { code: 'INSUFFICIENT_FUNDS', reason: 'insufficient_funds' },
  { code: 'INSUFFICIENT_AWARDS', reason: 'insufficient_funds' },
  // 400/409: the order itself is refused; nothing was placed.
  { code: 'MIN_TRADE_REQUIREMENT_NOT_MET', reason: 'invalid_order' },
  { code: 'DUST_TRADE_DISALLOWED_MIN_VALUE', reason: 'invalid_order' },
  { code: 'RATE_PRECISION_NOT_ALLOWED', reason: 'invalid_order' },
  { code: 'INVALID_ORDER_TYPE', reason: 'invalid_order' },
  { code: 'ORDER_TYPE_INVALID', reason: 'invalid_order' },
  { code: 'INVALID_MARKET_ORDER', reason: 'invalid_order' },
  { code: 'MARKET_NAME_REVERSED', reason: 'invalid_order' },
  { code: 'MARKET_DOES_NOT_EXIST', reason: 'invalid_order' },
  { code: 'CURRENCY_DOES_NOT_EXIST', reason: 'invalid_order' },
  { code: 'POST_ONLY', reason: 'invalid_order' },
  { code: 'FILL_OR_KILL', reason: 'invalid_order' },
  { code: 'SELF_TRADE', reason: 'invalid_order' },
  { code: 'MAX_ORDERS_ALLOWED', reason: 'invalid_order' },
  { code: 'ORDERBOOK_DEPTH', reason: 'invalid_order' },
  { code: 'CLIENTORDERID_ALREADY_EXISTS', reason: 'invalid_order' },
  { code: 'INVALID_NEXT_PAGE_TOKEN', reason: 'invalid_order' },
  { code: 'BAD_REQUEST', reason: 'invalid_order' },
  // A market taken offline: 503 is temporary (the 5xx rule also makes it an
  // unknown outcome); the 409 form refuses this order definitively.
  { code: 'MARKET_OFFLINE', httpStatus: 503, reason: 'unavailable' },
  { code: 'MARKET_OFFLINE', reason: 'invalid_order' },
  { code: 'CURRENCY_OFFLINE', reason: 'unavailable' },
  // 404 on a lookup or a cancel: the order is unknown (or was purged after a
  // cancel with no fills). 409 ORDER_NOT_OPEN: nothing left to cancel; the
  // market looks the order up to learn how it ended.
  { code: 'ORDER_DOES_NOT_EXIST', reason: 'order_not_found' },
  { code: 'ORDER_NOT_OPEN', reason: 'order_not_found' },
];

/**
 * A refused Bittrex request -> HbError, through core's classifier over the
 * table (`{"code", "detail"}` bodies). A 5xx is always an unknown outcome
 * whatever its body says: the order may have been placed.
 */
export const classifyBittrexError: ExchangeErrorClassifier = createErrorClassifier(
  BITTREX_EXCHANGE,
  BITTREX_ERROR_TABLE,
  fieldsReader({ code: 'code', message: 'detail' }),
);

/** A refused hub call (`{"Success": false, "ErrorCode": "..."}`) -> HbError. */
export function classifyBittrexSocketError(errorCode: string | undefined, what: string): HbError {
  return classifyExchangeError(BITTREX_ERROR_TABLE, {
    exchange: BITTREX_EXCHANGE,
    code: errorCode,
    message: what,
  });
}

/** Whether an error says the order is unknown to the exchange (used by lookups). */
export function isOrderNotFound(e: unknown): boolean {
  return e instanceof HbError && e.reason === 'order_not_found';
}
