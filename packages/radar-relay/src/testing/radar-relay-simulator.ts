// The Radar Relay simulator: an open-order-book 0x v3 relayer on 127.0.0.1 over a
// real local chain. It is not a matching engine: makers post signed orders (checked
// with the deployed Exchange), takers fill them on chain, and the relayer learns
// of fills and cancels from the Exchange's logs, like Radar did. Built from the
// toolkit's servers and fault injector, not SimulatorBase: that base settles
// trades on its own ledger and engine, which here are the chain's and the
// Exchange's (shared/exchanges/radar-relay.md, zero-ex.md).
import { Observable, Subject } from 'rxjs';
import BigNumber from 'bignumber.js';
import {
  FaultInjector,
  SimClock,
  startHttpServer,
  startWsServer,
  type FaultHandle,
  type OutageHandle,
  type RunningHttpServer,
  type RunningWsServer,
  type SimHttpRequest,
  type SimRequestLogEntry,
  type WsConnection,
} from '@hb/testing';
import { startLocalChain, type LocalAccount, type LocalChain } from '@hb/testing/chain';
import {
  RADAR_SIM_ACCOUNTS,
  deployRadarContracts,
  fundAccount,
  tokenOf,
  type RadarFunding,
  type RadarSimDeployment,
  type RadarSimToken,
} from './radar-relay-sim-chain.js';
import {
  RadarSimOrder,
  RadarSimOrderStore,
  type RadarSimFillRecord,
  type RadarSimMarket,
} from './radar-relay-sim-orders.js';
import { createRadarRestHandler, RADAR_SIM_REST_PREFIX } from './radar-relay-sim-rest.js';
import { startRpcServer, type RadarSimRpcServer } from './radar-relay-sim-rpc.js';
import { RadarSimActivity, RadarSimTrader, type RadarSimActivityOptions } from './radar-relay-sim-traders.js';
import {
  DEFAULT_RADAR_SIM_MARKETS,
  DEFAULT_RADAR_SIM_TOKENS,
  RADAR_RATE_LIMITS,
  SRA_ERROR,
  type RadarSimBookEvent,
  type RadarSimErrorBody,
  type RadarSimMarketSpec,
  type RadarSimRateLimits,
  type RadarSimTokenSpec,
} from './radar-relay-sim-types.js';
import { validateOrder, type RadarSimOrderRules } from './radar-relay-sim-validation.js';
import { RadarSimChainWatcher, type RadarSimRemoveReason } from './radar-relay-sim-watcher.js';
import { RadarSimSockets, bookStream } from './radar-relay-sim-ws.js';

/** Start options of {@link RadarRelaySimulator}. */
export interface RadarRelaySimulatorOptions {
  /** The chain to deploy on; default a fresh local chain (stopped with the simulator). */
  readonly chain?: LocalChain;
  /**
   * A file path inside a project that has `hardhat` installed, to start the chain
   * from. Default: this module's file under Jest, else the running script (the
   * `hb` binary) — so `hb --sandbox` works from any working directory.
   */
  readonly chainResolveFrom?: string;
  /** Tokens to deploy; default WETH, DAI, ZRX. */
  readonly tokens?: readonly RadarSimTokenSpec[];
  /** Markets to list; default WETH-DAI, ZRX-WETH, ZRX-DAI. */
  readonly markets?: readonly RadarSimMarketSpec[];
  /** The v3 protocol fee collector, or `false` for no protocol fee. Default test account 18. */
  readonly protocolFeeCollector?: string | false;
  /** Protocol fee multiplier; default 150 000. */
  readonly protocolFeeMultiplier?: bigint;
  /** The fee recipient every order must name; default test account 19 (Radar's relayer address). */
  readonly feeRecipientAddress?: string;
  /** Maker / taker fee every order must carry, base units; default 0 (Radar charged none). */
  readonly makerFee?: bigint;
  readonly takerFee?: bigint;
  /** Seconds an order must still have to live when posted. Default 0 (not expired). */
  readonly minSecondsToExpiry?: number;
  /** Request limits; default Radar's (120 reads/min, 2 trade requests/s); `false` for none. */
  readonly rateLimits?: RadarSimRateLimits | false;
  /** How often the relayer reads the chain, ms. Default 100. */
  readonly pollIntervalMs?: number;
  /** Server clock (createdDate, salts, rate limits); default real time. */
  readonly clock?: SimClock;
  /** Deploy, fund and approve the simulated makers and takers. Default true. */
  readonly traders?: boolean;
  /** Funding of each simulated trader; default 1 000 ETH, 1 000 WETH, 10 000 000 of other tokens. */
  readonly traderFunding?: RadarFunding;
}

