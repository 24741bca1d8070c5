import {
  HbError,
  WsConnection,
  type DiffMessage,
  type ResyncSignal,
  type TradeMessage,
  type WsMessage,
} from '@hb/core';
import { Observable, Subject, type Subscriber, type Subscription } from 'rxjs';
import {
  BINANCE_COMBINED_STREAM_PATH,
  BINANCE_EXCHANGE,
  BINANCE_STREAM_LIMITS,
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

/** How a {@link BinanceMarketStream} is built. */
export interface BinanceMarketStreamOptions {
  /** Market-stream base URL (scheme, host, port), e.g. `wss://stream.binance.com:9443`. */
  readonly wsUrl: string;
  readonly symbols: SymbolMap;
  readonly depthSpeed?: BinanceDepthSpeed;
  /** Reconnect backoff bounds, ms (tests shorten them). */
  readonly reconnectMinDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
}

type StreamListener = Subscriber<DiffMessage | ResyncSignal> | Subscriber<TradeMessage>;

/** Where a symbol's depth diffs go: its pair and the listeners of its depth stream. */
interface DepthRoute {
  readonly pair: string;
  readonly set: Set<StreamListener>;
}

/** Unknown symbols are remembered too; past this many routes the cache starts over. */
const MAX_ROUTES = 4096;

/**
 * One combined-stream socket (`/stream?streams=a/b/c`) shared by every pair's
 * depth and trade streams, within Binance's limits (1024 streams, 5 inbound
 * messages a second). Streams are reference counted: the socket opens with the
 * first subscriber and closes with the last; streams added while it is open are
 * sent as one batched `SUBSCRIBE`. After a reconnect every depth subscriber gets
 * a `resync` signal, because diffs were lost while the socket was down.
 */
export class BinanceMarketStream {
  /** Frames that could not be parsed (the tracker's gap check repairs any lost diff). */
  readonly errors$: Observable<HbError>;

  private readonly listeners = new Map<string, Set<StreamListener>>();
  private readonly errorSubject = new Subject<HbError>();
  private readonly depthSuffix: string;
  private connection: WsConnection | undefined;
  private connectionSubs: Subscription[] = [];
  /** Streams named in the URL or subscribed on the current socket. */
  private readonly live = new Set<string>();
  private pendingSubscribe = new Set<string>();
  private pendingUnsubscribe = new Set<string>();
  private flushQueued = false;
  private requestId = 0;

  constructor(private readonly options: BinanceMarketStreamOptions) {
    this.errors$ = this.errorSubject.asObservable();
    this.depthSuffix = options.depthSpeed === '1000ms' ? '@depth' : '@depth@100ms';
  }

  /** Diffs of one pair, with a `resync` after every reconnect. Cold: subscribes the stream on subscribe. */
  depth$(tradingPair: string): Observable<DiffMessage | ResyncSignal> {
    return this.stream<DiffMessage | ResyncSignal>(this.streamName(tradingPair, this.depthSuffix));
  }

  /** Public trades of one pair. */
  trades$(tradingPair: string): Observable<TradeMessage> {
    return this.stream<TradeMessage>(this.streamName(tradingPair, '@trade'));
  }

  /** Closes the socket; subscribers complete. */
  async close(): Promise<void> {
    for (const set of this.listeners.values()) for (const l of set) l.complete();
    this.listeners.clear();
    this.depthRoutes.clear();
    await this.closeConnection();
  }

  private streamName(tradingPair: string, suffix: string): string {
    return `${this.options.symbols.toSymbol(tradingPair).toLowerCase()}${suffix}`;
  }

  private stream<T extends DiffMessage | ResyncSignal | TradeMessage>(name: string): Observable<T> {
    return new Observable<T>((subscriber) => {
      const listener = subscriber as unknown as StreamListener;
      let set = this.listeners.get(name);
      if (!set) {
        set = new Set();
        this.listeners.set(name, set);
        this.depthRoutes.clear();
        this.want(name);
      }
      set.add(listener);
      return () => {
        const current = this.listeners.get(name);
        current?.delete(listener);
        if (current && current.size === 0) {
          this.listeners.delete(name);
          this.depthRoutes.clear();
          this.unwant(name);
        }
      };
    });
  }

  private want(name: string): void {
    if (this.live.size + this.pendingSubscribe.size >= BINANCE_STREAM_LIMITS.maxStreamsPerConnection) {
      // One socket is enough for hb's use; more pairs than this need a second market.
      throw new HbError(
        'invalid_order',
        `${BINANCE_EXCHANGE}: more than ${BINANCE_STREAM_LIMITS.maxStreamsPerConnection} streams on one socket`,
      );
    }
    this.pendingUnsubscribe.delete(name);
    if (!this.live.has(name)) this.pendingSubscribe.add(name);
    this.queueFlush();
  }

  private unwant(name: string): void {
    this.pendingSubscribe.delete(name);
    if (this.live.has(name)) this.pendingUnsubscribe.add(name);
    this.queueFlush();
  }

  /** Batches stream changes made in the same tick into one control message each way. */
  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.listeners.size === 0) {
      this.pendingSubscribe.clear();
      this.pendingUnsubscribe.clear();
      await this.closeConnection();
      return;
    }
    if (!this.connection) {
      this.openConnection();
      return;
    }
    if (this.connection.state.status !== 'connected') return; // onOpen will catch up
    await this.sendChanges(this.connection);
  }

  private async sendChanges(connection: WsConnection): Promise<void> {
    const subscribe = [...this.pendingSubscribe];
    const unsubscribe = [...this.pendingUnsubscribe];
    this.pendingSubscribe.clear();
    this.pendingUnsubscribe.clear();
    for (const s of subscribe) this.live.add(s);
    for (const s of unsubscribe) this.live.delete(s);
    try {
      if (unsubscribe.length)
        await connection.send({ method: 'UNSUBSCRIBE', params: unsubscribe, id: ++this.requestId });
      if (subscribe.length)
        await connection.send({ method: 'SUBSCRIBE', params: subscribe, id: ++this.requestId });
    } catch (e) {
      // The socket dropped mid-send: the reconnect URL carries every wanted stream.
      this.errorSubject.next(
        e instanceof HbError ? e : new HbError('network', `${BINANCE_EXCHANGE}: ${String(e)}`),
      );
    }
  }

  private openConnection(): void {
    let openedBefore = false;
    const connection = new WsConnection({
      name: `${BINANCE_EXCHANGE} market streams`,
      url: () => {
        // Every wanted stream goes in the URL, so a reconnect needs no control message.
        this.live.clear();
        for (const name of this.listeners.keys()) this.live.add(name);
        this.pendingSubscribe.clear();
        this.pendingUnsubscribe.clear();
        return `${this.options.wsUrl}${BINANCE_COMBINED_STREAM_PATH}${[...this.live].join('/')}`;
      },
      // Pings and pongs count against the 5 messages/s inbound limit too: stay under it.
      sendRateLimit: { limit: BINANCE_STREAM_LIMITS.maxIncomingMessagesPerSecond - 1, intervalMs: 1000 },
      // Our own pings get pongs back, which is what proves a quiet socket alive.
      heartbeat: {
        protocolPingIntervalMs: BINANCE_STREAM_LIMITS.serverPingIntervalMs,
        deadAfterMs: BINANCE_STREAM_LIMITS.pongTimeoutMs,
      },
      reconnect: {
        minDelayMs: this.options.reconnectMinDelayMs ?? 250,
        maxDelayMs: this.options.reconnectMaxDelayMs ?? 30_000,
      },
      onOpen: () => {
        // Signalled here, on the socket's 'open' event, so every depth subscriber
        // is re-syncing before the new socket's first frame is dispatched. (The
        // 'connected' state comes only after the opening sends, by which time the
        // stream has already delivered diffs: each pair would see a gap first and
        // fetch its snapshot twice.)
        if (openedBefore) this.resyncAll('market stream reconnected');
        openedBefore = true;
        const late = [...this.listeners.keys()].filter((n) => !this.live.has(n));
        for (const n of late) this.live.add(n);
        return late.length ? [{ method: 'SUBSCRIBE', params: late, id: ++this.requestId }] : [];
      },
    });
    this.connection = connection;
    this.connectionSubs = [
      connection.messages$.subscribe({
        next: (m) => this.onMessage(m),
        error: (e: unknown) => this.failAll(e),
      }),
      connection.errors$.subscribe((e) => this.errorSubject.next(e)),
    ];
    connection.connect().catch((e: unknown) => this.failAll(e));
  }

  private async closeConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    for (const s of this.connectionSubs) s.unsubscribe();
    this.connectionSubs = [];
    this.live.clear();
    if (connection) await connection.close();
  }

  private failAll(e: unknown): void {
    const error =
      e instanceof HbError
        ? e
        : new HbError('network', `${BINANCE_EXCHANGE}: market stream failed`, { cause: e });
    const all = [...this.listeners.values()];
    this.listeners.clear();
    this.depthRoutes.clear();
    void this.closeConnection();
    for (const set of all) for (const l of set) l.error(error);
  }

  private resyncAll(reason: string): void {
    for (const [name, set] of this.listeners) {
      if (!name.includes('@depth')) continue;
      const pair = this.options.symbols.tryPair(name.slice(0, name.indexOf('@')).toUpperCase());
      const signal: ResyncSignal = { type: 'resync', reason, tradingPairs: pair ? [pair] : undefined };
      for (const l of set) (l as Subscriber<DiffMessage | ResyncSignal>).next(signal);
    }
  }

  private onMessage(message: WsMessage): void {
    this.receivedAt = message.receivedAt;
    let result;
    try {
      result = parseDepthUpdateFrame(message.data, this.sink);
    } catch (e) {
      this.errorSubject.next(e instanceof HbError ? e : new HbError('malformed_message', String(e)));
      return;
    }
    if (result.kind === 'depth') return;
    const { stream, data } = unwrapCombinedStream(result.value);
    if (stream === undefined || !stream.endsWith('@trade')) return; // control replies, serverShutdown
    const set = this.listeners.get(stream);
    if (!set) return;
    try {
      const trade = parseTradeEvent(data, this.options.symbols);
      for (const l of set) (l as Subscriber<TradeMessage>).next(trade);
    } catch (e) {
      this.errorSubject.next(e instanceof HbError ? e : new HbError('malformed_message', String(e)));
    }
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
      for (const l of route.set) (l as Subscriber<DiffMessage | ResyncSignal>).next(diff);
    },
  };
}
