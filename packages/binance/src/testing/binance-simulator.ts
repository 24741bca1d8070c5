// The Binance spot simulator: Binance's wire protocol over @hb/testing's
// SimulatorBase. REST (`/api/v3/...`), market streams (`/ws/...`, `/stream?...`)
// and the WebSocket API (`/ws-api/v3`) around one simulated exchange, plus the
// knobs that depend on Binance's framing: depth-update faults, stale snapshots,
// request weight, pings. Lifecycle, accounts, truth accessors, activity, outages
// and REST faults come from the base.

import {
  SimRateLimits,
  SimulatorBase,
  type FaultHandle,
  type SimActivity,
  type SimActivityOptions,
  type SimHttpHandler,
  type SimVenue,
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

export type { OutageHandle, SimRequestLogEntry } from '@hb/testing';

/** Synthetic market activity over the simulator's markets. */
export type BinanceSimActivity = SimActivity;

/** Options of {@link BinanceSimulator.activity} (`pairs` may name pairs or symbols). */
export type BinanceSimActivityOptions = SimActivityOptions;

interface StaleSnapshotRule {
  readonly seq: number;
  readonly behind: number | undefined;
  remaining: number;
}

/**
 * A loopback Binance spot exchange speaking the real wire protocol
 * (shared/exchanges/binance.md). Start with {@link BinanceSimulator.start}, point a
 * connector at {@link restUrl} / {@link wsUrl} / {@link wsApiUrl}, {@link stop} when done.
 */
export class BinanceSimulator extends SimulatorBase<BinanceSimAccountInput> {
  /** The exchange state (engines, ledger, accounts). */
  readonly exchange: BinanceSimExchange;
  protected readonly venue: SimVenue;
  /** Rate limits (defaults: Binance's): change them with `set`, forget used weight, order counts and bans with `reset`. */
  readonly rateLimits: SimRateLimits<BinanceSimLimits>;

  private readonly marketStreams: BinanceMarketStreams;
  private readonly wsApi: BinanceWsApi;
  private readonly weights: RequestWeightLimiter;
  private readonly rest: SimHttpHandler;
  private readonly stale = new Map<string, StaleSnapshotRule>();
  private readonly lastPong = new Map<number, number>();
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(options: BinanceSimulatorOptions) {
    super({
      name: 'BinanceSimulator',
      clock: options.clock,
      errorBody: faultBody,
      apiKeyHeader: 'x-mbx-apikey',
      orderPaths: { place: '/api/v3/order', cancel: '/api/v3/order' },
    });
    this.rateLimits = new SimRateLimits(DEFAULT_BINANCE_SIM_LIMITS, options.limits);
    const limits = this.rateLimits.get;
    const now = (): number => this.clock.now();
    this.exchange = new BinanceSimExchange({
      markets: (options.markets ?? DEFAULT_BINANCE_SIM_MARKETS).map(resolveMarket),
      clock: this.clock,
      fees: options.fees ?? { maker: '0.001', taker: '0.001' },
      seed: options.seed ?? 1,
    });
    const exchange = this.exchange;
    this.venue = exchange.venue();
    this.weights = this.rateLimits.track(new RequestWeightLimiter(limits, now));
    this.marketStreams = new BinanceMarketStreams({
      exchange,
      depthMode: options.depthMode ?? 'interval',
      limits,
    });
    this.wsApi = new BinanceWsApi({
      exchange,
      weights: this.weights,
      limits,
      rejectedExecutionReports: options.rejectedExecutionReports ?? false,
    });
    for (const m of exchange.markets) {
      m.engine.events$.subscribe((ev) => {
        this.marketStreams.onEngineEvent(m, ev);
        this.wsApi.onEngineEvent(m, ev);
      });
    }
    exchange.ledger.changes$.subscribe((c) => this.wsApi.onBalanceChange(c));
    this.rest = createBinanceRestHandler({
      exchange,
      weights: this.weights,
      orders: this.rateLimits.track(new OrderRateCounter(limits, now)),
      limits,
      depthSnapshot: (m, limit) => this.depthSnapshot(m, limit),
    });
  }

  /** Starts the servers; resolves once both listen. */
  static async start(options: BinanceSimulatorOptions = {}): Promise<BinanceSimulator> {
    const sim = new BinanceSimulator(options);
    await sim.listen(sim.rest, (conn) => sim.accept(conn));
    sim.startHeartbeat(options.pingIntervalMs ?? 20_000, options.pongTimeoutMs ?? 60_000);
    sim.createStartAccounts(options, DEMO_ACCOUNT);
    return sim;
  }

  /** `ws://127.0.0.1:<port>/ws-api/v3`: the WebSocket API (user data stream). */
  get wsApiUrl(): string {
    return `${this.wsUrl}${WS_API_PATH}`;
  }

  protected override onStop(): void {
    clearInterval(this.heartbeat);
    this.marketStreams.close();
  }

  // ------------------------------------------------------------------ setup

  /** The markets as configured (pair, symbol, filters). */
  get markets(): readonly BinanceSimMarket[] {
    return this.exchange.markets.map((m) => m.market);
  }

  /** Registers an API account and funds it in the ledger. */
  createAccount(input: BinanceSimAccountInput): BinanceSimAccount {
    return this.exchange.createAccount(input);
  }

  /** REQUEST_WEIGHT used in the current minute. */
  usedWeight(): number {
    return this.weights.used;
  }

  // ------------------------------------------------------------------ truth

  /** The book sequence (the next snapshot's `lastUpdateId`). */
  bookSequence(pairOrSymbol: string): number {
    return this.engine(pairOrSymbol).bookSequence;
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

  // ------------------------------------------------------------------ faults

  /** Drops market-stream connections now (only those carrying a stream of `pair` when given). */
  dropMarketSockets(pairOrSymbol?: string): void {
    if (pairOrSymbol === undefined) {
      this.faults.dropSocket({ path: /^\/(ws|stream)(\/|$)/ });
      return;
    }
    const prefix = `${this.symbolOf(pairOrSymbol)}@`;
    for (const c of this.marketStreams.connections()) {
      if ([...c.streams].some((s) => s.startsWith(prefix))) c.terminate();
    }
  }

  /**
   * Refuses live `SUBSCRIBE`s of the pair's streams (all pairs when omitted) with
   * Binance's error reply until `restore()`.
   */
  refuseSubscriptions(pairOrSymbol?: string): { restore(): void; readonly refused: number } {
    const pattern =
      pairOrSymbol === undefined ? /./ : new RegExp(`^${this.symbolOf(pairOrSymbol).toLowerCase()}@`);
    this.marketStreams.setRefusedSubscriptions(pattern);
    const streams = this.marketStreams;
    const before = streams.refusedSubscriptionCount;
    return {
      restore: () => streams.setRefusedSubscriptions(undefined),
      /** SUBSCRIBE requests refused since this call. */
      get refused() {
        return streams.refusedSubscriptionCount - before;
      },
    };
  }

  /** Drops WebSocket API (user stream) connections now. */
  dropUserSockets(): void {
    this.faults.dropSocket({ path: WS_API_PATH });
  }

  /** A user-stream outage refuses WebSocket API connections. */
  protected refuseUserStreams(on: boolean): void {
    this.wsApi.setRefusing(on);
  }

  /** A market-stream outage refuses `/ws` and `/stream` connections. */
  protected refuseMarketStreams(on: boolean): void {
    this.marketStreams.setRefusing(on);
  }

  /** The next `times` depth update frames (of `pair`, or any) are never sent: a gap in U/u. */
  skipDepthUpdate(pairOrSymbol?: string, times = 1): FaultHandle {
    return this.faults.skipSequence({ stream: this.depthStreamPattern(pairOrSymbol) }, { times });
  }

  /** The next `times` depth update frames are sent twice. */
  repeatDepthUpdate(pairOrSymbol?: string, times = 1, options: { late?: boolean } = {}): FaultHandle {
    return this.faults.repeatSequence(
      { stream: this.depthStreamPattern(pairOrSymbol) },
      { times, late: options.late === true },
    );
  }

  /** The next depth update frame is swapped with the one after it. */
  reorderDepthUpdate(pairOrSymbol?: string, times = 1): FaultHandle {
    return this.faults.reorderSequence({ stream: this.depthStreamPattern(pairOrSymbol) }, { times });
  }

  /** A malformed frame before (or instead of) the next market-stream frame (of `pair` when given). */
  malformedMarketFrame(options: { pair?: string; frame?: string; replace?: boolean } = {}): FaultHandle {
    const stream = options.pair === undefined ? /@/ : new RegExp(`^${this.symbolOf(options.pair)}@`);
    return this.faults.malformedFrame(
      { stream },
      { ...(options.frame === undefined ? {} : { frame: options.frame }), replace: options.replace === true },
    );
  }

  /**
   * The next `times` depth snapshots of a pair are stale: the book as it is now
   * (`lastUpdateId` frozen at the current sequence while the stream moves on), or,
   * with `behind`, as it was `behind` book changes before each request.
   */
  staleSnapshot(pairOrSymbol: string, options: { behind?: number; times?: number } = {}): void {
    const m = this.marketInfo(pairOrSymbol);
    this.stale.set(m.id, {
      seq: m.engine.bookSequence,
      behind: options.behind,
      remaining: options.times ?? 1,
    });
  }

  /** Removes every fault rule, the clock skew and stale snapshots; ends outages. */
  override clearFaults(): void {
    super.clearFaults();
    this.stale.clear();
  }

  // ------------------------------------------------------------------ wiring

  private accept(conn: WsConnection): void {
    this.lastPong.set(conn.id, Date.now());
    conn.onPong(() => this.lastPong.set(conn.id, Date.now()));
    conn.onClose(() => this.lastPong.delete(conn.id));
    if (conn.path === WS_API_PATH) this.wsApi.accept(conn);
    else if (conn.path === '/ws' || conn.path.startsWith('/ws/') || conn.path === '/stream')
      this.marketStreams.accept(conn);
    else conn.close(1008, 'Not found');
  }

  /** Binance pings every 20 s and drops a connection silent for a minute. */
  private startHeartbeat(pingEvery: number, pongTimeout: number): void {
    this.heartbeat = setInterval(() => {
      const t = Date.now();
      for (const c of this.wsConnections()) {
        if (t - (this.lastPong.get(c.id) ?? t) > pongTimeout) c.terminate();
        else c.ping();
      }
    }, pingEvery);
    this.heartbeat.unref();
  }

  private depthSnapshot(m: SimMarketState, limit: number): BinanceDepthSnapshot {
    const rule = this.stale.get(m.market.symbol);
    if (rule !== undefined && rule.remaining > 0) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.stale.delete(m.market.symbol);
      const current = m.engine.bookSequence;
      const target = rule.behind === undefined ? rule.seq : Math.max(0, current - rule.behind);
      return this.marketStreams.snapshotAt(m.market.symbol, target, limit);
    }
    const snap = m.engine.snapshot(limit);
    return {
      lastUpdateId: snap.bookSequence,
      bids: snap.bids.map(([p, a]) => [dec(p), dec(a)] as const),
      asks: snap.asks.map(([p, a]) => [dec(p), dec(a)] as const),
    };
  }

  /** The lower-case symbol of a pair, as in stream names. */
  private symbolOf(pairOrSymbol: string): string {
    return this.marketInfo(pairOrSymbol).id.toLowerCase();
  }

  private depthStreamPattern(pairOrSymbol?: string): RegExp {
    const sym = pairOrSymbol === undefined ? '[a-z0-9]+' : this.symbolOf(pairOrSymbol);
    return new RegExp(`^${sym}@depth(@100ms)?$`);
  }
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
