// The conformance harness of the Radar Relay connector. The shared generic harness
// (`simulatorConformanceHarness`) drives a matching-engine simulator; Radar's
// simulator is a relayer over a chain, so this harness builds the suite's
// environment from the simulator's own accessors (book, traders on chain, faults).
// It is completed together with the connector's market options (helper radar).
import { notImplemented } from '@hb/core/connector';
import type { ConformanceHarness } from '@hb/testing';
import { RADAR_RELAY_EXCHANGE } from '../radar-relay-constants.js';
import { RADAR_RELAY_CAPABILITIES } from '../radar-relay-market.js';

/** `defineConformanceSuite(radarRelayConformanceHarness())`. */
export function radarRelayConformanceHarness(): ConformanceHarness {
  return {
    name: 'radar-relay',
    capabilities: RADAR_RELAY_CAPABILITIES,
    setup: () =>
      Promise.reject(
        notImplemented(
          RADAR_RELAY_EXCHANGE,
          'conformance environment (src/testing/radar-relay-conformance-harness.ts)',
        ),
      ),
  };
}
