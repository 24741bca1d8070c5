// The Binance spot simulator: wiring and lifecycle. One HTTP server for REST and one
// WebSocket server for market streams (`/ws/...`, `/stream?...`) and the WebSocket
// API (`/ws-api/v3`), both on 127.0.0.1 with random ports, around one simulated
// exchange; plus the fault knobs, synthetic activity and the "truth" accessors
// integration tests compare a connector's view with.

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
import type { BinanceDepthSnapshot } from '../binance-types.js';
import { BINANCE_SIM_MSG } from './binance-sim-errors.js';
import { BinanceSimExchange, type SimMarketState } from './binance-sim-exchange.js';
import { BinanceMarketStreams } from './binance-sim-market-streams.js';
import { createBinanceRestHandler } from './binance-sim-rest.js';
import {
  DEFAULT_BINANCE_SIM_MARKETS,
  DEMO_ACCOUNT,
  resolveMarket,
  type BinanceSimAccount,
  type BinanceSimAccountInput,
  type BinanceSimMarket,
  type BinanceSimulatorOptions,
} from './binance-sim-types.js';
import {
  DEFAULT_BINANCE_SIM_LIMITS,
  OrderRateCounter,
  RequestWeightLimiter,
  type BinanceSimLimits,
} from './binance-sim-weights.js';
import { dec } from './binance-sim-wire.js';
import { BinanceWsApi, WS_API_PATH, type UserStreamSubscriptionInfo } from './binance-sim-ws-api.js';

/** One REST request as the simulator received it (before any fault). */
export interface SimRequestLogEntry {
  readonly method: string;
  readonly path: string;
  /** `X-MBX-APIKEY`, when sent. */
  readonly apiKey: string | undefined;
  /** Server time of arrival. */
  readonly time: number;
}

/** A switched-on outage; `restore()` ends it. */
export interface OutageHandle {
  restore(): void;
}

/** Synthetic market activity over the simulator's markets. */
export interface BinanceSimActivity {
  /** One generator per market, in market order. */
  readonly generators: readonly MarketActivityGenerator[];
  /** Runs `n` steps on every market (round robin), synchronously. */
  step(n?: number): void;
  /** Steps every market every `intervalMs` (timers unref'd) until {@link stop}. */
  start(intervalMs: number): void;
  /** Stops {@link start}. */
  stop(): void;
}

/** Options of {@link BinanceSimulator.activity}. */
export interface BinanceSimActivityOptions {
  /** Only these pairs (default all). */
  readonly pairs?: readonly string[];
  /** Passed to each generator (rates, traders, levels, maxSteps, drift...). */
  readonly generator?: Partial<
    Omit<MarketActivityOptions, 'engine' | 'ledger' | 'seed' | 'midPrice' | 'tickSize'>
  >;
}

interface StaleSnapshotRule {
  readonly seq: number;
  readonly behind: number | undefined;
  remaining: number;
}

const TAKER_ACCOUNT = 'sim-taker';
const REQUEST_LOG_LIMIT = 10_000;

/**
 * A loopback Binance spot exchange speaking the real wire protocol
 * (shared/exchanges/binance.md). Start with {@link BinanceSimulator.start}, point a
 * connector at {@link restUrl} / {@link wsUrl} / {@link wsApiUrl}, {@link stop} when done.
 */
export class BinanceSimulator {
  /** `http://127.0.0.1:<port>`: REST base (paths `/api/v3/...`). */
  readonly restUrl: string;
  /** `ws://127.0.0.1:<port>`: market streams at `/ws/<stream>` and `/stream?streams=a/b`. */
  readonly wsUrl: string;
  /** `ws://127.0.0.1:<port>/ws-api/v3`: the WebSocket API (user data stream). */
  readonly wsApiUrl: string;
  /** The server clock (skew it with {@link skewClock}). */
  readonly clock: SimClock;
  /** Fault knobs (the methods below are shortcuts over it). */
  readonly faults: FaultInjector;
  /** The exchange state (engines, ledger, accounts). */
  readonly exchange: BinanceSimExchange;
  /** The demo account, when the `demoAccount` option was given. */
  readonly demoAccount: BinanceSimAccountInput | undefined;

  private readonly http: RunningHttpServer;
  private readonly ws: RunningWsServer;
  private readonly marketStreams: BinanceMarketStreams;
  private readonly wsApi: BinanceWsApi;
  private readonly weights: RequestWeightLimiter;
  private readonly limitsRef: { current: BinanceSimLimits };
  private readonly log: SimRequestLogEntry[];
  private readonly orderRequests: Map<string, number>;
  private readonly stale: Map<string, StaleSnapshotRule>;
  private readonly heartbeat: NodeJS.Timeout;
  private activityRun: BinanceSimActivity | undefined;
  private stopped = false;

