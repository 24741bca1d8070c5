import { HbError, type ErrorReason } from '../errors/hb-error.js';

/**
 * Whether a book or stream can be trusted right now (DESIGN.md, "Truth at the edges"):
 *
 * - `syncing`: not in sync yet (first sync, or a re-sync after a sequence gap);
 * - `live`: in sync with a live, acknowledged subscription that is delivering;
 * - `stale`: was (or could not be made) live and is not any more: the socket
 *   closed, stopped answering pings or heartbeats, the subscribed stream went
 *   silent while the exchange moved on, or the exchange refused the
 *   subscription. The last good state stays readable, but must not be traded on.
 */
export type LiveStatus = 'syncing' | 'live' | 'stale';

/** One book's (or stream's) live status, since when, and why it is not live. */
export interface LiveState {
  readonly status: LiveStatus;
  /** Local wall-clock ms when this status began. */
  readonly since: number;
  /** Why the book or stream is not live (`socket closed`, `gap`, ...). */
  readonly reason?: string;
  /**
   * The error behind a `stale` status, when there was one. A non-retryable one
   * ({@link isFatalStreamError}: authentication, a refused subscription) ends
   * the retries: the status stays `stale` until the user fixes the cause.
   */
  readonly error?: HbError;
}

/** A change of live status, as trackers and markets emit them. */
export type LiveStatusChange =
  | { readonly source: 'order_book'; readonly pair: string; readonly state: LiveState }
  | { readonly source: 'user_stream'; readonly state: LiveState };

/**
 * A typed error a stream met, delivered to the user (never only logged):
 * refused subscriptions, authentication failures, lost connections.
 * `fatal` errors stop the retries.
 */
export interface StreamErrorEvent {
  readonly source: 'order_book' | 'user_stream';
  /** The pair, for book errors. */
  readonly pair?: string;
  readonly error: HbError;
  /** True when no retry follows (the cause must be fixed first). */
  readonly fatal: boolean;
}

/** A market's live status at one moment: every book, and the user stream when there is one. */
export interface MarketLiveStatus {
  readonly orderBooks: Readonly<Record<string, LiveState>>;
  /** Undefined when the market runs without a user stream (no keys, or none on the exchange). */
  readonly userStream: LiveState | undefined;
}

/** Options of {@link SubscriptionError}. */
export interface SubscriptionErrorOptions {
  /** The channel or stream refused (`full`, `btcusdt@depth`). */
  readonly channel?: string;
  /** The topics (products, streams) the refused request asked for. */
  readonly topics?: readonly string[];
  /** Default `authentication` (Coinbase refuses `full` without keys). */
  readonly reason?: ErrorReason;
  readonly exchange?: string;
  readonly exchangeCode?: string | number;
  /** Default false: the same request will be refused again. */
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

/**
 * The exchange answered a subscription with an error frame (Coinbase
 * `{"type":"error","message":"Failed to subscribe",...}`, Binance
 * `{"code":2,"msg":...,"id":n}`). Delivered to the user as a book's `stale`
 * status and a {@link StreamErrorEvent}; never dropped.
 */
export class SubscriptionError extends HbError {
  /** The channel or stream refused, when known. */
  readonly channel: string | undefined;
  /** The topics the refused request asked for. */
  readonly topics: readonly string[];

  constructor(message: string, options: SubscriptionErrorOptions = {}) {
    super(options.reason ?? 'authentication', message, {
      exchange: options.exchange,
      exchangeCode: options.exchangeCode,
      retryable: options.retryable ?? false,
      cause: options.cause,
    });
    this.name = 'SubscriptionError';
    this.channel = options.channel;
    this.topics = [...(options.topics ?? [])];
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), channel: this.channel, topics: this.topics };
  }
}

/**
 * True for errors that retrying cannot fix: authentication and permission
 * failures, refused subscriptions. Trackers stop their retry loops on them.
 * Read by shape so that an error from another copy of core counts too.
 */
export function isFatalStreamError(e: unknown): e is HbError {
  if (typeof e !== 'object' || e === null) return false;
  const x = e as { name?: unknown; reason?: unknown; retryable?: unknown };
  if (x.retryable !== false) return false;
  return x.reason === 'authentication' || x.name === 'SubscriptionError';
}

/** A fresh {@link LiveState}. */
export function liveState(status: LiveStatus, since: number, reason?: string, error?: HbError): LiveState {
  const s: { status: LiveStatus; since: number; reason?: string; error?: HbError } = { status, since };
  if (reason !== undefined) s.reason = reason;
  if (error !== undefined) s.error = error;
  return s;
}
