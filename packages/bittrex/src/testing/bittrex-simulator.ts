// The Bittrex v3 simulator: REST under `/v3` and classic SignalR under
// `/signalr` (negotiate and start over HTTP on the socket's port), speaking
// shared/exchanges/bittrex.md, on @hb/testing's SimulatorBase (lifecycle,
// accounts, truth accessors, activity, outages, REST faults). Book deltas go out
// per market and depth with their own sequences; stream faults (skip, repeat,
// reorder a delta) use the base's fault injector on the channel name.
import BigNumber from 'bignumber.js';
import {
  SIM_TAKER_ACCOUNT,
  SimulatorBase,
  escapeRegExp,
  type EngineOrder,
  type FaultHandle,
  type SimVenue,
  type SimulatedMarket,
} from '@hb/testing';
import { BittrexSimExchange, type SimDepth } from './bittrex-sim-exchange.js';
import { BittrexSimHub } from './bittrex-sim-hub.js';
import { createBittrexRestRouter } from './bittrex-sim-rest.js';
import {
  DEFAULT_BITTREX_SIM_MARKETS,
  DEMO_ACCOUNT,
  type BittrexSimAccountInput,
  type BittrexSimulatorOptions,
} from './bittrex-sim-types.js';

/** A loopback Bittrex. Start with {@link BittrexSimulator.start}; {@link stop} when done. */
export class BittrexSimulator extends SimulatorBase<BittrexSimAccountInput> {
  /** The exchange state (engines, ledger, accounts, publication). */
  readonly exchange: BittrexSimExchange;
  /** The SignalR hub (auth counters, refusals). */
  readonly hub: BittrexSimHub;
  protected readonly venue: SimVenue;
  private requestsPerMinute: number;

  private constructor(options: BittrexSimulatorOptions) {
    super({
      name: 'BittrexSimulator',
      clock: options.clock,
      errorBody: (status) => ({
        code: status === 429 ? 'THROTTLED' : status >= 500 ? 'SERVICE_UNAVAILABLE' : 'BAD_REQUEST',
      }),
      apiKeyHeader: 'api-key',
      orderPaths: { place: '/v3/orders', cancel: /^\/v3\/orders\/[^/]+$/ },
    });
    this.requestsPerMinute = options.requestsPerMinute ?? 60;
    const markets = options.markets ?? DEFAULT_BITTREX_SIM_MARKETS;
    const sink: { hub?: BittrexSimHub } = {};
    this.exchange = new BittrexSimExchange({
      markets,
      clock: this.clock,
      // Bittrex's entry tier (§10 example): 0.35 % maker and taker.
      fees: options.fees ?? { maker: '0.0035', taker: '0.0035' },
      seed: options.seed ?? 1,
      publisher: {
        publicMessage: (channel, message, payload) => sink.hub?.publish(channel, message, payload),
        privateMessage: (apiKey, channel, payload) => sink.hub?.publishPrivate(apiKey, channel, payload),
      },
    });
    const hub = new BittrexSimHub(this.exchange, {
      authTtlMs: options.authTtlMs ?? 10 * 60_000,
      authWarningMs: options.authWarningMs ?? 60_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5_000,
      keepAliveIntervalMs: options.keepAliveIntervalMs ?? 10_000,
      timestampToleranceMs: options.timestampToleranceMs ?? 60_000,
    });
    sink.hub = hub;
    this.hub = hub;
    const simMarkets: SimulatedMarket[] = this.exchange.markets.map((m) => ({
      pair: m.input.symbol,
      id: m.input.symbol,
      baseAsset: m.base,
      quoteAsset: m.quote,
      tickSize: m.tick,
      midPrice: m.input.midPrice,
      activityStepSize: m.input.activityStepSize,
      engine: m.engine,
    }));
    const exchange = this.exchange;
    this.venue = {
      ledger: exchange.ledger,
      markets: simMarkets,
      orderByClientId: (apiKey, clientOrderId) => exchange.orderByClientId(apiKey, clientOrderId),
    };
  }

  /** Starts REST and SignalR on 127.0.0.1 (random ports). */
  static async start(options: BittrexSimulatorOptions = {}): Promise<BittrexSimulator> {
    const sim = new BittrexSimulator(options);
    const router = createBittrexRestRouter({
      exchange: sim.exchange,
      requestsPerMinute: () => sim.requestsPerMinute,
      timestampToleranceMs: options.timestampToleranceMs ?? 60_000,
    });
    // The socket's port answers SignalR's HTTP calls, and REST too, so that one
    // URL ({@link url}) serves the whole exchange as `--rest-url` alone.
    await sim.listen(router, (conn) => sim.hub.onConnection(conn), {
      http: (r) => (r.path.startsWith('/signalr/') ? sim.hub.http(r) : router.handle(r)),
    });
    sim.createStartAccounts(options, DEMO_ACCOUNT);
    return sim;
  }

  /**
   * One URL serving REST (`/v3`) and SignalR (`/signalr`): the socket server's,
   * as HTTP. REST calls made there skip the request log and the REST fault
   * knobs, which sit in front of {@link restUrl} only.
   */
  get url(): string {
    return this.wsUrl.replace(/^ws:/, 'http:');
  }

