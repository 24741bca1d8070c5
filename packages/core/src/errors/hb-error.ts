/**
 * Why an exchange operation failed, independent of the exchange. Connectors map
 * their own codes onto these in one table (`<x>-errors.ts`), tested case by case.
 */
export type ErrorReason =
  | 'authentication'
  | 'rate_limit'
  | 'insufficient_funds'
  | 'invalid_order'
  | 'order_not_found'
  | 'network'
  | 'timeout'
  | 'unavailable'
  | 'malformed_message'
  | 'unknown';

/** Reasons after which the same request may succeed if simply sent again later. */
const RETRYABLE: ReadonlySet<ErrorReason> = new Set(['rate_limit', 'network', 'timeout', 'unavailable']);

/**
 * Reasons that leave the outcome of a state-changing request unknown: the request
 * may have reached the exchange. An order is never failed on one of these; it is
 * looked up by its client order id instead (DESIGN.md, "Unknown outcomes").
 */
const OUTCOME_UNKNOWN: ReadonlySet<ErrorReason> = new Set(['network', 'timeout', 'unavailable', 'unknown']);

/** Options accepted by {@link HbError}. */
export interface HbErrorOptions {
  /** The exchange's own error code (`-2010`, `"INSUFFICIENT_FUNDS"`, ...), when it sent one. */
  readonly exchangeCode?: string | number;
  /** HTTP status of the answer, when the error came from a REST call. */
  readonly httpStatus?: number;
  /** The exchange the error came from (`binance`, ...). */
  readonly exchange?: string;
  /** Seconds the exchange asked us to wait (`Retry-After`), when it said. */
  readonly retryAfterMs?: number;
  /** Overrides the default retryability of the reason. */
  readonly retryable?: boolean;
  /** The underlying error. Its message must not contain a secret either. */
  readonly cause?: unknown;
}

/**
 * The one error class every hb package throws. `reason` says what kind of failure
 * it is; `retryable` whether sending the same request later may succeed. Messages
 * never contain secrets: build them from codes and exchange messages only.
 */
export class HbError extends Error {
  /** What kind of failure this is. */
  readonly reason: ErrorReason;
  /** Whether the same request may succeed if sent again later. */
  readonly retryable: boolean;
  /** The exchange's own error code, when it sent one. */
  readonly exchangeCode: string | number | undefined;
  /** HTTP status of the answer, when the error came from a REST call. */
  readonly httpStatus: number | undefined;
  /** The exchange the error came from. */
  readonly exchange: string | undefined;
  /** How long the exchange asked us to wait before retrying, in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(reason: ErrorReason, message: string, options: HbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HbError';
    this.reason = reason;
    this.retryable = options.retryable ?? RETRYABLE.has(reason);
    this.exchangeCode = options.exchangeCode;
    this.httpStatus = options.httpStatus;
    this.exchange = options.exchange;
    this.retryAfterMs = options.retryAfterMs;
    // `new HbError(reason, ...)` is how every package builds its errors; returning
    // the reason's own class here makes `instanceof InvalidOrderError` (and the
    // others) true for all of them, with no call site to change.
    if (new.target === HbError) {
      const Specific = ERROR_CLASSES[reason];
      if (Specific !== undefined) return new Specific(message, options);
    }
  }

  /**
   * True when a state-changing request that failed this way may nevertheless have
   * taken effect on the exchange (timeouts, 5xx, dropped connections).
   */
  get outcomeUnknown(): boolean {
    return OUTCOME_UNKNOWN.has(this.reason);
  }

