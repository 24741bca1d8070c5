// The Coinbase Exchange simulator: wiring and lifecycle. One HTTP server for REST and
// one WebSocket server for the feed, both on 127.0.0.1 with random ports, around one
// simulated exchange; plus the fault knobs, synthetic activity and the "truth"
// accessors integration tests compare a connector's view with. Mirrors
// BinanceSimulator's shape so harnesses and `--sandbox` treat both alike.

import BigNumber from 'bignumber.js';
import {
  FaultInjector,
  MarketActivityGenerator,
  SimClock,
  startHttpServer,
  startWsServer,
  type BalanceLedger,
  type EngineOrder,
  type FaultHandle,
  type MarketActivityOptions,
  type MatchingEngine,
  type RunningHttpServer,
  type RunningWsServer,
  type SimHttpRequest,
  type WsConnection,
} from '@hb/testing';
import { COINBASE_SIM_MSG } from './coinbase-pro-sim-errors.js';
import { CoinbaseSimExchange, type SimProductState } from './coinbase-pro-sim-exchange.js';
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

/** One REST request as the simulator received it (before any fault). */
export interface CoinbaseSimRequestLogEntry {
  readonly method: string;
  readonly path: string;
  /** `CB-ACCESS-KEY`, when sent. */
  readonly apiKey: string | undefined;
  /** Server time of arrival. */
  readonly time: number;
}

/** A switched-on outage; `restore()` ends it. */
export interface CoinbaseOutageHandle {
  restore(): void;
}

/** Synthetic market activity over the simulator's products. */
export interface CoinbaseSimActivity {
  /** One generator per product, in product order. */
  readonly generators: readonly MarketActivityGenerator[];
  /** Runs `n` steps on every product (round robin), synchronously. */
  step(n?: number): void;
  /** Steps every product every `intervalMs` (timers unref'd) until {@link stop}. */
  start(intervalMs: number): void;
  /** Stops {@link start}. */
  stop(): void;
}

/** Options of {@link CoinbaseProSimulator.activity}. */
export interface CoinbaseSimActivityOptions {
  /** Only these products (default all). */
  readonly pairs?: readonly string[];
  /** Passed to each generator (rates, traders, levels, maxSteps, drift, stepSize...). */
  readonly generator?: Partial<
    Omit<MarketActivityOptions, 'engine' | 'ledger' | 'seed' | 'midPrice' | 'tickSize'>
  >;
}

/** The order-level book: `[price, size, order_id]`, best first, then time priority. */
export interface CoinbaseTrueL3Book {
  /** The product's current feed sequence (what a level-3 snapshot would carry). */
  readonly sequence: number;
  readonly bids: [number, number, string][];
  readonly asks: [number, number, string][];
}

const TAKER_ACCOUNT = 'sim-taker';
const REQUEST_LOG_LIMIT = 10_000;
const PRIVATE_PATH = /^\/(orders|fills|accounts|fees)(\/|$)/;

/**
 * A loopback Coinbase Exchange speaking the real wire protocol
 * (shared/exchanges/coinbase-pro.md). Start with {@link CoinbaseProSimulator.start},
 * point a connector at {@link restUrl} / {@link wsUrl}, {@link stop} when done.
 */
export class CoinbaseProSimulator {
  /** `http://127.0.0.1:<port>`: REST base (paths `/products`, `/orders`...). */
  readonly restUrl: string;
  /** `ws://127.0.0.1:<port>`: the feed (any path). */
  readonly wsUrl: string;
  /** The server clock (skew it with {@link skewClock}). */
  readonly clock: SimClock;
  /** Fault knobs (the methods below are shortcuts over it). */
  readonly faults: FaultInjector;
  /** The exchange state (engines, ledger, keys, orders). */
  readonly exchange: CoinbaseSimExchange;
  /** The demo key, when the `demoAccount` option was given. */
  readonly demoAccount: CoinbaseSimAccountInput | undefined;

  private readonly http: RunningHttpServer;
  private readonly ws: RunningWsServer;
  private readonly full: FullChannel;
  private readonly feed: CoinbaseFeed;
  private readonly limiter: RateLimiter;
  private readonly limitsRef: { current: CoinbaseSimLimits };
  private readonly log: CoinbaseSimRequestLogEntry[];
  private readonly orderRequests: Map<string, number>;
  private activityRun: CoinbaseSimActivity | undefined;
  private stopped = false;

