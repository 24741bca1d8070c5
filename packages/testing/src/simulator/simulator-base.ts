// The exchange-independent half of every exchange simulator: lifecycle of the two
// loopback servers, accounts, the truth accessors tests compare a connector with,
// the request log, synthetic activity, outages and the REST fault shortcuts. A
// simulator subclasses SimulatorBase and adds only its wire protocol (REST handler,
// WebSocket channels, error shapes) and the knobs that depend on it.

import { maskSecrets } from '../util/mask-secrets.js';
import BigNumber from 'bignumber.js';
import { MarketActivityGenerator } from '../activity/market-activity.js';
import { Prng } from '../util/prng.js';
import { SimClock } from '../clock/sim-clock.js';
import type { BalanceLedger } from '../engine/balance-ledger.js';
import type { EngineOrder } from '../engine/engine-types.js';
import type { FeeSchedule } from '../engine/fee-schedule.js';
import type { MatchingEngine } from '../engine/matching-engine.js';
import { FaultInjector } from '../faults/fault-injector.js';
import type { FaultHandle } from '../faults/fault-types.js';
import { startHttpServer, type RunningHttpServer } from '../server/http-server.js';
import type { SimHttpHandler, SimHttpRequest } from '../server/http-types.js';
import type { Router } from '../server/router.js';
import {
  startWsServer,
  type RunningWsServer,
  type WsConnection,
  type WsConnectionHandler,
  type WsServerOptions,
} from '../server/ws-server.js';
import type {
  OutageHandle,
  SimAccountInput,
  SimActivity,
  SimActivityOptions,
  SimRequestLogEntry,
  SimulatedMarket,
  SimulatorCommonOptions,
  SimVenue,
} from './simulator-types.js';

/** What a subclass tells the base about its exchange. */
export interface SimulatorBaseConfig {
  /** The class name, for error messages (`BinanceSimulator`). */
  readonly name: string;
  /** Server clock; default a real-time SimClock. */
  readonly clock?: SimClock;
  /** The body of an injected error answer, in the exchange's error shape. */
  readonly errorBody: (status: number) => unknown;
  /** The request header (lower case) that carries the API key, for the request log. */
  readonly apiKeyHeader: string;
  /**
   * Reads the API key of a request where it is not in a header (Huobi signs
   * `AccessKeyId` into the query); `apiKeyHeader` is used when absent.
   */
  readonly apiKeyOf?: (request: SimHttpRequest) => string | undefined;
  /**
   * The order endpoint: placements (POST `place`) are counted per key, and
   * {@link SimulatorBase.failNextOrder} faults placements and cancels (DELETE `cancel`).
   */
  readonly orderPaths: { readonly place: string | RegExp; readonly cancel: string | RegExp };
}

/** Options of {@link SimulatorBase.failNextOrder}. */
export interface FailNextOrderOptions {
  /** An HTTP status (default 503), or `timeout` for no answer at all. */
  readonly outcome?: number | 'timeout';
  /** True: the request is applied before the client sees the failure (the unknown-outcome case). */
  readonly apply?: boolean;
  /** How many requests fail; default 1. */
  readonly times?: number;
  /** Placements (`POST`, the default) or cancels (`DELETE`). */
  readonly method?: 'POST' | 'DELETE';
}

/** Options of {@link SimulatorBase.rateLimitNext}. */
export interface RateLimitNextOptions {
  /** Only requests to this path (default every path). */
  readonly path?: string | RegExp;
  /** Only requests of this method (default every method). */
  readonly method?: string;
  /** `Retry-After` in seconds; default 1. */
  readonly retryAfterSec?: number;
  /** Default 429. */
  readonly status?: 429 | 418;
  /** The answer's body; default the exchange's error body for the status. */
  readonly body?: unknown;
}

/** The account {@link SimulatorBase.takeFromAccount} trades from ("another trader"). */
export const SIM_TAKER_ACCOUNT = 'sim-taker';

/** A demo runs for hours: the request log keeps this many entries. */
const REQUEST_LOG_LIMIT = 10_000;

/**
 * Sets an account's own fee rates (when given) and deposits its starting balances:
 * the ledger side of every simulator's `createAccount`.
 */
export function fundSimAccount(ledger: BalanceLedger, fees: FeeSchedule, input: SimAccountInput): void {
  if (input.fees !== undefined) fees.set(input.apiKey, input.fees);
  for (const [asset, amount] of Object.entries(input.balances ?? {})) {
    if (new BigNumber(amount).gt(0)) ledger.deposit(input.apiKey, asset, amount);
  }
}

