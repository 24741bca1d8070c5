// Radar's public book (radar-relay.md §5): one WebSocket carrying the BOOK topic
// of every market (`{type: SUBSCRIBE, topic: BOOK, market}`), and the REST book
// as the snapshot. Events are keyed by 0x order hash; there are no sequence
// numbers, so every reconnect re-snapshots (core's `none` sequence rule and a
// `resync` signal). Orders are dropped locally when their 0x expiry passes
// (Radar's REMOVE for an expired order may come late or not at all).
import { Observable, merge, type Subscriber } from 'rxjs';
import {
  HbError,
  ProtocolError,
  SubscriptionError,
  SubscriptionSocket,
  textPingPong,
  type DisconnectedSignal,
  type OrderBook,
  type OrderBookTrackerDataSource,
  type OrderDiffMessage,
  type OrderSnapshotMessage,
  type ResyncSignal,
  type TradeMessage,
  type WsMessage,
} from '@hb/core/connector';
import type { RadarRelayApiClient } from './radar-relay-api-client.js';
import { RADAR_RELAY_EXCHANGE, RADAR_RELAY_SOCKET_TIMING } from './radar-relay-constants.js';
import { isBookEventFrame, parseBookEvent, parseBookSnapshot } from './radar-relay-order-book.js';
import type { RadarMarket } from './radar-relay-trading-rules.js';
import { asObject, malformed, readDecimal, readString } from './radar-relay-utils.js';

/** How a {@link RadarRelayOrderBookDataSource} is built. */
export interface RadarRelayOrderBookDataSourceOptions {
  readonly api: RadarRelayApiClient;
  /** The v3 WebSocket URL. */
  readonly wsUrl: string;
  /** The markets, once loaded (for routing events by token addresses and for the pair list). */
  readonly markets: () => Promise<readonly RadarMarket[]>;
  /** The venue's clock in unix seconds (the chain's time decides expiry). Default: local clock. */
  readonly nowSeconds?: () => number;
  /** Reconnect backoff bounds, ms. */
  readonly reconnectMinDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
  /** A socket silent this long (no frame, no pong) is dropped and reopened. Default 20 s ({@link RADAR_RELAY_SOCKET_TIMING}). */
  readonly deadAfterMs?: number;
  /** Text `ping` keep-alive interval, ms (Radar defined no server heartbeat). Default 10 s. */
  readonly pingIntervalMs?: number;
  /** How often expired orders are looked for, ms. Default 1 s. */
  readonly expiryCheckMs?: number;
  /** Told of every frame refused at the wire (the market reports it as a `protocol_error` notice). */
  readonly onProtocolError?: (error: ProtocolError) => void;
}

type DiffOut = OrderDiffMessage | ResyncSignal | DisconnectedSignal;

interface PairStream {
  readonly diffs: Set<Subscriber<DiffOut>>;
  readonly trades: Set<Subscriber<TradeMessage>>;
  /** Local message counter (Radar numbers nothing). */
  updateId: number;
  /** Order hash -> expiry (unix seconds) of the orders we know on this pair. */
  readonly expiries: Map<string, bigint>;
}

/** The public data of Radar Relay: REST snapshots, BOOK events and the fills among them. */
export class RadarRelayOrderBookDataSource implements OrderBookTrackerDataSource {
  private readonly socket: SubscriptionSocket;
  private readonly pairs = new Map<string, PairStream>();
  private readonly requestIds = new Map<number, string>();
  private readonly byTokens = new Map<string, string>();
  private requestCounter = 0;
  private expiryTimer: ReturnType<typeof setInterval> | undefined;
  private readonly nowSeconds: () => number;

