import type { MarketBaseOptions } from '../market/market-base.js';
import type { ConnectorDescriptor } from '../connector.js';
import type { CredentialFields } from './credentials.js';
import type { EndpointChoice, ReconnectBounds } from './endpoints.js';

/**
 * The options every connector's market takes: the pairs and polling of
 * `MarketBase`, the keys (which fields are required is the connector's
 * business), the endpoint choice, and socket reconnect bounds. A connector's
 * own options extend this with what is true of its exchange only.
 */
export interface ConnectorMarketOptions
  extends MarketBaseOptions, EndpointChoice, ReconnectBounds, CredentialFields {}

/** What a tool hands `ConnectorDescriptor.createMarket`. */
export type CreateMarketRequest = Parameters<ConnectorDescriptor['createMarket']>[0];

/**
 * A CEX connector's market options from a `createMarket` request: the pairs,
 * the key fields and the REST/WebSocket overrides (the on-chain fields are not
 * a CEX's business). Which keys are required stays the connector's check.
 */
export function cexMarketOptions(request: CreateMarketRequest): ConnectorMarketOptions {
  const { credentials, endpoints } = request;
  return {
    tradingPairs: request.tradingPairs,
    apiKey: credentials?.apiKey,
    apiSecret: credentials?.apiSecret,
    passphrase: credentials?.passphrase,
    restUrl: endpoints?.restUrl,
    wsUrl: endpoints?.wsUrl,
  };
}