  private constructor(parts: {
    http: RunningHttpServer;
    ws: RunningWsServer;
    clock: SimClock;
    faults: FaultInjector;
    exchange: BinanceSimExchange;
    marketStreams: BinanceMarketStreams;
    wsApi: BinanceWsApi;
    weights: RequestWeightLimiter;
    limitsRef: { current: BinanceSimLimits };
    log: SimRequestLogEntry[];
    orderRequests: Map<string, number>;
    stale: Map<string, StaleSnapshotRule>;
    heartbeat: NodeJS.Timeout;
    demoAccount: BinanceSimAccountInput | undefined;
  }) {
    this.http = parts.http;
    this.ws = parts.ws;
    this.clock = parts.clock;
    this.faults = parts.faults;
    this.exchange = parts.exchange;
    this.marketStreams = parts.marketStreams;
    this.wsApi = parts.wsApi;
    this.weights = parts.weights;
    this.limitsRef = parts.limitsRef;
    this.log = parts.log;
    this.orderRequests = parts.orderRequests;
    this.stale = parts.stale;
    this.heartbeat = parts.heartbeat;
    this.demoAccount = parts.demoAccount;
    this.restUrl = parts.http.url;
    this.wsUrl = parts.ws.url;
    this.wsApiUrl = `${parts.ws.url}${WS_API_PATH}`;
  }

  /** Starts the servers; resolves once both listen. */
  static async start(options: BinanceSimulatorOptions = {}): Promise<BinanceSimulator> {
    const clock = options.clock ?? new SimClock();
    const limitsRef = { current: { ...DEFAULT_BINANCE_SIM_LIMITS, ...(options.limits ?? {}) } };
    const limits = (): BinanceSimLimits => limitsRef.current;
    const exchange = new BinanceSimExchange({
      markets: (options.markets ?? DEFAULT_BINANCE_SIM_MARKETS).map(resolveMarket),
      clock,
      fees: options.fees ?? { maker: '0.001', taker: '0.001' },
      seed: options.seed ?? 1,
    });
    const faults = new FaultInjector({ clock, errorBody: faultBody });
    const now = (): number => clock.now();
    const weights = new RequestWeightLimiter(limits, now);
    const orders = new OrderRateCounter(limits, now);
    const marketStreams = new BinanceMarketStreams({
      exchange,
      depthMode: options.depthMode ?? 'interval',
      limits,
    });
    const wsApi = new BinanceWsApi({
      exchange,
      weights,
      limits,
      rejectedExecutionReports: options.rejectedExecutionReports ?? false,
    });
    for (const m of exchange.markets) {
      m.engine.events$.subscribe((ev) => {
        marketStreams.onEngineEvent(m, ev);
        wsApi.onEngineEvent(m, ev);
      });
    }
    exchange.ledger.changes$.subscribe((c) => wsApi.onBalanceChange(c));

    const stale = new Map<string, StaleSnapshotRule>();
    const depthSnapshot = (m: SimMarketState, limit: number): BinanceDepthSnapshot => {
      const rule = stale.get(m.market.symbol);
      if (rule !== undefined && rule.remaining > 0) {
        rule.remaining -= 1;
        if (rule.remaining <= 0) stale.delete(m.market.symbol);
        const current = m.engine.bookSequence;
        const target = rule.behind === undefined ? rule.seq : Math.max(0, current - rule.behind);
        return marketStreams.snapshotAt(m.market.symbol, target, limit);
      }
      const snap = m.engine.snapshot(limit);
      return {
        lastUpdateId: snap.bookSequence,
        bids: snap.bids.map(([p, a]) => [dec(p), dec(a)] as const),
        asks: snap.asks.map(([p, a]) => [dec(p), dec(a)] as const),
      };
    };

    const log: SimRequestLogEntry[] = [];
    const orderRequests = new Map<string, number>();
    const onRequest = (r: SimHttpRequest): void => {
      const header = r.headers['x-mbx-apikey'];
      const apiKey = Array.isArray(header) ? header[0] : header;
      log.push({ method: r.method, path: r.path, apiKey, time: clock.now() });
      // A demo runs for hours: keep the log bounded.
      if (log.length > REQUEST_LOG_LIMIT) log.splice(0, log.length - REQUEST_LOG_LIMIT);
      if (r.method === 'POST' && r.path === '/api/v3/order' && apiKey !== undefined) {
        orderRequests.set(apiKey, (orderRequests.get(apiKey) ?? 0) + 1);
      }
    };
    const http = await startHttpServer(
      createBinanceRestHandler({ exchange, weights, orders, limits, depthSnapshot }),
      {
        faults,
        onRequest,
      },
    );

    const lastPong = new Map<number, number>();
    let ws: RunningWsServer;
    try {
      ws = await startWsServer(
        (conn: WsConnection) => {
          lastPong.set(conn.id, Date.now());
          conn.onPong(() => lastPong.set(conn.id, Date.now()));
          conn.onClose(() => lastPong.delete(conn.id));
          if (conn.path === WS_API_PATH) wsApi.accept(conn);
          else if (conn.path === '/ws' || conn.path.startsWith('/ws/') || conn.path === '/stream')
            marketStreams.accept(conn);
          else conn.close(1008, 'Not found');
        },
        { faults },
      );
    } catch (e) {
      await http.close();
      marketStreams.close();
      throw e;
    }

    // Binance pings every 20 s and drops a connection silent for a minute.
    const pingEvery = options.pingIntervalMs ?? 20_000;
    const pongTimeout = options.pongTimeoutMs ?? 60_000;
    const heartbeat = setInterval(() => {
      const t = Date.now();
      for (const c of ws.connections()) {
        if (t - (lastPong.get(c.id) ?? t) > pongTimeout) c.terminate();
        else c.ping();
      }
    }, pingEvery);
    heartbeat.unref();

    let demo: BinanceSimAccountInput | undefined;
    if (options.demoAccount !== undefined && options.demoAccount !== false) {
      demo = { ...DEMO_ACCOUNT, ...(options.demoAccount === true ? {} : options.demoAccount) };
      exchange.createAccount(demo);
    }
    for (const a of options.accounts ?? []) exchange.createAccount(a);

    return new BinanceSimulator({
      http,
      ws,
      clock,
      faults,
      exchange,
      marketStreams,
      wsApi,
      weights,
      limitsRef,
      log,
      orderRequests,
      stale,
      heartbeat,
      demoAccount: demo,
    });
  }

