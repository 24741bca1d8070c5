import { Subject, type Observable, type Subscription } from 'rxjs';
import { HbError } from '../errors/hb-error.js';
import { RateLimiter } from './rate-limiter.js';
import {
  WsConnection,
  type WsConnectionOptions,
  type WsDecoder,
  type WsHeartbeatOptions,
  type WsMessage,
  type WsOutgoing,
  type WsReconnectOptions,
} from './ws-connection.js';

/**
 * An exchange's WebSocket subscription limits, as data. A {@link SubscriptionSocket}
 * opens as many connections as these require and spreads topics over them.
 * Every field is optional: an absent limit is not enforced.
 */
export interface SocketLimits {
  /** Topics one connection may carry (Binance: 1024 streams). */
  readonly maxTopicsPerConnection?: number;
  /** Connections open at once; past it, topics wait (and `acquire` never throws for it). */
  readonly maxConnections?: number;
  /**
   * New connections (first opens and reconnects alike) per window, across the
   * pool (Binance: 300 per 5 minutes per IP; Coinbase: 8 per second).
   */
  readonly connectionsPerWindow?: { readonly limit: number; readonly windowMs: number };
  /**
   * Messages we send per second on one connection (Binance counts pings, pongs
   * and control frames against 5 a second: leave room for the heartbeat).
   */
  readonly messagesPerSecond?: number;
  /** Longest URL the exchange accepts; topics that do not fit in it go by subscribe message. */
  readonly maxUrlLength?: number;
  /** Topics per subscribe or unsubscribe message. */
  readonly maxTopicsPerMessage?: number;
}

/** How a {@link SubscriptionSocket} is built: the exchange's subscription protocol and limits. */
export interface SubscriptionSocketOptions {
  /** Exchange and socket name for messages. */
  readonly name: string;
  /**
   * The URL of a (re)connect, given the topics that go in it (all of the
   * connection's topics unless `topicsInUrl`). May be async: classic SignalR
   * (Bittrex) negotiates a connection token over HTTP before every connect.
   */
  readonly url: (topics: readonly string[]) => string | Promise<string>;
  /**
   * Runs on every new socket before any topic is subscribed on it, and may send
   * and await replies (SignalR `start`, a login such as Bittrex's `Authenticate`).
   * If it throws, the socket is reopened as for any failed opening sequence.
   */
  readonly prepare?: (connection: WsConnection) => Promise<void>;
  /**
   * True when the URL itself subscribes the topics (Binance's
   * `/stream?streams=a/b`): they count as confirmed once the socket is open.
   * Topics past `limits.maxUrlLength` are subscribed by message instead.
   */
  readonly topicsInUrl?: boolean;
  /** Messages that subscribe topics on an open socket (called per batch of at most `maxTopicsPerMessage`). */
  readonly subscribeMessages: (topics: readonly string[]) => readonly WsOutgoing[];
  /** Messages that unsubscribe topics on an open socket. */
  readonly unsubscribeMessages: (topics: readonly string[]) => readonly WsOutgoing[];
  /** Every frame of every connection, in order per connection. The connector parses and routes it (and calls `confirm` / `refuse`). */
  readonly onMessage: (message: WsMessage) => void;
  /**
   * Runs when one of the pool's connections reopened after a drop, before its
   * first frame, with the topics it carries: whatever they sent while it was
   * down is lost, so their books must re-sync.
   */
  readonly onReconnect?: (topics: readonly string[]) => void;
  /**
   * Runs the moment an open connection of the pool is lost (closed, or dropped
   * for missing pongs or heartbeats), before the reconnect's backoff, with the
   * topics it carried: their books turn `stale` now, not when (or if) the
   * reconnect succeeds.
   */
  readonly onDisconnect?: (reason: string, topics: readonly string[]) => void;
  /**
   * Topics the exchange refused (see {@link SubscriptionSocket.refuse}), did not
   * confirm within `confirmTimeoutMs`, or whose connection gave up for good.
   * They stay wanted but are not sent again until released and acquired anew:
   * the connector errors their subscribers, whose retry (with backoff) does that.
   */
  readonly onTopicFailed?: (topics: readonly string[], error: HbError) => void;
  /** A connection gave up for good and no `onTopicFailed` is set: every subscriber should error. */
  readonly onFatal?: (error: HbError) => void;
  /** The exchange's limits (see {@link SocketLimits}). */
  readonly limits?: SocketLimits;
  /**
   * With `onTopicFailed` set, a topic subscribed by message and not confirmed
   * within this many ms fails (reason `timeout`). Default 10 000.
   */
  readonly confirmTimeoutMs?: number;
  /** At most this many topics in total; `acquire` throws past it. */
  readonly maxTopics?: number;
  /**
   * Frame decoder, before `onMessage` sees the text: `gunzipDecoder` for
   * gzipped binary frames (Huobi), `inflateRawDecoder` for raw DEFLATE
   * (Bittrex); UTF-8 text when omitted. A frame that fails to decode is
   * reported on `errors$` and dropped, never passed on half-read.
   */
  readonly decode?: WsDecoder;
  /**
   * The exchange's ping/pong rules: application pings we send, server pings
   * we answer (`isPing`), and how long silence may last before the socket is
   * dropped and reopened.
   */
  readonly heartbeat?: WsHeartbeatOptions;
  readonly reconnect?: WsReconnectOptions;
  /** Per-connection send limit; `limits.messagesPerSecond` wins when both are set. */
  readonly sendRateLimit?: WsConnectionOptions['sendRateLimit'];
}