  /** Registers an API account and funds it. */
  createAccount(input: BittrexSimAccountInput): void {
    this.exchange.createAccount(input);
  }

  /** Changes the per-minute REST limit. */
  setRequestsPerMinute(n: number): void {
    this.requestsPerMinute = n;
  }

  /** The sequence the server's book of a market is at, for a depth (what a snapshot would carry). */
  bookSequence(pair: string, depth: SimDepth = 25): number {
    return this.exchange.bookAt(this.exchange.requireMarket(pair), depth).sequence;
  }

  /** The book as published at a depth, levels as numbers, best first (what clients can know). */
  publishedBook(
    pair: string,
    depth: SimDepth = 25,
  ): { sequence: number; bids: [number, number][]; asks: [number, number][] } {
    const b = this.exchange.bookAt(this.exchange.requireMarket(pair), depth);
    const n = (l: { rate: string; quantity: string }): [number, number] => [
      Number(l.rate),
      Number(l.quantity),
    ];
    return { sequence: b.sequence, bids: b.bid.map(n), asks: b.ask.map(n) };
  }

  /** Takes a market offline (orders get MARKET_OFFLINE) or back online. */
  setMarketStatus(pair: string, status: 'ONLINE' | 'OFFLINE'): void {
    this.exchange.requireMarket(pair).status = status;
  }

  /**
   * Refuses every later `Subscribe` to a public channel of `pair` (all public
   * market channels when absent) with `{"Success": false, "ErrorCode":
   * "INVALID_CHANNEL"}`, Bittrex's answer for a channel it does not serve (a
   * market delisted after the client read `/markets`). `restore()` serves them
   * again; `refused` counts the channels refused since this call.
   */
  refuseSubscriptions(pair?: string): { restore(): void; readonly refused: number } {
    const hub = this.hub;
    hub.refusedChannels =
      pair === undefined ? /_[A-Z0-9]+-[A-Z0-9]+/ : new RegExp(`_${escapeRegExp(pair)}(_|$)`);
    const before = hub.refusedChannelCount;
    return {
      restore: () => {
        hub.refusedChannels = undefined;
      },
      get refused() {
        return hub.refusedChannelCount - before;
      },
    };
  }

  /** Drops the next book delta of a pair (its sequence number is consumed: a gap). */
  skipBookDelta(pair: string, depth: SimDepth = 25): FaultHandle {
    return this.faults.skipSequence({ stream: `orderbook_${pair}_${depth}` });
  }

  /**
   * Sends the next book delta of a pair twice: the copy at once, or with `late`
   * right after the pair's next delta (when a stale copy can do harm).
   */
  repeatBookDelta(
    pair: string,
    depth: SimDepth = 25,
    options: { readonly late?: boolean } = {},
  ): FaultHandle {
    return this.faults.repeatSequence({ stream: `orderbook_${pair}_${depth}` }, options);
  }

  /** Swaps the next two book deltas of a pair. */
  reorderBookDelta(pair: string, depth: SimDepth = 25): FaultHandle {
    return this.faults.reorderSequence({ stream: `orderbook_${pair}_${depth}` });
  }

  /** Sends a frame whose payload does not decode on the market sockets. */
  malformedMarketFrame(pair?: string): void {
    this.hub.malformed(pair);
  }

  /** Sends pending frames now. */
  flush(): void {
    this.exchange.flush();
  }

  /** Drops the sockets carrying public channels (of `pair` when given). */
  dropMarketSockets(pair?: string): void {
    for (const c of this.hub.marketSockets(pair)) c.terminate();
  }

  /** Drops the authenticated sockets. */
  dropUserSockets(): number {
    const socks = this.hub.userSockets();
    for (const c of socks) c.terminate();
    return socks.length;
  }

  protected refuseUserStreams(on: boolean): void {
    this.hub.refuseUser = on;
  }

  protected refuseMarketStreams(on: boolean): void {
    this.hub.refuseMarket = on;
  }

  protected override onStop(): void {
    this.hub.stop();
  }

  /**
   * The base's taker, funded also for the commission: Bittrex charges it in the
   * quote currency on top of a buy, so a buyer funded with price x amount alone
   * would be refused.
   */
  override takeFromAccount(
    apiKey: string,
    pairOrId: string,
    sideOfOurOrder: 'buy' | 'sell',
    price: BigNumber.Value,
    amount: BigNumber.Value,
  ): EngineOrder {
    if (sideOfOurOrder === 'sell') {
      const m = this.marketInfo(pairOrId);
      this.ledger.deposit(SIM_TAKER_ACCOUNT, m.quoteAsset, new BigNumber(price).times(amount).times('0.01'));
    }
    return super.takeFromAccount(apiKey, pairOrId, sideOfOurOrder, price, amount);
  }

  /** Deposits into an account (its `balance` stream hears of it). */
  override deposit(apiKey: string, asset: string, amount: BigNumber.Value): void {
    super.deposit(apiKey, asset, new BigNumber(amount));
  }
}
