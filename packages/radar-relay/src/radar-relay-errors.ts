// Radar Relay refusals -> hb reasons, in one table, and -> the typed 0x errors
// the issue asks for (unfunded, allowance missing, order expired, order already
// filled). The spec walks every row; classifyRadarRelayError is the only way
// this package turns a refusal into an HbError.
import {
  HbError,
  createErrorClassifier,
  type ErrorBodyReader,
  type ErrorMapping,
  type ExchangeErrorClassifier,
} from '@hb/core/connector';
import { ZeroExError, type ZeroExErrorKind } from '@hb/zero-ex';
import { RADAR_RELAY_EXCHANGE } from './radar-relay-constants.js';

/**
 * Radar answered refusals in the Standard Relayer API shape
 * `{ code, reason, validationErrors?: [{ field, code, reason }] }` (zero-ex.md §10).
 * The first field error says what was wrong, so it is the code and message we classify.
 */
export const readRadarErrorBody: ErrorBodyReader = (o) => {
  const errors = o['validationErrors'];
  const first =
    Array.isArray(errors) && typeof errors[0] === 'object' && errors[0] !== null
      ? (errors[0] as Record<string, unknown>)
      : undefined;
  const code = first?.['code'] ?? o['code'];
  const reason = first?.['reason'] ?? o['reason'];
  const field = first?.['field'];
  if (typeof code !== 'number' && typeof code !== 'string' && typeof reason !== 'string') return undefined;
  return {
    code: typeof code === 'number' || typeof code === 'string' ? code : undefined,
    message:
      typeof reason === 'string' ? (typeof field === 'string' ? `${field}: ${reason}` : reason) : undefined,
  };
};

/** Every code or message we classify. Unlisted: by HTTP status (404 = not found, 429 = rate limit). */
export const RADAR_RELAY_ERROR_TABLE: readonly ErrorMapping[] = [
  // SRA general codes.
  { code: 103, reason: 'rate_limit' },
  { code: 102, reason: 'unavailable', retryable: true },
  { code: 101, reason: 'invalid_order' },
  // Field errors whose reason says the maker cannot pay: insufficient funds, never retried as-is.
  { message: /insufficient .*balance/i, reason: 'insufficient_funds' },
  { message: /insufficient .*allowance/i, reason: 'insufficient_funds' },
  { message: /unfunded/i, reason: 'insufficient_funds' },
  // An unknown order hash.
  { httpStatus: 404, reason: 'order_not_found' },
  // Everything else the relayer validated (hash, signature, expiry, sizes): a bad order.
  { code: 1005, reason: 'invalid_order' },
  { code: 1004, reason: 'invalid_order' },
  { code: 1001, reason: 'invalid_order' },
  { code: 1000, reason: 'invalid_order' },
  { code: 100, reason: 'invalid_order' },
];

/** A refused Radar Relay request -> HbError (a 5xx is always an unknown outcome). */
export const classifyRadarRelayError: ExchangeErrorClassifier = createErrorClassifier(
  RADAR_RELAY_EXCHANGE,
  RADAR_RELAY_ERROR_TABLE,
  readRadarErrorBody,
);

/** Relayer messages that name one of the typed 0x failures, in the order they are tried. */
const TYPED: readonly (readonly [RegExp, ZeroExErrorKind])[] = [
  [/insufficient .*allowance/i, 'allowance_missing'],
  [/insufficient .*balance|unfunded/i, 'unfunded'],
  [/expire/i, 'order_expired'],
  [/already filled|fully filled/i, 'order_filled'],
  [/cancel/i, 'order_cancelled'],
];

/**
 * The typed 0x error a relayer refusal stands for (unfunded, allowance missing,
 * expired, already filled, cancelled), or the refusal itself when it names none.
 */
export function typedRadarError(error: HbError, orderHash?: string): HbError {
  if (error instanceof ZeroExError) return error;
  if (error.httpStatus === undefined || error.httpStatus >= 500) return error;
  for (const [pattern, kind] of TYPED) {
    if (pattern.test(error.message)) {
      return new ZeroExError(kind, error.message, {
        cause: error,
        ...(orderHash !== undefined ? { orderHash } : {}),
        httpStatus: error.httpStatus,
        ...(error.exchangeCode !== undefined ? { exchangeCode: error.exchangeCode } : {}),
        ...(kind === 'unfunded' || kind === 'allowance_missing' ? { party: 'maker' as const } : {}),
      });
    }
  }
  return error;
}

/** True for HbErrors of this connector. */
export function isRadarRelayError(e: unknown): e is HbError {
  return e instanceof HbError && e.exchange === RADAR_RELAY_EXCHANGE;
}