  /** A plain object for logs and JSON output (no stack, no cause chain). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      reason: this.reason,
      message: this.message,
      retryable: this.retryable,
      exchange: this.exchange,
      exchangeCode: this.exchangeCode,
      httpStatus: this.httpStatus,
    };
  }
}

/** The exchange refused our keys, signature or permissions. Retrying does not help. `reason` is `'authentication'`. */
export class AuthenticationError extends HbError {
  constructor(message: string, options: HbErrorOptions = {}) {
    super('authentication', message, options);
    this.name = 'AuthenticationError';
  }
}

/** The exchange (or our own limiter) refused the request for going too fast; see `retryAfterMs`. `reason` is `'rate_limit'`. */
export class RateLimitError extends HbError {
  constructor(message: string, options: HbErrorOptions = {}) {
    super('rate_limit', message, options);
    this.name = 'RateLimitError';
  }
}

/** The account lacks the balance the order needs. `reason` is `'insufficient_funds'`. */
export class InsufficientFundsError extends HbError {
  constructor(message: string, options: HbErrorOptions = {}) {
    super('insufficient_funds', message, options);
    this.name = 'InsufficientFundsError';
  }
}

/** The exchange (or a trading rule, see {@link OrderRuleError}) refused the order or request as invalid. `reason` is `'invalid_order'`. */
export class InvalidOrderError extends HbError {
  constructor(message: string, options: HbErrorOptions = {}) {
    super('invalid_order', message, options);
    this.name = 'InvalidOrderError';
  }
}

/** The exchange does not know the order (or it is not tracked here). `reason` is `'order_not_found'`. */
export class OrderNotFoundError extends HbError {
  constructor(message: string, options: HbErrorOptions = {}) {
    super('order_not_found', message, options);
    this.name = 'OrderNotFoundError';
  }
}

/** The exchange could not be reached, or the connection dropped; the outcome of a state-changing request is unknown. `reason` is `'network'`. */
export class NetworkError extends HbError {
  constructor(message: string, options: HbErrorOptions = {}) {
    super('network', message, options);
    this.name = 'NetworkError';
  }
}

/** No answer in time; the outcome of a state-changing request is unknown. `reason` is `'timeout'`. */
export class TimeoutError extends HbError {
  constructor(message: string, options: HbErrorOptions = {}) {
    super('timeout', message, options);
    this.name = 'TimeoutError';
  }
}

/** The exchange answered that it is unavailable (5xx, maintenance); the outcome is unknown. `reason` is `'unavailable'`. */
export class ExchangeUnavailableError extends HbError {
  constructor(message: string, options: HbErrorOptions = {}) {
    super('unavailable', message, options);
    this.name = 'ExchangeUnavailableError';
  }
}

/** The exchange sent something that is not what its documentation says. `reason` is `'malformed_message'`. */
export class MalformedMessageError extends HbError {
  constructor(message: string, options: HbErrorOptions = {}) {
    super('malformed_message', message, options);
    this.name = 'MalformedMessageError';
  }
}

/** A failure that fits no other reason; treated as an unknown outcome. `reason` is `'unknown'`. */
export class UnknownError extends HbError {
  constructor(message: string, options: HbErrorOptions = {}) {
    super('unknown', message, options);
    this.name = 'UnknownError';
  }
}

/** The class `new HbError(reason, ...)` builds for each reason. */
const ERROR_CLASSES: Partial<
  Record<ErrorReason, new (message: string, options?: HbErrorOptions) => HbError>
> = {
  authentication: AuthenticationError,
  rate_limit: RateLimitError,
  insufficient_funds: InsufficientFundsError,
  invalid_order: InvalidOrderError,
  order_not_found: OrderNotFoundError,
  network: NetworkError,
  timeout: TimeoutError,
  unavailable: ExchangeUnavailableError,
  malformed_message: MalformedMessageError,
  unknown: UnknownError,
};

/** Which trading rule an order broke, for {@link OrderRuleError}. */
export type BrokenRule =
  | 'min_order_size'
  | 'max_order_size'
  | 'size_increment'
  | 'price_tick'
  | 'min_price'
  | 'max_price'
  | 'min_notional'
  | 'order_type'
  | 'trading_disabled'
  | 'unknown_pair'
  | 'missing_price'
  | 'expiry';

/**
 * An order refused before anything was sent, because it breaks the pair's
 * trading rule. Carried by the `OrderFailure` event of that order.
 */
export class OrderRuleError extends InvalidOrderError {
  /** The rule that was broken. */
  readonly rule: BrokenRule;

