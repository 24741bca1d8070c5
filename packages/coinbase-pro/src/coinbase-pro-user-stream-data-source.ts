import {
  HbError,
  ProtocolError,
  SubscriptionError,
  WsConnection,
  type UserStreamEvent,
  type UserStreamTrackerDataSource,
} from '@hb/core/connector';
import { Observable } from 'rxjs';
import type { CoinbaseProAuth } from './coinbase-pro-auth.js';
import { COINBASE_PRO_CHANNELS, COINBASE_PRO_EXCHANGE } from './coinbase-pro-constants.js';
import { classifyCoinbaseProWsError } from './coinbase-pro-errors.js';
import { buildSubscribeMessage, toProductId } from './coinbase-pro-utils.js';

/** How a {@link CoinbaseProUserStreamDataSource} is built. */
export interface CoinbaseProUserStreamDataSourceOptions {
  /** Feed URL (scheme, host, port). */
  readonly wsUrl: string;
  readonly auth: CoinbaseProAuth;
  /** The pairs whose orders we follow. */
  readonly tradingPairs: readonly string[];
  /** Reconnect backoff bounds, ms (tests shorten them). */
  readonly reconnectMinDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
  /** No frame (heartbeats come every second) for this long: the socket is dead. Default 10 000. */
  readonly deadAfterMs?: number;
  /** WebSocket pings this often, ms; 0 = none. Default 5 000. */
  readonly pingIntervalMs?: number;
}

/** Heartbeats come every second: several missed mean a dead socket. */
const DEAD_AFTER_MS = 10_000;

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

      const connection = new WsConnection({
        name: `${COINBASE_PRO_EXCHANGE} user channel`,
        url: this.options.wsUrl,
        heartbeat: {
          deadAfterMs: this.options.deadAfterMs ?? DEAD_AFTER_MS,
          ...((this.options.pingIntervalMs ?? 5_000) > 0
            ? { protocolPingIntervalMs: this.options.pingIntervalMs ?? 5_000 }
            : {}),
        },
        reconnect: {
          minDelayMs: this.options.reconnectMinDelayMs ?? 250,
          maxDelayMs: this.options.reconnectMaxDelayMs ?? 30_000,
        },
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
      });

      const onFrame = (text: string, receivedAt: number) => {
        let frame: unknown;
        // A garbled frame may have held a fill: the market reports it and reconciles by REST.
        const refuse = (cause: unknown) =>
          subscriber.next({
            kind: 'refused',
            receivedAt,
            error: new ProtocolError(COINBASE_PRO_EXCHANGE, COINBASE_PRO_CHANNELS.user, text, cause),
          });
        try {
          frame = JSON.parse(text);
        } catch (e) {
          refuse(e);
          return;
        }
        if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
          refuse('not a JSON object');
          return;
        }
        const type = (frame as { type?: unknown }).type;
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
          const f = frame as { message?: unknown; reason?: unknown };
          const message = typeof f.message === 'string' ? f.message : 'error';
          const reason = typeof f.reason === 'string' ? f.reason : undefined;
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
      };

      // The stream is stale from the moment its socket is lost, not from the reconnect.
      let wasConnected = false;
      const states = connection.state$.subscribe((state) => {
        if (state.status === 'connected') wasConnected = true;
        else if (state.status === 'reconnecting' && wasConnected) {
          wasConnected = false;
          subscriber.next({ kind: 'disconnected', receivedAt: Date.now(), reason: state.reason });
        }
      });
      const messages = connection.messages$.subscribe({
        next: (m) => onFrame(m.data, m.receivedAt),
        error: (e: unknown) =>
          subscriber.error(
            e instanceof HbError
              ? e
              : new HbError('network', `${COINBASE_PRO_EXCHANGE}: user channel failed`, { cause: e }),
          ),
      });
      connection.connect().catch((e: unknown) => subscriber.error(e));
      return () => {
        states.unsubscribe();
        messages.unsubscribe();
        void connection.close();
      };
    });
  }
}
