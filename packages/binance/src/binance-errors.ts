// Binance error codes -> hb reasons, in one table (binance.md §2, §6, §7 "Notable
// errors", and errors.md of the official docs for the 10xx server codes). The
// spec walks every row; classifyBinanceError is the only way this package turns
// a refusal into an HbError.
import { createErrorClassifier, type ErrorMapping, type ExchangeErrorClassifier } from '@hb/core/connector';
import { BINANCE_EXCHANGE } from './binance-constants.js';

/**
 * Every Binance code we classify. Rows are tried in order and the first match
 * wins, so message-specific rows for a code come before that code's catch-all.
 */
export const BINANCE_ERROR_TABLE: readonly ErrorMapping[] = [
  // 10xx server/network. -1006/-1007: the request may have executed (outcome unknown).
  { code: -1000, reason: 'unknown' },
  { code: -1001, reason: 'unavailable' },
  { code: -1006, reason: 'unknown' },
  { code: -1007, reason: 'timeout' },
  { code: -1008, reason: 'unavailable' },
  { code: -1016, reason: 'unavailable', retryable: false },
  // Rate limits: weight/IP (-1003, with 429 or 418) and unfilled-order count (-1015).
  { code: -1003, reason: 'rate_limit' },
  { code: -1015, reason: 'rate_limit' },
  // Authentication. -1021 is clock drift, not a bad key: re-sync server time and
  // retry once, hence retryable. The request was refused, so the outcome is known.
  { code: -1002, reason: 'authentication' },
  { code: -1021, reason: 'authentication', retryable: true },
  { code: -1022, reason: 'authentication' },
  { code: -2014, reason: 'authentication' },
  { code: -2015, reason: 'authentication' },
  { code: -1125, reason: 'authentication' },
  // New-order rejections: definitive, never retried as-is.
  { code: -2010, message: /insufficient balance/i, reason: 'insufficient_funds' },
  { code: -2010, message: /would immediately match and take/i, reason: 'invalid_order' },
  { code: -2010, message: /duplicate order/i, reason: 'invalid_order' },
  { code: -2010, message: /market is closed/i, reason: 'invalid_order' },
  { code: -2010, reason: 'invalid_order' },
  { code: -1013, message: /filter failure/i, reason: 'invalid_order' },
  { code: -1013, reason: 'invalid_order' },
  // Request shape: illegal chars, missing/unread/unneeded params, precision, TIF, type, side, symbol.
  { code: -1100, reason: 'invalid_order' },
  { code: -1102, reason: 'invalid_order' },
  { code: -1104, reason: 'invalid_order' },
  { code: -1106, reason: 'invalid_order' },
  { code: -1111, reason: 'invalid_order' },
  { code: -1114, reason: 'invalid_order' },
  { code: -1115, reason: 'invalid_order' },
  { code: -1116, reason: 'invalid_order' },
  { code: -1117, reason: 'invalid_order' },
  { code: -1121, reason: 'invalid_order' },
  // Unknown orders. Other -2011 messages (cancel restrictions) are refusals of a known order.
  { code: -2011, message: /unknown order sent/i, reason: 'order_not_found' },
  { code: -2011, reason: 'invalid_order' },
  { code: -2013, reason: 'order_not_found' },
  { code: -2026, reason: 'order_not_found' },
];

/**
 * A refused Binance request -> HbError. `status` is the HTTP status (or a
 * WebSocket API error frame's `status`); `body` the parsed JSON or raw text
 * (`{code, msg}`, the frame's `error`).
 * A 5xx is always an unknown outcome whatever its body says: Binance documents
 * that the order may still have executed.
 */
export const classifyBinanceError: ExchangeErrorClassifier = createErrorClassifier(
  BINANCE_EXCHANGE,
  BINANCE_ERROR_TABLE,
  { code: 'code', message: 'msg' },
);