/**
 * The base of an exchange simulator. A subclass builds its exchange state in its
 * constructor (engines on `this.clock`), sets {@link venue}, and in its static
 * `start` calls {@link listen} with its REST handler and WebSocket acceptor, then
 * {@link createStartAccounts}. It implements the socket-level knobs that depend
 * on its channels ({@link dropMarketSockets}, {@link dropUserSockets}, the two
 * `refuse*` hooks) and {@link flush}; everything else here works for any exchange.
 */
export abstract class SimulatorBase<A extends SimAccountInput = SimAccountInput> {
  /** The server clock (skew it with {@link skewClock}). */
  readonly clock: SimClock;
  /** Fault knobs (the fault methods are shortcuts over it). */
  readonly faults: FaultInjector;
  /** The exchange state the base reads; set by the subclass's constructor. */
  protected abstract readonly venue: SimVenue;

  private servers: { readonly http: RunningHttpServer; readonly ws: RunningWsServer } | undefined;
  private demo: A | undefined;
  private readonly log: SimRequestLogEntry[] = [];
  private readonly orderRequests = new Map<string, number>();
  private activityRun: SimActivity | undefined;
  private stopped = false;

  protected constructor(private readonly config: SimulatorBaseConfig) {
    this.clock = config.clock ?? new SimClock();
    this.faults = new FaultInjector({ clock: this.clock, errorBody: config.errorBody });
  }

  // ------------------------------------------------------------------ lifecycle

  /** `http://127.0.0.1:<port>`: the REST base. */
  get restUrl(): string {
    return this.running().http.url;
  }

  /** `ws://127.0.0.1:<port>`: the WebSocket server. */
  get wsUrl(): string {
    return this.running().ws.url;
  }

  /**
   * Starts the REST server (request log and fault knobs in front of `http`) and the
   * WebSocket server (`onConnection` per socket), both on 127.0.0.1 and random ports.
   * On failure whatever started is closed again and {@link onStop} runs.
   */
  protected async listen(
    http: SimHttpHandler | Router,
    onConnection: WsConnectionHandler,
    wsOptions: Pick<WsServerOptions, 'http'> = {},
  ): Promise<void> {
    let httpServer: RunningHttpServer | undefined;
    try {
      httpServer = await startHttpServer(http, { faults: this.faults, onRequest: (r) => this.record(r) });
      const ws = await startWsServer(onConnection, { faults: this.faults, ...wsOptions });
      this.servers = { http: httpServer, ws };
    } catch (e) {
      await httpServer?.close();
      this.stopped = true;
      this.onStop();
      throw e;
    }
  }

  /** Open WebSocket connections of every path, oldest first. */
  protected wsConnections(): WsConnection[] {
    return this.running().ws.connections();
  }

  /** Releases the subclass's own timers and channels; runs once, before the servers close. */
  protected onStop(): void {
    // Nothing by default.
  }

  /** Stops activity, timers and both servers. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.activityRun?.stop();
    this.onStop();
    if (this.servers !== undefined) await Promise.all([this.servers.http.close(), this.servers.ws.close()]);
  }

  // ------------------------------------------------------------------ accounts

  /**
   * The demo account, when the `demoAccount` option was given. Its secret fields
   * are readable by name but masked in `util.inspect` and `JSON.stringify`.
   */
  get demoAccount(): A | undefined {
    return this.demo;
  }

  /** Registers an API account and funds it (see {@link fundSimAccount}). */
  abstract createAccount(input: A): unknown;

  /** Creates the demo account (over `demoDefaults`) when asked, then `options.accounts`. */
  protected createStartAccounts(options: SimulatorCommonOptions<A>, demoDefaults: A): void {
    const demo = options.demoAccount;
    if (demo !== undefined && demo !== false) {
      const input: A = { ...demoDefaults, ...(demo === true ? {} : demo) };
      // The handle callers read (and may print) keeps its secrets unprintable.
      this.demo = maskSecrets(input);
      this.createAccount(input);
    }
    for (const a of options.accounts ?? []) this.createAccount(a);
  }

  /** The shared balance ledger. */
  get ledger(): BalanceLedger {
    return this.venue.ledger;
  }

  /** Deposits into an account (its user stream hears of it as it would of a real deposit). */
  deposit(apiKey: string, asset: string, amount: BigNumber.Value): void {
    this.venue.ledger.deposit(apiKey, asset, amount);
  }

  // ------------------------------------------------------------------ truth

  /** The pairs of every market, in listing order. */
  get tradingPairs(): string[] {
    return this.venue.markets.map((m) => m.pair);
  }

  /** A market by pair (`BTC-USDT`) or exchange name (`BTCUSDT`); throws when unknown. */
  marketInfo(pairOrId: string): SimulatedMarket {
    const m = this.venue.markets.find((x) => x.pair === pairOrId || x.id === pairOrId);
    if (m === undefined) throw new Error(`${this.config.name}: unknown market ${pairOrId}`);
    return m;
  }