  private constructor(parts: {
    http: RunningHttpServer;
    ws: RunningWsServer;
    clock: SimClock;
    faults: FaultInjector;
    exchange: CoinbaseSimExchange;
    full: FullChannel;
    feed: CoinbaseFeed;
    limiter: RateLimiter;
    limitsRef: { current: CoinbaseSimLimits };
    log: CoinbaseSimRequestLogEntry[];
    orderRequests: Map<string, number>;
    demoAccount: CoinbaseSimAccountInput | undefined;
  }) {
    this.http = parts.http;
    this.ws = parts.ws;
    this.clock = parts.clock;
    this.faults = parts.faults;
    this.exchange = parts.exchange;
    this.full = parts.full;
    this.feed = parts.feed;
    this.limiter = parts.limiter;
    this.limitsRef = parts.limitsRef;
    this.log = parts.log;
    this.orderRequests = parts.orderRequests;
    this.demoAccount = parts.demoAccount;
    this.restUrl = parts.http.url;
    this.wsUrl = parts.ws.url;
  }

  /** Starts both servers; resolves once they listen. */
  static async start(options: CoinbaseProSimulatorOptions = {}): Promise<CoinbaseProSimulator> {
    const clock = options.clock ?? new SimClock();
    const limitsRef = { current: { ...DEFAULT_COINBASE_SIM_LIMITS, ...(options.limits ?? {}) } };
    const limits = (): CoinbaseSimLimits => limitsRef.current;
    const exchange = new CoinbaseSimExchange({
      products: (options.products ?? DEFAULT_COINBASE_SIM_PRODUCTS).map(resolveProduct),
      clock,
      fees: options.fees ?? { maker: '0.004', taker: '0.006' },
      seed: options.seed ?? 1,
      maxOpenOrdersPerProduct: () => limits().maxOpenOrdersPerProduct,
    });
    exchange.fees.set(TAKER_ACCOUNT, { maker: 0, taker: 0 });
    const full = new FullChannel(exchange, exchange.fees);
    for (const m of exchange.markets) m.engine.events$.subscribe((ev) => full.onEngineEvent(m, ev));
    const tolerance = options.timestampToleranceSec ?? 30;
    const feed = new CoinbaseFeed({
      exchange,
      full,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
      subscribeTimeoutMs: options.subscribeTimeoutMs ?? 5000,
      timestampToleranceSec: tolerance,
      authenticatedBookChannels: options.authenticatedBookChannels ?? false,
    });
    const faults = new FaultInjector({ clock, errorBody: faultBody });
    // Buckets refill on the unskewed clock: skewing server time must not refill them.
    const limiter = new RateLimiter(limits, () => clock.baseNow());

    const log: CoinbaseSimRequestLogEntry[] = [];
    const orderRequests = new Map<string, number>();
    const onRequest = (r: SimHttpRequest): void => {
      const h = r.headers['cb-access-key'];
      const apiKey = Array.isArray(h) ? h[0] : h;
      log.push({ method: r.method, path: r.path, apiKey, time: clock.now() });
      // A demo runs for hours: keep the log bounded.
      if (log.length > REQUEST_LOG_LIMIT) log.splice(0, log.length - REQUEST_LOG_LIMIT);
      if (r.method === 'POST' && r.path === '/orders' && apiKey !== undefined) {
        orderRequests.set(apiKey, (orderRequests.get(apiKey) ?? 0) + 1);
      }
    };
    const router = createCoinbaseRestRouter({
      exchange,
      full,
      limiter,
      timestampToleranceSec: tolerance,
      orderResponse: options.orderResponse ?? 'pending',
    });
    const http = await startHttpServer(router, { faults, onRequest });
    let ws: RunningWsServer;
    try {
      ws = await startWsServer((conn: WsConnection) => feed.accept(conn), { faults });
    } catch (e) {
      await http.close();
      feed.close();
      throw e;
    }

    let demo: CoinbaseSimAccountInput | undefined;
    if (options.demoAccount !== undefined && options.demoAccount !== false) {
      demo = { ...DEMO_ACCOUNT, ...(options.demoAccount === true ? {} : options.demoAccount) };
      exchange.createAccount(demo);
    }
    for (const a of options.accounts ?? []) exchange.createAccount(a);

    return new CoinbaseProSimulator({
      http,
      ws,
      clock,
      faults,
      exchange,
      full,
      feed,
      limiter,
      limitsRef,
      log,
      orderRequests,
      demoAccount: demo,
    });
  }

  /** Stops activity, timers and both servers. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.activityRun?.stop();
    this.feed.close();
    await Promise.all([this.http.close(), this.ws.close()]);
  }

  // ------------------------------------------------------------------ setup

  /** The products as configured. */
  get products(): readonly CoinbaseSimProduct[] {
    return this.exchange.markets.map((m) => m.product);
  }

  /** The shared balance ledger. */
  get ledger(): BalanceLedger {
    return this.exchange.ledger;
  }

  /** The matching engine of a product (`BTC-USD`). */
  engine(pair: string): MatchingEngine {
    return this.marketOf(pair).engine;
  }

