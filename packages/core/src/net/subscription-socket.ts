import { Subject, type Observable, type Subscription } from 'rxjs';
import { HbError } from '../errors/hb-error.js';
import {
  WsConnection,
  type WsConnectionOptions,
  type WsDecoder,
  type WsHeartbeatOptions,
  type WsMessage,
  type WsOutgoing,
  type WsReconnectOptions,
} from './ws-connection.js';

/** How a {@link SubscriptionSocket} is built: the exchange's subscription protocol. */
export interface SubscriptionSocketOptions {
  /** Exchange and socket name for messages. */
  readonly name: string;
  /**
   * The URL of a (re)connect, given every topic wanted at that moment. May be
   * async: classic SignalR (Bittrex) negotiates a connection token over HTTP
   * before every connect.
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
   */
  readonly topicsInUrl?: boolean;
  /** Messages that subscribe topics on an open socket (one batch per tick). */
  readonly subscribeMessages: (topics: readonly string[]) => readonly WsOutgoing[];
  /** Messages that unsubscribe topics on an open socket. */
  readonly unsubscribeMessages: (topics: readonly string[]) => readonly WsOutgoing[];
  /** Every frame, in order. The connector parses and routes it (and calls `confirm`). */
  readonly onMessage: (message: WsMessage) => void;
  /**
   * Runs on every new socket after the first, before its first frame: whatever
   * was sent while no socket was open is lost, so books must re-sync.
   */
  readonly onReconnect?: () => void;
  /**
   * Runs the moment an open socket is lost (closed, or dropped for missing
   * pongs or heartbeats), before the reconnect's backoff: books turn `stale`
   * now, not when (or if) the reconnect succeeds.
   */
  readonly onDisconnect?: (reason: string) => void;
  /** The socket gave up for good; every subscriber should error. */
  readonly onFatal?: (error: HbError) => void;
  /** At most this many topics (Binance: 1024 streams per connection). */
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
  readonly sendRateLimit?: WsConnectionOptions['sendRateLimit'];
}

/** A wait for a topic's confirmation. */
interface Waiter {
  resolve(): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * One exchange socket shared by many topics (streams, channels, products), each
 * reference counted: the socket opens with the first topic and closes with the
 * last, changes made in the same tick go out as one subscribe and one
 * unsubscribe, and every reconnect subscribes all wanted topics again and calls
 * `onReconnect` first. Connectors supply the protocol (URL and messages) and the
 * frame routing; this class owns the bookkeeping every connector would
 * otherwise repeat.
 *
 * `whenConfirmed(topic)` lets a data source wait until the exchange has really
 * subscribed a topic before it fetches a snapshot: messages from before the
 * subscription never reach us, and a snapshot taken earlier could miss trades.
 */
export class SubscriptionSocket {
  /** Send failures and dropped-frame errors that did not end the socket. */
  readonly errors$: Observable<HbError>;

  private readonly counts = new Map<string, number>();
  private readonly live = new Set<string>();
  private readonly confirmed = new Set<string>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly errorSubject = new Subject<HbError>();
  private connection: WsConnection | undefined;
  private connectionSubs: Subscription[] = [];
  private flushQueued = false;

  constructor(private readonly options: SubscriptionSocketOptions) {
    this.errors$ = this.errorSubject.asObservable();
  }

  /** Topics currently wanted. */
  get topics(): string[] {
    return [...this.counts.keys()];
  }

  /** Adds one reference to a topic; the first subscribes it. */
  acquire(topic: string): void {
    const n = this.counts.get(topic) ?? 0;
    if (n === 0 && this.options.maxTopics !== undefined && this.counts.size >= this.options.maxTopics) {
      throw new HbError(
        'invalid_order',
        `${this.options.name}: more than ${this.options.maxTopics} subscriptions on one socket`,
        {
          retryable: false,
        },
      );
    }
    this.counts.set(topic, n + 1);
    if (n === 0) this.queueFlush();
  }

  /** Drops one reference to a topic; the last unsubscribes it. */
  release(topic: string): void {
    const n = this.counts.get(topic) ?? 0;
    if (n <= 1) {
      this.counts.delete(topic);
      this.queueFlush();
    } else {
      this.counts.set(topic, n - 1);
    }
  }

  /**
   * Topics subscribed on the current socket that the exchange has not confirmed
   * yet: what an `error` answer to a subscribe refers to, on exchanges whose
   * error frames do not name the channel (Coinbase).
   */
  get unconfirmedTopics(): string[] {
    return [...this.live].filter((t) => !this.confirmed.has(t));
  }

  /** Whether the exchange confirmed `topic` on the current socket. */
  isConfirmed(topic: string): boolean {
    return this.confirmed.has(topic);
  }

  /**
   * The exchange refused these topics: they are no longer subscribed on this
   * socket (a later acquire after a release subscribes them again) and their
   * confirmation waits end. The connector errors the topics' subscribers.
   */
  refuse(topics: readonly string[]): void {
    for (const t of topics) {
      this.live.delete(t);
      this.confirmed.delete(t);
      for (const w of this.waiters.get(t) ?? []) {
        clearTimeout(w.timer);
        w.resolve();
      }
      this.waiters.delete(t);
    }
  }