/** A BOOK event with its market. */
export interface RadarSimPublished {
  readonly market: string;
  readonly event: RadarSimBookEvent;
}

/** Request log entry with the maker of a posted order. */
export interface RadarSimRequestLogEntry extends SimRequestLogEntry {
  /** For POST /v3/orders: the body's makerAddress (lower case), when readable. */
  readonly maker: string | undefined;
}

const REQUEST_LOG_LIMIT = 10_000;

/**
 * A loopback Radar Relay (v3 API) over a local chain with the real 0x v3 Exchange.
 * Start with {@link RadarRelaySimulator.start}; point a connector's `restUrl` at
 * {@link restUrl}, `wsUrl` at {@link wsUrl}, `rpcUrl` at {@link rpcUrl} and
 * `chainId` at {@link chainId}; {@link stop} when done.
 */
export class RadarRelaySimulator {
  /** Server clock. */
  readonly clock: SimClock;
  /** Fault knobs of REST and the WebSocket. */
  readonly faults: FaultInjector;
  /** Fault knobs of the JSON-RPC endpoint (the "node"). */
  readonly rpcFaults: FaultInjector;
  /** Every order and fill the relayer knows. */
  readonly store = new RadarSimOrderStore();
  /** The relayer's order rules. */
  readonly rules: RadarSimOrderRules;
  /** Listed markets. */
  readonly markets: readonly RadarSimMarket[];
  /** Simulated makers (test accounts 10-12), funded and approved. */
  readonly makers: RadarSimTrader[] = [];
  /** Simulated takers (test accounts 13-14), funded and approved. */
  readonly takers: RadarSimTrader[] = [];

  private readonly eventsSubject = new Subject<RadarSimPublished>();
  private readonly sockets: RadarSimSockets;
  private readonly watcher: RadarSimChainWatcher;
  private readonly log: RadarSimRequestLogEntry[] = [];
  private limits: RadarSimRateLimits | undefined;
  private servers: { http: RunningHttpServer; ws: RunningWsServer; rpc: RadarSimRpcServer } | undefined;
  private activityRun: RadarSimActivity | undefined;
  private stopped = false;

  private constructor(
    /** What was deployed on the chain. */
    readonly deployment: RadarSimDeployment,
    private readonly ownsChain: boolean,
    options: RadarRelaySimulatorOptions,
  ) {
    this.clock = options.clock ?? new SimClock();
    const errorBody = (status: number): RadarSimErrorBody =>
      status === 429
        ? { code: SRA_ERROR.throttled, reason: 'Throttled' }
        : { code: status, reason: status >= 500 ? 'Internal server error' : `HTTP ${status}` };
    this.faults = new FaultInjector({ clock: this.clock, errorBody });
    this.rpcFaults = new FaultInjector({ clock: this.clock });
    const chain = deployment.chain;
    this.rules = {
      chainId: chain.chainId,
      exchangeAddress: deployment.exchangeAddress,
      feeRecipientAddress: (
        options.feeRecipientAddress ?? chain.account(RADAR_SIM_ACCOUNTS.feeRecipient).address
      ).toLowerCase(),
      makerFee: options.makerFee ?? 0n,
      takerFee: options.takerFee ?? 0n,
      minSecondsToExpiry: options.minSecondsToExpiry ?? 0,
    };
    this.markets = (options.markets ?? DEFAULT_RADAR_SIM_MARKETS).map((spec) => {
      const [b, q] = spec.id.split('-');
      return { id: spec.id, spec, base: tokenOf(deployment, b ?? ''), quote: tokenOf(deployment, q ?? '') };
    });
    this.limits = options.rateLimits === false ? undefined : (options.rateLimits ?? RADAR_RATE_LIMITS);
    this.sockets = new RadarSimSockets((id) => this.markets.some((m) => m.id === id));
    this.watcher = new RadarSimChainWatcher(
      deployment,
      this.store,
      (market, event) => this.publish(market, event),
      {
        pollIntervalMs: options.pollIntervalMs ?? 100,
      },
    );
  }

