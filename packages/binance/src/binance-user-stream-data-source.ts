import {
  type HbError,
  SubscriptionError,
  runUserStreamSocket,
  type SocketTiming,
  type UserStreamEvent,
  type UserStreamTrackerDataSource,
} from '@hb/core/connector';
import { Observable } from 'rxjs';
import type { BinanceAuth } from './binance-auth.js';
import { BINANCE_EXCHANGE, BINANCE_SOCKET_TIMING } from './binance-constants.js';
import { classifyBinanceError } from './binance-errors.js';

/** How a {@link BinanceUserStreamDataSource} is built (timing defaults: {@link BINANCE_SOCKET_TIMING}). */
export interface BinanceUserStreamDataSourceOptions extends SocketTiming {
  /** WebSocket API URL, e.g. `wss://ws-api.binance.com:443/ws-api/v3`. */
  readonly wsApiUrl: string;
  readonly auth: BinanceAuth;
  /** Re-measures the server-time offset after a -1021 refusal of the subscription. */
  readonly resyncClock?: () => Promise<void>;
  /**
   * Wait before subscribing again after a retryable refusal, ms; doubled for
   * each refusal in a row up to {@link USER_STREAM_MAX_RETRY_DELAY_MS}, and never
   * shorter than the `retryAfter` of a rate-limit answer. Default 1000.
   */
  readonly retryDelayMs?: number;
}

/** The longest wait between two subscription attempts after retryable refusals, ms. */
export const USER_STREAM_MAX_RETRY_DELAY_MS = 30_000;

/** A user-data event frame as the WebSocket API wraps it. */
export interface BinanceUserDataFrame {
  readonly subscriptionId: number;
  readonly event: { readonly e: string } & Record<string, unknown>;
}

/**
 * Binance's user data stream as served since the listen-key flow was retired
 * (binance.md §8a): a signed `userDataStream.subscribe.signature` on the
 * WebSocket API, events wrapped as `{subscriptionId, event}`.
 *
 * An `eventStreamTerminated` event is answered by subscribing again on the same
 * socket, and a dropped socket by reconnecting and subscribing; both emit a
 * `reconnected` marker, since events sent meanwhile are gone and the market must
 * reconcile by REST.
 *
 * A refused subscription is never silent. One retrying can fix (a rate limit, a
 * clock skew, a server error) is emitted as `disconnected` with the typed error,
 * so the stream is `stale` with it (the market reports it on `streamErrors$` and
 * polls fast) while the source subscribes again after a growing pause. One it
 * cannot fix ends the stream: an authentication refusal with its error, any other
 * as a `SubscriptionError` (both stop the tracker's retries).
 */
export class BinanceUserStreamDataSource implements UserStreamTrackerDataSource<BinanceUserDataFrame> {
  constructor(private readonly options: BinanceUserStreamDataSourceOptions) {}