  constructor(private readonly options: RadarRelayOrderBookDataSourceOptions) {
    this.nowSeconds = options.nowSeconds ?? (() => Date.now() / 1000);
    this.socket = new SubscriptionSocket({
      name: `${RADAR_RELAY_EXCHANGE} book`,
      url: () => options.wsUrl,
      subscribeMessages: (markets) => markets.map((m) => this.request('SUBSCRIBE', m)),
      unsubscribeMessages: (markets) => markets.map((m) => this.request('UNSUBSCRIBE', m)),
      onMessage: (m) => this.onMessage(m),
      onReconnect: (markets) =>
        this.signal(markets, (pairs) => ({ type: 'resync', reason: 'book socket reconnected', ...pairs })),
      onDisconnect: (reason, markets) =>
        this.signal(markets, (pairs) => ({ type: 'disconnected', reason, ...pairs })),
      onTopicFailed: (markets, error) => this.fail(markets, error),
      onFatal: (error) => this.fail([...this.pairs.keys()], error),
      heartbeat: {
        // Radar defined no heartbeat; a public client sent the text "ping" when idle.
        pingIntervalMs: options.pingIntervalMs ?? RADAR_RELAY_SOCKET_TIMING.pingIntervalMs,
        pingMessage: 'ping',
        isPing: textPingPong('ping', 'pong'),
        deadAfterMs: options.deadAfterMs ?? RADAR_RELAY_SOCKET_TIMING.deadAfterMs,
      },
      reconnect: {
        minDelayMs: options.reconnectMinDelayMs ?? 250,
        maxDelayMs: options.reconnectMaxDelayMs ?? 30_000,
      },
    });
  }

  async fetchTradingPairs(): Promise<string[]> {
    return (await this.options.markets()).filter((m) => m.active).map((m) => m.id);
  }

  whenSubscribed(tradingPair: string): Promise<void> {
    return this.socket.whenConfirmed(tradingPair);
  }

  async getSnapshot(tradingPair: string): Promise<OrderSnapshotMessage> {
    await this.loadMarkets();
    const raw = await this.options.api.book(tradingPair);
    const state = this.pair(tradingPair);
    const { message, orders } = parseBookSnapshot(
      raw,
      tradingPair,
      ++state.updateId,
      Date.now(),
      this.nowSeconds(),
    );
    state.expiries.clear();
    for (const o of orders)
      if (o.expirationTimeSeconds !== undefined) state.expiries.set(o.orderHash, o.expirationTimeSeconds);
    return message;
  }

  listenForDiffs(tradingPairs: readonly string[]): Observable<DiffOut> {
    return merge(...tradingPairs.map((p) => this.listen(p, 'diffs')));
  }

  /** Radar's FILL events are the market's public trades (taker side from the event's `type`). */
  listenForTrades(tradingPairs: readonly string[]): Observable<TradeMessage> {
    return merge(...tradingPairs.map((p) => this.listen(p, 'trades')));
  }

  /**
   * A silent pair is behind when the relayer's book differs from ours level by
   * level: a local counter cannot be compared with the relayer (it numbers nothing).
   */
  async isBehindExchange(tradingPair: string, book: OrderBook): Promise<boolean> {
    const { message } = parseBookSnapshot(
      await this.options.api.book(tradingPair),
      tradingPair,
      0,
      Date.now(),
      this.nowSeconds(),
    );
    return (
      !sameLevels(message.bids, [...book.bidEntries()]) || !sameLevels(message.asks, [...book.askEntries()])
    );
  }

  /** Closes the socket; subscribers complete. */
  async close(): Promise<void> {
    for (const s of this.pairs.values()) {
      for (const sub of s.diffs) sub.complete();
      for (const sub of s.trades) sub.complete();
    }
    this.pairs.clear();
    this.stopExpiryTimer();
    await this.socket.close();
  }

  private request(type: 'SUBSCRIBE' | 'UNSUBSCRIBE', market: string): object {
    const requestId = ++this.requestCounter;
    this.requestIds.set(requestId, market);
    return { type, topic: 'BOOK', market, requestId };
  }

  private pair(tradingPair: string): PairStream {
    let s = this.pairs.get(tradingPair);
    if (s === undefined) {
      s = { diffs: new Set(), trades: new Set(), updateId: 0, expiries: new Map() };
      this.pairs.set(tradingPair, s);
    }
    return s;
  }