  /** Stops activity, timers and both servers. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.activityRun?.stop();
    clearInterval(this.heartbeat);
    this.marketStreams.close();
    await Promise.all([this.http.close(), this.ws.close()]);
  }

  // ------------------------------------------------------------------ setup

  /** The markets as configured (pair, symbol, filters). */
  get markets(): readonly BinanceSimMarket[] {
    return this.exchange.markets.map((m) => m.market);
  }

  /** The shared balance ledger. */
  get ledger(): BalanceLedger {
    return this.exchange.ledger;
  }

  /** The matching engine of a pair (`BTC-USDT`) or symbol (`BTCUSDT`). */
  engine(pairOrSymbol: string): MatchingEngine {
    return this.marketOf(pairOrSymbol).engine;
  }

  /** Registers an API account and funds it in the ledger. */
  createAccount(input: BinanceSimAccountInput): BinanceSimAccount {
    return this.exchange.createAccount(input);
  }

  /** Deposits into an account (sends balanceUpdate and outboundAccountPosition to its user stream). */
  deposit(apiKey: string, asset: string, amount: BigNumber.Value): void {
    this.exchange.ledger.deposit(apiKey, asset, amount);
  }

  /** Changes rate limits at run time (e.g. a low weight limit for one test). */
  setLimits(limits: Partial<BinanceSimLimits>): void {
    this.limitsRef.current = { ...this.limitsRef.current, ...limits };
  }

  /** Forgets used weight, pending Retry-After and bans. */
  resetRateLimits(): void {
    this.weights.reset();
  }

  /** REQUEST_WEIGHT used in the current minute. */
  usedWeight(): number {
    return this.weights.used;
  }

  // ------------------------------------------------------------------ truth

  /** The engine's true book, best first, as numbers (compare with a connector's OrderBook). */
  trueBook(pairOrSymbol: string, depth?: number): { bids: [number, number][]; asks: [number, number][] } {
    const e = this.engine(pairOrSymbol);
    return { bids: e.levelsAsNumbers('bid', depth), asks: e.levelsAsNumbers('ask', depth) };
  }

  /** The book sequence (the next snapshot's `lastUpdateId`). */
  bookSequence(pairOrSymbol: string): number {
    return this.engine(pairOrSymbol).bookSequence;
  }

  /** An account's order by client id on any market (open or retained). */
  orderByClientOrderId(apiKey: string, clientOrderId: string): EngineOrder | undefined {
    return this.exchange.findByClientOrderId(apiKey, clientOrderId)?.order;
  }