/** Where one topic is on the exchange. */
export type TopicState = 'pending' | 'sent' | 'confirmed' | 'failed';

/** A wait for a topic's confirmation. */
interface Waiter {
  resolve(): void;
  reject(error: HbError): void;
  timer: ReturnType<typeof setTimeout>;
}

/** One connection of the pool and the topics placed on it. */
interface Slot {
  readonly id: number;
  /** Topics placed here, in placement order. */
  readonly assigned: Set<string>;
  /** Topics subscribed on the current socket (in its URL, or sent by message). */
  readonly live: Set<string>;
  readonly confirmed: Set<string>;
  connection: WsConnection | undefined;
  subs: Subscription[];
  abort: AbortController;
  opened: boolean;
  flushing: boolean;
  again: boolean;
  timers: Set<ReturnType<typeof setTimeout>>;
}

const DEFAULT_CONFIRM_TIMEOUT_MS = 10_000;
const DEFAULT_WAIT_TIMEOUT_MS = 30_000;

/**
 * Many topics (streams, channels, products) over a pool of exchange sockets,
 * within the exchange's limits given as data: as many connections as
 * `maxTopicsPerConnection` needs, opened no faster than
 * `connectionsPerWindow`, control messages no faster than `messagesPerSecond`,
 * URLs no longer than `maxUrlLength`. Topics are reference counted: the first
 * `acquire` subscribes, the last `release` unsubscribes, a connection opens with
 * its first topic and closes with its last, and the changes of one tick go out
 * batched. A connection that drops reopens with its topics (`onReconnect` first).
 *
 * Nothing is assumed subscribed until the exchange says so: `whenConfirmed`
 * resolves on the exchange's confirmation (or, for topics in the URL, on open)
 * and rejects with a typed error when the exchange refused the topic or did not
 * answer in time, so a data source never fetches a snapshot for a stream that
 * does not exist.
 */
export class SubscriptionSocket {
  /** Send failures and dropped-frame errors that did not end a connection. */
  readonly errors$: Observable<HbError>;

  private readonly counts = new Map<string, number>();
  private readonly slots: Slot[] = [];
  private readonly topicSlot = new Map<string, Slot>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly errorSubject = new Subject<HbError>();
  private readonly limits: SocketLimits;
  private readonly connectLimiter: RateLimiter | undefined;
  private readonly confirmTimeoutMs: number;
  /** Refused, timed out or orphaned topics: not placed again until released. */
  private readonly failed = new Map<string, HbError>();
  private nextSlotId = 1;
  private flushQueued = false;

