// The @hb/testing conformance harness for Binance: a fresh BinanceSimulator with a
// ready BinanceMarket per check, the simulator's truth accessors and its fault knobs
// mapped onto the suite's vocabulary. Only types come from @hb/testing's suite, so
// this file loads outside Jest.

import BigNumber from 'bignumber.js';
import type { OrderSide } from '@hb/core';
import type { ConformanceEnvironment, ConformanceFaults, ConformanceHarness } from '@hb/testing';
import { BinanceMarket, type BinanceMarketOptions } from '../binance-market.js';
import {
  BinanceSimulator,
  type BinanceSimActivity,
  type BinanceSimActivityOptions,
} from './binance-simulator.js';
import { DEFAULT_BINANCE_SIM_MARKETS, type BinanceSimulatorOptions } from './binance-sim-types.js';

/** Options of {@link binanceConformanceHarness}. */
export interface BinanceConformanceHarnessOptions {
  /** The pair every check trades. Default `BTC-USDT`. */
  readonly tradingPair?: string;
  /** Seed of the synthetic activity (and of the simulator's generated ids). Default 1. */
  readonly seed?: number;
  /** Activity steps run before the market starts, so the book has depth. Default 100. */
  readonly warmupSteps?: number;
  /** Extra simulator options (the demo account is always created; depth updates default to `immediate`). */
  readonly simulator?: Omit<BinanceSimulatorOptions, 'demoAccount'>;
  /** Market options over the harness's fast test defaults (short polls and reconnects). */
  readonly market?: Partial<BinanceMarketOptions>;
  /**
   * Builds each market (the first and every `createMarket()`); default
   * `new BinanceMarket(options)`. Tests of the suite itself pass a subclass here.
   */
  readonly createMarket?: (options: BinanceMarketOptions) => BinanceMarket;
  /** Options of the synthetic activity's generator (levels, rates, ...). */
  readonly activity?: BinanceSimActivityOptions['generator'];
  /** Suite name. Default `binance`. */
  readonly name?: string;
}

/** Every fault the Binance simulator can inject for the suite. */
const BINANCE_FAULTS: readonly (keyof ConformanceFaults)[] = [
  'dropMarketSocket',
  'skipSequence',
  'repeatSequence',
  'reorderSequence',
  'malformedMarketFrame',
  'withUserStreamDown',
];

/**
 * The simulator's default markets, except that BTC-USDT's minimum size is 0.001:
 * the suite sizes its orders as a few minimum sizes and does not look at the
 * minimum notional, and 4 x 0.00001 BTC (Binance's real minimum) is far below the
 * 5 USDT notional, so every order check would be refused before sending.
 */
const HARNESS_MARKETS = DEFAULT_BINANCE_SIM_MARKETS.map((m) =>
  m.pair === 'BTC-USDT' ? { ...m, minQty: '0.001' } : m,
);

/** An environment that also exposes the simulator, for tests that need more than the suite's view. */
export interface BinanceConformanceEnvironment extends ConformanceEnvironment {
  /** `market`, with its Binance type. */
  readonly binanceMarket: BinanceMarket;
  readonly simulator: BinanceSimulator;
  /** The market options every market of this environment is built with. */
  readonly marketOptions: BinanceMarketOptions;
}

/** The suite's harness, whose environments also expose the simulator. */
export interface BinanceConformanceHarness extends ConformanceHarness {
  setup(): Promise<BinanceConformanceEnvironment>;
}

/**
 * The conformance harness of the Binance connector:
 *
 *   defineConformanceSuite(binanceConformanceHarness());
 *
 * Activity is stepped only when a check asks (`runActivity`), so every check sees
 * the same deterministic market for a given seed.
 */
export function binanceConformanceHarness(
  options: BinanceConformanceHarnessOptions = {},
): BinanceConformanceHarness {
  return {
    name: options.name ?? 'binance',
    supportedFaults: BINANCE_FAULTS,
    setup: () => setupEnvironment(options),
  };
}

