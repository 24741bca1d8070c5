import {
  runUserStreamSocket,
  SubscriptionError,
  type SocketTiming,
  type UserStreamEvent,
  type UserStreamTrackerDataSource,
} from '@hb/core/connector';
import { Observable } from 'rxjs';
import type { CoinbaseProAuth } from './coinbase-pro-auth.js';
import {
  COINBASE_PRO_CHANNELS,
  COINBASE_PRO_EXCHANGE,
  COINBASE_PRO_SOCKET_TIMING,
} from './coinbase-pro-constants.js';
import { classifyCoinbaseProWsError } from './coinbase-pro-errors.js';
import { buildSubscribeMessage, toProductId } from './coinbase-pro-utils.js';

/** How a {@link CoinbaseProUserStreamDataSource} is built (timing defaults: {@link COINBASE_PRO_SOCKET_TIMING}). */
export interface CoinbaseProUserStreamDataSourceOptions extends SocketTiming {
  /** Feed URL (scheme, host, port). */
  readonly wsUrl: string;
  readonly auth: CoinbaseProAuth;
  /** The pairs whose orders we follow. */
  readonly tradingPairs: readonly string[];
}

/**
 * The authenticated `user` channel (coinbase-pro.md §8): the full-channel
 * messages of our own orders, subscribed with a signature of
 * `GET /users/self/verify` made anew for every connection (it is time-bound).
 * `heartbeat` rides along so a quiet account's socket is provably alive.
 *
 * Private messages carry no sequence of their own, so a drop cannot be seen in
 * the stream: after every reconnect a `reconnected` marker makes the market
 * reconcile orders and fills by REST. An authentication refusal ends the stream.
 */
export class CoinbaseProUserStreamDataSource implements UserStreamTrackerDataSource<unknown> {
  constructor(private readonly options: CoinbaseProUserStreamDataSourceOptions) {}

  listen(): Observable<UserStreamEvent<unknown>> {
    return new Observable((subscriber) => {
      let subscribedOnce = false;
      let awaitingReply = false;
      const productIds = this.options.tradingPairs.map(toProductId);

      return runUserStreamSocket(subscriber, {
        exchange: COINBASE_PRO_EXCHANGE,
        channel: COINBASE_PRO_CHANNELS.user,
        name: 'user channel',
        url: this.options.wsUrl,
        timing: this.options,
        timingDefaults: COINBASE_PRO_SOCKET_TIMING,
        onOpen: () => {
          awaitingReply = true;
          return [
            buildSubscribeMessage(
              productIds,
              [COINBASE_PRO_CHANNELS.user, COINBASE_PRO_CHANNELS.heartbeat],
              this.options.auth.wsAuthFields(),
            ),
          ];
        },
        onObject: (frame, receivedAt) => {
          const type = frame['type'];
          if (type === 'subscriptions') {
            if (!awaitingReply) return;
            awaitingReply = false;
            subscriber.next(
              subscribedOnce
                ? { kind: 'reconnected', receivedAt, reason: 'user channel resubscribed after a reconnect' }
                : { kind: 'connected', receivedAt },
            );
            subscribedOnce = true;
            return;
          }
          if (type === 'error') {
            const message = typeof frame['message'] === 'string' ? frame['message'] : 'error';
            const reason = typeof frame['reason'] === 'string' ? frame['reason'] : undefined;
            const error = classifyCoinbaseProWsError({ message, reason });
            if (awaitingReply) {
              // The answer to our subscribe: refused, and refused again if we simply retried.
              subscriber.error(
                new SubscriptionError(
                  `${COINBASE_PRO_EXCHANGE}: user channel refused: ${reason === undefined ? message : `${message}: ${reason}`}`,
                  {
                    channel: COINBASE_PRO_CHANNELS.user,
                    topics: productIds,
                    reason: error.reason === 'unknown' ? 'invalid_order' : error.reason,
                    retryable: error.retryable,
                    exchange: COINBASE_PRO_EXCHANGE,
                    cause: error,
                  },
                ),
              );
              return;
            }
            if (error.reason === 'authentication' && !error.retryable) subscriber.error(error);
            return; // other errors: the server closes the socket and we reconnect
          }
          if (type === 'heartbeat') return;
          subscriber.next({ kind: 'event', event: frame, receivedAt });
        },
      });
    });
  }
}