  /** Deploys the contracts (on `options.chain` or a new chain), funds the traders, starts the servers. */
  static async start(options: RadarRelaySimulatorOptions = {}): Promise<RadarRelaySimulator> {
    const chain =
      options.chain ??
      (await startLocalChain({
        resolveFrom: options.chainResolveFrom ?? defaultResolveFrom(),
        // Chain time follows the wall clock however many transactions a second the traders send.
        allowBlocksWithSameTimestamp: true,
      }));
    let sim: RadarRelaySimulator | undefined;
    try {
      const deployment = await deployRadarContracts(chain, {
        tokens: options.tokens ?? DEFAULT_RADAR_SIM_TOKENS,
        ...(options.protocolFeeCollector === undefined
          ? {}
          : { protocolFeeCollector: options.protocolFeeCollector }),
        ...(options.protocolFeeMultiplier === undefined
          ? {}
          : { protocolFeeMultiplier: options.protocolFeeMultiplier }),
      });
      sim = new RadarRelaySimulator(deployment, options.chain === undefined, options);
      if (options.traders !== false) await sim.createTraders(options.traderFunding);
      await sim.watcher.start();
      await sim.listen();
      return sim;
    } catch (e) {
      if (sim !== undefined) await sim.stop();
      else if (options.chain === undefined) await chain.stop();
      throw e;
    }
  }

  private async listen(): Promise<void> {
    const rest = createRadarRestHandler({
      deployment: this.deployment,
      markets: this.markets,
      store: this.store,
      rules: this.rules,
      clock: this.clock,
      chainNow: () => this.chainNow(),
      submitOrder: (body) => this.submitOrder(body),
      revalidate: (hash) => this.revalidate(hash),
      limits: () => this.limits,
    });
    const http = await startHttpServer(rest, { faults: this.faults, onRequest: (r) => this.record(r) });
    try {
      const ws = await startWsServer((conn) => this.sockets.accept(conn), { faults: this.faults });
      const rpc = await startRpcServer(this.deployment.chain, this.rpcFaults).catch(async (e: unknown) => {
        await ws.close();
        throw e;
      });
      this.servers = { http, ws, rpc };
    } catch (e) {
      await http.close();
      throw e;
    }
  }

  private async createTraders(funding: RadarFunding = {}): Promise<void> {
    const chain = this.deployment.chain;
    const tokens: Record<string, bigint> = {};
    for (const t of this.deployment.tokens.values()) {
      tokens[t.symbol] = (t.weth ? 1_000n : 10_000_000n) * 10n ** BigInt(t.decimals);
    }
    const f: RadarFunding = { ethWei: 10_000n * 10n ** 18n, tokens, approve: true, ...funding };
    for (const [list, indexes] of [
      [this.makers, RADAR_SIM_ACCOUNTS.makers],
      [this.takers, RADAR_SIM_ACCOUNTS.takers],
    ] as const) {
      for (const i of indexes) {
        const account = chain.account(i);
        await fundAccount(this.deployment, account, f);
        list.push(this.trader(account.privateKey));
      }
    }
  }

  // ------------------------------------------------------------------ endpoints

  /** `http://127.0.0.1:<port>`: the REST base (the API is under `/v3`). */
  get restUrl(): string {
    return this.running().http.url;
  }

  /** `ws://127.0.0.1:<port>`: the WebSocket (any path; `/v3` like Radar's). */
  get wsUrl(): string {
    return this.running().ws.url;
  }

  /** `http://127.0.0.1:<port>`: the chain's JSON-RPC endpoint. */
  get rpcUrl(): string {
    return this.running().rpc.url;
  }

