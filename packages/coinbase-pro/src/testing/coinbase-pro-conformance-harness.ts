// The @hb/testing conformance harness for Coinbase Pro: a fresh CoinbaseProSimulator
// with a ready CoinbaseProMarket per check, the simulator's truth accessors and its
// fault knobs mapped onto the suite's vocabulary. Only types come from @hb/testing's
// suite, so this file loads outside Jest.

import BigNumber from 'bignumber.js';
import type { OrderSide } from '@hb/core';
import type {
  ConformanceEnvironment,
  ConformanceFaults,
  ConformanceHarness,
  MatchingEngine,
} from '@hb/testing';
import { CoinbaseProMarket, type CoinbaseProMarketOptions } from '../coinbase-pro-market.js';
import {
  CoinbaseProSimulator,
  type CoinbaseSimActivity,
  type CoinbaseSimActivityOptions,
} from './coinbase-pro-simulator.js';
import { DEFAULT_COINBASE_SIM_PRODUCTS, type CoinbaseProSimulatorOptions } from './coinbase-pro-sim-types.js';

/** Options of {@link coinbaseProConformanceHarness}. */
export interface CoinbaseProConformanceHarnessOptions {
  /** The pair every check trades. Default `BTC-USD`. */
  readonly tradingPair?: string;
  /** Seed of the synthetic activity (and of the simulator's generated ids). Default 1. */
  readonly seed?: number;
  /** Activity steps run before the market starts, so the book has depth. Default 100. */
  readonly warmupSteps?: number;
  /** Extra simulator options (the demo account is always created). */
  readonly simulator?: Omit<CoinbaseProSimulatorOptions, 'demoAccount'>;
  /** Market options over the harness's fast test defaults (short polls and reconnects). */
  readonly market?: Partial<CoinbaseProMarketOptions>;
  /**
   * Builds each market (the first and every `createMarket()`); default
   * `new CoinbaseProMarket(options)`. Tests of the suite itself pass a subclass here.
   */
  readonly createMarket?: (options: CoinbaseProMarketOptions) => CoinbaseProMarket;
  /** Options of the synthetic activity's generator (levels, rates, ...). */
  readonly activity?: CoinbaseSimActivityOptions['generator'];
  /** Suite name. Default `coinbase-pro`. */
  readonly name?: string;
}

/** Every fault the Coinbase simulator can inject for the suite. */
const COINBASE_PRO_FAULTS: readonly (keyof ConformanceFaults)[] = [
  'dropMarketSocket',
  'skipSequence',
  'repeatSequence',
  'reorderSequence',
  'malformedMarketFrame',
  'withUserStreamDown',
];

/**
 * The simulator's default products, except that BTC-USD keeps the legacy
 * `base_min_size` of 0.001: since 2022 Coinbase has no minimum size (only
 * `min_market_funds`), but the suite's "under the minimum size" check needs one,
 * and the connector still reads the field when a server sends it.
 */
const HARNESS_PRODUCTS = DEFAULT_COINBASE_SIM_PRODUCTS.map((p) =>
  p.id === 'BTC-USD' ? { ...p, baseMinSize: '0.001' } : p,
);

/** Market options every harness market starts from: short polls, reconnects and timeouts (never asserted on). */
export const COINBASE_PRO_TEST_MARKET_OPTIONS = {
  reconnectMinDelayMs: 20,
  reconnectMaxDelayMs: 200,
  fastPollIntervalMs: 200,
  slowPollIntervalMs: 1_000,
  userStreamSilenceMs: 2_000,
  requestTimeoutMs: 2_000,
} as const satisfies Partial<CoinbaseProMarketOptions>;

/** An environment that also exposes the simulator, for tests that need more than the suite's view. */
export interface CoinbaseProConformanceEnvironment extends ConformanceEnvironment {
  /** `market`, with its Coinbase type. */
  readonly coinbaseProMarket: CoinbaseProMarket;
  readonly simulator: CoinbaseProSimulator;
  /** The market options every market of this environment is built with. */
  readonly marketOptions: CoinbaseProMarketOptions;
}

/** The suite's harness, whose environments also expose the simulator. */
export interface CoinbaseProConformanceHarness extends ConformanceHarness {
  setup(): Promise<CoinbaseProConformanceEnvironment>;
}

/**
 * The conformance harness of the Coinbase Pro connector:
 *
 *   defineConformanceSuite(coinbaseProConformanceHarness());
 *
 * Activity is stepped only when a check asks (`runActivity`), so every check sees
 * the same deterministic market for a given seed.
 */
