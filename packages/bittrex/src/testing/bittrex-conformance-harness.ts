// The @hb/testing conformance harness for Bittrex: the generic simulator harness
// with a BittrexSimulator, BittrexMarkets on its demo account, and the book faults
// in Bittrex's framing (one `orderBook` delta per frame on `orderbook_{m}_25`).
// Only Jest-free parts of @hb/testing are used, so this file loads outside Jest.
import {
  simulatorConformanceHarness,
  simulatorMarketOptions,
  type SimulatorConformanceEnvironment,
  type SimulatorConformanceHarness,
  type SimulatorHarnessOptions,
} from '@hb/testing';
import { BITTREX_LIMIT_ID } from '../bittrex-constants.js';
import { BITTREX_CAPABILITIES, BittrexMarket, type BittrexMarketOptions } from '../bittrex-market.js';
import { bittrexHostileFrames } from './bittrex-hostile-frames.js';
import { BittrexSimulator } from './bittrex-simulator.js';
import type { BittrexSimulatorOptions } from './bittrex-sim-types.js';

/** Options of {@link bittrexConformanceHarness}. */
export type BittrexConformanceHarnessOptions = SimulatorHarnessOptions<
  Omit<BittrexSimulatorOptions, 'demoAccount'>,
  BittrexMarketOptions,
  BittrexMarket
>;

/** An environment that also exposes the simulator. */
export type BittrexConformanceEnvironment = SimulatorConformanceEnvironment<
  BittrexSimulator,
  BittrexMarketOptions,
  BittrexMarket
>;

/** The suite's harness, whose environments also expose the simulator. */
export type BittrexConformanceHarness = SimulatorConformanceHarness<
  BittrexSimulator,
  BittrexMarketOptions,
  BittrexMarket
>;

/**
 * Tests poll every 200 ms and reconnect within milliseconds, far above the
 * documented 60 calls a minute; they run as an account with a raised limit, on
 * both sides (the simulator still enforces the limit it is given).
 */
export const TEST_REQUESTS_PER_MINUTE = 6_000;

/** Options of a BittrexMarket on the simulator's demo account, with fast test timings. */
export function bittrexTestMarketOptions(
  sim: BittrexSimulator,
  overrides: Partial<BittrexMarketOptions> = {},
): BittrexMarketOptions {
  return {
    tradingPairs: ['BTC-USDT'],
    ...simulatorMarketOptions(sim),
    rateLimits: [
      { kind: 'fixed_window', id: BITTREX_LIMIT_ID, limit: TEST_REQUESTS_PER_MINUTE, intervalMs: 60_000 },
    ],
    keepAliveTimeoutMs: 5_000,
    ...overrides,
  };
}

/** Starts a simulator for tests: demo account, raised request limit. */
export function startTestSimulator(options: BittrexSimulatorOptions = {}): Promise<BittrexSimulator> {
  return BittrexSimulator.start({
    requestsPerMinute: TEST_REQUESTS_PER_MINUTE,
    demoAccount: true,
    ...options,
  });
}

/**
 * The conformance harness of the Bittrex connector:
 *
 *   defineConformanceSuite(bittrexConformanceHarness());
 */
export function bittrexConformanceHarness(
  options: BittrexConformanceHarnessOptions = {},
): BittrexConformanceHarness {
  return simulatorConformanceHarness<BittrexSimulator, BittrexMarketOptions, BittrexMarket>(
    {
      name: 'bittrex',
      tradingPair: 'BTC-USDT',
      capabilities: BITTREX_CAPABILITIES,
      startSimulator: (seed) => startTestSimulator({ seed, ...(options.simulator ?? {}) }),
      marketOptions: (sim, tradingPair) => bittrexTestMarketOptions(sim, { tradingPairs: [tradingPair] }),
      createMarket: (o) => new BittrexMarket(o),
      marketFaults: ({ sim, tradingPair, marker }) => ({
        async skipSequence() {
          sim.skipBookDelta(tradingPair);
          // The skipped delta is the marker's: a change later activity leaves alone.
          await marker.place();
        },
        async repeatSequence() {
          // Bittrex's deltas carry absolute quantities, so a copy right after its
          // original changes nothing. The copy of the marker's delta comes after the
          // marker's next one instead: applied, the stale copy puts the old quantity
          // back on a level later activity leaves alone.
          sim.repeatBookDelta(tradingPair, 25, { late: true });
          await marker.place();
          await marker.place();
        },
        async reorderSequence() {
          sim.reorderBookDelta(tradingPair);
          // Two deltas of the same level: applied in the wrong order, the older quantity wins.
          await marker.place();
          await marker.place();
        },
        malformedMarketFrame: () => sim.malformedMarketFrame(tradingPair),
      }),
      hostileFrames: ({ sim, tradingPair, apiKey }) => bittrexHostileFrames(sim, tradingPair, apiKey),
    },
    options,
  );
}