  /** The REST path prefix, `/v3`. */
  get restPrefix(): string {
    return RADAR_SIM_REST_PREFIX;
  }

  /** The chain. */
  get chain(): LocalChain {
    return this.deployment.chain;
  }

  /** The chain id the orders must name. */
  get chainId(): number {
    return this.deployment.chain.chainId;
  }

  /** Lower-case 0x v3 Exchange address. */
  get exchangeAddress(): string {
    return this.deployment.exchangeAddress;
  }

  /** Lower-case ERC20Proxy address (approve this one). */
  get erc20ProxyAddress(): string {
    return this.deployment.erc20ProxyAddress;
  }

  /** A deployed token by symbol. */
  token(symbol: string): RadarSimToken {
    return tokenOf(this.deployment, symbol);
  }

  /** A listed market by id (`WETH-DAI`); throws when unknown. */
  market(id: string): RadarSimMarket {
    const m = this.markets.find((x) => x.id === id);
    if (m === undefined) throw new Error(`RadarRelaySimulator: unknown market ${id}`);
    return m;
  }

  /** Pairs listed, `BASE-QUOTE` (Radar's ids are already in that form). */
  get tradingPairs(): string[] {
    return this.markets.map((m) => m.id);
  }

  // ------------------------------------------------------------------ orders

  /**
   * Validates an order as POST /v3/orders does and, when valid, lists it (NEW).
   * Re-posting an order that is open is accepted again without a second NEW (a
   * client retrying after a lost answer must not be refused).
   */
  async submitOrder(
    body: unknown,
  ): Promise<
    { readonly ok: true; readonly hash: string } | { readonly ok: false; readonly body: RadarSimErrorBody }
  > {
    // Read the chain first, then validate and list between two watcher passes, with
    // the order's filled amount read at the last block the watcher has applied.
    return this.watcher.exclusive(
      async (lastBlock) => {
        const v = await validateOrder(body, {
          rules: this.rules,
          deployment: this.deployment,
          markets: this.markets,
          chainNow: this.chainNow(),
          blockTag: lastBlock,
        });
        if (!v.ok) return v;
        const known = this.store.get(v.info.orderHash);
        if (known !== undefined) return { ok: true as const, hash: known.hash };
        const order = new RadarSimOrder({
          hash: v.info.orderHash,
          market: v.market,
          type: v.type,
          signed: v.order,
          takerFilled: v.info.orderTakerAssetFilledAmount,
          createdMs: this.clock.now(),
        });
        this.store.add(order);
        this.publish(order.market.id, {
          action: 'NEW',
          event: {
            baseTokenAddress: order.market.base.address,
            quoteTokenAddress: order.market.quote.address,
            order: order.toJson(),
          },
        });
        return { ok: true as const, hash: order.hash };
      },
      { syncFirst: true },
    );
  }

  /**
   * Checks a listed order again as a posting would be: the Exchange's status and
   * signature check and the maker's funds now (GET /v3/orders/{hash}/validate).
   */
  async revalidate(
    hash: string,
  ): Promise<{ readonly ok: true } | { readonly ok: false; readonly body: RadarSimErrorBody }> {
    const o = this.store.get(hash);
    if (o === undefined) return { ok: false, body: { code: 404, reason: 'Not found' } };
    const v = await validateOrder(o.signed, {
      rules: this.rules,
      deployment: this.deployment,
      markets: this.markets,
      chainNow: this.chainNow(),
    });
    return v.ok ? { ok: true } : { ok: false, body: v.body };
  }

  /** An order by hash. */
  order(hash: string): RadarSimOrder | undefined {
    return this.store.get(hash);
  }

  /** A maker's orders (any state), newest first. */
  ordersOf(maker: string): RadarSimOrder[] {
    return this.store.ofMaker(maker);
  }

  /** The relayer's L2 book (sum of remaining base per price), best first, as numbers. */
  trueBook(market: string, depth?: number): { bids: [number, number][]; asks: [number, number][] } {
    return this.store.levels(this.market(market).id, depth);
  }

  /** Fills seen on chain, newest first (of a market and/or an address). */
  fills(filter: { market?: string; address?: string } = {}): RadarSimFillRecord[] {
    return this.store.fills(filter);
  }