export function coinbaseProConformanceHarness(
  options: CoinbaseProConformanceHarnessOptions = {},
): CoinbaseProConformanceHarness {
  return {
    name: options.name ?? 'coinbase-pro',
    supportedFaults: COINBASE_PRO_FAULTS,
    setup: () => setupEnvironment(options),
  };
}

/**
 * Runs `steps` activity steps, one per turn of the event loop, so the feed frames
 * of one step leave the server before the next step, and a held or skipped frame
 * is followed by later ones as on the real feed (which is what makes it a gap).
 */
export async function stepActivityPerTurn(
  activity: Pick<CoinbaseSimActivity, 'step'>,
  steps: number,
): Promise<void> {
  for (let i = 0; i < steps; i++) {
    activity.step(1);
    await new Promise((r) => setImmediate(r));
  }
}

/**
 * One tick inside the spread on our side, so our order is alone at the best price
 * and a taker at that price hits it first. With a one-tick spread there is no such
 * price: the best price of our side is returned (our order then queues behind others).
 */
export function restingPriceInside(
  engine: MatchingEngine,
  side: OrderSide,
  tick: BigNumber,
  mid: BigNumber,
): BigNumber {
  const bid = engine.bestBid();
  const ask = engine.bestAsk();
  if (side === 'buy') {
    if (bid === undefined) return ask === undefined ? mid : ask.minus(tick);
    const inside = bid.plus(tick);
    return ask === undefined || inside.lt(ask) ? inside : bid;
  }
  if (ask === undefined) return bid === undefined ? mid : bid.plus(tick);
  const inside = ask.minus(tick);
  return bid === undefined || inside.gt(bid) ? inside : ask;
}

/**
 * Another trader takes `amount` from our resting order at `price`, together with
 * whatever rests ahead of it (better prices, or the same price placed earlier):
 * with a one-tick spread our order cannot be alone at the best price, and a taker
 * that only took `amount` would fill someone else's order first.
 */
export function takeFromOurOrder(
  sim: CoinbaseProSimulator,
  apiKey: string,
  pair: string,
  sideOfOurOrder: OrderSide,
  price: BigNumber.Value,
  amount: BigNumber.Value,
): void {
  const p = new BigNumber(price);
  const rows = sim.engine(pair).bookOrders(sideOfOurOrder === 'buy' ? 'bid' : 'ask');
  let ahead = new BigNumber(0);
  for (const o of rows) {
    if (o.account === apiKey && o.price.eq(p)) break;
    const better = sideOfOurOrder === 'buy' ? o.price.gte(p) : o.price.lte(p);
    if (!better) break;
    ahead = ahead.plus(o.remaining);
  }
  sim.takeFromAccount(apiKey, pair, sideOfOurOrder, p, ahead.plus(amount));
}

