// The @hb/testing conformance harness for Binance: @hb/testing's generic
// simulator harness with a BinanceSimulator, BinanceMarkets on its demo account, and
// the market-data faults in Binance's framing (one depth update per frame). Only
// Jest-free parts of @hb/testing are used, so this file loads outside Jest.

import {
  simulatorConformanceHarness,
  simulatorMarketOptions,
  type SimulatorConformanceEnvironment,
  type SimulatorConformanceHarness,
  type SimulatorHarnessOptions,
} from '@hb/testing';
import { BINANCE_CAPABILITIES, BinanceMarket, type BinanceMarketOptions } from '../binance-market.js';
import { binanceHostileFrames } from './binance-hostile-frames.js';
import { BinanceSimulator } from './binance-simulator.js';
import { DEFAULT_BINANCE_SIM_MARKETS, type BinanceSimulatorOptions } from './binance-sim-types.js';

/** Options of {@link binanceConformanceHarness} (depth updates default to `immediate`). */
export type BinanceConformanceHarnessOptions = SimulatorHarnessOptions<
  Omit<BinanceSimulatorOptions, 'demoAccount'>,
  BinanceMarketOptions,
  BinanceMarket
>;

/** An environment that also exposes the simulator (its `market` has the Binance type). */
export type BinanceConformanceEnvironment = SimulatorConformanceEnvironment<
  BinanceSimulator,
  BinanceMarketOptions,
  BinanceMarket
>;

/** The suite's harness, whose environments also expose the simulator. */
export type BinanceConformanceHarness = SimulatorConformanceHarness<
  BinanceSimulator,
  BinanceMarketOptions,
  BinanceMarket
>;

/**
 * The simulator's default markets, except that BTC-USDT's minimum size is 0.001:
 * the suite sizes its orders as a few minimum sizes and does not look at the
 * minimum notional, and 4 x 0.00001 BTC (Binance's real minimum) is far below the
 * 5 USDT notional, so every order check would be refused before sending.
 */
const HARNESS_MARKETS = DEFAULT_BINANCE_SIM_MARKETS.map((m) =>
  m.pair === 'BTC-USDT' ? { ...m, minQty: '0.001' } : m,
);

/** Options of a BinanceMarket on the simulator's demo account, with fast test timings. */
export function binanceTestMarketOptions(
  sim: BinanceSimulator,
  overrides: Partial<BinanceMarketOptions> = {},
): BinanceMarketOptions {
  return { tradingPairs: ['BTC-USDT'], ...simulatorMarketOptions(sim), ...overrides };
}

/**
 * The conformance harness of the Binance connector:
 *
 *   defineConformanceSuite(binanceConformanceHarness());
 */
export function binanceConformanceHarness(
  options: BinanceConformanceHarnessOptions = {},
): BinanceConformanceHarness {
  return simulatorConformanceHarness<BinanceSimulator, BinanceMarketOptions, BinanceMarket>(
    {
      name: 'binance',
      tradingPair: 'BTC-USDT',
      capabilities: BINANCE_CAPABILITIES,
      startSimulator: (seed) =>
        BinanceSimulator.start({
          depthMode: 'immediate',
          seed,
          markets: HARNESS_MARKETS,
          ...(options.simulator ?? {}),
          demoAccount: true,
        }),
      marketOptions: (sim, tradingPair) => binanceTestMarketOptions(sim, { tradingPairs: [tradingPair] }),
      createMarket: (o) => new BinanceMarket(o),
      marketFaults: ({ sim, tradingPair, marker }) => ({
        async skipSequence() {
          sim.skipDepthUpdate(tradingPair);
          // The skipped update is the marker's: a change later activity leaves alone.
          await marker.place();
        },
        async repeatSequence() {
          // The marker's update comes again after the marker's next one: applied, the
          // stale copy puts the old amount back on a level later activity leaves alone.
          sim.repeatDepthUpdate(tradingPair, 1, { late: true });
          await marker.place();
          await marker.place();
        },
        async reorderSequence() {
          sim.reorderDepthUpdate(tradingPair);
          // Two updates of the same level: applied in the wrong order, the older amount wins.
          await marker.place();
          await marker.place();
        },
        malformedMarketFrame: () => void sim.malformedMarketFrame({ pair: tradingPair }),
      }),
      hostileFrames: ({ sim, tradingPair, apiKey }) => binanceHostileFrames(sim, tradingPair, apiKey),
    },
    options,
  );
}
