import {
  HbError,
  WsConnection,
  type OrderDiffMessage,
  type ResyncSignal,
  type TradeMessage,
  type WsMessage,
} from '@hb/core';
import { Observable, Subject, type Subscriber, type Subscription } from 'rxjs';
import type { CoinbaseProAuth } from './coinbase-pro-auth.js';
import {
  COINBASE_PRO_CHANNELS,
  COINBASE_PRO_EXCHANGE,
  COINBASE_PRO_WS_LIMITS,
} from './coinbase-pro-constants.js';
import { parseFeedMessage } from './coinbase-pro-order-book.js';
import {
  buildSubscribeMessage,
  buildUnsubscribeMessage,
  toProductId,
  toTradingPair,
} from './coinbase-pro-utils.js';

/** How a {@link CoinbaseProFeed} is built. */
export interface CoinbaseProFeedOptions {
  /** Feed URL (scheme, host, port), e.g. `wss://ws-feed.exchange.coinbase.com`. */
  readonly wsUrl: string;
  /** Signs the subscription: the 2025 docs put the `full` channel behind authentication. */
  readonly auth?: CoinbaseProAuth;
  /** Reconnect backoff bounds, ms (tests shorten them). */
  readonly reconnectMinDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
}

interface ProductListeners {
  readonly diffs: Set<Subscriber<OrderDiffMessage | ResyncSignal>>;
  readonly trades: Set<Subscriber<TradeMessage>>;
}

/** Heartbeats arrive every second per product: several missed mean a dead socket. */
const DEAD_AFTER_MS = 10_000;

/**
 * One feed socket shared by every product's `full` channel (the level-3 book
 * and, from `match`, the public trades) plus `heartbeat`, which keeps a quiet
 * product's socket provably alive. Products are reference counted: the socket
 * opens with the first subscriber (and subscribes at once: the server drops a
 * socket that has not subscribed within 5 s) and closes with the last. After a
 * reconnect every product's diff subscribers get a `resync`.
 */
export class CoinbaseProFeed {
  /** Frames that could not be parsed, and feed `error` messages. */
  readonly errors$: Observable<HbError>;

  private readonly products = new Map<string, ProductListeners>();
  private readonly errorSubject = new Subject<HbError>();
  private connection: WsConnection | undefined;
  private connectionSubs: Subscription[] = [];
  /** Products subscribed on the current socket. */
  private readonly live = new Set<string>();
  private flushQueued = false;

  constructor(private readonly options: CoinbaseProFeedOptions) {
    this.errors$ = this.errorSubject.asObservable();
  }

  /** Sequenced order-level messages of one pair, with a `resync` after every reconnect. */
  diffs$(tradingPair: string): Observable<OrderDiffMessage | ResyncSignal> {
    return this.listen(tradingPair, 'diffs');
  }

  /** Public trades of one pair (from `match`; side = the taker's). */
  trades$(tradingPair: string): Observable<TradeMessage> {
    return this.listen(tradingPair, 'trades');
  }

  /** Closes the socket; subscribers complete. */
  async close(): Promise<void> {
    for (const l of this.products.values()) {
      for (const s of l.diffs) s.complete();
      for (const s of l.trades) s.complete();
    }
    this.products.clear();
    await this.closeConnection();
  }

  private listen<K extends keyof ProductListeners>(
    tradingPair: string,
    kind: K,
  ): Observable<ProductListeners[K] extends Set<Subscriber<infer T>> ? T : never> {
    const productId = toProductId(tradingPair);
    return new Observable((subscriber) => {
      let listeners = this.products.get(productId);
      if (!listeners) {
        listeners = { diffs: new Set(), trades: new Set() };
        this.products.set(productId, listeners);
      }
      const set = listeners[kind] as Set<typeof subscriber>;
      set.add(subscriber);
      this.queueFlush();
      return () => {
        set.delete(subscriber);
        const current = this.products.get(productId);
        if (current && current.diffs.size === 0 && current.trades.size === 0) this.products.delete(productId);
        this.queueFlush();
      };
    });
  }

