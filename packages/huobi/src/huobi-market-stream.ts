// Huobi's public sockets (huobi.md §5), each on core's SubscriptionSocket with the
// gzip decoder and the `{"ping":n}` -> `{"pong":n}` heartbeat: `/feed` carries the
// MBP increments and answers `req` refreshes; `/ws` carries `trade.detail`. The
// refresh is requested on the same `/feed` socket after the exchange confirmed
// the subscription (so the cached increments reach back to it), at most one per
// 100 ms per connection as the exchange allows.
import {
  HbError,
  ProtocolError,
  SubscriptionError,
  SubscriptionSocket,
  gunzipDecoder,
  jsonPingPong,
  wsTiming,
  type SocketTiming,
  type SymbolMap,
  type DiffMessage,
  type DisconnectedSignal,
  type ResyncSignal,
  type SnapshotMessage,
  type TradeMessage,
  type WsMessage,
} from '@hb/core/connector';
import { Observable, Subject, type Subscriber } from 'rxjs';
import { HUOBI_EXCHANGE, HUOBI_SOCKET_TIMING, HUOBI_TOPICS, HUOBI_WS_LIMITS } from './huobi-constants.js';
import {
  parseHuobiMarketFrame,
  parseMbpIncrement,
  parseMbpRefresh,
  parseTradeDetail,
  type HuobiMarketFrame,
} from './huobi-order-book.js';

/**
 * How a {@link HuobiMarketStream} is built. Keep-alive and reconnect timing
 * (`pingIntervalMs`, `deadAfterMs`, reconnect bounds) default to
 * {@link HUOBI_SOCKET_TIMING}: no client pings, dead after 15 s without a frame
 * or a server ping.
 */
export interface HuobiMarketStreamOptions extends SocketTiming {
  /** `wss://api.huobi.pro/ws`: trades. */
  readonly wsUrl: string;
  /** `wss://api.huobi.pro/feed`: MBP increments and their refresh. */
  readonly feedUrl: string;
  /** The symbol map as loaded from the reference data (read at each use). */
  readonly symbols: () => SymbolMap;
  /** MBP depth (5, 20 or 150). */
  readonly mbpLevels?: number;
  /** How long a `req` refresh may take, ms. Default 10 s. */
  readonly reqTimeoutMs?: number;
}

