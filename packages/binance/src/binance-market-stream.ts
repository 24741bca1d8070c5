import {
  HbError,
  ProtocolError,
  SubscriptionError,
  SubscriptionSocket,
  wsTiming,
  type DisconnectedSignal,
  type DiffMessage,
  type SocketLimits,
  type SocketTiming,
  type ResyncSignal,
  type TradeMessage,
  type WsMessage,
} from '@hb/core/connector';
import { Observable, Subject, type Subscriber } from 'rxjs';
import {
  BINANCE_COMBINED_STREAM_PATH,
  BINANCE_EXCHANGE,
  BINANCE_SOCKET_LIMITS,
  BINANCE_SOCKET_TIMING,
} from './binance-constants.js';
import {
  parseDepthUpdateFrame,
  parseTradeEvent,
  unwrapCombinedStream,
  type DepthUpdateSink,
} from './binance-order-book.js';
import type { SymbolMap } from './binance-utils.js';

/** Depth stream speed: Binance pushes diffs every 100 ms or every second. */
export type BinanceDepthSpeed = '100ms' | '1000ms';

/**
 * How a {@link BinanceMarketStream} is built. Timing defaults: client pings every
 * 10 s (Binance answers them; they count towards the 5 messages a second), dead
 * after 25 s without a frame or pong, so a dead socket is `stale` within 30 s
 * (Binance's own pong timeout is a minute).
 */
export interface BinanceMarketStreamOptions extends SocketTiming {
  /** Market-stream base URL (scheme, host, port), e.g. `wss://stream.binance.com:9443`. */
  readonly wsUrl: string;
  readonly symbols: SymbolMap;
  readonly depthSpeed?: BinanceDepthSpeed;
  /** Socket-pool limits; default Binance's documented ones ({@link BINANCE_SOCKET_LIMITS}). */
  readonly limits?: SocketLimits;
  /** A SUBSCRIBE Binance has not answered in this long fails its streams. Default 10 000 ms. */
  readonly confirmTimeoutMs?: number;
}

type DepthEvent = DiffMessage | ResyncSignal | DisconnectedSignal;
type StreamListener = Subscriber<DepthEvent> | Subscriber<TradeMessage>;

/** Where a symbol's depth diffs go: its pair and the listeners of its depth stream. */
interface DepthRoute {
  readonly pair: string;
  readonly set: Set<StreamListener>;
}

/** Unknown symbols are remembered too; past this many routes the cache starts over. */
const MAX_ROUTES = 4096;

/**
 * Combined-stream sockets (`/stream?streams=a/b/c`) shared by every pair's depth
 * and trade streams, on core's pooled `SubscriptionSocket` within Binance's
 * limits as data ({@link BINANCE_SOCKET_LIMITS}: 1024 streams a connection, 300
 * connections per 5 minutes, 5 inbound messages a second, bounded URLs): as
 * many connections as the streams need, streams reference counted, streams
 * added while a socket is open sent as batched `SUBSCRIBE`s, a reconnect
 * putting its streams back. After a connection's reconnect the depth
 * subscribers of its streams get a `resync` signal, because diffs were lost
 * while it was down. A stream Binance refuses (an error reply) or does not
 * confirm in time errors its subscribers with a typed error; they retry.
 */
export class BinanceMarketStream {
  /**
   * Socket failures, and frames refused at the wire as {@link ProtocolError}s
   * (each also re-syncs the depth stream it may have belonged to).
   */
  readonly errors$: Observable<HbError>;
  /** Frames refused at the wire so far. */
  get framesRefused(): number {
    return this.refusedCount;
  }
  private refusedCount = 0;

  private readonly listeners = new Map<string, Set<StreamListener>>();
  private readonly errorSubject = new Subject<HbError>();
  private readonly depthSuffix: string;
  private readonly socket: SubscriptionSocket;
  /** `SUBSCRIBE` request id -> the streams it asked for, until Binance's reply (`{result: null}` or an error). */
  private readonly pendingSubscriptions = new Map<number, readonly string[]>();
  private requestId = 0;

