// The Coinbase Exchange simulator: Coinbase's wire protocol over @hb/testing's
// SimulatorBase. REST (`/products`, `/orders`...) and the feed (any WebSocket path)
// around one simulated exchange, plus the knobs that depend on Coinbase's framing:
// `full`-channel sequence faults, feed delays, scoped rate-limit answers, the
// order-level truth. Lifecycle, accounts, truth accessors, activity, outages and
// REST faults come from the base.

import {
  SIM_TAKER_ACCOUNT,
  SimRateLimits,
  SimulatorBase,
  escapeRegExp,
  type EngineOrder,
  type FaultHandle,
  type RateLimitNextOptions,
  type Router,
  type SimActivity,
  type SimActivityOptions,
  type SimVenue,
  type WsConnection,
} from '@hb/testing';
import { COINBASE_SIM_MSG } from './coinbase-pro-sim-errors.js';
import { CoinbaseSimExchange } from './coinbase-pro-sim-exchange.js';
import { CoinbaseFeed, type FeedSubscriptionInfo } from './coinbase-pro-sim-feed.js';
import { FullChannel } from './coinbase-pro-sim-full.js';
import { RateLimiter } from './coinbase-pro-sim-rate-limits.js';
import { createCoinbaseRestRouter } from './coinbase-pro-sim-rest.js';
import {
  DEFAULT_COINBASE_SIM_LIMITS,
  DEFAULT_COINBASE_SIM_PRODUCTS,
  DEMO_ACCOUNT,
  resolveProduct,
  type CoinbaseProSimulatorOptions,
  type CoinbaseSimAccount,
  type CoinbaseSimAccountInput,
  type CoinbaseSimLimits,
  type CoinbaseSimProduct,
} from './coinbase-pro-sim-types.js';

export type {
  OutageHandle as CoinbaseOutageHandle,
  SimRequestLogEntry as CoinbaseSimRequestLogEntry,
} from '@hb/testing';

/** Synthetic market activity over the simulator's products. */
export type CoinbaseSimActivity = SimActivity;

/** Options of {@link CoinbaseProSimulator.activity}. */
export type CoinbaseSimActivityOptions = SimActivityOptions;

/** The order-level book: `[price, size, order_id]`, best first, then time priority. */
export interface CoinbaseTrueL3Book {
  /** The product's current feed sequence (what a level-3 snapshot would carry). */
  readonly sequence: number;
  readonly bids: [number, number, string][];
  readonly asks: [number, number, string][];
}

const PRIVATE_PATH = /^\/(orders|fills|accounts|fees)(\/|$)/;

/**
 * A loopback Coinbase Exchange speaking the real wire protocol
 * (shared/exchanges/coinbase-pro.md). Start with {@link CoinbaseProSimulator.start},
 * point a connector at {@link restUrl} / {@link wsUrl}, {@link stop} when done.
 */
export class CoinbaseProSimulator extends SimulatorBase<CoinbaseSimAccountInput> {
  /** The exchange state (engines, ledger, keys, orders). */
  readonly exchange: CoinbaseSimExchange;
  protected readonly venue: SimVenue;
  /** Rate limits (defaults: Coinbase's): change them with `set`, refill every bucket with `reset`. */
  readonly rateLimits: SimRateLimits<CoinbaseSimLimits>;

  private readonly full: FullChannel;
  private readonly feed: CoinbaseFeed;
  private readonly limiter: RateLimiter;
  private readonly rest: Router;