  /** The matching engine of a market. */
  engine(pairOrId: string): MatchingEngine {
    return this.marketInfo(pairOrId).engine;
  }

  /** The engine's true L2 book, best first, as numbers (compare with a connector's OrderBook). */
  trueBook(pairOrId: string, depth?: number): { bids: [number, number][]; asks: [number, number][] } {
    const e = this.engine(pairOrId);
    return { bids: e.levelsAsNumbers('bid', depth), asks: e.levelsAsNumbers('ask', depth) };
  }

  /** An account's order by client order id on any market (open, or finished while retained). */
  orderByClientOrderId(apiKey: string, clientOrderId: string): EngineOrder | undefined {
    return this.venue.orderByClientId(apiKey, clientOrderId);
  }

  /** How much of an account's order (by client order id) has filled; zero when there is no such order. */
  ledgerFilledAmount(apiKey: string, clientOrderId: string): BigNumber {
    return this.orderByClientOrderId(apiKey, clientOrderId)?.filledAmount ?? new BigNumber(0);
  }

  /** Order placements that reached the server with this API key (faulted ones included). */
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
    pairOrId: string,
    sideOfOurOrder: 'buy' | 'sell',
    price: BigNumber.Value,
    amount: BigNumber.Value,
  ): EngineOrder {
    void apiKey; // which order is hit is decided by price-time priority, as on the exchange
    const m = this.marketInfo(pairOrId);
    const p = new BigNumber(price);
    const a = new BigNumber(amount);
    const side = sideOfOurOrder === 'buy' ? 'sell' : 'buy';
    if (side === 'sell') this.venue.ledger.deposit(SIM_TAKER_ACCOUNT, m.baseAsset, a);
    else this.venue.ledger.deposit(SIM_TAKER_ACCOUNT, m.quoteAsset, p.times(a));
    return m.engine.place({
      account: SIM_TAKER_ACCOUNT,
      side,
      type: 'limit',
      price: p,
      amount: a,
      timeInForce: 'IOC',
    });
  }

  /** Sends every pending market and user frame now instead of at the end of its batch. */
  abstract flush(): void;

  // ------------------------------------------------------------------ activity

  /**
   * Synthetic activity on every market (or `pairs`): other accounts place, cancel and
   * cross orders on the tick grid around each market's mid price. Deterministic per
   * seed. Replaces any previous activity.
   */
  activity(seed: number, options: SimActivityOptions = {}): SimActivity {
    this.activityRun?.stop();
    const chosen = this.venue.markets.filter(
      (m) => options.pairs === undefined || options.pairs.includes(m.pair) || options.pairs.includes(m.id),
    );
    const generators = chosen.map(
      (m, i) =>
        new MarketActivityGenerator({
          stepSize: m.activityStepSize,
          accountPrefix: `sim-${m.id.toLowerCase()}-trader-`,
          ...(options.generator ?? {}),
          engine: m.engine,
          ledger: this.venue.ledger,
          seed: seed + i,
          midPrice: m.midPrice,
          tickSize: m.tickSize,
        }),
    );
    const pick = new Prng(seed ^ 0x5eed);
    let timer: NodeJS.Timeout | undefined;
    const stepSpread = (n: number): void => {
      if (generators.length === 0) return;
      for (let k = 0; k < n; k++) generators[pick.int(0, generators.length - 1)]!.step(1);
    };
    const run: SimActivity = {
      generators,
      step(n = 1): void {
        for (let k = 0; k < n; k++) for (const g of generators) g.step(1);
      },
      start(intervalMs: number): void {
        for (const g of generators) g.start(intervalMs);
      },
      stepSpread,
      run(stepsPerSecond: number, tickMs = 10): void {
        if (timer !== undefined) clearInterval(timer);
        // Owed by elapsed time, not per tick: late ticks (a busy process) catch
        // up, and the fraction carries so that low rates still step.
        let owed = 0;
        let last = Date.now();
        timer = setInterval(() => {
          const now = Date.now();
          owed += (stepsPerSecond * (now - last)) / 1000;
          last = now;
          const n = Math.floor(owed);
          owed -= n;
          stepSpread(n);
        }, tickMs);
        timer.unref();
      },
      stop(): void {
        if (timer !== undefined) clearInterval(timer);
        timer = undefined;
        for (const g of generators) g.stop();
      },
    };
    this.activityRun = run;
    return run;
  }

  // ------------------------------------------------------------------ outages

  /** Drops the market-data sockets now (only those carrying `pair` when given). */
  abstract dropMarketSockets(pairOrId?: string): void;

  /** Drops the sockets that carry a user stream now. */
  abstract dropUserSockets(): unknown;

  /** While on, user-stream connections are accepted and dropped at once. */
  protected abstract refuseUserStreams(on: boolean): void;

  /** While on, market-data connections are accepted and dropped at once. */
  protected abstract refuseMarketStreams(on: boolean): void;

  /** Drops the user-stream sockets and refuses reconnects until `restore()` (or for `forMs`). */
  userStreamDown(options: { forMs?: number } = {}): OutageHandle {
    this.refuseUserStreams(true);
    this.dropUserSockets();
    return outage(() => this.refuseUserStreams(false), options.forMs);
  }

  /** Drops the market-data sockets and refuses reconnects until `restore()` (or for `forMs`). */
  marketStreamDown(options: { forMs?: number } = {}): OutageHandle {
    this.refuseMarketStreams(true);
    this.dropMarketSockets();
    return outage(() => this.refuseMarketStreams(false), options.forMs);
  }

  // ------------------------------------------------------------------ REST faults

  /**
   * The next order request fails. `apply: false` (default): it never reaches the
   * exchange (5xx, or no answer with `outcome: 'timeout'`). `apply: true`: the order
   * IS placed (or cancelled, with `method: 'DELETE'`) but the client sees the 5xx or
   * the timeout: the unknown-outcome case.
   */
  failNextOrder(options: FailNextOrderOptions = {}): FaultHandle {
    const method = options.method ?? 'POST';
    const path = method === 'POST' ? this.config.orderPaths.place : this.config.orderPaths.cancel;
    const match = { method, path };
    const outcome = options.outcome ?? 503;
    const times = { times: options.times ?? 1 };
    if (options.apply === true) return this.faults.applyButFail(match, { ...times, outcome });
    if (outcome === 'timeout') return this.faults.timeout(match, times);
    return this.faults.serverError(match, { ...times, status: outcome });
  }

  /** The next `n` REST requests (matching `path` when given) are refused with 429 (or 418) and Retry-After, unapplied. */
  rateLimitNext(n: number, options: RateLimitNextOptions = {}): FaultHandle {
    const match = {
      ...(options.path === undefined ? {} : { path: options.path }),
      ...(options.method === undefined ? {} : { method: options.method }),
    };
    return this.faults.rateLimit(match, {
      times: n,
      retryAfterSec: options.retryAfterSec ?? 1,
      status: options.status ?? 429,
      ...(options.body === undefined ? {} : { body: options.body }),
    });
  }

  /** The next `times` order placements (default 1) are refused, unapplied, with 429 (or 418) and Retry-After. */
  rateLimitNextOrder(
    options: Omit<RateLimitNextOptions, 'path'> & { readonly times?: number } = {},
  ): FaultHandle {
    return this.rateLimitNext(options.times ?? 1, {
      ...options,
      path: this.config.orderPaths.place,
      method: 'POST',
    });
  }

  /** Delays REST answers (matching `path` when given) by `ms` until the handle is removed. */
  delayResponses(ms: number, options: { path?: string | RegExp } = {}): FaultHandle {
    return this.faults.delayResponses(options.path === undefined ? {} : { path: options.path }, ms);
  }

  /** Skews the server clock: positive = server ahead of the client. */
  skewClock(ms: number): void {
    this.faults.skewClock(ms);
  }

  /** Removes every fault rule and the clock skew; ends outages. */
  clearFaults(): void {
    this.faults.clear();
    this.refuseUserStreams(false);
    this.refuseMarketStreams(false);
  }

  private record(r: SimHttpRequest): void {
    const header = r.headers[this.config.apiKeyHeader];
    const apiKey = this.config.apiKeyOf?.(r) ?? (Array.isArray(header) ? header[0] : header);
    this.log.push({ method: r.method, path: r.path, apiKey, time: this.clock.now() });
    if (this.log.length > REQUEST_LOG_LIMIT) this.log.splice(0, this.log.length - REQUEST_LOG_LIMIT);
    const place = this.config.orderPaths.place;
    const isPlacement =
      r.method === 'POST' && (typeof place === 'string' ? r.path === place : place.test(r.path));
    if (isPlacement && apiKey !== undefined) {
      this.orderRequests.set(apiKey, (this.orderRequests.get(apiKey) ?? 0) + 1);
    }
  }

  private running(): { readonly http: RunningHttpServer; readonly ws: RunningWsServer } {
    if (this.servers === undefined) throw new Error(`${this.config.name}: not listening (use start())`);
    return this.servers;
  }
}

/** An outage that `end()`s on `restore()` or after `forMs` (the timer never holds the process). */
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

/** Escapes `s` for use inside a RegExp (pair names in stream patterns). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