  /** The connector saw the exchange confirm these topics (a subscribe reply). */
  confirm(topics: readonly string[]): void {
    for (const t of topics) {
      if (!this.live.has(t)) continue;
      this.confirmed.add(t);
      for (const w of this.waiters.get(t) ?? []) {
        clearTimeout(w.timer);
        w.resolve();
      }
      this.waiters.delete(t);
    }
  }

  /**
   * Resolves once the exchange confirmed `topic` on the current socket, or after
   * `timeoutMs` in any case (an exchange may never confirm; the caller's own
   * consistency checks still apply).
   */
  whenConfirmed(topic: string, timeoutMs = 5_000): Promise<void> {
    if (this.confirmed.has(topic)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(topic) ?? [];
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const current = this.waiters.get(topic);
          if (current)
            this.waiters.set(
              topic,
              current.filter((w) => w !== waiter),
            );
          resolve();
        }, timeoutMs),
      };
      waiter.timer.unref?.();
      list.push(waiter);
      this.waiters.set(topic, list);
    });
  }

  /**
   * Sends one request on the current socket (Huobi's `req` pulls a snapshot on
   * the socket that carries the topic). Rejects with `network` when no socket is open.
   */
  async send(message: WsOutgoing): Promise<void> {
    const connection = this.connection;
    if (connection === undefined || connection.state.status !== 'connected') {
      throw new HbError('network', `${this.options.name}: cannot send, not connected`);
    }
    await connection.send(message);
  }

  /** Closes the socket and forgets every topic. */
  async close(): Promise<void> {
    this.counts.clear();
    this.releaseWaiters();
    await this.closeConnection();
  }

  /** Batches the topic changes of one tick into one subscribe and one unsubscribe. */
  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.counts.size === 0) {
      await this.closeConnection();
      return;
    }
    if (!this.connection) {
      this.openConnection();
      return;
    }
    if (this.connection.state.status !== 'connected') return; // the next open subscribes everything
    const added = this.topics.filter((t) => !this.live.has(t));
    const removed = [...this.live].filter((t) => !this.counts.has(t));
    for (const t of added) this.live.add(t);
    for (const t of removed) {
      this.live.delete(t);
      this.confirmed.delete(t);
    }
    try {
      if (removed.length)
        for (const m of this.options.unsubscribeMessages(removed)) await this.connection.send(m);
      if (added.length) for (const m of this.options.subscribeMessages(added)) await this.connection.send(m);
    } catch (e) {
      // The socket dropped mid-send: the next open subscribes every wanted topic.
      this.errorSubject.next(
        e instanceof HbError ? e : new HbError('network', `${this.options.name}: ${String(e)}`),
      );
    }
  }

  private openConnection(): void {
    let opened = false;
    let inUrl: string[] = [];
    const connection = new WsConnection({
      name: this.options.name,
      url: () => {
        inUrl = this.options.topicsInUrl ? this.topics : [];
        return this.options.url(this.topics);
      },
      decode: this.options.decode,
      heartbeat: this.options.heartbeat,
      reconnect: this.options.reconnect,
      sendRateLimit: this.options.sendRateLimit,
      onOpen: async (conn) => {
        // Runs before the new socket's first frame: re-syncs must start here, or
        // the first diffs would meet the old book and cost a second snapshot.
        this.live.clear();
        this.confirmed.clear();
        if (opened) this.options.onReconnect?.();
        opened = true;
        if (this.options.prepare) await this.options.prepare(conn);
        for (const t of inUrl) this.live.add(t);
        this.confirm(inUrl);
        const late = this.topics.filter((t) => !this.live.has(t));
        for (const t of late) this.live.add(t);
        return late.length ? this.options.subscribeMessages(late) : [];
      },
    });
    this.connection = connection;
    let wasConnected = false;
    this.connectionSubs = [
      connection.state$.subscribe((state) => {
        if (state.status === 'connected') wasConnected = true;
        else if (state.status === 'reconnecting' && wasConnected) {
          wasConnected = false;
          this.live.clear();
          this.confirmed.clear();
          this.options.onDisconnect?.(state.reason);
        }
      }),
      connection.messages$.subscribe({
        next: (m) => this.options.onMessage(m),
        error: (e: unknown) => this.fail(e),
      }),
      connection.errors$.subscribe((e) => this.errorSubject.next(e)),
    ];
    connection.connect().catch((e: unknown) => this.fail(e));
  }

  private async closeConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    for (const s of this.connectionSubs) s.unsubscribe();
    this.connectionSubs = [];
    this.live.clear();
    this.confirmed.clear();
    if (connection) await connection.close();
  }

  private fail(e: unknown): void {
    const error =
      e instanceof HbError ? e : new HbError('network', `${this.options.name}: socket failed`, { cause: e });
    this.counts.clear();
    this.releaseWaiters();
    void this.closeConnection();
    this.options.onFatal?.(error);
  }

  private releaseWaiters(): void {
    for (const list of this.waiters.values()) {
      for (const w of list) {
        clearTimeout(w.timer);
        w.resolve();
      }
    }
    this.waiters.clear();
  }
}