  /** How much of an account's order (by client id) has filled; zero when there is no such order. */
  ledgerFilledAmount(apiKey: string, clientOrderId: string): BigNumber {
    return this.orderByClientOrderId(apiKey, clientOrderId)?.filledAmount ?? new BigNumber(0);
  }

  /** `POST /api/v3/order` requests that reached the server with this API key (faulted ones included). */
  orderRequestCount(apiKey: string): number {
    return this.orderRequests.get(apiKey) ?? 0;
  }

  /** REST requests received, oldest first (the most recent 10 000). */
  requestLog(): readonly SimRequestLogEntry[] {
    return this.log;
  }

  /**
   * Another account crosses an order resting at `price`: for our `buy` it sells
   * `amount` there (IOC), for our `sell` it buys. It trades with better-priced orders
   * first, as any taker would. Returns the taker's order.
   */
  takeFromAccount(
    apiKey: string,
    pairOrSymbol: string,
    sideOfOurOrder: 'buy' | 'sell',
    price: BigNumber.Value,
    amount: BigNumber.Value,
  ): EngineOrder {
    void apiKey; // which order is hit is decided by price-time priority, as on the exchange
    const m = this.marketOf(pairOrSymbol);
    const p = new BigNumber(price);
    const a = new BigNumber(amount);
    const side = sideOfOurOrder === 'buy' ? 'sell' : 'buy';
    if (side === 'sell') this.exchange.ledger.deposit(TAKER_ACCOUNT, m.market.baseAsset, a);
    else this.exchange.ledger.deposit(TAKER_ACCOUNT, m.market.quoteAsset, p.times(a));
    return m.engine.place({
      account: TAKER_ACCOUNT,
      side,
      type: 'limit',
      price: p,
      amount: a,
      timeInForce: 'IOC',
    });
  }

  // ------------------------------------------------------------------ streams

  /** Sends every pending depth update now (any depth mode). */
  flush(): void {
    this.marketStreams.flush();
    this.wsApi.flushPositions();
  }

  /** Open market-stream connections. */
  marketConnections(): WsConnection[] {
    return this.marketStreams.connections();
  }

  /** Open WebSocket API connections. */
  wsApiConnections(): WsConnection[] {
    return this.wsApi.connections();
  }

  /** Live user data subscriptions. */
  userStreamSubscriptions(): UserStreamSubscriptionInfo[] {
    return this.wsApi.subscriptions();
  }

  /**
   * Ends the user data subscriptions of one API key (all when omitted) with
   * `{"subscriptionId":N,"event":{"e":"eventStreamTerminated","E":..}}`. The socket
   * stays open. Returns how many subscriptions ended.
   */
  terminateUserStream(apiKey?: string): number {
    return this.wsApi.terminate(apiKey);
  }

  // ------------------------------------------------------------------ activity

