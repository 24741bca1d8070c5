// The public surface of @hb/radar-relay. Wire types, parsers and the raw client's
// internals stay private to the package; the simulator is at '@hb/radar-relay/testing'.
import type { ConnectorDescriptor } from '@hb/core';
import { RADAR_RELAY_CAPABILITIES, RadarRelayMarket } from './radar-relay-market.js';

export {
  RadarRelayMarket,
  RADAR_RELAY_CAPABILITIES,
  type RadarRelayMarketOptions,
} from './radar-relay-market.js';
export { RADAR_RELAY_EXCHANGE } from './radar-relay-constants.js';

/** The package version, kept in step with package.json by the release tooling's check. */
export const RADAR_RELAY_PACKAGE_VERSION = '0.1.0';

/** What tools such as the `hb` CLI discover: how to build a RadarRelay market. */
export const connector: ConnectorDescriptor<RadarRelayMarket> = {
  name: 'radar-relay',
  displayName: 'Radar Relay',
  version: RADAR_RELAY_PACKAGE_VERSION,
  capabilities: RADAR_RELAY_CAPABILITIES,
  credentialFields: ['apiKey', 'apiSecret'],
  createMarket: ({ tradingPairs, credentials, endpoints }) =>
    new RadarRelayMarket({
      tradingPairs,
      apiKey: credentials?.apiKey,
      apiSecret: credentials?.apiSecret,
      restUrl: endpoints?.restUrl,
      wsUrl: endpoints?.wsUrl,
    }),
};