  private listen<K extends 'diffs' | 'trades'>(
    tradingPair: string,
    kind: K,
  ): Observable<K extends 'diffs' ? DiffOut : TradeMessage> {
    type T = K extends 'diffs' ? DiffOut : TradeMessage;
    return new Observable<T>((subscriber) => {
      const s = this.pair(tradingPair);
      (s[kind] as Set<Subscriber<T>>).add(subscriber);
      // The routing table must exist before the first event arrives.
      let acquired = false;
      let closed = false;
      void this.loadMarkets().then(
        () => {
          if (closed) return;
          acquired = true;
          this.socket.acquire(tradingPair);
        },
        (e: unknown) => subscriber.error(e),
      );
      this.startExpiryTimer();
      return () => {
        closed = true;
        (s[kind] as Set<Subscriber<T>>).delete(subscriber);
        if (acquired) this.socket.release(tradingPair);
        if ([...this.pairs.values()].every((p) => p.diffs.size === 0)) this.stopExpiryTimer();
      };
    });
  }

  private async loadMarkets(): Promise<void> {
    if (this.byTokens.size > 0) return;
    for (const m of await this.options.markets())
      this.byTokens.set(`${m.base.address}/${m.quote.address}`, m.id);
  }

  private onMessage(message: WsMessage): void {
    if (message.data.trim() === 'pong') return;
    let frame: unknown;
    try {
      frame = JSON.parse(message.data) as unknown;
    } catch (e) {
      this.broken(message.data, malformed('book frame (not JSON)', e));
      return;
    }
    try {
      if (isBookEventFrame(frame)) this.onBookEvent(frame);
      else this.onReply(frame);
    } catch (e) {
      this.broken(message.data, e instanceof HbError ? e : malformed('book frame', e));
    }
  }

  /**
   * A frame that cannot be read may have been an event that changed a book we
   * cannot name: every pair re-syncs (the relayer numbers nothing, so a lost
   * change is otherwise invisible).
   */
  private broken(frame: string, error: HbError): void {
    this.options.onProtocolError?.(new ProtocolError(RADAR_RELAY_EXCHANGE, 'BOOK', frame, error));
    for (const [pair, s] of this.pairs) {
      for (const sub of s.diffs)
        sub.next({ type: 'resync', reason: `unreadable frame: ${error.message}`, tradingPairs: [pair] });
    }
  }

  private onReply(frame: unknown): void {
    const o = asObject(frame, 'book reply');
    const type = o['type'];
    const requestId = typeof o['requestId'] === 'number' ? o['requestId'] : undefined;
    const market =
      typeof o['market'] === 'string'
        ? o['market']
        : requestId === undefined
          ? undefined
          : this.requestIds.get(requestId);
    if (requestId !== undefined) this.requestIds.delete(requestId);
    if (type === 'SUBSCRIBE' && market !== undefined) {
      this.socket.confirm([market]);
      return;
    }
    if (type === 'UNSUBSCRIBE') return;
    if (type === 'ERROR') {
      const reason = typeof o['reason'] === 'string' ? o['reason'] : 'refused';
      if (market === undefined) throw malformed(`error reply without a request: ${reason}`);
      const refused = new SubscriptionError(`${RADAR_RELAY_EXCHANGE}: BOOK ${market} refused: ${reason}`, {
        exchange: RADAR_RELAY_EXCHANGE,
        reason: 'invalid_order',
        channel: 'BOOK',
        topics: [market],
      });
      this.socket.refuse([market], refused);
      this.fail([market], refused);
      return;
    }
    throw malformed(`book reply type ${JSON.stringify(type)}`);
  }

