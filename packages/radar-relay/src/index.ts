// The public surface of @hb/radar-relay. Wire parsers stay private to the
// package; the simulator is at '@hb/radar-relay/testing'.
import type { ConnectorDescriptor } from '@hb/core';
import { RADAR_RELAY_CAPABILITIES, RadarRelayMarket } from './radar-relay-market.js';

export {
  RadarRelayMarket,
  RADAR_RELAY_CAPABILITIES,
  type RadarRelayMarketOptions,
} from './radar-relay-market.js';
export {
  RADAR_RELAY_EXCHANGE,
  RADAR_RELAY_URLS,
  RADAR_RELAY_PATHS,
  RADAR_RELAY_MAINNET,
  RADAR_RELAY_RATE_LIMITS,
  RADAR_RELAY_SOCKET_TIMING,
  type RadarRelayUrls,
} from './radar-relay-constants.js';
export {
  RadarRelayApiClient,
  type RadarLimitOrderRequest,
  type RadarMarketOrderRequest,
} from './radar-relay-api-client.js';
export {
  RadarRelayOrderBookDataSource,
  type RadarRelayOrderBookDataSourceOptions,
} from './radar-relay-order-book-data-source.js';
export { RadarRelayOrderBookTracker } from './radar-relay-order-book-tracker.js';
export { RadarRelayOrderSigner } from './radar-relay-auth.js';
export { RADAR_RELAY_ERROR_TABLE, classifyRadarRelayError, typedRadarError } from './radar-relay-errors.js';
export { fillsOfOrder, fillsOfReceipt } from './radar-relay-exchange.js';
export {
  parseMarkets,
  parseTokens,
  tradingRuleOf,
  type RadarMarket,
  type RadarToken,
} from './radar-relay-trading-rules.js';
export {
  parseRadarOrder,
  radarRelayOrderState,
  type RadarOrder,
  type RadarOrderState,
} from './radar-relay-order-parsers.js';
export { parseBookEvent, parseBookSnapshot, type RadarBookEvent } from './radar-relay-order-book.js';

/** The package version, kept in step with package.json by the release tooling's check. */
export const RADAR_RELAY_PACKAGE_VERSION = '0.1.0';

/** What tools such as the `hb` CLI discover: how to build a Radar Relay market. */
export const connector: ConnectorDescriptor<RadarRelayMarket> = {
  name: 'radar-relay',
  displayName: 'Radar Relay (0x v3)',
  version: RADAR_RELAY_PACKAGE_VERSION,
  capabilities: RADAR_RELAY_CAPABILITIES,
  credentialFields: ['privateKey'],
  createMarket: ({ tradingPairs, credentials, endpoints }) =>
    new RadarRelayMarket({
      tradingPairs,
      privateKey: credentials?.privateKey,
      rpcUrl: endpoints?.rpcUrl ?? credentials?.rpcUrl,
      chainId: endpoints?.chainId,
      restUrl: endpoints?.restUrl,
      wsUrl: endpoints?.wsUrl,
    }),
};
