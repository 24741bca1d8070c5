import {
  HbError,
  ProtocolError,
  SubscriptionSocket,
  type OrderDiffMessage,
  type ResyncSignal,
  type TradeMessage,
  type WsMessage,
} from '@hb/core';
import { Observable, Subject, type Subscriber } from 'rxjs';
import type { CoinbaseProAuth } from './coinbase-pro-auth.js';
import {
  COINBASE_PRO_CHANNELS,
  COINBASE_PRO_EXCHANGE,
  COINBASE_PRO_SOCKET_LIMITS,
} from './coinbase-pro-constants.js';
import { parseFeedMessage } from './coinbase-pro-order-book.js';

/**
 * Feed types the exchange documents that this feed does not use: they pass
 * without a notice. `activate` without a sequence is one (see parseFeedMessage).
 */
const IGNORABLE_TYPES: ReadonlySet<string> = new Set([
  'activate',
  'ticker',
  'status',
  'auction',
  'l2update',
  'snapshot',
  'last_match',
]);
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

const CHANNELS = [COINBASE_PRO_CHANNELS.full, COINBASE_PRO_CHANNELS.heartbeat];

/**
 * One feed socket shared by every product's `full` channel (the level-3 book
 * and, from `match`, the public trades) plus `heartbeat`, which keeps a quiet
 * product's socket provably alive, on core's `SubscriptionSocket`: products are
 * reference counted, the socket subscribes at once when it opens (the server
 * drops one that has not subscribed within 5 s), and every reconnect subscribes
 * again with fresh auth fields and re-syncs every product's book.
 */
export class CoinbaseProFeed {
  /** Frames that could not be parsed, and feed `error` messages. */
  readonly errors$: Observable<HbError>;
  private refusedCount = 0;

  private readonly products = new Map<string, ProductListeners>();
  private readonly errorSubject = new Subject<HbError>();
  private readonly socket: SubscriptionSocket;

  constructor(options: CoinbaseProFeedOptions) {
    this.errors$ = this.errorSubject.asObservable();
    this.socket = new SubscriptionSocket({
      name: `${COINBASE_PRO_EXCHANGE} feed`,
      url: () => options.wsUrl,
      // Fresh auth fields for every subscribe: the signature is time-bound.
      subscribeMessages: (productIds) => [
        buildSubscribeMessage(productIds, CHANNELS, options.auth?.wsAuthFields()),
      ],
      unsubscribeMessages: (productIds) => [buildUnsubscribeMessage(productIds, CHANNELS)],
      onMessage: (m) => this.onMessage(m),
      onReconnect: () => this.resyncAll('feed reconnected'),
      onFatal: (e) => this.failAll(e),
      heartbeat: { deadAfterMs: DEAD_AFTER_MS },
      limits: COINBASE_PRO_SOCKET_LIMITS,
      reconnect: {
        minDelayMs: options.reconnectMinDelayMs ?? 250,
        maxDelayMs: options.reconnectMaxDelayMs ?? 30_000,
      },
    });
    this.socket.errors$.subscribe((e) => this.errorSubject.next(e));
  }

  /** Sequenced order-level messages of one pair, with a `resync` after every reconnect. */
  diffs$(tradingPair: string): Observable<OrderDiffMessage | ResyncSignal> {
    return this.listen(tradingPair, (l) => l.diffs);
  }

  /** Public trades of one pair (from `match`; side = the taker's). */
  trades$(tradingPair: string): Observable<TradeMessage> {
    return this.listen(tradingPair, (l) => l.trades);
  }

  /**
   * Resolves once the server's `subscriptions` reply lists the pair on `full`
   * (or after a timeout). Messages from before that never reach us, so a
   * snapshot fetched earlier could miss trades and leave a quiet book stale.
   */
  whenSubscribed(tradingPair: string, timeoutMs?: number): Promise<void> {
    return this.socket.whenConfirmed(toProductId(tradingPair), timeoutMs);
  }

  /** Closes the socket; subscribers complete. */
  async close(): Promise<void> {
    for (const l of this.products.values()) {
      for (const s of l.diffs) s.complete();
      for (const s of l.trades) s.complete();
    }
    this.products.clear();
    await this.socket.close();
  }

  private listen<T>(tradingPair: string, pick: (l: ProductListeners) => Set<Subscriber<T>>): Observable<T> {
    const productId = toProductId(tradingPair);
    return new Observable<T>((subscriber) => {
      let listeners = this.products.get(productId);
      if (!listeners) {
        listeners = { diffs: new Set(), trades: new Set() };
        this.products.set(productId, listeners);
      }
      pick(listeners).add(subscriber);
      this.socket.acquire(productId);
      return () => {
        const current = this.products.get(productId);
        if (current) {
          pick(current).delete(subscriber);
          if (current.diffs.size === 0 && current.trades.size === 0) this.products.delete(productId);
        }
        this.socket.release(productId);
      };
    });
  }

  private failAll(error: HbError): void {
    const all = [...this.products.values()];
    this.products.clear();
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
      this.refuse(message.data, e);
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
      case 'subscriptions':
        for (const c of event.channels)
          if (c.name === COINBASE_PRO_CHANNELS.full) this.socket.confirm(c.productIds);
        return;
      case 'error':
        this.errorSubject.next(event.error);
        return;
      case 'ignored':
        // Documented types we do not use pass; anything else is an unknown message type.
        if (!IGNORABLE_TYPES.has(event.type))
          this.refuse(message.data, `unknown message type ${JSON.stringify(event.type).slice(0, 40)}`);
        return;
      default:
        return; // heartbeats (socket liveness)
    }
  }

  /** Frames refused at the wire so far. */
  get framesRefused(): number {
    return this.refusedCount;
  }

  /**
   * Refuses a frame whole: a typed {@link ProtocolError} naming the channel and
   * product (when the frame says) with a redacted excerpt, and a re-sync of that
   * product's book (every product's when unknown): a refused message is a change
   * the book did not get, and waiting for the next sequence number to show the gap
   * would leave the book wrong until then.
   */
  private refuse(text: string, cause: unknown): void {
    this.refusedCount += 1;
    const productId = /"product_id"\s*:\s*"([A-Za-z0-9-]{1,40})"/.exec(text)?.[1];
    const channel = productId === undefined ? 'feed' : `${COINBASE_PRO_CHANNELS.full} ${productId}`;
    this.errorSubject.next(new ProtocolError(COINBASE_PRO_EXCHANGE, channel, text, cause));
    const listening = productId !== undefined ? this.products.get(productId) : undefined;
    if (listening) {
      const signal: ResyncSignal = {
        type: 'resync',
        reason: 'refused frame',
        tradingPairs: [toTradingPair(productId!)],
      };
      for (const s of listening.diffs) s.next(signal);
    } else {
      this.resyncAll('refused frame');
    }
  }

  private emitDiff(diff: OrderDiffMessage): void {
    for (const s of this.products.get(toProductId(diff.tradingPair))?.diffs ?? []) s.next(diff);
  }
}