  /** Batches the product changes of one tick into one subscribe and one unsubscribe. */
  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.products.size === 0) {
      await this.closeConnection();
      return;
    }
    if (!this.connection) {
      this.openConnection();
      return;
    }
    if (this.connection.state.status !== 'connected') return; // onOpen subscribes everything
    const wanted = [...this.products.keys()];
    const added = wanted.filter((p) => !this.live.has(p));
    const removed = [...this.live].filter((p) => !this.products.has(p));
    for (const p of added) this.live.add(p);
    for (const p of removed) this.live.delete(p);
    try {
      if (removed.length)
        await this.connection.send(
          buildUnsubscribeMessage(removed, [COINBASE_PRO_CHANNELS.full, COINBASE_PRO_CHANNELS.heartbeat]),
        );
      if (added.length) await this.connection.send(this.subscribeMessage(added));
    } catch (e) {
      // The socket dropped mid-send: onOpen subscribes every wanted product again.
      this.errorSubject.next(
        e instanceof HbError ? e : new HbError('network', `${COINBASE_PRO_EXCHANGE}: ${String(e)}`),
      );
    }
  }

  private subscribeMessage(productIds: readonly string[]) {
    // Fresh auth fields for every subscribe: the signature is time-bound.
    return buildSubscribeMessage(
      productIds,
      [COINBASE_PRO_CHANNELS.full, COINBASE_PRO_CHANNELS.heartbeat],
      this.options.auth?.wsAuthFields(),
    );
  }

  private openConnection(): void {
    const connection = new WsConnection({
      name: `${COINBASE_PRO_EXCHANGE} feed`,
      url: this.options.wsUrl,
      heartbeat: { deadAfterMs: DEAD_AFTER_MS },
      sendRateLimit: { limit: COINBASE_PRO_WS_LIMITS.inboundMessagesPerSecond, intervalMs: 1000 },
      reconnect: {
        minDelayMs: this.options.reconnectMinDelayMs ?? 250,
        maxDelayMs: this.options.reconnectMaxDelayMs ?? 30_000,
      },
      onOpen: () => {
        this.live.clear();
        for (const p of this.products.keys()) this.live.add(p);
        return this.live.size ? [this.subscribeMessage([...this.live])] : [];
      },
    });
    this.connection = connection;
    this.connectionSubs = [
      connection.messages$.subscribe({
        next: (m) => this.onMessage(m),
        error: (e: unknown) => this.failAll(e),
      }),
      connection.state$.subscribe((state) => {
        if (state.status === 'connected' && state.reconnected) this.resyncAll('feed reconnected');
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
        : new HbError('network', `${COINBASE_PRO_EXCHANGE}: feed failed`, { cause: e });
    const all = [...this.products.values()];
    this.products.clear();
    void this.closeConnection();
    for (const l of all) {
      for (const s of l.diffs) s.error(error);
      for (const s of l.trades) s.error(error);
    }
  }

  private resyncAll(reason: string): void {
    for (const [productId, l] of this.products) {
      const signal: ResyncSignal = { type: 'resync', reason, tradingPairs: [toTradingPair(productId)] };
      for (const s of l.diffs) s.next(signal);
    }
  }

  private onMessage(message: WsMessage): void {
    let event;
    try {
      event = parseFeedMessage(JSON.parse(message.data) as unknown, {
        receivedAt: message.receivedAt,
        level2UpdateId: 0,
      });
    } catch (e) {
      // A lost message shows as a sequence gap on the next one: the tracker re-syncs.
      this.errorSubject.next(
        e instanceof HbError
          ? e
          : new HbError('malformed_message', `${COINBASE_PRO_EXCHANGE}: unreadable feed frame`, { cause: e }),
      );
      return;
    }
    switch (event.kind) {
      case 'order_diff':
        this.emitDiff(event.diff);
        return;
      case 'match':
        this.emitDiff(event.diff);
        for (const s of this.products.get(toProductId(event.trade.tradingPair))?.trades ?? [])
          s.next(event.trade);
        return;
      case 'error':
        this.errorSubject.next(event.error);
        return;
      default:
        return; // heartbeats (socket liveness), subscriptions, ignored types
    }
  }

  private emitDiff(diff: OrderDiffMessage): void {
    for (const s of this.products.get(toProductId(diff.tradingPair))?.diffs ?? []) s.next(diff);
  }
}