  constructor(private readonly options: SubscriptionSocketOptions) {
    this.errors$ = this.errorSubject.asObservable();
    this.limits = options.limits ?? {};
    const perWindow = this.limits.connectionsPerWindow;
    this.connectLimiter =
      perWindow === undefined
        ? undefined
        : new RateLimiter([
            {
              id: 'CONNECTIONS',
              limit: perWindow.limit,
              intervalMs: perWindow.windowMs,
              kind: 'sliding_window',
            },
          ]);
    this.confirmTimeoutMs = options.confirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS;
  }

  /** Topics currently wanted. */
  get topics(): string[] {
    return [...this.counts.keys()];
  }

  /** How many connections the pool holds (open, opening or reconnecting). */
  get connectionCount(): number {
    return this.slots.filter((s) => s.connection !== undefined).length;
  }

  /** Where a topic is: waiting for a connection, sent, confirmed by the exchange, or failed; undefined when not wanted. */
  topicState(topic: string): TopicState | undefined {
    if (!this.counts.has(topic)) return undefined;
    if (this.failed.has(topic)) return 'failed';
    const slot = this.topicSlot.get(topic);
    if (slot === undefined) return 'pending';
    if (slot.confirmed.has(topic)) return 'confirmed';
    return slot.live.has(topic) ? 'sent' : 'pending';
  }

  /** Adds one reference to a topic; the first subscribes it. Throws past `maxTopics`. */
  acquire(topic: string): void {
    const n = this.counts.get(topic) ?? 0;
    if (n === 0 && this.options.maxTopics !== undefined && this.counts.size >= this.options.maxTopics) {
      throw new HbError(
        'invalid_order',
        `${this.options.name}: more than ${this.options.maxTopics} subscriptions`,
        { retryable: false },
      );
    }
    this.counts.set(topic, n + 1);
    if (n === 0) this.queueFlush();
  }

  /** Drops one reference to a topic; the last unsubscribes it. */
  release(topic: string): void {
    const n = this.counts.get(topic) ?? 0;
    if (n <= 1) {
      if (n === 1) this.counts.delete(topic);
      this.failed.delete(topic);
      this.rejectWaiters([topic], new HbError('network', `${this.options.name}: ${topic} was released`));
      this.queueFlush();
    } else {
      this.counts.set(topic, n - 1);
    }
  }

  /**
   * Topics subscribed on an open connection that the exchange has not
   * confirmed yet: what an `error` answer to a subscribe refers to, on
   * exchanges whose error frames do not name the channel (Coinbase).
   */
  get unconfirmedTopics(): string[] {
    const out: string[] = [];
    for (const [t, slot] of this.topicSlot) if (slot.live.has(t) && !slot.confirmed.has(t)) out.push(t);
    return out;
  }

  /** Whether the exchange confirmed `topic` on its connection. */
  isConfirmed(topic: string): boolean {
    return this.topicSlot.get(topic)?.confirmed.has(topic) === true;
  }

  /** The connector saw the exchange confirm these topics (a subscribe reply). */
  confirm(topics: readonly string[]): void {
    for (const t of topics) {
      const slot = this.topicSlot.get(t);
      if (slot === undefined || !slot.live.has(t)) continue;
      slot.confirmed.add(t);
      for (const w of this.waiters.get(t) ?? []) {
        clearTimeout(w.timer);
        w.resolve();
      }
      this.waiters.delete(t);
    }
  }

  /**
   * The connector saw the exchange refuse these topics (an error reply to their
   * subscribe). They fail: they are no longer subscribed (a later acquire after
   * a release subscribes them again), confirmation waits reject with `error`,
   * and `onTopicFailed` runs; the connector errors the topics' subscribers.
   */
  refuse(topics: readonly string[], error?: HbError): void {
    this.failTopics(
      topics,
      error ?? new HbError('unavailable', `${this.options.name}: the exchange refused the subscription`),
    );
  }