  constructor(private readonly options: BinanceMarketStreamOptions) {
    this.errors$ = this.errorSubject.asObservable();
    this.depthSuffix = options.depthSpeed === '1000ms' ? '@depth' : '@depth@100ms';
    this.socket = new SubscriptionSocket({
      name: `${BINANCE_EXCHANGE} market streams`,
      // Every wanted stream goes in the URL, so a reconnect needs no control message.
      url: (streams) => `${options.wsUrl}${BINANCE_COMBINED_STREAM_PATH}${streams.join('/')}`,
      topicsInUrl: true,
      subscribeMessages: (streams) => {
        const id = ++this.requestId;
        this.pendingSubscriptions.set(id, streams);
        return [{ method: 'SUBSCRIBE', params: streams, id }];
      },
      unsubscribeMessages: (streams) => [{ method: 'UNSUBSCRIBE', params: streams, id: ++this.requestId }],
      onMessage: (m) => this.onMessage(m),
      onReconnect: (streams) => this.resync(streams, 'market stream reconnected'),
      onDisconnect: (reason, streams) => this.disconnected(streams, reason),
      onTopicFailed: (streams, e) => this.failStreams(streams, e),
      onFatal: (e) => this.failAll(e),
      limits: options.limits ?? BINANCE_SOCKET_LIMITS,
      confirmTimeoutMs: options.confirmTimeoutMs,
      // Our own pings get pongs back, which is what proves a quiet socket alive.
      ...wsTiming(options, BINANCE_SOCKET_TIMING),
    });
    this.socket.errors$.subscribe((e) => this.errorSubject.next(e));
  }

  /**
   * Resolves once Binance has subscribed the pair's depth stream: a snapshot
   * fetched before that could predate the first diff, and one fetched for a
   * stream that never comes would make a book that never changes. Rejects with
   * a typed error when Binance refused the stream or did not confirm it in time.
   */
  whenDepthSubscribed(tradingPair: string, timeoutMs?: number): Promise<void> {
    return this.socket.whenConfirmed(this.streamName(tradingPair, this.depthSuffix), timeoutMs);
  }

  /** Diffs of one pair, with a `resync` after every reconnect. Cold: subscribes the stream on subscribe. */
  depth$(tradingPair: string): Observable<DepthEvent> {
    return this.stream<DepthEvent>(this.streamName(tradingPair, this.depthSuffix));
  }

  /** Public trades of one pair. */
  trades$(tradingPair: string): Observable<TradeMessage> {
    return this.stream<TradeMessage>(this.streamName(tradingPair, '@trade'));
  }

  /** How many market-stream connections are open (or opening). */
  get connectionCount(): number {
    return this.socket.connectionCount;
  }

  /** Closes the sockets; subscribers complete. */
  async close(): Promise<void> {
    for (const set of this.listeners.values()) for (const l of set) l.complete();
    this.listeners.clear();
    this.depthRoutes.clear();
    await this.socket.close();
  }

  private streamName(tradingPair: string, suffix: string): string {
    return `${this.options.symbols.toSymbol(tradingPair).toLowerCase()}${suffix}`;
  }

  private stream<T extends DepthEvent | TradeMessage>(name: string): Observable<T> {
    return new Observable<T>((subscriber) => {
      const listener = subscriber as unknown as StreamListener;
      let set = this.listeners.get(name);
      if (!set) {
        // Acquire first: if the socket refuses, no empty listener set is left
        // behind for a retry to mistake for a live subscription.
        this.socket.acquire(name);
        set = new Set();
        this.listeners.set(name, set);
        this.depthRoutes.clear();
      }
      set.add(listener);
      return () => {
        const current = this.listeners.get(name);
        if (current === undefined || !current.delete(listener)) return;
        if (current.size === 0) {
          this.listeners.delete(name);
          this.depthRoutes.clear();
          this.socket.release(name);
        }
      };
    });
  }

