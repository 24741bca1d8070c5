// The Huobi simulator: Huobi's wire protocol over @hb/testing's SimulatorBase.
// REST (`/v1/...`, `/market/...`) with Signature V2 checks, the gzip market sockets
// (`/ws`, `/feed`) with MBP seqNum chains, and the v2 account stream (`/ws/v2`),
// all around one simulated exchange; plus the knobs that depend on Huobi's framing
// (MBP increment faults, silent-client checks). Lifecycle, accounts, truth
// accessors, activity, outages and REST faults come from the base.
import BigNumber from 'bignumber.js';
import {
  SIM_TAKER_ACCOUNT,
  SimulatorBase,
  escapeRegExp,
  type FaultHandle,
  type Router,
  type SimVenue,
  type WsConnection,
} from '@hb/testing';
import { HuobiSimAccountSockets } from './huobi-sim-account-ws.js';
import { HuobiSimExchange } from './huobi-sim-exchange.js';
import { HuobiSimMarketSockets, mbpStream } from './huobi-sim-market-ws.js';
import { createHuobiRestRouter } from './huobi-sim-rest.js';
import {
  DEFAULT_HUOBI_SIM_LIMITS,
  DEFAULT_HUOBI_SIM_SYMBOLS,
  DEMO_ACCOUNT,
  type HuobiSimAccountInput,
  type HuobiSimLimitGroup,
  type HuobiSimulatorOptions,
} from './huobi-sim-types.js';

/**
 * A loopback Huobi speaking the real wire protocol (shared/exchanges/huobi.md).
 * Start with {@link HuobiSimulator.start}, point a connector's `restUrl` at
 * {@link restUrl} and its `wsUrl` at {@link wsUrl} (`/ws`, `/feed` and `/ws/v2`
 * are served there), {@link stop} when done.
 */
export class HuobiSimulator extends SimulatorBase<HuobiSimAccountInput> {
  /** The exchange state (engines, ledger, keys, orders). */
  readonly exchange: HuobiSimExchange;
  protected readonly venue: SimVenue;

  private readonly market: HuobiSimMarketSockets;
  private readonly account: HuobiSimAccountSockets;
  private readonly rest: Router;
  private limits: Record<HuobiSimLimitGroup, number>;
  private pingIntervalMs: number;
  private accountPingIntervalMs: number;
  private maxMissedPings: number;
  private toleranceMs: number;

  private constructor(options: HuobiSimulatorOptions) {
    super({
      name: 'HuobiSimulator',
      clock: options.clock,
      errorBody: (status) => ({
        status: 'error',
        'err-code': status === 429 ? 'too-many-request' : 'gateway-internal-error',
        'err-msg': status === 429 ? 'Exceeded rate limit' : 'internal error',
        data: null,
      }),
      apiKeyHeader: 'x-hb-api-key',
      apiKeyOf: (r) => r.searchParams.get('AccessKeyId') ?? undefined,
      orderPaths: {
        place: '/v1/order/orders/place',
        cancel: /^\/v1\/order\/orders\/(submitCancelClientOrder|\d+\/submitcancel)$/,
      },
    });
    this.limits = { ...DEFAULT_HUOBI_SIM_LIMITS, ...(options.restLimits ?? {}) };
    this.pingIntervalMs = options.pingIntervalMs ?? 5_000;
    this.accountPingIntervalMs = options.accountPingIntervalMs ?? 20_000;
    this.maxMissedPings = options.maxMissedPings ?? 2;
    this.toleranceMs = options.timestampToleranceMs ?? 5 * 60_000;
    const exchange = new HuobiSimExchange({
      symbols: options.symbols ?? DEFAULT_HUOBI_SIM_SYMBOLS,
      clock: this.clock,
      fees: options.fees ?? { maker: '0.002', taker: '0.002' },
      seed: options.seed ?? 1,
    });
    this.exchange = exchange;
    exchange.fees.set(SIM_TAKER_ACCOUNT, { maker: 0, taker: 0 });
    this.venue = {
      ledger: exchange.ledger,
      markets: exchange.markets.map((m) => ({
        pair: m.pair,
        id: m.info.symbol,
        baseAsset: m.baseAsset,
        quoteAsset: m.quoteAsset,
        tickSize: m.tickSize,
        midPrice: m.info.midPrice,
        // 1000 amount steps (0.001 BTC): orders worth tens of dollars, above the minimum value.
        activityStepSize: m.amountStep.times(1000),
        engine: m.engine,
      })),
      orderByClientId: (apiKey, clientOrderId) => exchange.orderByClientOrderId(apiKey, clientOrderId)?.order,
    };
    this.market = new HuobiSimMarketSockets({
      exchange,
      clock: this.clock,
      seed: options.seed ?? 1,
      pingIntervalMs: () => this.pingIntervalMs,
      maxMissedPings: () => this.maxMissedPings,
    });
    this.account = new HuobiSimAccountSockets({
      exchange,
      clock: this.clock,
      pingIntervalMs: () => this.accountPingIntervalMs,
      maxMissedPings: () => this.maxMissedPings,
      toleranceMs: () => this.toleranceMs,
    });
    this.rest = createHuobiRestRouter({
      exchange,
      clock: this.clock,
      toleranceMs: () => this.toleranceMs,
      limits: () => this.limits,
      depthVersion: (symbol) => this.market.seqNum(symbol),
    });
  }