  /**
   * Resolves once the exchange confirmed `topic` on its connection. Rejects
   * with the exchange's refusal, with `HbError('timeout')` after `timeoutMs`
   * (default 30 s), or when the topic is released first.
   */
  whenConfirmed(topic: string, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<void> {
    const slot = this.topicSlot.get(topic);
    if (slot?.confirmed.has(topic) === true) return Promise.resolve();
    const failed = this.failed.get(topic);
    if (failed !== undefined) return Promise.reject(failed);
    // A topic not acquired yet may be on its way (a subscriber still resolving
    // its socket): it gets the same wait.
    return new Promise<void>((resolve, reject) => {
      const list = this.waiters.get(topic) ?? [];
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const current = this.waiters.get(topic);
          if (current) {
            const rest = current.filter((w) => w !== waiter);
            if (rest.length) this.waiters.set(topic, rest);
            else this.waiters.delete(topic);
          }
          reject(
            new HbError('timeout', `${this.options.name}: ${topic} not confirmed within ${timeoutMs} ms`),
          );
        }, timeoutMs),
      };
      waiter.timer.unref?.();
      list.push(waiter);
      this.waiters.set(topic, list);
    });
  }

  /**
   * Sends one request on an open connection: the one carrying `topic` when
   * given (Huobi's `req` pulls a snapshot on the socket that carries the
   * topic), else the first open one. Rejects with `network` when there is none.
   */
  async send(message: WsOutgoing, topic?: string): Promise<void> {
    const slot =
      topic !== undefined
        ? this.topicSlot.get(topic)
        : this.slots.find((s) => s.connection?.state.status === 'connected');
    const connection = slot?.connection;
    if (connection === undefined || connection.state.status !== 'connected') {
      throw new HbError('network', `${this.options.name}: cannot send, not connected`);
    }
    await connection.send(message);
  }

  /** Closes every connection and forgets every topic. */
  async close(): Promise<void> {
    this.counts.clear();
    this.failed.clear();
    this.rejectWaiters([...this.waiters.keys()], new HbError('network', `${this.options.name}: closed`));
    const slots = this.slots.splice(0);
    this.topicSlot.clear();
    await Promise.all(slots.map((s) => this.closeSlot(s)));
  }

  // ------------------------------------------------------------------ placement

  /** Batches the topic changes of one tick. */
  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      this.place();
    });
  }

  /** Drops released topics from their slots, places new ones, opens or closes connections, then flushes each slot. */
  private place(): void {
    for (const [topic, slot] of this.topicSlot) {
      if (this.counts.has(topic)) continue;
      this.topicSlot.delete(topic);
      slot.assigned.delete(topic);
      slot.confirmed.delete(topic);
      // Still in `live`: the slot's flush unsubscribes it.
    }
    const perConn = this.limits.maxTopicsPerConnection ?? Number.POSITIVE_INFINITY;
    const maxConns = this.limits.maxConnections ?? Number.POSITIVE_INFINITY;
    let open = this.slots.find((s) => s.assigned.size < perConn);
    for (const topic of this.counts.keys()) {
      if (this.topicSlot.has(topic) || this.failed.has(topic)) continue;
      while (open !== undefined && open.assigned.size >= perConn)
        open = this.slots.find((s) => s.assigned.size < perConn);
      if (open === undefined) {
        if (this.slots.length >= maxConns) break; // the rest wait for room
        open = this.newSlot();
      }
      open.assigned.add(topic);
      this.topicSlot.set(topic, open);
    }
    for (const slot of [...this.slots]) {
      if (slot.assigned.size === 0) {
        this.slots.splice(this.slots.indexOf(slot), 1);
        void this.closeSlot(slot);
      } else if (slot.connection === undefined) {
        this.openSlot(slot);
      } else {
        void this.flushSlot(slot);
      }
    }
  }

  private newSlot(): Slot {
    const slot: Slot = {
      id: this.nextSlotId++,
      assigned: new Set(),
      live: new Set(),
      confirmed: new Set(),
      connection: undefined,
      subs: [],
      abort: new AbortController(),
      opened: false,
      flushing: false,
      again: false,
      timers: new Set(),
    };
    this.slots.push(slot);
    return slot;
  }

  // ------------------------------------------------------------------ one connection

  private openSlot(slot: Slot): void {
    let inUrl: string[] = [];
    const limit =
      this.limits.messagesPerSecond !== undefined
        ? { limit: this.limits.messagesPerSecond, intervalMs: 1000 }
        : this.options.sendRateLimit;
    const connection = new WsConnection({
      name: `${this.options.name} #${slot.id}`,
      url: async () => {
        // Reconnects count against the exchange's connection limit too.
        if (this.connectLimiter) await this.connectLimiter.acquire({ CONNECTIONS: 1 }, slot.abort.signal);
        inUrl = this.options.topicsInUrl ? await this.urlTopics(slot) : [];
        return this.options.url(this.options.topicsInUrl ? inUrl : this.wanted(slot));
      },
      decode: this.options.decode,
      heartbeat: this.options.heartbeat,
      reconnect: this.options.reconnect,
      sendRateLimit: limit,
      onOpen: async (conn) => {
        // Runs before the new socket's first frame: re-syncs must start here, or
        // the first diffs would meet the old book and cost a second snapshot.
        slot.live.clear();
        slot.confirmed.clear();
        if (slot.opened) this.options.onReconnect?.([...slot.assigned]);
        slot.opened = true;
        if (this.options.prepare) await this.options.prepare(conn);
        const stillWanted = inUrl.filter((t) => slot.assigned.has(t));
        for (const t of stillWanted) slot.live.add(t);
        this.confirm(stillWanted);
        // Topics past the URL go by message once the socket counts as connected.
        return [];
      },
    });
    slot.connection = connection;
    let wasConnected = false;
    slot.subs = [
      connection.messages$.subscribe({
        next: (m) => this.options.onMessage(m),
        error: (e: unknown) => this.slotFailed(slot, e),
      }),
      connection.errors$.subscribe((e) => this.errorSubject.next(e)),
      connection.state$.subscribe((s) => {
        if (s.status === 'connected') {
          wasConnected = true;
          void this.flushSlot(slot);
        } else if (s.status === 'reconnecting') {
          // A dropped socket confirms nothing: waiters wait for the reopen.
          slot.live.clear();
          slot.confirmed.clear();
          if (wasConnected) {
            wasConnected = false;
            this.options.onDisconnect?.(s.reason, [...slot.assigned]);
          }
        }
      }),
    ];
    connection.connect().catch((e: unknown) => {
      if (slot.connection === connection) this.slotFailed(slot, e);
    });
  }

  /** The slot's topics, to be subscribed. */
  private wanted(slot: Slot): string[] {
    return [...slot.assigned];
  }

  /** As many of the slot's topics as fit in the URL. */
  private async urlTopics(slot: Slot): Promise<string[]> {
    const all = this.wanted(slot);
    const max = this.limits.maxUrlLength;
    if (max === undefined || (await this.options.url(all)).length <= max) return all;
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if ((await this.options.url(all.slice(0, mid))).length <= max) lo = mid;
      else hi = mid - 1;
    }
    return all.slice(0, lo);
  }

  /** Sends the slot's unsubscribes and subscribes, in batches; one flush per slot at a time. */
  private async flushSlot(slot: Slot): Promise<void> {
    if (slot.flushing) {
      slot.again = true;
      return;
    }
    slot.flushing = true;
    try {
      do {
        slot.again = false;
        const connection = slot.connection;
        if (connection === undefined || connection.state.status !== 'connected') return;
        const removed = [...slot.live].filter((t) => !slot.assigned.has(t));
        const added = this.wanted(slot).filter((t) => !slot.live.has(t));
        for (const t of removed) slot.live.delete(t);
        for (const t of added) slot.live.add(t);
        const per = this.limits.maxTopicsPerMessage ?? Number.POSITIVE_INFINITY;
        try {
          for (const batch of chunks(removed, per))
            for (const m of this.options.unsubscribeMessages(batch)) await connection.send(m);
          for (const batch of chunks(added, per)) {
            for (const m of this.options.subscribeMessages(batch)) await connection.send(m);
            this.armConfirmTimer(slot, connection, batch);
          }
        } catch (e) {
          // The socket dropped mid-send: its reopen subscribes every wanted topic.
          this.errorSubject.next(
            e instanceof HbError ? e : new HbError('network', `${this.options.name}: ${String(e)}`),
          );
          return;
        }
      } while (slot.again);
    } finally {
      slot.flushing = false;
    }
  }

  /** Topics sent by message that the exchange has not confirmed in time fail. */
  private armConfirmTimer(slot: Slot, connection: WsConnection, batch: readonly string[]): void {
    // Without a failure hook nobody would re-subscribe a failed topic: only waits time out.
    if (this.options.onTopicFailed === undefined) return;
    const timer = setTimeout(() => {
      slot.timers.delete(timer);
      if (slot.connection !== connection) return; // a reopen subscribes them again
      const late = batch.filter((t) => slot.assigned.has(t) && slot.live.has(t) && !slot.confirmed.has(t));
      if (late.length) {
        this.failTopics(
          late,
          new HbError(
            'timeout',
            `${this.options.name}: the exchange did not confirm ${late.length} subscription(s) within ${this.confirmTimeoutMs} ms`,
          ),
        );
      }
    }, this.confirmTimeoutMs);
    timer.unref?.();
    slot.timers.add(timer);
  }

  /**
   * Topics leave their connection (still `live` there, so its flush
   * unsubscribes them in case the exchange subscribed after all) and stay
   * failed until released.
   */
  private failTopics(topics: readonly string[], error: HbError): void {
    const failed: string[] = [];
    for (const t of topics) {
      if (!this.counts.has(t) || this.failed.has(t)) continue;
      const slot = this.topicSlot.get(t);
      if (slot !== undefined) {
        slot.assigned.delete(t);
        slot.confirmed.delete(t);
        this.topicSlot.delete(t);
      }
      this.failed.set(t, error);
      failed.push(t);
    }
    if (failed.length === 0) return;
    this.rejectWaiters(failed, error);
    this.queueFlush();
    if (this.options.onTopicFailed) this.options.onTopicFailed(failed, error);
  }

  /** A connection gave up for good: its topics fail (or, with no `onTopicFailed`, everything does). */
  private slotFailed(slot: Slot, e: unknown): void {
    const error =
      e instanceof HbError ? e : new HbError('network', `${this.options.name}: socket failed`, { cause: e });
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    const topics = [...slot.assigned];
    void this.closeSlot(slot);
    if (this.options.onTopicFailed) {
      this.failTopics(topics, error);
      return;
    }
    for (const t of topics) this.topicSlot.delete(t);
    this.counts.clear();
    this.rejectWaiters([...this.waiters.keys()], error);
    this.options.onFatal?.(error);
  }

  private async closeSlot(slot: Slot): Promise<void> {
    slot.abort.abort();
    for (const t of slot.timers) clearTimeout(t);
    slot.timers.clear();
    const connection = slot.connection;
    slot.connection = undefined;
    for (const s of slot.subs) s.unsubscribe();
    slot.subs = [];
    slot.live.clear();
    slot.confirmed.clear();
    if (connection) await connection.close();
  }

  private rejectWaiters(topics: readonly string[], error: HbError): void {
    for (const t of topics) {
      const list = this.waiters.get(t);
      if (list === undefined) continue;
      this.waiters.delete(t);
      for (const w of list) {
        clearTimeout(w.timer);
        w.reject(error);
      }
    }
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  if (items.length === 0) return [];
  if (!Number.isFinite(size) || items.length <= size) return [[...items]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