  private failAll(error: HbError): void {
    const all = [...this.listeners.values()];
    this.listeners.clear();
    this.depthRoutes.clear();
    for (const set of all) for (const l of set) l.error(error);
  }

  /**
   * Streams Binance refused or never confirmed: their subscribers error (a
   * refusal halts the pair, stale with the error; a missing confirmation is
   * retried with backoff), which releases the streams so that a later
   * subscription sends them anew.
   */
  private failStreams(streams: readonly string[], error: HbError): void {
    for (const name of streams) {
      const set = this.listeners.get(name);
      if (set === undefined) continue;
      for (const l of [...set]) l.error(error);
    }
  }

  /** The connection carrying these streams dropped: their books are stale until it reopens. */
  private disconnected(streams: readonly string[], reason: string): void {
    for (const name of streams) {
      if (!name.includes('@depth')) continue;
      const set = this.listeners.get(name);
      if (set === undefined) continue;
      const pair = this.options.symbols.tryPair(name.slice(0, name.indexOf('@')).toUpperCase());
      const signal: DisconnectedSignal = {
        type: 'disconnected',
        reason,
        tradingPairs: pair ? [pair] : undefined,
      };
      for (const l of set) (l as Subscriber<DepthEvent>).next(signal);
    }
  }

  private resync(streams: readonly string[], reason: string): void {
    for (const name of streams) {
      if (!name.includes('@depth')) continue;
      const set = this.listeners.get(name);
      if (set === undefined) continue;
      const pair = this.options.symbols.tryPair(name.slice(0, name.indexOf('@')).toUpperCase());
      const signal: ResyncSignal = { type: 'resync', reason, tradingPairs: pair ? [pair] : undefined };
      for (const l of set) (l as Subscriber<DepthEvent>).next(signal);
    }
  }

  private onMessage(message: WsMessage): void {
    this.receivedAt = message.receivedAt;
    let result;
    try {
      result = parseDepthUpdateFrame(message.data, this.sink);
    } catch (e) {
      this.refuse(message.data, e);
      return;
    }
    if (result.kind === 'depth') return;
    const { stream, data } = unwrapCombinedStream(result.value);
    if (stream === undefined) {
      this.onControlReply(data, message.data);
      return;
    }
    if (!stream.endsWith('@trade')) {
      // A stream we never asked for, or a depth frame that is not a depthUpdate.
      if (this.listeners.has(stream) || !stream.includes('@'))
        this.refuse(message.data, 'unknown message type');
      return;
    }
    const set = this.listeners.get(stream);
    if (!set) return;
    try {
      const trade = parseTradeEvent(data, this.options.symbols);
      for (const l of set) (l as Subscriber<TradeMessage>).next(trade);
    } catch (e) {
      this.refuse(message.data, e);
    }
  }

