import { ProtocolError, type UserStreamEvent, type UserStreamTrackerDataSource } from '@hb/core/connector';
import { Observable } from 'rxjs';
import type { BittrexAuth } from './bittrex-auth.js';
import { BITTREX_EXCHANGE, BITTREX_MESSAGES, BITTREX_STREAMS } from './bittrex-constants.js';
import { BittrexSignalRClient, decodeHubPayload } from './bittrex-signalr.js';
import type { Sequenced } from './bittrex-api-client.js';
import { asArray, asObject, parseSequence } from './bittrex-utils.js';

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

/**
 * The REST side of the documented private-stream sync (bittrex.md §5, §8): each
 * snapshot with the `Sequence` its channel's deltas continue from.
 */
export interface BittrexPrivateSnapshots {
  /** `GET /balances`: every Balance, at the `balance` sequence. */
  balances(): Promise<Sequenced>;
  /** `GET /orders/open`: every open Order, at the `order` sequence. */
  openOrders(): Promise<Sequenced>;
  /** `HEAD /executions/last-id`: the `execution` sequence (executions are backfilled by the market). */
  executionSequence(): Promise<string | undefined>;
}

/** How a {@link BittrexUserStreamDataSource} is built. */
export interface BittrexUserStreamDataSourceOptions {
  /**
   * When given, every (re)connect and every gap runs the documented sync: deltas
   * are queued, the REST snapshot is emitted at its `Sequence` S, queued deltas
   * at or below S are dropped and the rest must follow S one by one.
   */
  readonly snapshots?: BittrexPrivateSnapshots;
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
 * then `order`, `balance`, `execution`. With `snapshots`, each channel is
 * synced as documented: deltas are queued while the REST snapshot is fetched,
 * the snapshot is emitted at its `Sequence`, queued deltas at or below it are
 * dropped and the rest must follow one by one. A repeated delta is dropped; a
 * jump means something was missed, and so does a new socket: both emit a
 * `reconnected` marker (the market reconciles orders, fills and balances by
 * REST) and the channel re-syncs from its snapshot.
 * A refused authentication or subscription ends the stream with its typed error.
 */
export class BittrexUserStreamDataSource implements UserStreamTrackerDataSource<BittrexUserEvent> {
  constructor(private readonly options: BittrexUserStreamDataSourceOptions) {}

  listen(): Observable<UserStreamEvent<BittrexUserEvent>> {
    return new Observable((subscriber) => {
      type Channel = 'order' | 'balance' | 'execution';
      type Queued = { readonly sequence: number; readonly payload: unknown; readonly receivedAt: number };
      const last = new Map<Channel, number>();
      /** Channels whose REST snapshot is being fetched, with the deltas queued meanwhile. */
      const syncing = new Map<Channel, Queued[]>();
      let readyOnce = false;
      let pendingReason: string | undefined;
      let closed = false;
      const snapshots = this.options.snapshots;

      const emit = (channel: Channel, sequence: number, payload: unknown, receivedAt: number): void =>
        subscriber.next({ kind: 'event', event: { channel, sequence, payload }, receivedAt });

      /** Applies one live delta: stale dropped, the next applied, a jump re-synced. */
      const apply = (channel: Channel, q: Queued): void => {
        const prev = last.get(channel);
        if (prev !== undefined && q.sequence <= prev) return; // repeated or already in the snapshot
        if (prev !== undefined && q.sequence > prev + 1) {
          const reason = `${channel} sequence gap (expected ${prev + 1}, got ${q.sequence})`;
          // Missed deltas: the market reconciles by REST, and the channel re-syncs from its snapshot.
          subscriber.next({ kind: 'reconnected', receivedAt: q.receivedAt, reason });
          if (snapshots) {
            void sync(channel, [q]);
            return;
          }
        }
        last.set(channel, q.sequence);
        emit(channel, q.sequence, q.payload, q.receivedAt);
      };

      /** The documented sync of one channel: snapshot at S, then the queued deltas after S. */
      const sync = async (channel: Channel, queued: Queued[] = []): Promise<void> => {
        if (!snapshots || syncing.has(channel)) return;
        syncing.set(channel, [...queued]);
        try {
          let sequence: number;
          const at = Date.now();
          if (channel === 'execution') {
            sequence = parseSequence(await snapshots.executionSequence(), 'executions Sequence header');
          } else {
            const snap = channel === 'balance' ? await snapshots.balances() : await snapshots.openOrders();
            sequence = parseSequence(snap.sequence, `${channel} Sequence header`);
            for (const row of asArray(snap.body, `${channel} snapshot`))
              emit(channel, sequence, { sequence, delta: row }, at);
          }
          if (closed) return;
          last.set(channel, sequence);
          const pending = syncing.get(channel) ?? [];
          syncing.delete(channel);
          for (const q of pending.sort((a, b) => a.sequence - b.sequence)) apply(channel, q);
        } catch {
          // Without the snapshot, fall back on the market's REST reconciliation.
          const pending = syncing.get(channel) ?? [];
          syncing.delete(channel);
          last.delete(channel);
          if (closed) return;
          subscriber.next({
            kind: 'reconnected',
            receivedAt: Date.now(),
            reason: `${channel} snapshot failed`,
          });
          for (const q of pending) apply(channel, q);
        }
      };

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
          // Queue from now: the snapshots are taken after the channels are confirmed.
          if (snapshots) for (const c of ['balance', 'order', 'execution'] as const) syncing.set(c, []);
          Promise.all(BITTREX_PRIVATE_CHANNELS.map((c) => client.whenConfirmed(c))).then(
            async () => {
              if (snapshots) {
                const queued = new Map(syncing);
                syncing.clear();
                await Promise.all(
                  (['balance', 'order', 'execution'] as const).map((c) => sync(c, queued.get(c) ?? [])),
                );
              }
              if (closed) return;
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
          const channel = CHANNELS.get(name) as Channel | undefined;
          if (channel === undefined) return;
          let payload: unknown;
          let sequence: number;
          try {
            payload = decodeHubPayload(m.args[0], channel);
            sequence = parseSequence(asObject(payload, channel)['sequence'], `${channel}.sequence`);
          } catch (e) {
            // Refused whole: the market reports it and recovers whatever it held by REST.
            subscriber.next({
              kind: 'refused',
              receivedAt,
              error: new ProtocolError(BITTREX_EXCHANGE, channel, JSON.stringify(m.args).slice(0, 400), e),
            });
            return;
          }
          const queue = syncing.get(channel);
          if (queue) queue.push({ sequence, payload, receivedAt });
          else apply(channel, { sequence, payload, receivedAt });
        },
      });
      // A frame that is not SignalR at all may have held a fill: refused, reconciled by REST.
      client.errors$.subscribe((e) => {
        if (e instanceof ProtocolError)
          subscriber.next({ kind: 'refused', receivedAt: Date.now(), error: e });
      });
      for (const c of BITTREX_PRIVATE_CHANNELS) client.acquire(c);
      return () => {
        closed = true;
        void client.close();
      };
    });
  }
}
