// The @hb/testing conformance harness for Huobi: @hb/testing's generic simulator
// harness with a HuobiSimulator, HuobiMarkets on its demo key, and the market-data
// faults in the MBP framing (one increment per frame, linked by prevSeqNum). Only
// Jest-free parts of @hb/testing are used, so this file loads outside Jest.
import {
  MARKER_ACCOUNT,
  simulatorConformanceHarness,
  simulatorMarketOptions,
  type SimulatorConformanceEnvironment,
  type SimulatorConformanceHarness,
  type SimulatorHarnessOptions,
} from '@hb/testing';
import { HUOBI_CAPABILITIES, HuobiMarket, type HuobiMarketOptions } from '../huobi-market.js';
import type { HuobiSimulatorOptions } from './huobi-sim-types.js';
import { huobiHostileFrames } from './huobi-hostile-frames.js';
import { HuobiSimulator } from './huobi-simulator.js';

/** Options of {@link huobiConformanceHarness}. */
export type HuobiConformanceHarnessOptions = SimulatorHarnessOptions<
  Omit<HuobiSimulatorOptions, 'demoAccount'>,
  HuobiMarketOptions,
  HuobiMarket
>;

/** An environment that also exposes the simulator. */
export type HuobiConformanceEnvironment = SimulatorConformanceEnvironment<
  HuobiSimulator,
  HuobiMarketOptions,
  HuobiMarket
>;

/** The suite's harness. */
export type HuobiConformanceHarness = SimulatorConformanceHarness<
  HuobiSimulator,
  HuobiMarketOptions,
  HuobiMarket
>;

/** Options of a HuobiMarket on the simulator's demo key, with fast test timings. */
export function huobiTestMarketOptions(
  sim: HuobiSimulator,
  overrides: Partial<HuobiMarketOptions> = {},
): HuobiMarketOptions {
  return { tradingPairs: ['BTC-USDT'], ...simulatorMarketOptions(sim), ...overrides };
}

/**
 * The conformance harness of the Huobi connector:
 *
 *   defineConformanceSuite(huobiConformanceHarness());
 */
export function huobiConformanceHarness(
  options: HuobiConformanceHarnessOptions = {},
): HuobiConformanceHarness {
  return simulatorConformanceHarness<HuobiSimulator, HuobiMarketOptions, HuobiMarket>(
    {
      name: 'huobi',
      capabilities: HUOBI_CAPABILITIES,
      tradingPair: 'BTC-USDT',
      startSimulator: (seed) =>
        HuobiSimulator.start({ seed, ...(options.simulator ?? {}), demoAccount: true }),
      marketOptions: (sim, tradingPair) => huobiTestMarketOptions(sim, { tradingPairs: [tradingPair] }),
      createMarket: (o) => new HuobiMarket(o),
      marketFaults: ({ sim, tradingPair, marker }) => ({
        async skipSequence() {
          // The marker's increment is lost: its level stays missing until a refresh.
          sim.skipIncrement(tradingPair);
          await marker.place();
        },
        async repeatSequence() {
          // The marker's add comes again after its removal: applied, the stale copy
          // puts a cancelled order's level back on the book. The add and the removal
          // go out in two turns: the simulator sends one increment per symbol and
          // turn with each level's last amount, so an add and a removal in one turn
          // would be a single "amount 0" increment, whose copy changes nothing.
          sim.repeatIncrement(tradingPair, { late: true });
          const order = await marker.place();
          sim.engine(tradingPair).cancel(order.orderId, MARKER_ACCOUNT);
          await new Promise((r) => setImmediate(r));
        },
        async reorderSequence() {
          // The marker's add is held behind its removal: applied in arrival order
          // that leaves a phantom level; the broken link forces a refresh.
          sim.reorderIncrement(tradingPair);
          await marker.place();
          await marker.placeAndCancel();
        },
        malformedMarketFrame: () => void sim.malformedIncrement({ pair: tradingPair }),
      }),
      hostileFrames: ({ sim, tradingPair, apiKey }) => huobiHostileFrames(sim, tradingPair, apiKey),
    },
    options,
  );
}
