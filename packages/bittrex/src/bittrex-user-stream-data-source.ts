import { type UserStreamEvent, type UserStreamTrackerDataSource } from '@hb/core/connector';
import { Observable } from 'rxjs';
import type { BittrexAuth } from './bittrex-auth.js';
import { BITTREX_EXCHANGE, BITTREX_MESSAGES, BITTREX_STREAMS } from './bittrex-constants.js';
import { BittrexSignalRClient, decodeHubPayload } from './bittrex-signalr.js';
import { asObject, parseSequence } from './bittrex-utils.js';

/** The private channels the user stream subscribes (what Hummingbot used). */
export const BITTREX_PRIVATE_CHANNELS = [
  BITTREX_STREAMS.heartbeat,
  BITTREX_STREAMS.order,
  BITTREX_STREAMS.balance,
  BITTREX_STREAMS.execution,
] as const;

/** One decoded private message. */
export interface BittrexUserEvent {
  /** `heartbeat` events carry nothing: they keep the tracker's watchdog fed on a quiet account. */
  readonly channel: 'order' | 'balance' | 'execution' | 'heartbeat';
  /** Per account and channel; must grow by one (0 for heartbeats). */
  readonly sequence: number;
  /** The decoded payload (`{accountId, sequence, delta}` or `{..., deltas}`). */
  readonly payload: unknown;
}

/** How a {@link BittrexUserStreamDataSource} is built. */
export interface BittrexUserStreamDataSourceOptions {
  readonly signalrUrl: string;
  readonly auth: BittrexAuth;
  readonly keepAliveTimeoutMs?: number;
  readonly reconnectMinDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
}

const CHANNELS: ReadonlyMap<string, BittrexUserEvent['channel']> = new Map([
  [BITTREX_MESSAGES.order, 'order'],
  [BITTREX_MESSAGES.balance, 'balance'],
  [BITTREX_MESSAGES.execution, 'execution'],
]);

/**
 * Bittrex's private streams (bittrex.md §8) on their own authenticated SignalR
 * socket: `Authenticate` on every socket and again on `authenticationExpiring`,
 * then `order`, `balance`, `execution`. Sequences are checked per channel: a
 * repeated or older one is dropped; a jump means something was missed, and so
 * does a new socket — both emit a `reconnected` marker, on which the market
 * reconciles orders, fills and balances by REST (the documented re-sync). Each
 * order and balance delta is a full object, so applying a later one is safe.
 * A refused authentication or subscription ends the stream with its typed error.
 */
export class BittrexUserStreamDataSource implements UserStreamTrackerDataSource<BittrexUserEvent> {
  constructor(private readonly options: BittrexUserStreamDataSourceOptions) {}

  listen(): Observable<UserStreamEvent<BittrexUserEvent>> {
    return new Observable((subscriber) => {
      const last = new Map<string, number>();
      let readyOnce = false;
      let pendingReason: string | undefined;
      const client = new BittrexSignalRClient({
        signalrUrl: this.options.signalrUrl,
        name: `${BITTREX_EXCHANGE} user stream`,
        auth: this.options.auth,
        keepAliveTimeoutMs: this.options.keepAliveTimeoutMs,
        reconnectMinDelayMs: this.options.reconnectMinDelayMs,
        reconnectMaxDelayMs: this.options.reconnectMaxDelayMs,
        onReconnect: () => {
          last.clear();
          pendingReason = 'user socket reconnected';
        },
        onDisconnect: (reason) =>
          subscriber.next({
            kind: 'disconnected',
            receivedAt: Date.now(),
            reason: `user socket lost: ${reason}`,
          }),
        onReady: () => {
          Promise.all(BITTREX_PRIVATE_CHANNELS.map((c) => client.whenConfirmed(c))).then(
            () => {
              const receivedAt = Date.now();
              if (!readyOnce) {
                readyOnce = true;
                subscriber.next({ kind: 'connected', receivedAt });
              } else {
                subscriber.next({ kind: 'reconnected', receivedAt, reason: pendingReason ?? 'resubscribed' });
              }
              pendingReason = undefined;
            },
            (e: unknown) => {
              // Refused or never confirmed: no private events can come, say so.
              subscriber.error(e);
            },
          );
        },
        onFatal: (e) => subscriber.error(e),
        onSubscribeRefused: (_topic, e) => subscriber.error(e),
        onMessage: (m, receivedAt) => {
          const name = m.method.toLowerCase();
          if (name === BITTREX_MESSAGES.heartbeat) {
            subscriber.next({
              kind: 'event',
              event: { channel: 'heartbeat', sequence: 0, payload: null },
              receivedAt,
            });
            return;
          }
          const channel = CHANNELS.get(name);
          if (channel === undefined) return;
          let payload: unknown;
          let sequence: number;
          try {
            payload = decodeHubPayload(m.args[0], channel);
            sequence = parseSequence(asObject(payload, channel)['sequence'], `${channel}.sequence`);
          } catch {
            // Whatever it held is recovered by a REST reconciliation.
            subscriber.next({ kind: 'reconnected', receivedAt, reason: `malformed ${channel} message` });
            return;
          }
          const prev = last.get(channel);
          if (prev !== undefined && sequence <= prev) return; // repeated or late: already applied
          last.set(channel, sequence);
          if (prev !== undefined && sequence > prev + 1) {
            subscriber.next({
              kind: 'reconnected',
              receivedAt,
              reason: `${channel} sequence gap (expected ${prev + 1}, got ${sequence})`,
            });
          }
          subscriber.next({ kind: 'event', event: { channel, sequence, payload }, receivedAt });
        },
      });
      client.errors$.subscribe(() => undefined);
      for (const c of BITTREX_PRIVATE_CHANNELS) client.acquire(c);
      return () => {
        void client.close();
      };
    });
  }
}
