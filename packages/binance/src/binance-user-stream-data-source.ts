import {
  HbError,
  ProtocolError,
  WsConnection,
  type UserStreamEvent,
  type UserStreamTrackerDataSource,
} from '@hb/core/connector';
import { Observable } from 'rxjs';
import type { BinanceAuth } from './binance-auth.js';
import { BINANCE_EXCHANGE, BINANCE_STREAM_LIMITS } from './binance-constants.js';
import { classifyBinanceWsApiError } from './binance-errors.js';

/** How a {@link BinanceUserStreamDataSource} is built. */
export interface BinanceUserStreamDataSourceOptions {
  /** WebSocket API URL, e.g. `wss://ws-api.binance.com:443/ws-api/v3`. */
  readonly wsApiUrl: string;
  readonly auth: BinanceAuth;
  /** Re-measures the server-time offset after a -1021 refusal of the subscription. */
  readonly resyncClock?: () => Promise<void>;
  /** Wait before subscribing again after a refusal, ms. Default 1000. */
  readonly retryDelayMs?: number;
  /** Reconnect backoff bounds, ms (tests shorten them). */
  readonly reconnectMinDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
  /** Client ping frames this often, ms. Default 10 000. */
  readonly pingIntervalMs?: number;
  /** No frame and no pong for this long: the socket is dead. Default 25 000 (`stale` within 30 s). */
  readonly deadAfterMs?: number;
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

      const connection = new WsConnection({
        name: `${BINANCE_EXCHANGE} user data`,
        url: this.options.wsApiUrl,
        heartbeat: {
          protocolPingIntervalMs: this.options.pingIntervalMs ?? 10_000,
          deadAfterMs: this.options.deadAfterMs ?? Math.min(25_000, BINANCE_STREAM_LIMITS.pongTimeoutMs),
        },
        reconnect: {
          minDelayMs: this.options.reconnectMinDelayMs ?? 250,
          maxDelayMs: this.options.reconnectMaxDelayMs ?? 30_000,
        },
        onOpen: () => {
          if (subscribedOnce) resubscribeReason = resubscribeReason ?? 'user data socket reconnected';
          return [subscribeRequest()];
        },
      });

      const onFrame = (text: string, receivedAt: number) => {
        let frame: unknown;
        // A garbled frame may have held a fill: the market reports it and reconciles by REST.
        const refuse = (cause: unknown) =>
          subscriber.next({
            kind: 'refused',
            receivedAt,
            error: new ProtocolError(BINANCE_EXCHANGE, 'user data stream', text, cause),
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
        const f = frame as Record<string, unknown>;
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
          const error = classifyBinanceWsApiError({ status: Number(f['status']), error: f['error'] });
          if (error.reason === 'authentication' && !error.retryable) {
            subscriber.error(error);
            return;
          }
          // Anything else (rate limit, clock skew): subscribe again after a pause.
          const clockSkew = error.exchangeCode === -1021;
          retryTimer = setTimeout(() => {
            void (clockSkew && this.options.resyncClock ? this.options.resyncClock() : Promise.resolve())
              .catch(() => undefined)
              .then(() => connection.send(subscribeRequest()))
              .catch(() => undefined);
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
            void connection.send(subscribeRequest()).catch(() => undefined);
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
              : new HbError('network', `${BINANCE_EXCHANGE}: user data stream failed`, { cause: e }),
          ),
      });
      connection.connect().catch((e: unknown) => subscriber.error(e));
      return () => {
        if (retryTimer) clearTimeout(retryTimer);
        states.unsubscribe();
        messages.unsubscribe();
        void connection.close();
      };
    });
  }
}