async function setupEnvironment(
  options: BinanceConformanceHarnessOptions,
): Promise<BinanceConformanceEnvironment> {
  const tradingPair = options.tradingPair ?? 'BTC-USDT';
  const seed = options.seed ?? 1;
  const sim = await BinanceSimulator.start({
    depthMode: 'immediate',
    seed,
    markets: HARNESS_MARKETS,
    ...(options.simulator ?? {}),
    demoAccount: true,
  });
  const markets: BinanceMarket[] = [];
  try {
    const account = sim.demoAccount;
    if (account === undefined)
      throw new Error('binance conformance harness: the simulator has no demo account');
    const activity: BinanceSimActivity = sim.activity(seed, {
      pairs: [tradingPair],
      generator: options.activity,
    });
    activity.step(options.warmupSteps ?? 100);

    const marketOptions: BinanceMarketOptions = {
      tradingPairs: [tradingPair],
      apiKey: account.apiKey,
      apiSecret: account.apiSecret,
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
      fastPollIntervalMs: 200,
      slowPollIntervalMs: 1_000,
      userStreamSilenceMs: 2_000,
      requestTimeoutMs: 2_000,
      ...(options.market ?? {}),
    };
    const build = (): BinanceMarket => {
      const m = options.createMarket ? options.createMarket(marketOptions) : new BinanceMarket(marketOptions);
      markets.push(m);
      return m;
    };
    const market = build();
    await market.start();
    await market.waitUntilReady(10_000);

    const simMarket = sim.markets.find((m) => m.pair === tradingPair);
    if (simMarket === undefined)
      throw new Error(`binance conformance harness: the simulator has no market ${tradingPair}`);
    const tick = new BigNumber(simMarket.tickSize);
    const mid = new BigNumber(simMarket.midPrice);

    const levels = options.activity?.levels ?? 10;
    const marker = new BookMarker(sim, tradingPair, tick, mid, levels);
    const faults: ConformanceFaults = {
      dropMarketSocket: () => sim.dropMarketSockets(),
      async skipSequence() {
        sim.skipDepthUpdate(tradingPair);
        // The skipped update is the marker's: a change later activity leaves alone.
        await marker.place();
      },
      repeatSequence: () => void sim.repeatDepthUpdate(tradingPair),
      async reorderSequence() {
        sim.reorderDepthUpdate(tradingPair);
        // Two updates of the same level: applied in the wrong order, the older amount wins.
        await marker.place();
        await marker.place();
      },
      malformedMarketFrame: () => void sim.malformedMarketFrame({ pair: tradingPair }),
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
      market: market,
      binanceMarket: market,
      simulator: sim,
      marketOptions,
      tradingPair,
      trueBook: (depth) => sim.trueBook(tradingPair, depth),
      ledgerFilledAmount: (clientOrderId) => sim.ledgerFilledAmount(account.apiKey, clientOrderId),
      orderRequestCount: () => sim.orderRequestCount(account.apiKey),
      async runActivity(steps) {
        // One step per turn of the event loop: the simulator batches the depth
        // changes of one synchronous run into a single frame, and a skipped or
        // reordered frame only shows as a gap if later frames follow it, as they
        // do on the real stream.
        for (let i = 0; i < steps; i++) {
          activity.step(1);
          await new Promise((r) => setImmediate(r));
        }
      },
      restingPrice: (side) => restingPrice(sim, tradingPair, side, tick, mid),
      async takeFromUs(side, price, amount) {
        sim.takeFromAccount(account.apiKey, tradingPair, side, price, amount);
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

/**
 * One tick inside the spread on our side, so our order is alone at the best price
 * and a taker at that price hits it first. With a one-tick spread there is no such
 * price: the best price of our side is returned (our order then queues behind others).
 */
function restingPrice(
  sim: BinanceSimulator,
  pair: string,
  side: OrderSide,
  tick: BigNumber,
  mid: BigNumber,
): BigNumber {
  const engine = sim.engine(pair);
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

const MARKER_ACCOUNT = 'sim-conformance-marker';

/**
 * Makes the book update a sequence fault hits matter. The simulator's activity
 * trades on a few dozen prices around mid, so within the suite's 60 follow-up
 * actions a lost or reordered diff is usually overwritten by a later update of
 * the same level, and a tracker without a gap check would pass by luck. On a
 * real book a lost level change stays wrong until that level changes again; the
 * marker recreates that: a resting bid several ticks below the activity's range
 * (inside the 20 compared levels), in an update of its own.
 */
class BookMarker {
  private readonly step: BigNumber;
  /** Fixed at the first placement, so later ones update the same level. */
  private price: BigNumber | undefined;

  constructor(
    private readonly sim: BinanceSimulator,
    private readonly pair: string,
    private readonly tick: BigNumber,
    private readonly mid: BigNumber,
    private readonly levels: number,
  ) {
    const m = sim.markets.find((x) => x.pair === pair);
    this.step = new BigNumber(m?.minQty ?? '0.001');
  }

  /** Adds to the marker bid (first call places it) and waits until its update has left the server. */
  async place(): Promise<void> {
    const engine = this.sim.engine(this.pair);
    const top = BigNumber.min(engine.bestBid() ?? this.mid, this.mid);
    const price = this.price ?? top.minus(this.tick.times(this.levels + 6));
    this.price = price;
    const amount = this.step.times(3);
    this.sim.ledger.deposit(MARKER_ACCOUNT, quoteOf(this.sim, this.pair), price.times(amount));
    engine.place({ account: MARKER_ACCOUNT, side: 'buy', type: 'limit', price, amount });
    await new Promise((r) => setImmediate(r));
  }
}

function quoteOf(sim: BinanceSimulator, pair: string): string {
  const m = sim.markets.find((x) => x.pair === pair);
  if (m === undefined) throw new Error(`binance conformance harness: no market ${pair}`);
  return m.quoteAsset;
}