  /** Registers an API key (base64 secret, passphrase) and funds it. */
  createAccount(input: CoinbaseSimAccountInput): CoinbaseSimAccount {
    return this.exchange.createAccount(input);
  }

  /** Deposits into an account. */
  deposit(apiKey: string, currency: string, amount: BigNumber.Value): void {
    this.exchange.ledger.deposit(apiKey, currency, amount);
  }

  /** Changes rate limits at run time (e.g. a burst of 2 for one test). */
  setLimits(limits: Partial<CoinbaseSimLimits>): void {
    this.limitsRef.current = { ...this.limitsRef.current, ...limits };
    this.limiter.reset();
  }

  /** Refills every rate-limit bucket. */
  resetRateLimits(): void {
    this.limiter.reset();
  }

  // ------------------------------------------------------------------ truth

  /** The engine's true L2 book, best first, as numbers (compare with a connector's OrderBook). */
  trueBook(pair: string, depth?: number): { bids: [number, number][]; asks: [number, number][] } {
    const e = this.engine(pair);
    return { bids: e.levelsAsNumbers('bid', depth), asks: e.levelsAsNumbers('ask', depth) };
  }

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
    return this.exchange.orderByClientOid(apiKey, clientOid);
  }

  /** How much of a key's order (by client_oid) has filled; zero when there is no such order. */
  ledgerFilledAmount(apiKey: string, clientOid: string): BigNumber {
    return this.orderByClientOid(apiKey, clientOid)?.filledAmount ?? new BigNumber(0);
  }

  /** `POST /orders` requests that reached the server with this key (faulted ones included). */
  orderRequestCount(apiKey: string): number {
    return this.orderRequests.get(apiKey) ?? 0;
  }

  /** REST requests received, oldest first (the most recent 10 000). */
  requestLog(): readonly CoinbaseSimRequestLogEntry[] {
    return this.log;
  }

  /**
   * Another account crosses an order resting at `price`: for our `buy` it sells
   * `amount` there (IOC), for our `sell` it buys. It trades with better-priced orders
   * first, as any taker would. Returns the taker's order.
   */
  takeFromAccount(
    apiKey: string,
    pair: string,
    sideOfOurOrder: 'buy' | 'sell',
    price: BigNumber.Value,
    amount: BigNumber.Value,
  ): EngineOrder {
    void apiKey; // which order is hit is decided by price-time priority, as on the exchange
    const m = this.marketOf(pair);
    const p = new BigNumber(price);
    const a = new BigNumber(amount);
    const side = sideOfOurOrder === 'buy' ? 'sell' : 'buy';
    if (side === 'sell') this.exchange.ledger.deposit(TAKER_ACCOUNT, m.product.baseCurrency, a);
    else this.exchange.ledger.deposit(TAKER_ACCOUNT, m.product.quoteCurrency, p.times(a));
    return m.engine.place({
      account: TAKER_ACCOUNT,
      side,
      type: 'limit',
      price: p,
      amount: a,
      timeInForce: 'IOC',
    });
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

  // ------------------------------------------------------------------ activity

  /**
   * Synthetic activity on every product (or `pairs`): other accounts place, cancel and
   * cross orders on the tick grid around each product's mid price. Deterministic per
   * seed. Replaces any previous activity.
   */
  activity(seed: number, options: CoinbaseSimActivityOptions = {}): CoinbaseSimActivity {
    this.activityRun?.stop();
    const chosen = this.exchange.markets.filter(
      (m) => options.pairs === undefined || options.pairs.includes(m.product.id),
    );
    const generators = chosen.map(
      (m, i) =>
        new MarketActivityGenerator({
          // 100 000 base increments (0.001 BTC): whole orders worth a few dollars.
          stepSize: new BigNumber(m.product.baseIncrement).times(100_000),
          accountPrefix: `sim-${m.product.id.toLowerCase()}-trader-`,
          ...(options.generator ?? {}),
          engine: m.engine,
          ledger: this.exchange.ledger,
          seed: seed + i,
          midPrice: m.product.midPrice,
          tickSize: m.product.quoteIncrement,
        }),
    );
    const run: CoinbaseSimActivity = {
      generators,
      step(n = 1): void {
        for (let k = 0; k < n; k++) for (const g of generators) g.step(1);
      },
      start(intervalMs: number): void {
        for (const g of generators) g.start(intervalMs);
      },
      stop(): void {
        for (const g of generators) g.stop();
      },
    };
    this.activityRun = run;
    return run;
  }

  // ------------------------------------------------------------------ faults

  /** Drops feed connections now (only those subscribed to a channel of `pair` when given). */
  dropMarketSockets(pair?: string): void {
    if (pair === undefined) {
      this.faults.dropSocket({});
      return;
    }
    this.marketOf(pair);
    this.faults.dropSocket({ stream: new RegExp(`:${escapeRe(pair)}$`) });
  }

  /** Drops the feed connections that carry a `user` subscription (of `apiKey` when given). */
  dropUserSockets(apiKey?: string): number {
    return this.feed.dropUserConnections(apiKey);
  }

  /**
   * A user-feed outage: drops the connections with a `user` subscription and drops any
   * connection that subscribes to `user` until `restore()` (or for `forMs`).
   */
  userStreamDown(options: { forMs?: number } = {}): CoinbaseOutageHandle {
    this.feed.setRefusingUser(true);
    this.dropUserSockets();
    return outage(() => this.feed.setRefusingUser(false), options.forMs);
  }

  /** A feed outage: drops every feed connection and refuses new ones until `restore()` (or for `forMs`). */
  marketStreamDown(options: { forMs?: number } = {}): CoinbaseOutageHandle {
    this.feed.setRefusingAll(true);
    this.dropMarketSockets();
    return outage(() => this.feed.setRefusingAll(false), options.forMs);
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
    const stream = options.pair === undefined ? /:/ : new RegExp(`:${escapeRe(options.pair)}$`);
    return this.faults.delayFrames({ stream }, ms);
  }

  /** Delays REST answers (matching `path` when given) by `ms` until the handle is removed. */
  delayResponses(ms: number, options: { path?: string | RegExp } = {}): FaultHandle {
    return this.faults.delayResponses(options.path === undefined ? {} : { path: options.path }, ms);
  }

  /**
   * The next `n` REST requests (matching `path` when given) answer 429 unapplied, with
   * "Private rate limit exceeded" for private paths and "Public rate limit exceeded"
   * otherwise (`scope` overrides).
   */
  rateLimitNext(
    n: number,
    options: { path?: string | RegExp; scope?: 'public' | 'private' } = {},
  ): FaultHandle {
    const scope =
      options.scope ??
      (typeof options.path === 'string'
        ? PRIVATE_PATH.test(options.path)
          ? 'private'
          : 'public'
        : 'private');
    return this.faults.rateLimit(options.path === undefined ? {} : { path: options.path }, {
      times: n,
      retryAfterSec: 1,
      body: {
        message: scope === 'public' ? COINBASE_SIM_MSG.publicRateLimit : COINBASE_SIM_MSG.privateRateLimit,
      },
    });
  }

  /**
   * The next order request fails. `apply: false` (default): it never reaches the
   * exchange (5xx, or no answer with `outcome: 'timeout'`). `apply: true`: the order
   * IS placed (or cancelled, with `method: 'DELETE'`) but the client sees the 5xx or
   * the timeout: the unknown-outcome case.
   */
  failNextOrder(
    options: {
      outcome?: number | 'timeout';
      apply?: boolean;
      times?: number;
      method?: 'POST' | 'DELETE';
    } = {},
  ): FaultHandle {
    const method = options.method ?? 'POST';
    const match = { method, path: method === 'POST' ? '/orders' : /^\/orders\/[^/]+$/ };
    const outcome = options.outcome ?? 503;
    const times = { times: options.times ?? 1 };
    if (options.apply === true) return this.faults.applyButFail(match, { ...times, outcome });
    if (outcome === 'timeout') return this.faults.timeout(match, times);
    return this.faults.serverError(match, { ...times, status: outcome });
  }

  /** Skews the server clock: positive = server ahead of the client. */
  skewClock(ms: number): void {
    this.faults.skewClock(ms);
  }

  /** Removes every fault rule and the clock skew; ends outages. */
  clearFaults(): void {
    this.faults.clear();
    this.feed.setRefusingAll(false);
    this.feed.setRefusingUser(false);
  }

  private marketOf(pair: string): SimProductState {
    const m = this.exchange.market(pair);
    if (m === undefined) throw new Error(`CoinbaseProSimulator: unknown product ${pair}`);
    return m;
  }

  private streamPattern(channel: string, pair?: string): RegExp {
    if (pair !== undefined) this.marketOf(pair);
    return new RegExp(
      `^${escapeRe(channel)}:${pair === undefined ? '[A-Z0-9]+-[A-Z0-9]+' : escapeRe(pair)}$`,
    );
  }
}

function outage(end: () => void, forMs: number | undefined): CoinbaseOutageHandle {
  let timer: NodeJS.Timeout | undefined;
  const restore = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    end();
  };
  if (forMs !== undefined) {
    timer = setTimeout(restore, forMs);
    timer.unref();
  }
  return { restore };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Injected error answers in Coinbase's `{message}` shape. */
function faultBody(status: number): unknown {
  if (status === 429) return { message: COINBASE_SIM_MSG.privateRateLimit };
  if (status === 503) return { message: 'Service Unavailable' };
  if (status === 504) return { message: 'Gateway Timeout' };
  return { message: COINBASE_SIM_MSG.internal };
}