  constructor(rule: BrokenRule, message: string) {
    super(message, { retryable: false });
    this.name = 'OrderRuleError';
    this.rule = rule;
  }
}

/**
 * The connector does not offer this operation (no candles on this exchange, ...).
 * A kind of invalid request: `reason` is `'invalid_order'`, never retryable.
 */
export class NotSupportedError extends InvalidOrderError {
  constructor(message: string) {
    super(message, { retryable: false });
    this.name = 'NotSupportedError';
  }
}

/** Narrowing helper for `catch (e)` blocks. */
export function isHbError(e: unknown): e is HbError {
  return e instanceof HbError;
}

/**
 * One row of a connector's error table: an exchange code (or message pattern) in,
 * a reason out. Connectors keep these rows in one array and classify with
 * {@link classifyExchangeError}; their tests walk the same array.
 */
export interface ErrorMapping {
  /** The exchange's code; matched with `===` after `String()` on both sides. */
  readonly code?: string | number;
  /** A pattern tested against the exchange's message when the code alone is ambiguous. */
  readonly message?: RegExp;
  /** The HTTP status this row applies to, when the code alone is ambiguous. */
  readonly httpStatus?: number;
  /** The reason the exchange's error maps to. */
  readonly reason: ErrorReason;
  /** Overrides the reason's default retryability. */
  readonly retryable?: boolean;
}

/** What an exchange said when it refused a request. */
export interface ExchangeErrorInput {
  readonly exchange: string;
  readonly code?: string | number;
  readonly message?: string;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

/**
 * Turns an exchange's refusal into an {@link HbError} using the connector's table.
 * The first row whose given fields all match wins; with no match, the HTTP status
 * decides (401/403 authentication, 404 order not found, 429/418 rate limit,
 * 5xx unavailable, other 4xx invalid order). A 5xx is always an unknown outcome.
 */
export function classifyExchangeError(table: readonly ErrorMapping[], input: ExchangeErrorInput): HbError {
  const row = table.find(
    (r) =>
      (r.code === undefined || (input.code !== undefined && String(r.code) === String(input.code))) &&
      (r.message === undefined || (input.message !== undefined && r.message.test(input.message))) &&
      (r.httpStatus === undefined || r.httpStatus === input.httpStatus) &&
      (r.code !== undefined || r.message !== undefined || r.httpStatus !== undefined),
  );
  let reason = row?.reason ?? reasonFromHttpStatus(input.httpStatus);
  // Exchanges document a 5xx as "status unknown": the request may have executed,
  // whatever code the body carries. Never let a table row make it definitive.
  if (input.httpStatus !== undefined && input.httpStatus >= 500 && !OUTCOME_UNKNOWN.has(reason))
    reason = 'unavailable';
  const text = [input.exchange, input.code !== undefined ? `code ${input.code}` : undefined, input.message]
    .filter((x) => x !== undefined && x !== '')
    .join(': ');
  return new HbError(reason, text || `${input.exchange}: ${reason}`, {
    exchange: input.exchange,
    exchangeCode: input.code,
    httpStatus: input.httpStatus,
    retryAfterMs: input.retryAfterMs,
    retryable: row && row.reason === reason ? row.retryable : undefined,
    cause: input.cause,
  });
}

/** The fallback classification by HTTP status alone. */
export function reasonFromHttpStatus(status: number | undefined): ErrorReason {
  if (status === undefined) return 'unknown';
  if (status === 401 || status === 403) return 'authentication';
  if (status === 404) return 'order_not_found';
  if (status === 429 || status === 418) return 'rate_limit';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'unavailable';
  if (status >= 400) return 'invalid_order';
  return 'unknown';
}