  private constructor(options: CoinbaseProSimulatorOptions) {
    super({
      name: 'CoinbaseProSimulator',
      clock: options.clock,
      errorBody: faultBody,
      apiKeyHeader: 'cb-access-key',
      orderPaths: { place: '/orders', cancel: /^\/orders\/[^/]+$/ },
    });
    this.rateLimits = new SimRateLimits(DEFAULT_COINBASE_SIM_LIMITS, options.limits);
    const limits = this.rateLimits.get;
    const exchange = new CoinbaseSimExchange({
      products: (options.products ?? DEFAULT_COINBASE_SIM_PRODUCTS).map(resolveProduct),
      clock: this.clock,
      fees: options.fees ?? { maker: '0.004', taker: '0.006' },
      seed: options.seed ?? 1,
      maxOpenOrdersPerProduct: () => limits().maxOpenOrdersPerProduct,
    });
    this.exchange = exchange;
    exchange.fees.set(SIM_TAKER_ACCOUNT, { maker: 0, taker: 0 });
    this.venue = exchange.venue();
    this.full = new FullChannel(exchange, exchange.fees);
    for (const m of exchange.markets) m.engine.events$.subscribe((ev) => this.full.onEngineEvent(m, ev));
    const tolerance = options.timestampToleranceSec ?? 30;
    this.feed = new CoinbaseFeed({
      exchange,
      full: this.full,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
      subscribeTimeoutMs: options.subscribeTimeoutMs ?? 5000,
      timestampToleranceSec: tolerance,
      authenticatedBookChannels: options.authenticatedBookChannels ?? true,
    });
    // Buckets refill on the unskewed clock: skewing server time must not refill them.
    this.limiter = this.rateLimits.track(new RateLimiter(limits, () => this.clock.baseNow()));
    this.rest = createCoinbaseRestRouter({
      exchange,
      full: this.full,
      limiter: this.limiter,
      timestampToleranceSec: tolerance,
      orderResponse: options.orderResponse ?? 'pending',
    });
  }

  /** Starts both servers; resolves once they listen. */
  static async start(options: CoinbaseProSimulatorOptions = {}): Promise<CoinbaseProSimulator> {
    const sim = new CoinbaseProSimulator(options);
    await sim.listen(sim.rest, (conn) => sim.feed.accept(conn));
    sim.createStartAccounts(options, DEMO_ACCOUNT);
    return sim;
  }

  protected override onStop(): void {
    this.feed.close();
  }

  // ------------------------------------------------------------------ setup

  /** The products as configured. */
  get products(): readonly CoinbaseSimProduct[] {
    return this.exchange.markets.map((m) => m.product);
  }

  /** Registers an API key (base64 secret, passphrase) and funds it. */
  createAccount(input: CoinbaseSimAccountInput): CoinbaseSimAccount {
    return this.exchange.createAccount(input);
  }

  // ------------------------------------------------------------------ truth

  /** The true order-level book with the current sequence. */
  trueL3Book(pair: string): CoinbaseTrueL3Book {
    const e = this.engine(pair);
    const rows = (side: 'bid' | 'ask'): [number, number, string][] =>
      e.bookOrders(side).map((o) => [o.price.toNumber(), o.remaining.toNumber(), o.orderId]);
    return { sequence: this.full.sequence(pair), bids: rows('bid'), asks: rows('ask') };
  }

  /** The product's current feed sequence (the last one sent). */
  sequence(pair: string): number {
    return this.full.sequence(pair);
  }

  /** The product's last trade id (0 before any). */
  lastTradeId(pair: string): number {
    return this.full.lastTradeId(pair);
  }

  /** A key's order by client_oid on any product (open, finished or purged, while retained). */
  orderByClientOid(apiKey: string, clientOid: string): EngineOrder | undefined {
    return this.orderByClientOrderId(apiKey, clientOid);
  }

  // ------------------------------------------------------------------ feed

  /** Sends pending level2 updates now (they otherwise go out at the end of the current tick). */
  flush(): void {
    this.feed.flush();
  }

  /** Open feed connections. */
  feedConnections(): WsConnection[] {
    return this.feed.connections();
  }

  /** Live feed subscriptions, one row per connection and channel. */
  feedSubscriptions(): FeedSubscriptionInfo[] {
    return this.feed.subscriptions();
  }

  // ------------------------------------------------------------------ faults

