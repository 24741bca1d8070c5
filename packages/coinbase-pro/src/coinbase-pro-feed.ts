import {
  HbError,
  ProtocolError,
  SubscriptionError,
  SubscriptionSocket,
  wsTiming,
  type DiffMessage,
  type DisconnectedSignal,
  type OrderDiffMessage,
  type ResyncSignal,
  type SnapshotMessage,
  type SocketTiming,
  type TradeMessage,
  type WsMessage,
} from '@hb/core/connector';
import { Observable, Subject, type Subscriber } from 'rxjs';
import type { CoinbaseProAuth } from './coinbase-pro-auth.js';
import {
  COINBASE_PRO_CHANNELS,
  COINBASE_PRO_EXCHANGE,
  COINBASE_PRO_SOCKET_LIMITS,
  COINBASE_PRO_SOCKET_TIMING,
} from './coinbase-pro-constants.js';
import { parseFeedMessage } from './coinbase-pro-order-book.js';
import type { CoinbaseProChannelSpec } from './coinbase-pro-types.js';
import {
  buildSubscribeMessage,
  buildUnsubscribeMessage,
  toProductId,
  toTradingPair,
} from './coinbase-pro-utils.js';

/**
 * Where a book comes from: the authenticated `full` channel (level 3, every
 * order, sequenced) or the public `level2_batch` channel (aggregated levels,
 * 50 ms batches, unsequenced). The 2025 docs put `full`, `level2`, `level3`,
 * `user` and `balance` behind authentication.
 */
export type CoinbaseProBookChannel = 'full' | 'level2_batch';

/** How a {@link CoinbaseProFeed} is built (timing defaults: {@link COINBASE_PRO_SOCKET_TIMING}). */
export interface CoinbaseProFeedOptions extends SocketTiming {
  /** Feed URL (scheme, host, port), e.g. `wss://ws-feed.exchange.coinbase.com`. */
  readonly wsUrl: string;
  /** Signs subscriptions; with it books come from `full`, without from `level2_batch`. */
  readonly auth?: CoinbaseProAuth;
  /** Overrides the book channel chosen from `auth`. */
  readonly bookChannel?: CoinbaseProBookChannel;
}

type DiffListener = Subscriber<OrderDiffMessage | DiffMessage | ResyncSignal | DisconnectedSignal>;

/**
 * Feed types the exchange documents that this feed does not use: they pass
 * without a notice. `activate` without a sequence is one (see parseFeedMessage).
 */
const IGNORABLE_TYPES: ReadonlySet<string> = new Set(['activate', 'ticker', 'status', 'auction']);

/** How long a level-2 book waits for the channel's `snapshot` frame. */
const L2_SNAPSHOT_TIMEOUT_MS = 10_000;

function topic(channel: string, productId: string): string {
  return `${channel}:${productId}`;
}

function splitTopic(t: string): { channel: string; productId: string } {
  const i = t.indexOf(':');
  return { channel: t.slice(0, i), productId: t.slice(i + 1) };
}

/**
 * One feed socket shared by every product's channels, on core's
 * `SubscriptionSocket` (topics are `channel:product`): the book channel
 * (`full` with keys, `level2_batch` without), `matches` for public trades
 * (keys or not), and `heartbeat` for every product, which keeps a quiet
 * product's socket provably alive. Every (re)subscribe is signed afresh when
 * keys are set (the signature is time-bound).
 *
 * Nothing the exchange says is dropped: an `error` frame answering a subscribe
 * errors the subscribers of the refused topics with a `SubscriptionError`
 * (their books turn `stale` with it); a lost socket tells every book at once
 * (`disconnected`) and the reconnect re-syncs them (`resync`).
 */
export class CoinbaseProFeed {
  /** Frames that could not be parsed, and feed `error` messages that answered no subscription. */
  readonly errors$: Observable<HbError>;
  /** The channel books come from. */
  readonly bookChannel: CoinbaseProBookChannel;