  /** Every BOOK event the relayer published (whether or not any socket was subscribed). */
  get events$(): Observable<RadarSimPublished> {
    return this.eventsSubject.asObservable();
  }

  /** Reads the chain now (new Fill/Cancel logs, expiry, funding); resolves when done. */
  sync(): Promise<void> {
    return this.watcher.sync();
  }

  /** The chain's time, seconds. */
  chainNow(): number {
    return this.watcher.chainNow();
  }

  /** Errors of the relayer's background chain reads (a test can assert none). */
  get watcherErrors(): readonly unknown[] {
    return this.watcher.errors;
  }

  /** Removes an open order from the book (REMOVE with `reason`), as the relayer would on its own findings. */
  removeOrder(hash: string, reason: RadarSimRemoveReason): void {
    const o = this.store.get(hash);
    if (o !== undefined) this.watcher.remove(o, reason);
  }

  private publish(market: string, event: RadarSimBookEvent): void {
    this.eventsSubject.next({ market, event });
    this.sockets.publish(market, event);
  }

  // ------------------------------------------------------------------ accounts and traders

  /** A test account of the chain (0-19). */
  account(index: number): LocalAccount {
    return this.deployment.chain.account(index);
  }

  /**
   * Funds an account: ETH, tokens (base units by symbol) and, with `approve` and
   * the private key, unlimited allowances to the ERC20Proxy.
   */
  fundAccount(
    account: { readonly address: string; readonly privateKey?: string },
    funding: RadarFunding,
  ): Promise<void> {
    return fundAccount(this.deployment, account, funding);
  }

  /** A trader (maker and taker) for a private key; fund it with {@link fundAccount}. */
  trader(privateKey: string): RadarSimTrader {
    return new RadarSimTrader(
      {
        deployment: this.deployment,
        markets: this.markets,
        store: this.store,
        rules: this.rules,
        chainNow: () => this.chainNow(),
        submitOrder: (body) => this.submitOrder(body),
        sync: () => this.sync(),
      },
      privateKey,
    );
  }

  /**
   * Synthetic activity of the simulated makers and takers (seeded). Replaces any
   * previous activity. Step it (`await activity.step(n)`) or `run(intervalMs)`.
   */
  activity(seed: number, options: RadarSimActivityOptions = {}): RadarSimActivity {
    void this.activityRun?.stop();
    if (this.makers.length === 0 || this.takers.length === 0) {
      throw new Error(
        'RadarRelaySimulator: activity needs the simulated traders (start without traders: false)',
      );
    }
    const ctx = {
      deployment: this.deployment,
      markets: this.markets,
      store: this.store,
      rules: this.rules,
      chainNow: () => this.chainNow(),
      submitOrder: (body: unknown) => this.submitOrder(body),
      sync: () => this.sync(),
    };
    this.activityRun = new RadarSimActivity(ctx, this.makers, this.takers, seed, options);
    return this.activityRun;
  }

  // ------------------------------------------------------------------ requests

  /** REST requests received, oldest first (the most recent 10 000). */
  requestLog(): readonly RadarSimRequestLogEntry[] {
    return this.log;
  }

  /** POST /v3/orders requests received (of `maker` when given), faulted ones included. */
  orderRequestCount(maker?: string): number {
    const m = maker?.toLowerCase();
    return this.log.filter(
      (r) =>
        r.method === 'POST' &&
        r.path === `${RADAR_SIM_REST_PREFIX}/orders` &&
        (m === undefined || r.maker === m),
    ).length;
  }

  private record(r: SimHttpRequest): void {
    let maker: string | undefined;
    if (r.method === 'POST' && r.path === `${RADAR_SIM_REST_PREFIX}/orders`) {
      try {
        const body = JSON.parse(r.body) as { makerAddress?: unknown };
        if (typeof body.makerAddress === 'string') maker = body.makerAddress.toLowerCase();
      } catch {
        // a malformed body has no maker; it is still logged
      }
    }
    this.log.push({ method: r.method, path: r.path, apiKey: undefined, maker, time: this.clock.now() });
    if (this.log.length > REQUEST_LOG_LIMIT) this.log.splice(0, this.log.length - REQUEST_LOG_LIMIT);
  }