  private onBookEvent(frame: unknown): void {
    const event = parseBookEvent(frame, this.nowSeconds());
    const pair = this.byTokens.get(`${event.baseTokenAddress}/${event.quoteTokenAddress}`);
    if (pair === undefined) return; // a market we do not follow
    const s = this.pairs.get(pair);
    if (s === undefined) return;
    if (event.action === 'NEW' && event.order?.expirationTimeSeconds !== undefined)
      s.expiries.set(event.orderHash, event.order.expirationTimeSeconds);
    if (event.changes.some((c) => c.op === 'remove')) s.expiries.delete(event.orderHash);
    const diff: OrderDiffMessage = {
      type: 'order_diff',
      tradingPair: pair,
      updateId: ++s.updateId,
      timestamp: event.timestamp ?? Date.now(),
      changes: event.changes,
    };
    for (const sub of s.diffs) sub.next(diff);
    if (event.action === 'FILL' && s.trades.size > 0) {
      const trade = fillTrade(frame, pair, event.timestamp ?? Date.now());
      for (const sub of s.trades) sub.next(trade);
    }
  }

  private signal(
    markets: readonly string[],
    make: (pairs: { tradingPairs: readonly string[] }) => ResyncSignal | DisconnectedSignal,
  ): void {
    for (const m of markets) {
      const s = this.pairs.get(m);
      if (s === undefined) continue;
      const signal = make({ tradingPairs: [m] });
      for (const sub of s.diffs) sub.next(signal);
    }
  }

  private fail(markets: readonly string[], error: HbError): void {
    for (const m of markets) {
      const s = this.pairs.get(m);
      if (s === undefined) continue;
      for (const sub of [...s.diffs]) sub.error(error);
      for (const sub of [...s.trades]) sub.error(error);
    }
  }

  private startExpiryTimer(): void {
    if (this.expiryTimer !== undefined) return;
    this.expiryTimer = setInterval(() => this.pruneExpired(), this.options.expiryCheckMs ?? 1_000);
    this.expiryTimer.unref?.();
  }

  private stopExpiryTimer(): void {
    if (this.expiryTimer !== undefined) clearInterval(this.expiryTimer);
    this.expiryTimer = undefined;
  }

  /** Orders whose 0x expiry passed cannot be filled: removed from the book, whatever the relayer says. */
  private pruneExpired(): void {
    const now = BigInt(Math.floor(this.nowSeconds()));
    for (const [pair, s] of this.pairs) {
      const expired = [...s.expiries].filter(([, exp]) => exp <= now).map(([hash]) => hash);
      if (expired.length === 0) continue;
      for (const h of expired) s.expiries.delete(h);
      const diff: OrderDiffMessage = {
        type: 'order_diff',
        tradingPair: pair,
        updateId: ++s.updateId,
        timestamp: Date.now(),
        changes: expired.map((orderId) => ({ op: 'remove', orderId })),
      };
      for (const sub of s.diffs) sub.next(diff);
    }
  }
}

/** A FILL event as a public trade: our side is the taker's (`event.type`). */
function fillTrade(frame: unknown, tradingPair: string, timestamp: number): TradeMessage {
  const e = asObject(asObject(frame, 'FILL')['event'], 'FILL.event');
  const type = e['type'];
  if (type !== 'BUY' && type !== 'SELL') throw malformed('FILL.event.type (not BUY/SELL)');
  const base = Number(readDecimal(e, 'filledBaseTokenAmount', 'FILL'));
  const quote = Number(readDecimal(e, 'filledQuoteTokenAmount', 'FILL'));
  return {
    type: 'trade',
    tradingPair,
    tradeId: `${readString(e, 'transactionHash', 'FILL')}:${readString(e, 'orderHash', 'FILL')}`,
    price: base > 0 ? quote / base : NaN,
    amount: base,
    side: type === 'BUY' ? 'buy' : 'sell',
    timestamp,
  };
}

/** Whether two sides' levels agree (orders aggregated by price, amounts within float noise). */
function sameLevels(
  orders: readonly { price: number; amount: number }[],
  levels: readonly [number, number][],
): boolean {
  const byPrice = new Map<number, number>();
  for (const o of orders) byPrice.set(o.price, (byPrice.get(o.price) ?? 0) + o.amount);
  if (byPrice.size !== levels.length) return false;
  for (const [price, amount] of levels) {
    const want = byPrice.get(price);
    if (want === undefined || Math.abs(want - amount) > 1e-9 * Math.max(1, Math.abs(want))) return false;
  }
  return true;
}