  /** Drops feed connections now (only those subscribed to a channel of `pair` when given). */
  dropMarketSockets(pair?: string): void {
    if (pair === undefined) {
      this.faults.dropSocket({});
      return;
    }
    this.marketInfo(pair);
    this.faults.dropSocket({ stream: new RegExp(`:${escapeRegExp(pair)}$`) });
  }

  /** Drops the feed connections that carry a `user` subscription (of `apiKey` when given). */
  dropUserSockets(apiKey?: string): number {
    return this.feed.dropUserConnections(apiKey);
  }

  /** A user-feed outage also drops any connection that subscribes to `user` meanwhile. */
  protected refuseUserStreams(on: boolean): void {
    this.feed.setRefusingUser(on);
  }

  /** A feed outage refuses every new feed connection. */
  protected refuseMarketStreams(on: boolean): void {
    this.feed.setRefusingAll(on);
  }

  /** The next `times` `full`-channel frames (of `pair`, or any) are never sent: a sequence gap. */
  skipFullSequence(pair?: string, times = 1): FaultHandle {
    return this.faults.skipSequence({ stream: this.streamPattern('full', pair) }, { times });
  }

  /** The next `times` `full`-channel frames are sent twice (a repeated sequence). */
  repeatFullSequence(pair?: string, times = 1): FaultHandle {
    return this.faults.repeatSequence({ stream: this.streamPattern('full', pair) }, { times });
  }

  /** The next `full`-channel frame is swapped with the one after it. */
  reorderFullSequence(pair?: string, times = 1): FaultHandle {
    return this.faults.reorderSequence({ stream: this.streamPattern('full', pair) }, { times });
  }

  /** A malformed frame before (or, with `replace`, instead of) the next frame of `channel` (default `full`). */
  malformedFeedFrame(
    options: { pair?: string; channel?: string; frame?: string; replace?: boolean } = {},
  ): FaultHandle {
    return this.faults.malformedFrame(
      { stream: this.streamPattern(options.channel ?? 'full', options.pair) },
      { frame: options.frame ?? '{"type":"match","trade_id":', replace: options.replace === true },
    );
  }

  /** Delays every feed frame (of `pair` when given) by `ms` until the handle is removed. */
  delayFeed(ms: number, options: { pair?: string } = {}): FaultHandle {
    const stream = options.pair === undefined ? /:/ : new RegExp(`:${escapeRegExp(options.pair)}$`);
    return this.faults.delayFrames({ stream }, ms);
  }

  /**
   * The next `n` REST requests (matching `path` when given) answer 429 unapplied, with
   * "Private rate limit exceeded" for private paths and "Public rate limit exceeded"
   * otherwise (`scope` overrides).
   */
  override rateLimitNext(
    n: number,
    options: RateLimitNextOptions & { scope?: 'public' | 'private' } = {},
  ): FaultHandle {
    const scope =
      options.scope ??
      (typeof options.path === 'string' && !PRIVATE_PATH.test(options.path) ? 'public' : 'private');
    const message = scope === 'public' ? COINBASE_SIM_MSG.publicRateLimit : COINBASE_SIM_MSG.privateRateLimit;
    return super.rateLimitNext(n, { ...options, body: options.body ?? { message } });
  }

  private streamPattern(channel: string, pair?: string): RegExp {
    if (pair !== undefined) this.marketInfo(pair);
    return new RegExp(
      `^${escapeRegExp(channel)}:${pair === undefined ? '[A-Z0-9]+-[A-Z0-9]+' : escapeRegExp(pair)}$`,
    );
  }
}

/** Injected error answers in Coinbase's `{message}` shape. */
function faultBody(status: number): unknown {
  if (status === 429) return { message: COINBASE_SIM_MSG.privateRateLimit };
  if (status === 503) return { message: 'Service Unavailable' };
  if (status === 504) return { message: 'Gateway Timeout' };
  return { message: COINBASE_SIM_MSG.internal };
}