  /**
   * Refuses a frame whole: a typed {@link ProtocolError} naming the stream (when
   * the envelope says) with a redacted excerpt, and a re-sync of the depth
   * stream it may have belonged to (every depth stream when that is unknown),
   * since a refused diff is a change the book did not get.
   */
  private refuse(text: string, cause: unknown): void {
    this.refusedCount += 1;
    const stream = /"stream"\s*:\s*"([^"\\]{1,100})"/.exec(text)?.[1];
    this.errorSubject.next(new ProtocolError(BINANCE_EXCHANGE, stream ?? 'market streams', text, cause));
    if (stream !== undefined && stream.endsWith('@trade')) return;
    const depth = [...this.listeners.keys()].filter((n) => n.includes('@depth'));
    this.resync(stream !== undefined && this.listeners.has(stream) ? [stream] : depth, 'refused frame');
  }

  /**
   * `{"result": null, "id": N}` confirms a SUBSCRIBE; `{"code": 2, "msg": ..., "id": N}`
   * refuses it. Other replies with an id and events (serverShutdown) need
   * nothing; anything else is an unknown message type and is refused.
   */
  private onControlReply(data: unknown, frame: string): void {
    if (
      typeof data !== 'object' ||
      data === null ||
      Array.isArray(data) ||
      (!('id' in data) && !('e' in data))
    ) {
      this.refuse(frame, 'unknown message type');
      return;
    }
    const { result, id, code, msg } = data as {
      result?: unknown;
      id?: unknown;
      code?: unknown;
      msg?: unknown;
    };
    if (typeof id !== 'number') return;
    const streams = this.pendingSubscriptions.get(id);
    if (streams === undefined) return;
    this.pendingSubscriptions.delete(id);
    if (result === null && code === undefined) {
      this.socket.confirm(streams);
      return;
    }
    const text = typeof msg === 'string' ? msg : 'subscription refused';
    // Not retryable: Binance's error replies (codes 0-3: unknown property,
    // invalid value type, invalid request, invalid JSON) say the request itself
    // is wrong, so sending it again cannot succeed. Its limits (message rate,
    // streams per connection) close the connection instead, which reconnects.
    // The pair halts, stale with this error, until it is added again.
    this.socket.refuse(
      streams,
      new SubscriptionError(`${BINANCE_EXCHANGE}: SUBSCRIBE refused: ${text}`, {
        reason: 'unavailable',
        retryable: false,
        topics: streams,
        exchange: BINANCE_EXCHANGE,
        exchangeCode: typeof code === 'number' || typeof code === 'string' ? code : undefined,
      }),
    );
  }

  // The scanner calls these for each depthUpdate frame; levels go into plain
  // arrays that become the DiffMessage, with no JSON.parse on the way. The frame
  // in progress lives in plain fields (no object per frame), and each symbol's
  // pair and listeners are looked up once and cached until the listeners change:
  // lower-casing the symbol, building the stream name and two map lookups per
  // frame cost about a tenth of the whole path (tools/bench/pipeline).
  private receivedAt = 0;
  /** Symbol (as the exchange sends it) -> route; null for symbols nobody listens to. */
  private readonly depthRoutes = new Map<string, DepthRoute | null>();
  private route: DepthRoute | undefined;
  private first = 0;
  private last = 0;
  private time = 0;
  private bids: [number, number][] = [];
  private asks: [number, number][] = [];

  private findDepthRoute(symbol: string): DepthRoute | null {
    const set = this.listeners.get(`${symbol.toLowerCase()}${this.depthSuffix}`);
    const pair = this.options.symbols.tryPair(symbol);
    const route = set === undefined || pair === undefined ? null : { pair, set };
    if (this.depthRoutes.size >= MAX_ROUTES) this.depthRoutes.clear();
    this.depthRoutes.set(symbol, route);
    return route;
  }

  private readonly sink: DepthUpdateSink = {
    begin: (symbol, first, last, time) => {
      let route = this.depthRoutes.get(symbol);
      if (route === undefined) route = this.findDepthRoute(symbol);
      if (route === null) return false;
      this.route = route;
      this.first = first;
      this.last = last;
      this.time = time;
      this.bids = [];
      this.asks = [];
      return true;
    },
    level: (isBid, price, amount) => {
      (isBid ? this.bids : this.asks).push([price, amount]);
    },
    end: () => {
      const route = this.route;
      if (!route) return;
      this.route = undefined;
      const diff: DiffMessage = {
        type: 'diff',
        tradingPair: route.pair,
        firstUpdateId: this.first,
        updateId: this.last,
        timestamp: this.time || this.receivedAt,
        bids: this.bids,
        asks: this.asks,
      };
      for (const l of route.set) (l as Subscriber<DepthEvent>).next(diff);
    },
  };
}
