import type { MarketBaseOptions } from '../market/market-base.js';
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