  /** Changes the request limits (`false`: none). */
  setRateLimits(limits: RadarSimRateLimits | false): void {
    this.limits = limits === false ? undefined : limits;
  }

  // ------------------------------------------------------------------ faults

  /**
   * The next order posting (POST /v3/orders) fails. `apply: false` (default): it
   * never reaches the relayer (5xx, or no answer with `outcome: 'timeout'`).
   * `apply: true`: the order IS listed but the client sees the 5xx or the timeout.
   */
  failNextOrder(
    options: { outcome?: number | 'timeout'; apply?: boolean; times?: number } = {},
  ): FaultHandle {
    const match = { method: 'POST', path: `${RADAR_SIM_REST_PREFIX}/orders` };
    const outcome = options.outcome ?? 503;
    const times = { times: options.times ?? 1 };
    if (options.apply === true) return this.faults.applyButFail(match, { ...times, outcome });
    if (outcome === 'timeout') return this.faults.timeout(match, times);
    return this.faults.serverError(match, { ...times, status: outcome });
  }

  /** The next `n` REST requests (matching `path`/`method` when given) get 429 with Retry-After, unapplied. */
  rateLimitNext(
    n: number,
    options: { path?: string | RegExp; method?: string; retryAfterSec?: number } = {},
  ): FaultHandle {
    return this.faults.rateLimit(
      {
        ...(options.path === undefined ? {} : { path: options.path }),
        ...(options.method === undefined ? {} : { method: options.method }),
      },
      { times: n, retryAfterSec: options.retryAfterSec ?? 1 },
    );
  }

  /** The next order posting gets 429 with Retry-After, unapplied. */
  rateLimitNextOrder(options: { retryAfterSec?: number; times?: number } = {}): FaultHandle {
    return this.rateLimitNext(options.times ?? 1, {
      path: `${RADAR_SIM_REST_PREFIX}/orders`,
      method: 'POST',
      ...(options.retryAfterSec === undefined ? {} : { retryAfterSec: options.retryAfterSec }),
    });
  }

  /** The next `n` REST requests (matching `path` when given) get a 5xx (default 503), unapplied. */
  serverErrorNext(n: number, options: { path?: string | RegExp; status?: number } = {}): FaultHandle {
    return this.faults.serverError(options.path === undefined ? {} : { path: options.path }, {
      times: n,
      status: options.status ?? 503,
    });
  }

  /** Delays REST answers (matching `path` when given) by `ms` until the handle is removed. */
  delayResponses(ms: number, options: { path?: string | RegExp } = {}): FaultHandle {
    return this.faults.delayResponses(options.path === undefined ? {} : { path: options.path }, ms);
  }

  /** Open WebSocket connections. */
  socketConnections(): number {
    return this.sockets.connections().length;
  }

  /** The open WebSocket connections, oldest first (ids for per-connection faults such as `faults.silenceSocket`). */
  marketConnections(): WsConnection[] {
    return this.sockets.connections();
  }

  /**
   * SUBSCRIBE requests for `market`'s BOOK are refused with `{type: 'ERROR',
   * requestId, reason}` until `restore()`; `refused` counts the refusals since.
   */
  refuseSubscriptions(
    market: string,
    reason = 'Market not available',
  ): { restore(): void; readonly refused: number } {
    const id = this.market(market).id;
    const sockets = this.sockets;
    sockets.setRefusedMarket(id, reason);
    const before = sockets.refusedSubscriptions;
    return {
      restore: () => sockets.setRefusedMarket(id, undefined),
      get refused() {
        return sockets.refusedSubscriptions - before;
      },
    };
  }

  /** Drops the WebSocket connections now (only those subscribed to `market` when given); returns how many. */
  dropMarketSockets(market?: string): number {
    return this.sockets.drop(market);
  }