  /** Starts both servers; resolves once they listen. */
  static async start(options: HuobiSimulatorOptions = {}): Promise<HuobiSimulator> {
    const sim = new HuobiSimulator(options);
    await sim.listen(sim.rest, (conn) => sim.accept(conn));
    sim.createStartAccounts(options, DEMO_ACCOUNT);
    return sim;
  }

  private accept(conn: WsConnection): void {
    if (conn.path === '/ws/v2') this.account.accept(conn);
    else if (conn.path === '/ws' || conn.path === '/feed') this.market.accept(conn);
    else conn.close(1008, 'unknown path');
  }

  // ------------------------------------------------------------------ setup

  /** Registers an API key and funds it; returns its spot account id. */
  createAccount(input: HuobiSimAccountInput): { apiKey: string; spotAccountId: number } {
    return this.exchange.createAccount(input);
  }

  /**
   * Halts (`suspend`) or reopens (`online`) a symbol at run time: the reference
   * data shows the state, and its orders and market-data subscriptions are refused
   * while it is not online (`symbol trade not open now`), including the
   * re-subscription of a client that reconnects.
   */
  setSymbolState(pairOrSymbol: string, state: 'online' | 'offline' | 'suspend' | 'pre-online'): void {
    this.exchange.setSymbolState(this.marketInfo(pairOrSymbol).id, state);
  }

  /** Changes REST limits (per key, per 2 s) at run time. */
  setLimits(limits: Partial<Record<HuobiSimLimitGroup, number>>): void {
    this.limits = { ...this.limits, ...limits };
  }

  /** Changes the ping rules for sockets opened from now on. */
  setPingRules(rules: {
    pingIntervalMs?: number;
    accountPingIntervalMs?: number;
    maxMissedPings?: number;
  }): void {
    this.pingIntervalMs = rules.pingIntervalMs ?? this.pingIntervalMs;
    this.accountPingIntervalMs = rules.accountPingIntervalMs ?? this.accountPingIntervalMs;
    this.maxMissedPings = rules.maxMissedPings ?? this.maxMissedPings;
  }

  // ------------------------------------------------------------------ truth

  /** A symbol's current MBP `seqNum` (what the book must be at). */
  seqNum(pairOrSymbol: string): number {
    return this.market.seqNum(this.marketInfo(pairOrSymbol).id);
  }

  /** The spot account id of a key. */
  spotAccountId(apiKey: string): number {
    return this.exchange.spotAccountId(apiKey);
  }

  // ------------------------------------------------------------------ sockets

  /** Sends pending MBP increments and trades now (they otherwise go out at the end of the current tick). */
  flush(): void {
    this.market.flush();
  }