  /**
   * Synthetic activity on every market (or `pairs`): other accounts place, cancel and
   * cross orders on the tick grid around each market's mid price. Deterministic per
   * seed. Replaces any previous activity.
   */
  activity(seed: number, options: BinanceSimActivityOptions = {}): BinanceSimActivity {
    this.activityRun?.stop();
    const chosen = this.exchange.markets.filter(
      (m) =>
        options.pairs === undefined ||
        options.pairs.includes(m.market.pair) ||
        options.pairs.includes(m.market.symbol),
    );
    const generators = chosen.map(
      (m, i) =>
        new MarketActivityGenerator({
          stepSize: new BigNumber(m.market.stepSize).times(10),
          accountPrefix: `sim-${m.market.symbol.toLowerCase()}-trader-`,
          ...(options.generator ?? {}),
          engine: m.engine,
          ledger: this.exchange.ledger,
          seed: seed + i,
          midPrice: m.market.midPrice,
          tickSize: m.market.tickSize,
        }),
    );
    const run: BinanceSimActivity = {
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

  /** Drops market-stream connections now (only those carrying a stream of `pair` when given). */
  dropMarketSockets(pairOrSymbol?: string): void {
    if (pairOrSymbol === undefined) {
      this.faults.dropSocket({ path: /^\/(ws|stream)(\/|$)/ });
      return;
    }
    const prefix = `${this.marketOf(pairOrSymbol).market.symbol.toLowerCase()}@`;
    for (const c of this.marketStreams.connections()) {
      if ([...c.streams].some((s) => s.startsWith(prefix))) c.terminate();
    }
  }

  /** Drops WebSocket API (user stream) connections now. */
  dropUserSockets(): void {
    this.faults.dropSocket({ path: WS_API_PATH });
  }

  /**
   * Drops the user stream (WS API) sockets and refuses reconnects (accepted, then
   * terminated at once) until `restore()`, or for `forMs` when given.
   */
  userStreamDown(options: { forMs?: number } = {}): OutageHandle {
    this.wsApi.setRefusing(true);
    this.dropUserSockets();
    return outage(() => this.wsApi.setRefusing(false), options.forMs);
  }

  /** Drops the market-stream sockets and refuses reconnects until `restore()` (or for `forMs`). */
  marketStreamDown(options: { forMs?: number } = {}): OutageHandle {
    this.marketStreams.setRefusing(true);
    this.dropMarketSockets();
    return outage(() => this.marketStreams.setRefusing(false), options.forMs);
  }

  /** The next `times` depth update frames (of `pair`, or any) are never sent: a gap in U/u. */
  skipDepthUpdate(pairOrSymbol?: string, times = 1): FaultHandle {
    return this.faults.skipSequence({ stream: this.depthStreamPattern(pairOrSymbol) }, { times });
  }

  /** The next `times` depth update frames are sent twice. */
  repeatDepthUpdate(pairOrSymbol?: string, times = 1): FaultHandle {
    return this.faults.repeatSequence({ stream: this.depthStreamPattern(pairOrSymbol) }, { times });
  }

  /** The next depth update frame is swapped with the one after it. */
  reorderDepthUpdate(pairOrSymbol?: string, times = 1): FaultHandle {
    return this.faults.reorderSequence({ stream: this.depthStreamPattern(pairOrSymbol) }, { times });
  }

  /** A malformed frame before (or instead of) the next market-stream frame (of `pair` when given). */
  malformedMarketFrame(options: { pair?: string; frame?: string; replace?: boolean } = {}): FaultHandle {
    const stream =
      options.pair === undefined
        ? /@/
        : new RegExp(`^${this.marketOf(options.pair).market.symbol.toLowerCase()}@`);
    return this.faults.malformedFrame(
      { stream },
      { ...(options.frame === undefined ? {} : { frame: options.frame }), replace: options.replace === true },
    );
  }

  /** The next `n` REST requests (matching `path` when given) answer 429 -1003 with Retry-After, unapplied. */
  rateLimitNext(
    n: number,
    options: { retryAfterSec?: number; status?: 429 | 418; path?: string } = {},
  ): FaultHandle {
    return this.faults.rateLimit(options.path === undefined ? {} : { path: options.path }, {
      times: n,
      retryAfterSec: options.retryAfterSec ?? 1,
      status: options.status ?? 429,
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
    const match = { method: options.method ?? 'POST', path: '/api/v3/order' };
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

  /**
   * The next `times` depth snapshots of a pair are stale: the book as it is now
   * (`lastUpdateId` frozen at the current sequence while the stream moves on), or,
   * with `behind`, as it was `behind` book changes before each request.
   */
  staleSnapshot(pairOrSymbol: string, options: { behind?: number; times?: number } = {}): void {
    const m = this.marketOf(pairOrSymbol);
    this.stale.set(m.market.symbol, {
      seq: m.engine.bookSequence,
      behind: options.behind,
      remaining: options.times ?? 1,
    });
  }

  /** Removes every fault rule, the clock skew and stale snapshots; ends outages. */
  clearFaults(): void {
    this.faults.clear();
    this.stale.clear();
    this.wsApi.setRefusing(false);
    this.marketStreams.setRefusing(false);
  }

  private marketOf(pairOrSymbol: string): SimMarketState {
    const m = this.exchange.market(pairOrSymbol);
    if (m === undefined) throw new Error(`BinanceSimulator: unknown market ${pairOrSymbol}`);
    return m;
  }

  private depthStreamPattern(pairOrSymbol?: string): RegExp {
    const sym =
      pairOrSymbol === undefined ? '[a-z0-9]+' : this.marketOf(pairOrSymbol).market.symbol.toLowerCase();
    return new RegExp(`^${sym}@depth(@100ms)?$`);
  }
}

function outage(end: () => void, forMs: number | undefined): OutageHandle {
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

/** Injected error answers in Binance's shape. */
function faultBody(status: number): unknown {
  if (status === 429 || status === 418) {
    return {
      code: -1003,
      msg: 'Too much request weight used; please use WebSocket Streams for live updates to avoid polling the API.',
    };
  }
  if (status === 503)
    return {
      code: -1008,
      msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.',
    };
  if (status === 504 || status === 408) {
    return {
      code: -1007,
      msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    };
  }
  return { code: -1001, msg: BINANCE_SIM_MSG.internal };
}
