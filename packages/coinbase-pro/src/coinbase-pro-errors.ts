// Coinbase refusals -> hb reasons, in one table (coinbase-pro.md §6, §7 "Errors").
// Coinbase sends no error codes, only an HTTP status and `{"message": ...}`, so
// rows match on message patterns (wording varies between API generations, hence
// loose patterns) and fall back on the status. The spec walks every row;
// classifyCoinbaseProError is the only way this package turns a refusal into an
// HbError.
import {
  classifyExchangeError,
  createErrorClassifier,
  type ErrorMapping,
  type ExchangeErrorClassifier,
  type HbError,
} from '@hb/core/connector';
import { COINBASE_PRO_EXCHANGE } from './coinbase-pro-constants.js';

/**
 * Every message we classify. Rows are tried in order and the first match wins,
 * so specific texts come before general ones ("Product not found" before "not
 * found").
 */
export const COINBASE_PRO_ERROR_TABLE: readonly ErrorMapping[] = [
  // Rate limits (429), whichever bucket.
  { message: /rate limit exceeded/i, reason: 'rate_limit' },
  // Authentication (401). A stale timestamp is clock drift, not a bad key: re-sync
  // server time and retry once, hence retryable. The request was refused, so the
  // outcome is known.
  { message: /invalid api key/i, reason: 'authentication' },
  { message: /invalid signature/i, reason: 'authentication' },
  { message: /invalid passphrase/i, reason: 'authentication' },
  { message: /timestamp/i, reason: 'authentication', retryable: true },
  // New-order rejections (400): definitive, never retried as-is.
  { message: /insufficient funds/i, reason: 'insufficient_funds' },
  { message: /size is too small|size too small/i, reason: 'invalid_order' },
  { message: /price too small|price is too small/i, reason: 'invalid_order' },
  { message: /too (precise|accurate)|increment/i, reason: 'invalid_order' },
  { message: /post.?only/i, reason: 'invalid_order' },
  { message: /product not found/i, reason: 'invalid_order' },
  // 403 with a product reason is about the pair, not the key.
  { message: /trading pair not available/i, reason: 'invalid_order' },
  // A malformed id in a lookup or cancel is our bug, and says nothing about
  // whether the order exists: it must not count towards "not found".
  { message: /invalid order id/i, reason: 'invalid_order' },
  // Product in cancel-only mode: a definitive refusal of the new order (nothing
  // was placed), not retryable until the product's status changes, which the
  // trading rules pick up (cancel_only -> trading disabled).
  { message: /cancel.?only/i, reason: 'invalid_order' },
  // Exchange maintenance: temporary. `unavailable` makes it retryable and leaves
  // the outcome unknown, so a placement is settled by a lookup by client_oid
  // rather than failed: the conservative path, and it never duplicates an order.
  { message: /maintenance/i, reason: 'unavailable' },
  // Unknown or finished orders (404, or 400 on cancel). Hummingbot treated "order
  // not found" on cancel as already canceled; "Order already done" likewise
  // means there is nothing left to cancel: the market looks the order up.
  { message: /^notfound$/i, reason: 'order_not_found' },
  { message: /order not found/i, reason: 'order_not_found' },
  { message: /order already done/i, reason: 'order_not_found' },
];

/**
 * A refused Coinbase request -> HbError. `status` is the HTTP status; `body` the
 * parsed JSON or raw text (`{message}`). A 5xx is always an unknown outcome
 * whatever its body says: the order may have reached the matching engine.
 */
export const classifyCoinbaseProError: ExchangeErrorClassifier = createErrorClassifier(
  COINBASE_PRO_EXCHANGE,
  COINBASE_PRO_ERROR_TABLE,
  { message: 'message' },
);

/**
 * A feed `error` frame (`{type: "error", message, reason}`) -> HbError. There is
 * no HTTP status; auth failures on subscribe carry the REST messages ("invalid
 * signature"), and anything unrecognised is `unknown`.
 */
export function classifyCoinbaseProWsError(frame: {
  readonly message: string;
  readonly reason?: string;
}): HbError {
  const text =
    frame.reason === undefined || frame.reason === '' ? frame.message : `${frame.message}: ${frame.reason}`;
  return classifyExchangeError(COINBASE_PRO_ERROR_TABLE, { exchange: COINBASE_PRO_EXCHANGE, message: text });
}