  /** Open market connections (`/ws` and `/feed`). */
  marketConnections(): WsConnection[] {
    return this.market.connections();
  }

  /** Pong answers a market (`{"pong":n}`) or account (`{"action":"pong"}`) connection sent so far. */
  pongsOf(conn: WsConnection): number {
    return this.market.pongsOf(conn) + this.account.pongsOf(conn);
  }

  /** The account-stream channels subscribed on the open connections (`orders#*`...), with their keys. */
  accountSubscriptions(): { readonly apiKey: string | undefined; readonly channel: string }[] {
    return this.account.subscriptions();
  }

  /** Open account connections (`/ws/v2`). */
  accountConnections(): WsConnection[] {
    return this.account.connections();
  }

  /** Account-stream `auth` requests received so far (accepted or refused). */
  accountLoginAttempts(): number {
    return this.account.loginAttempts;
  }

  /** Drops the market sockets now (only those subscribed to a topic of `pair` when given). */
  dropMarketSockets(pairOrSymbol?: string): void {
    const conns = this.market.connections();
    const symbol = pairOrSymbol === undefined ? undefined : this.marketInfo(pairOrSymbol).id;
    for (const c of conns) {
      if (symbol === undefined || [...c.streams].some((s) => s.split('.')[1] === symbol)) c.terminate();
    }
  }

  /** Drops the account sockets (of `apiKey` when given). */
  dropUserSockets(apiKey?: string): number {
    return this.account.dropAll(apiKey);
  }

  protected refuseUserStreams(on: boolean): void {
    this.account.setRefusing(on);
  }

  protected refuseMarketStreams(on: boolean): void {
    this.market.setRefusing(on);
  }

  protected override onStop(): void {
    for (const c of [...this.market.connections(), ...this.account.connections()]) c.terminate();
  }

  // ------------------------------------------------------------------ faults

  /** The next `times` MBP increments of `pair` (any when absent) are never sent: a lost increment. */
  skipIncrement(pair?: string, times = 1): FaultHandle {
    return this.faults.skipSequence({ stream: this.mbpPattern(pair) }, { times });
  }

  /**
   * The next MBP increment is sent twice; with `late`, the copy comes after the
   * following increment (a stale replay a book without the prevSeqNum check would apply).
   */
  repeatIncrement(pair?: string, options: { times?: number; late?: boolean } = {}): FaultHandle {
    return this.faults.repeatSequence(
      { stream: this.mbpPattern(pair) },
      { times: options.times ?? 1, ...(options.late === true ? { late: true } : {}) },
    );
  }

  /** The next MBP increment is swapped with the one after it. */
  reorderIncrement(pair?: string, times = 1): FaultHandle {
    return this.faults.reorderSequence({ stream: this.mbpPattern(pair) }, { times });
  }

  /** A malformed (gzipped) frame before, or with `replace` instead of, the next MBP increment. */
  malformedIncrement(options: { pair?: string; frame?: string; replace?: boolean } = {}): FaultHandle {
    return this.faults.malformedFrame(
      { stream: this.mbpPattern(options.pair) },
      { frame: options.frame ?? '{"ch":"market.', replace: options.replace === true },
    );
  }

  /** Places an order of another trader straight on the engine (funded first). */
  placeOther(
    pair: string,
    side: 'buy' | 'sell',
    price: BigNumber.Value,
    amount: BigNumber.Value,
    account = 'sim-other',
  ): string {
    const m = this.marketInfo(pair);
    const p = new BigNumber(price);
    const a = new BigNumber(amount);
    if (side === 'buy') this.ledger.deposit(account, m.quoteAsset, p.times(a).times(2));
    else this.ledger.deposit(account, m.baseAsset, a);
    return m.engine.place({ account, side, type: 'limit', price: p, amount: a }).orderId;
  }

  private mbpPattern(pair?: string): RegExp {
    if (pair === undefined) return /^mbp:/;
    return new RegExp(`^${escapeRegExp(mbpStream(this.marketInfo(pair).id))}$`);
  }
}
