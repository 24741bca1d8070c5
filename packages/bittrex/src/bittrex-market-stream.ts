// The public SignalR connection: every pair's `orderbook_{m}_{depth}` and
// `trade_{m}` channels on one socket (plus `heartbeat`, whose 5-second beat
// proves a quiet socket alive), routed to cold per-channel Observables.
import {
  HbError,
  ProtocolError,
  type DiffMessage,
  type DisconnectedSignal,
  type ResyncSignal,
  type TradeMessage,
} from '@hb/core/connector';
import { Observable, Subject, type Subscriber } from 'rxjs';
import {
  BITTREX_EXCHANGE,
  BITTREX_MESSAGES,
  BITTREX_STREAMS,
  type BittrexBookDepth,
} from './bittrex-constants.js';
import { parseOrderBookDelta, parseTradeDelta } from './bittrex-order-book.js';
import { BittrexSignalRClient, decodeHubPayload, type HubMessage } from './bittrex-signalr.js';

/** How a {@link BittrexMarketStream} is built. */
export interface BittrexMarketStreamOptions {
  /** SignalR base URL. */
  readonly signalrUrl: string;
  /** Depth of the book channels (25 or 500). */
  readonly depth: BittrexBookDepth;
  /** A socket without a frame this long is dead and reopened. Default 20 s (negotiate's KeepAliveTimeout). */
  readonly keepAliveTimeoutMs?: number;
  /** WebSocket protocol pings this often, ms (default none). */
  readonly pingIntervalMs?: number;
  readonly reconnectMinDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
}

type BookEvent = DiffMessage | ResyncSignal | DisconnectedSignal;
type Listener = Subscriber<BookEvent> | Subscriber<TradeMessage>;

/** Bittrex's public channels on one SignalR socket. */
export class BittrexMarketStream {
  /**
   * Socket failures and frames refused at the wire as {@link ProtocolError}s
   * (the market reports those as notices; the books re-sync).
   */
  readonly errors$: Observable<HbError>;

  private readonly client: BittrexSignalRClient;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly errorSubject = new Subject<HbError>();
  private refusedCount = 0;

  constructor(private readonly options: BittrexMarketStreamOptions) {
    this.errors$ = this.errorSubject.asObservable();
    this.client = new BittrexSignalRClient({
      signalrUrl: options.signalrUrl,
      name: `${BITTREX_EXCHANGE} market streams`,
      onMessage: (m, at) => this.onMessage(m, at),
      onReconnect: () => this.resyncAll('market socket reconnected'),
      onDisconnect: (reason) =>
        this.signalAll({ type: 'disconnected', reason: `market socket lost: ${reason}` }),
      onFatal: (e) => this.failAll(e),
      onSubscribeRefused: (topic, e) => this.failTopic(topic, e),
      keepAliveTimeoutMs: options.keepAliveTimeoutMs,
      pingIntervalMs: options.pingIntervalMs,
      reconnectMinDelayMs: options.reconnectMinDelayMs,
      reconnectMaxDelayMs: options.reconnectMaxDelayMs,
    });
    this.client.errors$.subscribe((e) => {
      if (e instanceof ProtocolError) {
        // A frame that is not SignalR at all: whichever book it was for missed a change.
        this.refusedCount += 1;
        this.resyncAll('refused frame');
      }
      this.errorSubject.next(e);
    });
  }

  /** Frames refused at the wire so far (undecodable, unknown, or carrying impossible values). */
  get framesRefused(): number {
    return this.refusedCount;
  }

  /** Resolves once Bittrex confirmed the pair's book channel (or after a timeout). */
  whenBookSubscribed(tradingPair: string, timeoutMs?: number): Promise<void> {
    return this.client.whenConfirmed(BITTREX_STREAMS.orderBook(tradingPair, this.options.depth), timeoutMs);
  }

  /** Book deltas of one pair; `disconnected` when the socket is lost, `resync` after the reconnect. */
  depth$(tradingPair: string): Observable<BookEvent> {
    return this.stream(BITTREX_STREAMS.orderBook(tradingPair, this.options.depth));
  }

  /** Public trades of one pair. */
  trades$(tradingPair: string): Observable<TradeMessage> {
    return this.stream(BITTREX_STREAMS.trade(tradingPair));
  }