  private readonly diffListeners = new Map<string, Set<DiffListener>>();
  private readonly tradeListeners = new Map<string, Set<Subscriber<TradeMessage>>>();
  private readonly errorSubject = new Subject<HbError>();
  private readonly socket: SubscriptionSocket;
  /** Per product: the local number of the last level-2 message (level2 has no sequence). */
  private readonly l2Counters = new Map<string, number>();
  /** Per product: the level-2 `snapshot` of the current subscription, once it came. */
  private readonly l2Snapshots = new Map<string, SnapshotMessage>();
  private readonly l2Waiters = new Map<string, Array<(s: SnapshotMessage) => void>>();
  /** Per product: the last public trade id emitted (matches can arrive on two channels). */
  private readonly lastTradeIds = new Map<string, number>();
  private refusedCount = 0;

  constructor(options: CoinbaseProFeedOptions) {
    this.errors$ = this.errorSubject.asObservable();
    this.bookChannel =
      options.bookChannel ??
      (options.auth === undefined ? COINBASE_PRO_CHANNELS.level2Batch : COINBASE_PRO_CHANNELS.full);
    this.socket = new SubscriptionSocket({
      name: `${COINBASE_PRO_EXCHANGE} feed`,
      url: () => options.wsUrl,
      subscribeMessages: (topics) => [
        buildSubscribeMessage([], this.channelSpecs(topics, true), options.auth?.wsAuthFields()),
      ],
      unsubscribeMessages: (topics) => [buildUnsubscribeMessage([], this.channelSpecs(topics, false))],
      onMessage: (m) => this.onMessage(m),
      onDisconnect: (reason) => this.disconnectAll(reason),
      onReconnect: () => this.resyncAll('feed reconnected'),
      onFatal: (e) => this.failAll(e),
      ...wsTiming(options, COINBASE_PRO_SOCKET_TIMING),
      limits: COINBASE_PRO_SOCKET_LIMITS,
    });
    this.socket.errors$.subscribe((e) => this.errorSubject.next(e));
  }

  /**
   * One pair's book messages from the book channel: sequenced order diffs
   * (`full`) or locally numbered level diffs (`level2_batch`), with
   * `disconnected` / `resync` around every reconnect.
   */
  diffs$(
    tradingPair: string,
  ): Observable<OrderDiffMessage | DiffMessage | ResyncSignal | DisconnectedSignal> {
    return this.listen(topic(this.bookChannel, toProductId(tradingPair)), this.diffListeners);
  }

  /** Public trades of one pair from the `matches` channel (side = the taker's). */
  trades$(tradingPair: string): Observable<TradeMessage> {
    return this.listen(topic(COINBASE_PRO_CHANNELS.matches, toProductId(tradingPair)), this.tradeListeners);
  }

  /**
   * Resolves once the server's `subscriptions` reply lists the pair on the book
   * channel (or after a timeout). Messages from before that never reach us, so
   * a snapshot fetched earlier could miss trades and leave a quiet book stale.
   */
  whenSubscribed(tradingPair: string, timeoutMs?: number): Promise<void> {
    return this.socket.whenConfirmed(topic(this.bookChannel, toProductId(tradingPair)), timeoutMs);
  }