async function setupEnvironment(
  options: CoinbaseProConformanceHarnessOptions,
): Promise<CoinbaseProConformanceEnvironment> {
  const tradingPair = options.tradingPair ?? 'BTC-USD';
  const seed = options.seed ?? 1;
  const sim = await CoinbaseProSimulator.start({
    seed,
    products: HARNESS_PRODUCTS,
    ...(options.simulator ?? {}),
    demoAccount: true,
  });
  const markets: CoinbaseProMarket[] = [];
  try {
    const account = sim.demoAccount;
    if (account === undefined)
      throw new Error('coinbase-pro conformance harness: the simulator has no demo account');
    const activity = sim.activity(seed, { pairs: [tradingPair], generator: options.activity });
    activity.step(options.warmupSteps ?? 100);

    const marketOptions: CoinbaseProMarketOptions = {
      tradingPairs: [tradingPair],
      apiKey: account.apiKey,
      apiSecret: account.apiSecret,
      passphrase: account.passphrase,
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
      ...COINBASE_PRO_TEST_MARKET_OPTIONS,
      ...(options.market ?? {}),
    };
    const build = (): CoinbaseProMarket => {
      const m = options.createMarket
        ? options.createMarket(marketOptions)
        : new CoinbaseProMarket(marketOptions);
      markets.push(m);
      return m;
    };
    const market = build();
    await market.start();
    await market.waitUntilReady(10_000);

    const product = sim.products.find((p) => p.id === tradingPair);
    if (product === undefined)
      throw new Error(`coinbase-pro conformance harness: the simulator has no product ${tradingPair}`);
    const tick = new BigNumber(product.quoteIncrement);
    const mid = new BigNumber(product.midPrice);
    const fullStream = new RegExp(`^full:${tradingPair.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

    const marker = new BookMarker(sim, tradingPair, tick, mid, options.activity?.levels ?? 10);
    const faults: ConformanceFaults = {
      dropMarketSocket: () => sim.dropMarketSockets(),
      async skipSequence() {
        // The marker's `received` and `open`: the order is missing from the book
        // until a re-sync, whatever later activity does.
        sim.skipFullSequence(tradingPair, 2);
        await marker.place();
      },
      async repeatSequence() {
        // The marker's `open` arrives twice: a second copy must not add it again.
        sim.faults.repeatSequence({ stream: fullStream }, { skipFirst: 1 });
        await marker.place();
      },
      async reorderSequence() {
        // `received` passes, the marker's `open` is held and sent after its `done`:
        // applied in arrival order that leaves a phantom order on the book.
        sim.faults.reorderSequence({ stream: fullStream }, { skipFirst: 1 });
        await marker.placeAndCancel();
      },
      malformedMarketFrame: () => void sim.malformedFeedFrame({ pair: tradingPair }),
      async withUserStreamDown(during) {
        const outage = sim.userStreamDown();
        try {
          await during();
        } finally {
          outage.restore();
        }
      },
    };

    return {
      market,
      coinbaseProMarket: market,
      simulator: sim,
      marketOptions,
      tradingPair,
      trueBook: (depth) => sim.trueBook(tradingPair, depth),
      ledgerFilledAmount: (clientOrderId) => sim.ledgerFilledAmount(account.apiKey, clientOrderId),
      orderRequestCount: () => sim.orderRequestCount(account.apiKey),
      runActivity: (steps) => stepActivityPerTurn(activity, steps),
      restingPrice: (side) => restingPriceInside(sim.engine(tradingPair), side, tick, mid),
      async takeFromUs(side, price, amount) {
        takeFromOurOrder(sim, account.apiKey, tradingPair, side, price, amount);
      },
      createMarket: () => build(),
      faults,
      async teardown() {
        await Promise.allSettled(markets.map((m) => m.stop()));
        await sim.stop();
      },
    };
  } catch (e) {
    await Promise.allSettled(markets.map((m) => m.stop()));
    await sim.stop();
    throw e;
  }
}

const MARKER_ACCOUNT = 'sim-conformance-marker';

/**
 * Makes the feed message a sequence fault hits matter. The activity trades on a
 * few dozen prices around mid, so a lost message about one of its orders is often
 * undone by a later one and a tracker without a gap check would pass by luck. The
 * marker is an order of its own, several ticks below the activity's range (inside
 * the 20 compared levels), that no later message touches: a lost or misplaced
 * message about it stays wrong until a re-sync.
 */
class BookMarker {
  private readonly size: BigNumber;
  /** Fixed at the first placement, so later ones land on the same level. */
  private price: BigNumber | undefined;

  constructor(
    private readonly sim: CoinbaseProSimulator,
    private readonly pair: string,
    private readonly tick: BigNumber,
    private readonly mid: BigNumber,
    private readonly levels: number,
  ) {
    const p = sim.products.find((x) => x.id === pair);
    // A few dollars' worth, like the activity's own orders.
    this.size = new BigNumber(p?.baseIncrement ?? '0.00000001').times(300_000);
  }

  /** Adds a marker order (the first fixes the level) and waits until its messages have left the server. */
  async place(): Promise<void> {
    this.placeNow();
    await new Promise((r) => setImmediate(r));
  }

  /** Places a marker order and cancels it in the same turn: `received`, `open`, `done` back to back. */
  async placeAndCancel(): Promise<void> {
    const order = this.placeNow();
    this.sim.engine(this.pair).cancel(order.orderId, MARKER_ACCOUNT);
    await new Promise((r) => setImmediate(r));
  }

  private placeNow() {
    const engine = this.sim.engine(this.pair);
    const top = BigNumber.min(engine.bestBid() ?? this.mid, this.mid);
    const price = this.price ?? top.minus(this.tick.times(this.levels + 6));
    this.price = price;
    const product = this.sim.products.find((x) => x.id === this.pair);
    if (product === undefined) throw new Error(`coinbase-pro conformance harness: no product ${this.pair}`);
    // A buy holds price x size plus the taker fee it might pay: deposit twice that.
    this.sim.ledger.deposit(MARKER_ACCOUNT, product.quoteCurrency, price.times(this.size).times(2));
    const order = engine.place({
      account: MARKER_ACCOUNT,
      side: 'buy',
      type: 'limit',
      price,
      amount: this.size,
    });
    if (order.status === 'rejected')
      throw new Error(
        `coinbase-pro conformance harness: the marker order was rejected (${String(order.rejectReason)})`,
      );
    return order;
  }
}