  /** Drops the sockets and refuses new ones until `restore()` (or for `forMs`). */
  marketStreamDown(options: { forMs?: number } = {}): OutageHandle {
    this.sockets.setRefusing(true);
    this.sockets.drop();
    let timer: NodeJS.Timeout | undefined;
    const restore = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      this.sockets.setRefusing(false);
    };
    if (options.forMs !== undefined) {
      timer = setTimeout(restore, options.forMs);
      timer.unref();
    }
    return { restore };
  }

  /** The sockets stay open but send nothing (and answer no pings) until `restore()`: a silent socket. */
  silenceMarketSockets(): { restore(): void } {
    return this.faults.silenceSocket({});
  }

  /** The next `times` BOOK events of `market` (any when absent) are never sent. */
  skipBookEvent(market?: string, times = 1): FaultHandle {
    return this.faults.skipSequence({ stream: this.streamPattern(market) }, { times });
  }

  /** The next BOOK event is sent twice (with `late`, the copy after the following event). */
  repeatBookEvent(market?: string, options: { times?: number; late?: boolean } = {}): FaultHandle {
    return this.faults.repeatSequence(
      { stream: this.streamPattern(market) },
      { times: options.times ?? 1, ...(options.late === true ? { late: true } : {}) },
    );
  }

  /** The next BOOK event is held back behind the following one. */
  reorderBookEvent(market?: string, times = 1): FaultHandle {
    return this.faults.reorderSequence({ stream: this.streamPattern(market) }, { times });
  }

  /** BOOK events (of `market` when given) wait `ms` before going out, until removed. */
  delayBookEvents(ms: number, market?: string): FaultHandle {
    return this.faults.delayFrames({ stream: this.streamPattern(market) }, ms, { times: Infinity });
  }

  /** A malformed frame before (or with `replace`, instead of) the next BOOK event. */
  malformedBookEvent(options: { market?: string; frame?: string; replace?: boolean } = {}): FaultHandle {
    return this.faults.malformedFrame(
      { stream: this.streamPattern(options.market) },
      { frame: options.frame ?? '{"action":"FILL","event":', replace: options.replace === true },
    );
  }

  /**
   * Sends `frame` (an object as JSON, a string verbatim) to the BOOK subscribers
   * of `market` as if it were one of its events: hostile and malformed frames.
   * Returns how many sockets got it.
   */
  sendBookFrame(market: string, frame: unknown): number {
    return this.sockets.sendRaw(this.market(market).id, frame);
  }

  /** Removes every REST/WS/RPC fault rule and ends the stream outage. */
  clearFaults(): void {
    this.faults.clear();
    this.rpcFaults.clear();
    this.sockets.setRefusing(false);
  }

  private streamPattern(market?: string): RegExp {
    if (market === undefined) return /^book:/;
    return new RegExp(`^${bookStream(this.market(market).id).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  }

  // ------------------------------------------------------------------ lifecycle

  /** Stops activity, the chain watcher, the servers and (when the simulator started it) the chain. Safe twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.activityRun?.stop();
    this.watcher.stop();
    await this.watcher.sync().catch(() => undefined); // let a pass in flight finish before the chain goes
    if (this.servers !== undefined) {
      await Promise.all([this.servers.http.close(), this.servers.ws.close(), this.servers.rpc.close()]);
    }
    this.eventsSubject.complete();
    if (this.ownsChain) await this.deployment.chain.stop();
  }

  private running(): { http: RunningHttpServer; ws: RunningWsServer; rpc: RadarSimRpcServer } {
    if (this.servers === undefined) throw new Error('RadarRelaySimulator: not listening (use start())');
    return this.servers;
  }
}

/** Where to resolve hardhat from when the caller does not say (see `chainResolveFrom`). */
function defaultResolveFrom(): string {
  // CommonJS (Jest) has __filename; the ESM build does not, and there the entry script is in the repository.
  if (typeof __filename === 'string') return __filename;
  return process.argv[1] ?? `${process.cwd()}/noop.js`;
}

/** Human amount `amount` of a token in base units (exact). */
export function unitsOf(token: RadarSimToken, amount: BigNumber.Value): bigint {
  return BigInt(new BigNumber(amount).shiftedBy(token.decimals).integerValue(BigNumber.ROUND_DOWN).toFixed());
}
