import {
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
  /** Wait before subscribing again after a refusal, ms. Default 1000. */
  readonly retryDelayMs?: number;
}

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
 * reconcile by REST. An authentication refusal ends the stream with its error.
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
            const error = classifyBinanceError(Number(f['status']), f['error']);
            if (error.reason === 'authentication' && !error.retryable) {
              subscriber.error(error);
              return;
            }
            // Anything else (rate limit, clock skew): subscribe again after a pause.
            const clockSkew = error.exchangeCode === -1021;
            retryTimer = setTimeout(() => {
              void (clockSkew && this.options.resyncClock ? this.options.resyncClock() : Promise.resolve())
                .catch(() => undefined) // a failed clock sync still resubscribes: a skewed clock is refused again and comes back here
                .then(() => send(subscribeRequest()))
                .catch(() => undefined); // send fails only on a closed socket, whose reconnect resubscribes in onOpen
            }, this.options.retryDelayMs ?? 1000);
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
