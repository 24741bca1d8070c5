// The @hb/testing conformance harness for Coinbase Pro: @hb/testing's generic
// simulator harness with a CoinbaseProSimulator, CoinbaseProMarkets on its demo key,
// and the market-data faults in the `full` channel's framing (one order message per
// frame). Only Jest-free parts of @hb/testing are used, so this file loads outside Jest.

import { coinbaseProHostileFrames } from './coinbase-pro-hostile-frames.js';
import {
  demoAccount,
  escapeRegExp,
  simulatorConformanceHarness,
  simulatorMarketOptions,
  type SimulatorConformanceEnvironment,
  type SimulatorConformanceHarness,
  type SimulatorHarnessOptions,
} from '@hb/testing';
import {
  COINBASE_PRO_CAPABILITIES,
  CoinbaseProMarket,
  type CoinbaseProMarketOptions,
} from '../coinbase-pro-market.js';
import { CoinbaseProSimulator } from './coinbase-pro-simulator.js';
import { DEFAULT_COINBASE_SIM_PRODUCTS, type CoinbaseProSimulatorOptions } from './coinbase-pro-sim-types.js';

/** Options of {@link coinbaseProConformanceHarness}. */
export type CoinbaseProConformanceHarnessOptions = SimulatorHarnessOptions<
  Omit<CoinbaseProSimulatorOptions, 'demoAccount'>,
  CoinbaseProMarketOptions,
  CoinbaseProMarket
>;

/** An environment that also exposes the simulator (its `market` has the Coinbase type). */
export type CoinbaseProConformanceEnvironment = SimulatorConformanceEnvironment<
  CoinbaseProSimulator,
  CoinbaseProMarketOptions,
  CoinbaseProMarket
>;

/** The suite's harness, whose environments also expose the simulator. */
export type CoinbaseProConformanceHarness = SimulatorConformanceHarness<
  CoinbaseProSimulator,
  CoinbaseProMarketOptions,
  CoinbaseProMarket
>;

/**
 * The simulator's default products, except that BTC-USD keeps the legacy
 * `base_min_size` of 0.001: since 2022 Coinbase has no minimum size (only
 * `min_market_funds`), but the suite's "under the minimum size" check needs one,
 * and the connector still reads the field when a server sends it.
 */
const HARNESS_PRODUCTS = DEFAULT_COINBASE_SIM_PRODUCTS.map((p) =>
  p.id === 'BTC-USD' ? { ...p, baseMinSize: '0.001' } : p,
);

/** Options of a CoinbaseProMarket on the simulator's demo key, with fast test timings. */
export function coinbaseProTestMarketOptions(
  sim: CoinbaseProSimulator,
  overrides: Partial<CoinbaseProMarketOptions> = {},
): CoinbaseProMarketOptions {
  return {
    tradingPairs: ['BTC-USD'],
    ...simulatorMarketOptions(sim),
    passphrase: demoAccount(sim).passphrase,
    ...overrides,
  };
}

/**
 * The conformance harness of the Coinbase Pro connector:
 *
 *   defineConformanceSuite(coinbaseProConformanceHarness());
 */
export function coinbaseProConformanceHarness(
  options: CoinbaseProConformanceHarnessOptions = {},
): CoinbaseProConformanceHarness {
  return simulatorConformanceHarness<CoinbaseProSimulator, CoinbaseProMarketOptions, CoinbaseProMarket>(
    {
      name: 'coinbase-pro',
      tradingPair: 'BTC-USD',
      capabilities: COINBASE_PRO_CAPABILITIES,
      startSimulator: (seed) =>
        CoinbaseProSimulator.start({
          seed,
          products: HARNESS_PRODUCTS,
          ...(options.simulator ?? {}),
          demoAccount: true,
        }),
      marketOptions: (sim, tradingPair) => coinbaseProTestMarketOptions(sim, { tradingPairs: [tradingPair] }),
      createMarket: (o) => new CoinbaseProMarket(o),
      marketFaults: ({ sim, tradingPair, marker }) => {
        const fullStream = new RegExp(`^full:${escapeRegExp(tradingPair)}$`);
        return {
          async skipSequence() {
            // The marker's `received` and `open`: the order is missing from the book
            // until a re-sync, whatever later activity does.
            sim.skipFullSequence(tradingPair, 2);
            await marker.place();
          },
          async repeatSequence() {
            // The marker's `open` comes again after its `done`: applied, the stale copy
            // puts a cancelled order back on the book.
            sim.faults.repeatSequence({ stream: fullStream }, { skipFirst: 1, late: true });
            await marker.placeAndCancel();
          },
          async reorderSequence() {
            // `received` passes, the marker's `open` is held and sent after its `done`:
            // applied in arrival order that leaves a phantom order on the book.
            sim.faults.reorderSequence({ stream: fullStream }, { skipFirst: 1 });
            await marker.placeAndCancel();
          },
          malformedMarketFrame: () => void sim.malformedFeedFrame({ pair: tradingPair }),
        };
      },
      hostileFrames: ({ sim, tradingPair, apiKey }) => coinbaseProHostileFrames(sim, tradingPair, apiKey),
    },
    options,
  );
}
