// The conformance harness of the RadarRelay connector: @hb/testing's
// generic simulator harness with the RadarRelay simulator and market, and the
// market-data faults in RadarRelay's framing.
import { notImplemented } from '@hb/core/connector';
import {
  FAST_TEST_MARKET_OPTIONS,
  simulatorConformanceHarness,
  type SimulatorConformanceHarness,
} from '@hb/testing';
import { RADAR_RELAY_EXCHANGE } from '../radar-relay-constants.js';
import {
  RADAR_RELAY_CAPABILITIES,
  RadarRelayMarket,
  type RadarRelayMarketOptions,
} from '../radar-relay-market.js';
import { RadarRelaySimulator } from './radar-relay-simulator.js';

/** `defineConformanceSuite(radarRelayConformanceHarness())`. */
export function radarRelayConformanceHarness(): SimulatorConformanceHarness<
  RadarRelaySimulator,
  RadarRelayMarketOptions,
  RadarRelayMarket
> {
  const fault = (what: string) => () => {
    throw notImplemented(
      RADAR_RELAY_EXCHANGE,
      `simulator fault ${what} (src/testing/radar-relay-conformance-harness.ts)`,
    );
  };
  return simulatorConformanceHarness({
    name: 'radar-relay',
    tradingPair: 'BTC-USDT',
    capabilities: RADAR_RELAY_CAPABILITIES,
    startSimulator: (seed) => RadarRelaySimulator.start({ seed, demoAccount: true }),
    marketOptions: (sim, tradingPair) => ({
      tradingPairs: [tradingPair],
      apiKey: sim.demoAccount?.apiKey,
      apiSecret: sim.demoAccount?.apiSecret,
      restUrl: sim.restUrl,
      wsUrl: sim.wsUrl,
      ...FAST_TEST_MARKET_OPTIONS,
    }),
    createMarket: (options) => new RadarRelayMarket(options),
    marketFaults: () => ({
      skipSequence: fault('skipSequence'),
      repeatSequence: fault('repeatSequence'),
      reorderSequence: fault('reorderSequence'),
      malformedMarketFrame: fault('malformedMarketFrame'),
    }),
  });
}
