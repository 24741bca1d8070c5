// The public surface of @hb/coinbase-pro. Wire types, parsers and request
// builders stay private to the package; the simulator is at
// '@hb/coinbase-pro/testing'.
import { cexMarketOptions, type ConnectorDescriptor } from '@hb/core/connector';
import { COINBASE_PRO_CAPABILITIES, CoinbaseProMarket } from './coinbase-pro-market.js';

export {
  CoinbaseProMarket,
  COINBASE_PRO_CAPABILITIES,
  resolveCoinbaseProUrls,
  type CoinbaseProMarketOptions,
} from './coinbase-pro-market.js';
export { CoinbaseProOrderBookTracker } from './coinbase-pro-order-book-tracker.js';
export { CoinbaseProOrderBookDataSource } from './coinbase-pro-order-book-data-source.js';
export { CoinbaseProUserStreamTracker } from './coinbase-pro-user-stream-tracker.js';
export {
  CoinbaseProUserStreamDataSource,
  type CoinbaseProUserStreamDataSourceOptions,
} from './coinbase-pro-user-stream-data-source.js';
export {
  CoinbaseProFeed,
  type CoinbaseProBookChannel,
  type CoinbaseProFeedOptions,
} from './coinbase-pro-feed.js';
export { CoinbaseProApiClient, type CoinbaseProApiClientOptions } from './coinbase-pro-api-client.js';
export { CoinbaseProAuth, type CoinbaseProAuthOptions } from './coinbase-pro-auth.js';
export { COINBASE_PRO_ERROR_TABLE, classifyCoinbaseProError } from './coinbase-pro-errors.js';
export {
  COINBASE_PRO_EXCHANGE,
  COINBASE_PRO_URLS,
  COINBASE_PRO_SANDBOX_URLS,
  COINBASE_PRO_LEGACY_URLS,
  COINBASE_PRO_LEGACY_SANDBOX_URLS,
  COINBASE_PRO_RATE_LIMITS,
  type CoinbaseProUrls,
} from './coinbase-pro-constants.js';
export { COINBASE_PRO_CLIENT_ORDER_IDS } from './coinbase-pro-utils.js';

/** The package version, kept equal to package.json's (the workspace tests check it). */
export const COINBASE_PRO_PACKAGE_VERSION = '0.1.0';

/** What tools such as the `hb` CLI discover: how to build a Coinbase Pro market. */
export const connector: ConnectorDescriptor<CoinbaseProMarket> = {
  name: 'coinbase-pro',
  displayName: 'Coinbase Pro (Coinbase Exchange)',
  version: COINBASE_PRO_PACKAGE_VERSION,
  capabilities: COINBASE_PRO_CAPABILITIES,
  credentialFields: ['apiKey', 'apiSecret', 'passphrase'],
  bookSource: (withKeys) =>
    withKeys
      ? 'the book comes from the authenticated full channel (level 3, every order)'
      : 'no API keys: the book comes from the public level2_batch channel (price levels, 50 ms batches); set keys for the level-3 full channel',
  createMarket: (request) => new CoinbaseProMarket(cexMarketOptions(request)),
};