  /**
   * The `level2_batch` snapshot of the current subscription (the channel's
   * first message per product); waits for it, and fails after a timeout.
   */
  level2Snapshot(tradingPair: string, timeoutMs = L2_SNAPSHOT_TIMEOUT_MS): Promise<SnapshotMessage> {
    const productId = toProductId(tradingPair);
    const have = this.l2Snapshots.get(productId);
    if (have !== undefined) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const list = this.l2Waiters.get(productId) ?? [];
      const timer = setTimeout(() => {
        const current = this.l2Waiters.get(productId);
        if (current)
          this.l2Waiters.set(
            productId,
            current.filter((w) => w !== done),
          );
        reject(
          new HbError(
            'timeout',
            `${COINBASE_PRO_EXCHANGE}: no level2 snapshot for ${productId} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      timer.unref?.();
      const done = (s: SnapshotMessage): void => {
        clearTimeout(timer);
        resolve(s);
      };
      list.push(done);
      this.l2Waiters.set(productId, list);
    });
  }

  /** Closes the socket; subscribers complete. */
  async close(): Promise<void> {
    for (const set of [...this.diffListeners.values(), ...this.tradeListeners.values()])
      for (const s of set) s.complete();
    this.diffListeners.clear();
    this.tradeListeners.clear();
    await this.socket.close();
  }

  /**
   * Channel objects for a (un)subscribe of `topics`, plus `heartbeat` for their
   * products: on subscribe always; on unsubscribe only for products no topic
   * wants any more.
   */
  private channelSpecs(topics: readonly string[], subscribe: boolean): CoinbaseProChannelSpec[] {
    const byChannel = new Map<string, string[]>();
    const products = new Set<string>();
    for (const t of topics) {
      const { channel, productId } = splitTopic(t);
      const list = byChannel.get(channel) ?? [];
      list.push(productId);
      byChannel.set(channel, list);
      products.add(productId);
    }
    const wanted = new Set(this.socket.topics.map((t) => splitTopic(t).productId));
    const heartbeat = subscribe ? [...products] : [...products].filter((p) => !wanted.has(p));
    const specs: CoinbaseProChannelSpec[] = [...byChannel].map(([name, ids]) => ({ name, product_ids: ids }));
    if (heartbeat.length > 0) specs.push({ name: COINBASE_PRO_CHANNELS.heartbeat, product_ids: heartbeat });
    return specs;
  }

  private listen<T>(t: string, registry: Map<string, Set<Subscriber<T>>>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let set = registry.get(t);
      if (!set) {
        set = new Set();
        registry.set(t, set);
      }
      set.add(subscriber);
      this.socket.acquire(t);
      return () => {
        const current = registry.get(t);
        if (current) {
          current.delete(subscriber);
          if (current.size === 0) registry.delete(t);
        }
        this.socket.release(t);
      };
    });
  }

  private failAll(error: HbError): void {
    const all = [...this.diffListeners.values(), ...this.tradeListeners.values()];
    this.diffListeners.clear();
    this.tradeListeners.clear();
    for (const set of all) for (const s of set) s.error(error);
  }

  private disconnectAll(reason: string): void {
    // A new subscription sends a new snapshot; the old one describes a book we lost track of.
    this.l2Snapshots.clear();
    for (const [t, set] of this.diffListeners) {
      const signal: DisconnectedSignal = {
        type: 'disconnected',
        reason,
        tradingPairs: [toTradingPair(splitTopic(t).productId)],
      };
      for (const s of set) s.next(signal);
    }
  }

  private resyncAll(reason: string): void {
    this.l2Snapshots.clear();
    for (const [t, set] of this.diffListeners) {
      const signal: ResyncSignal = {
        type: 'resync',
        reason,
        tradingPairs: [toTradingPair(splitTopic(t).productId)],
      };
      for (const s of set) s.next(signal);
    }
  }

  /**
   * An `error` frame while topics await confirmation is the answer to their
   * subscribe (Coinbase refuses a whole request): those topics are refused and
   * their subscribers get the typed error. Otherwise it is reported on `errors$`.
   */
  private onErrorFrame(message: string, reason: string | undefined, classified: HbError): void {
    const pending = this.socket.unconfirmedTopics;
    if (pending.length === 0) {
      this.errorSubject.next(classified);
      return;
    }
    const text = reason === undefined || reason === '' ? message : `${message}: ${reason}`;
    const channels = [...new Set(pending.map((t) => splitTopic(t).channel))];
    const error = new SubscriptionError(`${COINBASE_PRO_EXCHANGE}: subscription refused: ${text}`, {
      channel: channels.join(','),
      topics: pending,
      reason:
        classified.reason === 'authentication' || /authenticat/i.test(text)
          ? 'authentication'
          : classified.reason,
      exchange: COINBASE_PRO_EXCHANGE,
      cause: classified,
    });
    this.socket.refuse(pending);
    this.errorSubject.next(error);
    // Each subscriber's teardown removes it and releases the topic's reference.
    for (const t of pending) {
      for (const s of [...(this.diffListeners.get(t) ?? [])]) s.error(error);
      for (const s of [...(this.tradeListeners.get(t) ?? [])]) s.error(error);
    }
  }

  private onMessage(message: WsMessage): void {
    let event;
    let productForL2: string | undefined;
    try {
      const raw = JSON.parse(message.data) as unknown;
      const type = (raw as { type?: unknown }).type;
      if (type === 'snapshot' || type === 'l2update') {
        productForL2 = String((raw as { product_id?: unknown }).product_id);
      }
      event = parseFeedMessage(raw, {
        receivedAt: message.receivedAt,
        level2UpdateId: (this.l2Counters.get(productForL2 ?? '') ?? 0) + 1,
      });
    } catch (e) {
      this.refuse(message.data, e);
      return;
    }
    switch (event.kind) {
      case 'order_diff':
        this.emitDiff(topic(COINBASE_PRO_CHANNELS.full, toProductId(event.diff.tradingPair)), event.diff);
        return;
      case 'match': {
        const productId = toProductId(event.trade.tradingPair);
        this.emitDiff(topic(COINBASE_PRO_CHANNELS.full, productId), event.diff);
        this.emitTrade(productId, event.trade);
        return;
      }
      case 'last_match': {
        // A past trade: not news, but no later copy of it is either.
        const productId = toProductId(event.trade.tradingPair);
        const id = Number(event.trade.tradeId);
        if (id > (this.lastTradeIds.get(productId) ?? -1)) this.lastTradeIds.set(productId, id);
        return;
      }
      case 'level2_snapshot': {
        const productId = toProductId(event.snapshot.tradingPair);
        this.l2Counters.set(productId, event.snapshot.updateId);
        this.l2Snapshots.set(productId, event.snapshot);
        for (const w of this.l2Waiters.get(productId) ?? []) w(event.snapshot);
        this.l2Waiters.delete(productId);
        return;
      }
      case 'level2_update': {
        const productId = toProductId(event.diff.tradingPair);
        this.l2Counters.set(productId, event.diff.updateId);
        this.emitDiff(topic(COINBASE_PRO_CHANNELS.level2Batch, productId), event.diff);
        return;
      }
      case 'subscriptions': {
        const confirmed: string[] = [];
        for (const c of event.channels) for (const p of c.productIds) confirmed.push(topic(c.name, p));
        this.socket.confirm(confirmed);
        return;
      }
      case 'error':
        this.onErrorFrame(event.message, event.reason, event.error);
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
    const channel = productId === undefined ? 'feed' : `${this.bookChannel} ${productId}`;
    this.errorSubject.next(new ProtocolError(COINBASE_PRO_EXCHANGE, channel, text, cause));
    const listeners =
      productId === undefined ? undefined : this.diffListeners.get(topic(this.bookChannel, productId));
    if (productId !== undefined && listeners !== undefined && this.bookChannel === 'level2_batch') {
      // Level 2 has no snapshot to fetch: only a new subscription brings one, so the
      // book's streams fail (retryable) and the tracker subscribes them again.
      this.l2Snapshots.delete(productId);
      const error = new HbError('malformed_message', `${COINBASE_PRO_EXCHANGE}: refused level2 frame`, {
        retryable: true,
      });
      for (const s of [...listeners]) s.error(error);
    } else if (productId !== undefined && listeners !== undefined) {
      const signal: ResyncSignal = {
        type: 'resync',
        reason: 'refused frame',
        tradingPairs: [toTradingPair(productId)],
      };
      for (const s of listeners) s.next(signal);
    } else {
      this.resyncAll('refused frame');
    }
  }

  private emitDiff(t: string, diff: OrderDiffMessage | DiffMessage): void {
    for (const s of this.diffListeners.get(t) ?? []) s.next(diff);
  }

  /** Each public trade once, whichever channel (`matches`, `full`) brought it. */
  private emitTrade(productId: string, trade: TradeMessage): void {
    const id = Number(trade.tradeId);
    if (id <= (this.lastTradeIds.get(productId) ?? -1)) return;
    this.lastTradeIds.set(productId, id);
    for (const s of this.tradeListeners.get(topic(COINBASE_PRO_CHANNELS.matches, productId)) ?? [])
      s.next(trade);
  }
}
