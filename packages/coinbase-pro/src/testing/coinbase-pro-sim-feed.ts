// Coinbase's WebSocket feed (coinbase-pro.md §5, §6, §8): subscribe within 5 s or be
// disconnected; `subscribe` / `unsubscribe` with product ids at the root and in
// channel objects; a `subscriptions` reply; `error` messages; the heartbeat, matches,
// full, level2 / level2_batch, ticker and the authenticated `user` channel. Frames
// are sent with a logical stream name (`full:BTC-USD`) so stream faults can target
// one channel of one product.

import BigNumber from 'bignumber.js';
import type { MatchingEngine, WsConnection } from '@hb/testing';
import { authenticate } from './coinbase-pro-sim-auth.js';
import { CoinbaseSimError } from './coinbase-pro-sim-errors.js';
import type { CoinbaseSimExchange, SimProductState } from './coinbase-pro-sim-exchange.js';
import type { FeedEvent, FullChannel } from './coinbase-pro-sim-full.js';
import {
  isoMicros,
  price as fmtPrice,
  size8,
  type CbFeedError,
  type CbHeartbeat,
  type CbL2Snapshot,
  type CbMatch,
  type CbSubscriptions,
  type CbTicker,
} from './coinbase-pro-sim-wire.js';

/** Channels the simulator serves. */
export const FEED_CHANNELS = [
  'heartbeat',
  'matches',
  'full',
  'level2',
  'level2_batch',
  'ticker',
  'user',
  'level3',
  'balance',
] as const;

/** A channel name. */
export type FeedChannel = (typeof FEED_CHANNELS)[number];

/**
 * Channels that need a signed subscribe on today's exchange (coinbase-pro.md §5,
 * "Channels and authentication"). `full` and `level2` only while
 * `authenticatedBookChannels` is on (the default; off = the historical public feed).
 * `level3` and `balance` are accepted when signed but carry no messages here.
 */
const ALWAYS_AUTHENTICATED: ReadonlySet<FeedChannel> = new Set(['user', 'level3', 'balance']);
const BOOK_AUTHENTICATED: ReadonlySet<FeedChannel> = new Set(['full', 'level2']);

/** Options of {@link CoinbaseFeed}. */
export interface CoinbaseFeedOptions {
  readonly exchange: CoinbaseSimExchange;
  readonly full: FullChannel;
  readonly heartbeatIntervalMs: number;
  readonly subscribeTimeoutMs: number;
  readonly timestampToleranceSec: number;
  readonly authenticatedBookChannels: boolean;
}

/** One live feed subscription of a connection. */
export interface FeedSubscriptionInfo {
  readonly connectionId: number;
  readonly channel: FeedChannel;
  readonly productIds: readonly string[];
  /** The authenticated API key of the connection, if any. */
  readonly apiKey: string | undefined;
}

interface FeedConn {
  readonly conn: WsConnection;
  readonly subs: Map<FeedChannel, Set<string>>;
  apiKey: string | undefined;
  timer: NodeJS.Timeout | undefined;
}

interface ChannelRequest {
  readonly name: FeedChannel;
  readonly productIds: readonly string[] | undefined;
}

const FAILED = 'Failed to subscribe';
const VERIFY_PATH = '/users/self/verify';

/** The feed side of the simulator. */
export class CoinbaseFeed {
  private readonly exchange: CoinbaseSimExchange;
  private readonly full: FullChannel;
  private readonly opts: CoinbaseFeedOptions;
  private readonly conns = new Map<number, FeedConn>();
  private readonly pendingL2 = new Map<string, Map<string, ['buy' | 'sell', string, string]>>();
  private l2Queued = false;
  private readonly heartbeat: NodeJS.Timeout;
  private refusingAll = false;
  private refusingUser = false;