  /** Closes the socket; subscribers complete. */
  async close(): Promise<void> {
    for (const set of this.listeners.values()) for (const l of set) l.complete();
    this.listeners.clear();
    await this.client.close();
  }

  private stream<T extends BookEvent | TradeMessage>(topic: string): Observable<T> {
    return new Observable<T>((subscriber) => {
      const listener = subscriber as unknown as Listener;
      let set = this.listeners.get(topic);
      if (!set) {
        set = new Set();
        this.listeners.set(topic, set);
        if (this.listeners.size === 1) this.client.acquire(BITTREX_STREAMS.heartbeat);
        this.client.acquire(topic);
      }
      set.add(listener);
      return () => {
        const current = this.listeners.get(topic);
        current?.delete(listener);
        if (current && current.size === 0) {
          this.listeners.delete(topic);
          this.client.release(topic);
          if (this.listeners.size === 0) this.client.release(BITTREX_STREAMS.heartbeat);
        }
      };
    });
  }

  private onMessage(message: HubMessage, receivedAt: number): void {
    const name = message.method.toLowerCase();
    if (name === BITTREX_MESSAGES.heartbeat) return;
    try {
      if (name === BITTREX_MESSAGES.orderBook) {
        const delta = parseOrderBookDelta(decodeHubPayload(message.args[0], 'orderBook'), receivedAt);
        const set = this.listeners.get(BITTREX_STREAMS.orderBook(delta.marketSymbol, this.options.depth));
        // Another depth's deltas have their own sequence: never mix them.
        if (!set || delta.depth !== this.options.depth) return;
        for (const l of set) (l as Subscriber<BookEvent>).next(delta.diff);
      } else if (name === BITTREX_MESSAGES.trade) {
        const { marketSymbol, trades } = parseTradeDelta(decodeHubPayload(message.args[0], 'trade'));
        const set = this.listeners.get(BITTREX_STREAMS.trade(marketSymbol));
        if (!set) return;
        for (const t of trades) for (const l of set) (l as Subscriber<TradeMessage>).next(t);
      } else {
        // Only book, trade and heartbeat channels are subscribed here.
        throw new HbError('malformed_message', `${BITTREX_EXCHANGE}: unknown market message type`, {
          exchange: BITTREX_EXCHANGE,
          retryable: false,
        });
      }
    } catch (e) {
      this.refuse(message, e);
    }
  }

  /**
   * Refuses a message whole: a typed {@link ProtocolError} naming its channel,
   * with a redacted excerpt, and (unless it was a trade message) a re-sync of
   * every book, since which pair's change was lost is not known.
   */
  private refuse(message: HubMessage, cause: unknown): void {
    this.refusedCount += 1;
    this.errorSubject.next(
      new ProtocolError(BITTREX_EXCHANGE, message.method, JSON.stringify(message.args).slice(0, 400), cause),
    );
    if (message.method.toLowerCase() !== BITTREX_MESSAGES.trade) this.resyncAll('refused frame');
  }

  private resyncAll(reason: string): void {
    this.signalAll({ type: 'resync', reason });
  }

  /** A signal to every book listener, naming its pair. */
  private signalAll(signal: ResyncSignal | DisconnectedSignal): void {
    for (const [topic, set] of this.listeners) {
      if (!topic.startsWith('orderbook_')) continue;
      const pair = topic.slice('orderbook_'.length, topic.lastIndexOf('_'));
      for (const l of set) (l as Subscriber<BookEvent>).next({ ...signal, tradingPairs: [pair] });
    }
  }

  /**
   * A channel Bittrex refused: its subscribers error (the book halts, stale with
   * the error). The listener set is left to their teardowns, whose last one
   * releases the channel: a pair added again later subscribes it anew, where a
   * channel never released would stay refused on the socket for good.
   */
  private failTopic(topic: string, error: HbError): void {
    const set = this.listeners.get(topic);
    if (!set) return;
    for (const l of [...set]) l.error(error);
  }

  private failAll(error: HbError): void {
    const all = [...this.listeners.values()];
    this.listeners.clear();
    for (const set of all) for (const l of set) l.error(error);
  }
}