  listen(): Observable<UserStreamEvent<BinanceUserDataFrame>> {
    return new Observable((subscriber) => {
      let requestSeq = 0;
      let pendingId: string | undefined;
      let subscribedOnce = false;
      let resubscribeReason: string | undefined;
      let retryTimer: ReturnType<typeof setTimeout> | undefined;
      /** Refusals in a row (reset when a subscription is accepted). */
      let refusals = 0;

      const subscribeRequest = () => {
        pendingId = `hb-uds-${++requestSeq}`;
        return this.options.auth.userDataStreamSubscribeRequest(pendingId);
      };

      const teardown = runUserStreamSocket(subscriber, {
        exchange: BINANCE_EXCHANGE,
        channel: 'user data stream',
        url: this.options.wsApiUrl,
        timing: this.options,
        timingDefaults: BINANCE_SOCKET_TIMING,
        onOpen: () => {
          if (subscribedOnce) resubscribeReason = resubscribeReason ?? 'user data socket reconnected';
          return [subscribeRequest()];
        },
        onObject: (f, receivedAt, { refuse, send }) => {
          if ('id' in f && f['id'] === pendingId) {
            pendingId = undefined;
            if (f['status'] === 200) {
              refusals = 0;
              if (!subscribedOnce) {
                subscribedOnce = true;
                subscriber.next({ kind: 'connected', receivedAt });
              } else {
                subscriber.next({
                  kind: 'reconnected',
                  receivedAt,
                  reason: resubscribeReason ?? 'resubscribed',
                });
              }
              resubscribeReason = undefined;
              return;
            }
            const status = Number(f['status']);
            const error = classifyBinanceError(status, f['error']);
            // A server-side failure (5xx) may pass; a refusal of the request itself will not.
            if (!error.retryable && !(status >= 500)) {
              subscriber.error(error.reason === 'authentication' ? error : subscriptionRefused(error));
              return;
            }
            // Retryable (rate limit, clock skew, server error): the stream is down
            // until a subscription is accepted. Say so with the typed error, each
            // time, then subscribe again after a pause.
            refusals += 1;
            const delayMs = retryDelay(
              this.options.retryDelayMs ?? 1000,
              refusals,
              retryAfterMs(f['error'], receivedAt),
            );
            subscriber.next({
              kind: 'disconnected',
              receivedAt,
              reason: `user data subscription refused (${error.message}); subscribing again in ${delayMs} ms`,
              error,
            });
            const clockSkew = error.exchangeCode === -1021;
            if (retryTimer !== undefined) clearTimeout(retryTimer);
            retryTimer = setTimeout(() => {
              void (clockSkew && this.options.resyncClock ? this.options.resyncClock() : Promise.resolve())
                .catch(() => undefined) // a failed clock sync still resubscribes: a skewed clock is refused again and comes back here
                .then(() => send(subscribeRequest()))
                .catch(() => undefined); // send fails only on a closed socket, whose reconnect resubscribes in onOpen
            }, delayMs);
            return;
          }
          if (
            typeof f['subscriptionId'] === 'number' &&
            typeof f['event'] === 'object' &&
            f['event'] !== null
          ) {
            const event = f['event'] as BinanceUserDataFrame['event'];
            if (event.e === 'eventStreamTerminated') {
              resubscribeReason = 'eventStreamTerminated';
              void send(subscribeRequest()).catch(() => undefined); // fails only on a closed socket, whose reconnect resubscribes in onOpen
              return;
            }
            subscriber.next({
              kind: 'event',
              event: { subscriptionId: f['subscriptionId'], event },
              receivedAt,
            });
            return;
          }
          // Not a reply we wait for nor an event: an unknown message type.
          if (!('id' in f)) refuse('unknown message type');
        },
      });
      return () => {
        if (retryTimer) clearTimeout(retryTimer);
        teardown();
      };
    });
  }
}

/** A refusal retrying cannot fix, other than authentication: fatal for the stream. */
function subscriptionRefused(error: HbError): SubscriptionError {
  return new SubscriptionError(`${BINANCE_EXCHANGE}: user data subscription refused: ${error.message}`, {
    reason: error.reason,
    exchange: BINANCE_EXCHANGE,
    exchangeCode: error.exchangeCode,
    channel: 'user data stream',
    cause: error,
  });
}

/**
 * How long to wait before the `n`th subscription attempt in a row: `base`
 * doubled per refusal, capped, and never before the exchange's `retryAfter`.
 */
function retryDelay(base: number, n: number, retryAfter: number | undefined): number {
  const backoff = Math.min(base * 2 ** Math.max(0, n - 1), Math.max(base, USER_STREAM_MAX_RETRY_DELAY_MS));
  return Math.max(backoff, retryAfter ?? 0);
}

/**
 * The wait a rate-limit answer asks for, ms: its `error.data.retryAfter` (server
 * time, ms) less `error.data.serverTime`, as the WebSocket API sends with a 429/418
 * (the local receive time when the server time is missing).
 */
function retryAfterMs(error: unknown, receivedAt: number): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const data = (error as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return undefined;
  const { retryAfter, serverTime } = data as { retryAfter?: unknown; serverTime?: unknown };
  if (typeof retryAfter !== 'number' || !Number.isFinite(retryAfter)) return undefined;
  const now = typeof serverTime === 'number' && Number.isFinite(serverTime) ? serverTime : receivedAt;
  return Math.max(0, Math.min(retryAfter - now, USER_STREAM_MAX_RETRY_DELAY_MS * 10));
}