  constructor(options: CoinbaseFeedOptions) {
    this.exchange = options.exchange;
    this.full = options.full;
    this.opts = options;
    this.full.events$.subscribe((ev) => this.onFeedEvent(ev));
    this.heartbeat = setInterval(() => this.sendHeartbeats(), options.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  /** Takes a new feed connection. */
  accept(conn: WsConnection): void {
    if (this.refusingAll) {
      conn.terminate();
      return;
    }
    const fc: FeedConn = { conn, subs: new Map(), apiKey: undefined, timer: undefined };
    fc.timer = setTimeout(() => {
      fc.timer = undefined;
      if (fc.subs.size > 0 || !conn.isOpen) return;
      conn.sendRaw(JSON.stringify(feedError(FAILED, 'no subscribe message received within 5 seconds')));
      conn.close(1000, 'subscribe timeout');
    }, this.opts.subscribeTimeoutMs);
    fc.timer.unref();
    this.conns.set(conn.id, fc);
    conn.onMessage((text) => this.onMessage(fc, text));
    conn.onClose(() => {
      if (fc.timer !== undefined) clearTimeout(fc.timer);
      this.conns.delete(conn.id);
    });
  }

  /** Open feed connections. */
  connections(): WsConnection[] {
    return [...this.conns.values()].map((c) => c.conn).filter((c) => c.isOpen);
  }

  /** Every live subscription (one row per connection and channel). */
  subscriptions(): FeedSubscriptionInfo[] {
    const out: FeedSubscriptionInfo[] = [];
    for (const fc of this.conns.values()) {
      for (const [channel, ids] of fc.subs) {
        out.push({ connectionId: fc.conn.id, channel, productIds: [...ids], apiKey: fc.apiKey });
      }
    }
    return out;
  }

  /** While true, every new connection is dropped at once (a feed outage). */
  setRefusingAll(refusing: boolean): void {
    this.refusingAll = refusing;
  }

  /** While true, a subscribe to `user` drops the connection (a user-feed outage). */
  setRefusingUser(refusing: boolean): void {
    this.refusingUser = refusing;
  }

  /** Terminates connections with a `user` subscription (of `apiKey` when given). */
  dropUserConnections(apiKey?: string): number {
    let n = 0;
    for (const fc of [...this.conns.values()]) {
      if (!fc.subs.has('user') || (apiKey !== undefined && fc.apiKey !== apiKey)) continue;
      fc.conn.terminate();
      n += 1;
    }
    return n;
  }

  /** Sends pending level2 updates now. */
  flush(): void {
    this.l2Queued = false;
    for (const [product, changes] of this.pendingL2) {
      if (changes.size === 0) continue;
      const msg = {
        type: 'l2update',
        product_id: product,
        time: isoMicros(this.exchange.clock.now()),
        changes: [...changes.values()],
      };
      changes.clear();
      for (const fc of this.conns.values()) {
        if (
          fc.subs.get('level2')?.has(product) === true ||
          fc.subs.get('level2_batch')?.has(product) === true
        ) {
          fc.conn.send(msg, { stream: `level2:${product}` });
        }
      }
    }
  }

  /** Stops the heartbeat timer and the subscribe timers. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const fc of this.conns.values()) if (fc.timer !== undefined) clearTimeout(fc.timer);
  }

  // ------------------------------------------------------------------ outgoing

  private onFeedEvent(ev: FeedEvent): void {
    if (ev.kind === 'level') {
      let m = this.pendingL2.get(ev.product);
      if (m === undefined) {
        m = new Map();
        this.pendingL2.set(ev.product, m);
      }
      m.set(`${ev.side}:${ev.price}`, [ev.side, ev.price, ev.size]);
      if (!this.l2Queued) {
        this.l2Queued = true;
        queueMicrotask(() => this.flush());
      }
      return;
    }
    const { product, message } = ev;
    let ticker: CbTicker | undefined;
    for (const fc of this.conns.values()) {
      if (fc.subs.get('full')?.has(product) === true) {
        fc.conn.send(message, { stream: `full:${product}` });
      } else if (message.type === 'match' && fc.subs.get('matches')?.has(product) === true) {
        fc.conn.send(message, { stream: `matches:${product}` });
      }
      if (message.type === 'match' && fc.subs.get('ticker')?.has(product) === true) {
        ticker ??= this.ticker(product, message);
        fc.conn.send(ticker, { stream: `ticker:${product}` });
      }
      if (fc.apiKey !== undefined && fc.subs.get('user')?.has(product) === true) {
        for (const copy of ev.privates) {
          if (copy.account === fc.apiKey) fc.conn.send(copy.message, { stream: `user:${product}` });
        }
      }
    }
  }

  private sendHeartbeats(): void {
    const time = isoMicros(this.exchange.clock.now());
    for (const fc of this.conns.values()) {
      for (const product of fc.subs.get('heartbeat') ?? []) {
        const hb: CbHeartbeat = {
          type: 'heartbeat',
          sequence: this.full.sequence(product),
          last_trade_id: this.full.lastTradeId(product),
          product_id: product,
          time,
        };
        fc.conn.send(hb, { stream: `heartbeat:${product}` });
      }
    }
  }

  private ticker(product: string, match: CbMatch): CbTicker {
    const m = this.market(product);
    const engine = m.engine;
    const now = this.exchange.clock.now();
    const trades = engine.recentTrades();
    const day = trades.filter((t) => t.timestamp >= now - 86_400_000);
    const prices = day.map((t) => t.price.toNumber());
    const vol = (list: typeof trades): string =>
      size8(list.reduce((s, t) => s.plus(t.amount), new BigNumber(0)));
    const bid = engine.levels('bid', 1)[0];
    const ask = engine.levels('ask', 1)[0];
    const p = m.product;
    return {
      type: 'ticker',
      sequence: match.sequence,
      product_id: product,
      price: match.price,
      open_24h: fmtPrice(p, day[0]?.price ?? match.price),
      volume_24h: vol(day),
      low_24h: fmtPrice(p, prices.length === 0 ? match.price : Math.min(...prices)),
      high_24h: fmtPrice(p, prices.length === 0 ? match.price : Math.max(...prices)),
      volume_30d: vol(trades),
      best_bid: bid === undefined ? '0' : fmtPrice(p, bid[0]),
      best_bid_size: bid === undefined ? '0' : size8(bid[1]),
      best_ask: ask === undefined ? '0' : fmtPrice(p, ask[0]),
      best_ask_size: ask === undefined ? '0' : size8(ask[1]),
      side: match.side === 'buy' ? 'sell' : 'buy',
      time: match.time,
      trade_id: match.trade_id,
      last_size: match.size,
    };
  }

  // ------------------------------------------------------------------ incoming

  private onMessage(fc: FeedConn, text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.error(fc, 'Malformed JSON', 'the message is not valid JSON');
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.error(fc, FAILED, 'the message must be a JSON object');
      return;
    }
    const req = msg as Record<string, unknown>;
    const type = req['type'];
    if (type !== 'subscribe' && type !== 'unsubscribe') {
      this.error(fc, FAILED, `type ${JSON.stringify(type)} is not valid; expected subscribe or unsubscribe`);
      return;
    }
    let channels: ChannelRequest[];
    let root: string[] | undefined;
    try {
      root = this.productList(req['product_ids'], 'product_ids');
      channels = this.channelList(req['channels']);
    } catch (e) {
      this.error(fc, FAILED, e instanceof Error ? e.message : String(e));
      return;
    }
    if (type === 'unsubscribe') {
      for (const ch of channels) {
        const ids = ch.productIds ?? root;
        const set = fc.subs.get(ch.name);
        if (set === undefined) continue;
        if (ids === undefined) set.clear();
        else for (const id of ids) set.delete(id);
        if (set.size === 0) fc.subs.delete(ch.name);
      }
      this.syncStreams(fc);
      fc.conn.send(this.subscriptionsReply(fc));
      return;
    }

    for (const ch of channels) {
      if ((ch.productIds ?? root ?? []).length === 0) {
        this.error(fc, FAILED, `No product ids provided for channel: ${ch.name}`);
        return;
      }
    }
    const authenticated = (c: ChannelRequest): boolean =>
      ALWAYS_AUTHENTICATED.has(c.name) ||
      (this.opts.authenticatedBookChannels && BOOK_AUTHENTICATED.has(c.name));
    const needsAuth = channels.some(authenticated);
    if (needsAuth) {
      const hasAuth = ['key', 'passphrase', 'timestamp', 'signature'].some((k) => req[k] !== undefined);
      if (!hasAuth) {
        const which = channels.find(authenticated)?.name ?? 'user';
        this.error(fc, FAILED, `${which} channel requires authentication`);
        return;
      }
      try {
        fc.apiKey = authenticate(
          {
            key: str(req['key']),
            passphrase: str(req['passphrase']),
            timestamp: str(req['timestamp']),
            signature: str(req['signature']),
            method: 'GET',
            requestPath: VERIFY_PATH,
            body: '',
          },
          this.exchange.keyRecord,
          this.exchange.clock.now(),
          this.opts.timestampToleranceSec,
        );
      } catch (e) {
        this.error(
          fc,
          'Authentication Failed',
          e instanceof CoinbaseSimError ? e.message : 'invalid signature',
        );
        return;
      }
      if (this.refusingUser && channels.some((c) => c.name === 'user')) {
        fc.conn.terminate();
        return;
      }
    }

    const added: [FeedChannel, string][] = [];
    for (const ch of channels) {
      let set = fc.subs.get(ch.name);
      if (set === undefined) {
        set = new Set();
        fc.subs.set(ch.name, set);
      }
      for (const id of ch.productIds ?? root ?? []) {
        if (!set.has(id)) added.push([ch.name, id]);
        set.add(id);
      }
    }
    if (fc.timer !== undefined) {
      clearTimeout(fc.timer);
      fc.timer = undefined;
    }
    this.syncStreams(fc);
    fc.conn.send(this.subscriptionsReply(fc));
    for (const [channel, product] of added) this.sendInitial(fc, channel, product);
  }

  private sendInitial(fc: FeedConn, channel: FeedChannel, product: string): void {
    if (channel === 'level2' || channel === 'level2_batch') {
      const engine: MatchingEngine = this.market(product).engine;
      const p = this.market(product).product;
      const snap: CbL2Snapshot = {
        type: 'snapshot',
        product_id: product,
        bids: engine.levels('bid').map(([px, sz]) => [fmtPrice(p, px), size8(sz)]),
        asks: engine.levels('ask').map(([px, sz]) => [fmtPrice(p, px), size8(sz)]),
      };
      fc.conn.send(snap, { stream: `level2:${product}` });
    } else if (channel === 'matches') {
      const last = this.full.lastMatch(product);
      if (last !== undefined) fc.conn.send({ ...last, type: 'last_match' }, { stream: `matches:${product}` });
    } else if (channel === 'ticker') {
      const last = this.full.lastMatch(product);
      if (last !== undefined) fc.conn.send(this.ticker(product, last), { stream: `ticker:${product}` });
    }
  }

  private subscriptionsReply(fc: FeedConn): CbSubscriptions {
    return {
      type: 'subscriptions',
      channels: [...fc.subs.entries()].map(([name, ids]) => ({ name, product_ids: [...ids] })),
    };
  }

  /** Keeps `conn.streams` (`channel:product`) in step, for stream-targeted socket drops. */
  private syncStreams(fc: FeedConn): void {
    fc.conn.streams.clear();
    for (const [name, ids] of fc.subs) {
      for (const id of ids) fc.conn.streams.add(`${name === 'level2_batch' ? 'level2' : name}:${id}`);
    }
  }

  private productList(v: unknown, what: string): string[] | undefined {
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      throw new Error(`${what} must be an array of strings`);
    for (const id of v as string[])
      if (this.exchange.market(id) === undefined) throw new Error(`${id} is not a valid product`);
    return v as string[];
  }

  private channelList(v: unknown): ChannelRequest[] {
    if (!Array.isArray(v) || v.length === 0) throw new Error('channels must be a non-empty array');
    return v.map((c): ChannelRequest => {
      if (typeof c === 'string') return { name: this.channelName(c), productIds: undefined };
      if (typeof c === 'object' && c !== null && !Array.isArray(c)) {
        const o = c as Record<string, unknown>;
        if (typeof o['name'] !== 'string') throw new Error('a channel object needs a name');
        return {
          name: this.channelName(o['name']),
          productIds: this.productList(o['product_ids'], 'product_ids'),
        };
      }
      throw new Error('channels must be names or {name, product_ids} objects');
    });
  }

  private channelName(name: string): FeedChannel {
    if (!(FEED_CHANNELS as readonly string[]).includes(name))
      throw new Error(`${name} is not a valid channel`);
    return name as FeedChannel;
  }

  private error(fc: FeedConn, message: string, reason: string): void {
    fc.conn.send(feedError(message, reason));
  }

  private market(product: string): SimProductState {
    const m = this.exchange.market(product);
    if (m === undefined) throw new Error(`CoinbaseProSimulator: unknown product ${product}`);
    return m;
  }
}

function feedError(message: string, reason: string): CbFeedError {
  return { type: 'error', message, reason };
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}