interface PendingReq {
  readonly resolve: (data: unknown) => void;
  readonly reject: (e: HbError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** Answers the server's `{"ping": n}` with `{"pong": n}` (the same number). */
export const huobiPingReply = jsonPingPong('ping', 'pong');

/** The market-data sockets of one market: book increments, refreshes and trades. */
export class HuobiMarketStream {
  /**
   * Socket failures, refused subscriptions, error frames, and frames refused at
   * the wire as {@link ProtocolError}s (the market reports those as notices).
   */
  readonly errors$: Observable<HbError>;

  private readonly feed: SubscriptionSocket;
  private readonly ws: SubscriptionSocket;
  private readonly diffSubs = new Map<
    string,
    Set<Subscriber<DiffMessage | ResyncSignal | DisconnectedSignal>>
  >();
  private readonly tradeSubs = new Map<string, Set<Subscriber<TradeMessage>>>();
  private readonly pending = new Map<string, PendingReq>();
  private readonly errorSubject = new Subject<HbError>();
  private readonly levels: number;
  private reqCounter = 0;
  private refusedCount = 0;
  private reqChain: Promise<void> = Promise.resolve();
  private lastReqAt = 0;

  constructor(private readonly options: HuobiMarketStreamOptions) {
    this.errors$ = this.errorSubject.asObservable();
    this.levels = options.mbpLevels ?? 150;
    const timing = wsTiming(options, HUOBI_SOCKET_TIMING);
    const common = {
      decode: gunzipDecoder,
      // The server's pings are answered inside the connection, and count as frames for `deadAfterMs`.
      heartbeat: { ...timing.heartbeat, isPing: huobiPingReply },
      reconnect: timing.reconnect,
      // A topic is its own request id, so a refusal names the topic it refuses.
      subscribeMessages: (topics: readonly string[]) => topics.map((t) => ({ sub: t, id: t })),
      unsubscribeMessages: (topics: readonly string[]) => topics.map((t) => ({ unsub: t, id: t })),
    };
    this.feed = new SubscriptionSocket({
      ...common,
      name: `${HUOBI_EXCHANGE} feed`,
      url: () => options.feedUrl,
      onMessage: (m) => this.onMessage(this.feed, m),
      onReconnect: (topics) => this.onFeedReconnect(topics),
      onDisconnect: (reason, topics) => this.onFeedDisconnect(reason, topics),
      onTopicFailed: (topics, error) => this.failTopics(this.diffSubs, topics, error),
      onFatal: (e) => this.failAll(e),
    });
    this.ws = new SubscriptionSocket({
      ...common,
      name: `${HUOBI_EXCHANGE} market`,
      url: () => options.wsUrl,
      onMessage: (m) => this.onMessage(this.ws, m),
      onTopicFailed: (topics, error) => this.failTopics(this.tradeSubs, topics, error),
      onFatal: (e) => this.failTrades(e),
    });
    this.feed.errors$.subscribe((e) => this.errorSubject.next(e));
    this.ws.errors$.subscribe((e) => this.errorSubject.next(e));
  }

  /** MBP increments of one pair, with a `resync` after every reconnect of the feed socket. */
  diffs$(tradingPair: string): Observable<DiffMessage | ResyncSignal | DisconnectedSignal> {
    const topic = HUOBI_TOPICS.mbp(this.options.symbols().toSymbol(tradingPair), this.levels);
    return this.listen(this.feed, this.diffSubs, topic);
  }

  /** Public trades of one pair (taker side from `direction`). */
  trades$(tradingPair: string): Observable<TradeMessage> {
    const topic = HUOBI_TOPICS.trades(this.options.symbols().toSymbol(tradingPair));
    return this.listen(this.ws, this.tradeSubs, topic);
  }

  /**
   * The documented refresh: once the exchange confirmed the pair's MBP
   * subscription, `req` the same topic on the same socket; the answer is the
   * whole book at its `seqNum`, which core aligns with the cached increments.
   */
  async snapshot(tradingPair: string): Promise<SnapshotMessage> {
    const topic = HUOBI_TOPICS.mbp(this.options.symbols().toSymbol(tradingPair), this.levels);
    await this.feed.whenConfirmed(topic);
    const data = await this.throttled(() => this.req(topic));
    return parseMbpRefresh(data, tradingPair, Date.now());
  }

  /** Closes both sockets; subscribers complete. */
  async close(): Promise<void> {
    for (const set of [...this.diffSubs.values(), ...this.tradeSubs.values()])
      for (const s of set) s.complete();
    this.diffSubs.clear();
    this.tradeSubs.clear();
    this.rejectPending(new HbError('network', `${HUOBI_EXCHANGE}: market stream closed`));
    await Promise.all([this.feed.close(), this.ws.close()]);
  }

  private listen<T>(
    socket: SubscriptionSocket,
    registry: Map<string, Set<Subscriber<T>>>,
    topic: string,
  ): Observable<T> {
    return new Observable<T>((subscriber) => {
      let set = registry.get(topic);
      if (set === undefined) {
        set = new Set();
        registry.set(topic, set);
      }
      set.add(subscriber);
      socket.acquire(topic);
      return () => {
        const current = registry.get(topic);
        current?.delete(subscriber);
        if (current?.size === 0) registry.delete(topic);
        socket.release(topic);
      };
    });
  }

  /** Runs `fn` no sooner than 100 ms after the previous `req` started, one at a time. */
  private throttled<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.reqChain.then(async () => {
      const wait = this.lastReqAt + HUOBI_WS_LIMITS.reqIntervalMs + 10 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.lastReqAt = Date.now();
      return fn();
    });
    this.reqChain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private req(topic: string): Promise<unknown> {
    const id = `req-${++this.reqCounter}`;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HbError('timeout', `${HUOBI_EXCHANGE}: no answer to req ${topic}`));
      }, this.options.reqTimeoutMs ?? 10_000);
      this.pending.set(id, { resolve, reject, timer });
      this.feed.send({ req: topic, id }, topic).catch((e: unknown) => {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(
          e instanceof HbError ? e : new HbError('network', `${HUOBI_EXCHANGE}: req failed`, { cause: e }),
        );
      });
    });
  }

  /** Frames refused at the wire so far (unparsable, unknown, or carrying impossible values). */
  get framesRefused(): number {
    return this.refusedCount;
  }

  private onMessage(socket: SubscriptionSocket, message: WsMessage): void {
    let frame: HuobiMarketFrame;
    try {
      frame = parseHuobiMarketFrame(JSON.parse(message.data) as unknown);
    } catch (e) {
      this.refuse(socket, message.data, e);
      return;
    }
    try {
      this.route(socket, frame, message.receivedAt);
    } catch (e) {
      this.refuse(socket, message.data, e);
    }
  }

  /**
   * Refuses a frame whole: a typed {@link ProtocolError} naming the topic (when
   * the frame says) with a redacted excerpt, and, on the feed, a re-sync of the
   * topic's book (every book when the topic is unknown): a refused increment is
   * a change the book did not get, so it is treated as unknown.
   */
  private refuse(socket: SubscriptionSocket, text: string, cause: unknown): void {
    this.refusedCount += 1;
    const topic = /"ch"\s*:\s*"([^"\\]{1,100})"/.exec(text)?.[1];
    this.errorSubject.next(new ProtocolError(HUOBI_EXCHANGE, topic ?? 'market streams', text, cause));
    if (socket !== this.feed) return;
    const topics = topic !== undefined && this.diffSubs.has(topic) ? [topic] : [...this.diffSubs.keys()];
    this.signalTopics(topics, (pairs) => ({ type: 'resync', reason: 'refused frame', ...pairs }));
  }

  private route(socket: SubscriptionSocket, frame: HuobiMarketFrame, receivedAt: number): void {
    switch (frame.kind) {
      case 'ping':
        return; // answered by the connection (isPing) before it gets here
      case 'subbed':
        socket.confirm([frame.topic]);
        return;
      case 'unsubbed':
        return;
      case 'rep': {
        const p = frame.id === undefined ? undefined : this.pending.get(frame.id);
        if (p === undefined) return;
        this.pending.delete(frame.id as string);
        clearTimeout(p.timer);
        p.resolve(frame.data);
        return;
      }
      case 'error': {
        const error = new HbError(
          /429|too many/i.test(frame.message) ? 'rate_limit' : 'invalid_order',
          `${HUOBI_EXCHANGE}: ${frame.code}: ${frame.message}`,
          { exchange: HUOBI_EXCHANGE, exchangeCode: frame.code },
        );
        const p = frame.id === undefined ? undefined : this.pending.get(frame.id);
        if (p !== undefined) {
          this.pending.delete(frame.id as string);
          clearTimeout(p.timer);
          p.reject(error);
          return;
        }
        // A refused subscription (the topic is its own id): a typed, non-retryable
        // error for the topic's listeners; nothing is shown live on a refused topic.
        const topic = frame.id;
        const listeners =
          topic === undefined ? undefined : (this.diffSubs.get(topic) ?? this.tradeSubs.get(topic));
        if (topic !== undefined && listeners !== undefined) {
          const refused = new SubscriptionError(`${HUOBI_EXCHANGE}: ${frame.code}: ${frame.message}`, {
            exchange: HUOBI_EXCHANGE,
            exchangeCode: frame.code,
            reason: 'invalid_order',
            channel: topic,
            topics: [topic],
          });
          (this.diffSubs.has(topic) ? this.feed : this.ws).refuse([topic], refused);
          for (const s of [...listeners]) s.error(refused);
          this.errorSubject.next(refused);
          return;
        }
        this.errorSubject.next(error);
        return;
      }
      case 'push': {
        const parts = frame.topic.split('.');
        const symbol = parts[1] ?? '';
        const pair = this.options.symbols().tryPair(symbol);
        if (pair === undefined) return;
        if (parts[2] === 'mbp') {
          const diff = parseMbpIncrement(frame.tick, pair, frame.ts);
          for (const s of this.diffSubs.get(frame.topic) ?? []) s.next(diff);
        } else if (parts[2] === 'trade') {
          const trades = parseTradeDetail(frame.tick, pair);
          for (const s of this.tradeSubs.get(frame.topic) ?? []) for (const t of trades) s.next(t);
        } else {
          // Only MBP and trade topics are subscribed: any other push is an unknown message type.
          throw new HbError('malformed_message', `${HUOBI_EXCHANGE}: push on an unknown topic`, {
            exchange: HUOBI_EXCHANGE,
            retryable: false,
          });
        }
        void receivedAt;
        return;
      }
    }
  }

  private onFeedReconnect(topics: readonly string[]): void {
    // Answers to requests sent on the old socket will never come.
    this.rejectPending(new HbError('network', `${HUOBI_EXCHANGE}: feed reconnected before the refresh came`));
    this.signalTopics(topics, (pairs) => ({ type: 'resync', reason: 'feed reconnected', ...pairs }));
  }

  private onFeedDisconnect(reason: string, topics: readonly string[]): void {
    // The books are stale from now until the reconnect's resync has re-synced them.
    this.signalTopics(topics, (pairs) => ({ type: 'disconnected', reason, ...pairs }));
  }

  /** Sends a signal to the diff listeners of each topic, naming the topic's pair. */
  private signalTopics(
    topics: readonly string[],
    make: (pairs: { tradingPairs?: readonly string[] }) => ResyncSignal | DisconnectedSignal,
  ): void {
    for (const topic of topics) {
      const set = this.diffSubs.get(topic);
      if (set === undefined) continue;
      const pair = this.options.symbols().tryPair(topic.split('.')[1] ?? '');
      const signal = make(pair === undefined ? {} : { tradingPairs: [pair] });
      for (const sub of set) sub.next(signal);
    }
  }

  /** The socket gave up on these topics (refused or unconfirmed in time): their listeners fail. */
  private failTopics<T>(
    registry: Map<string, Set<Subscriber<T>>>,
    topics: readonly string[],
    error: HbError,
  ): void {
    for (const topic of topics) {
      const set = registry.get(topic);
      if (set === undefined) continue;
      for (const sub of [...set]) sub.error(error);
    }
    this.errorSubject.next(error);
  }

  private rejectPending(error: HbError): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.pending.clear();
  }

  private failAll(error: HbError): void {
    this.rejectPending(error);
    const all = [...this.diffSubs.values()];
    this.diffSubs.clear();
    for (const set of all) for (const s of set) s.error(error);
  }

  private failTrades(error: HbError): void {
    const all = [...this.tradeSubs.values()];
    this.tradeSubs.clear();
    for (const set of all) for (const s of set) s.error(error);
  }
}
