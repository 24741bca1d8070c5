// The public surface of @hb/binance. Wire types, parsers and the raw client's
// internals stay private to the package; the simulator is at '@hb/binance/testing'.
import { cexMarketOptions, type ConnectorDescriptor } from '@hb/core/connector';
import { BINANCE_CAPABILITIES, BinanceMarket } from './binance-market.js';

export {
  BinanceMarket,
  BINANCE_CAPABILITIES,
  resolveBinanceUrls,
  type BinanceMarketOptions,
} from './binance-market.js';
export { BinanceOrderBookTracker } from './binance-order-book-tracker.js';
export {
  BinanceOrderBookDataSource,
  type BinanceOrderBookDataSourceOptions,
} from './binance-order-book-data-source.js';
export { BinanceUserStreamTracker } from './binance-user-stream-tracker.js';
export {
  BinanceUserStreamDataSource,
  type BinanceUserStreamDataSourceOptions,
  type BinanceUserDataFrame,
} from './binance-user-stream-data-source.js';
export {
  BinanceMarketStream,
  type BinanceDepthSpeed,
  type BinanceMarketStreamOptions,
} from './binance-market-stream.js';
export { BinanceApiClient, type BinanceApiClientOptions } from './binance-api-client.js';
export { BinanceAuth, type BinanceAuthOptions } from './binance-auth.js';
export { BINANCE_ERROR_TABLE, classifyBinanceError } from './binance-errors.js';
export {
  BINANCE_URLS,
  BINANCE_TESTNET_URLS,
  BINANCE_EXCHANGE,
  type BinanceUrls,
} from './binance-constants.js';
export { SymbolMap, symbolMapFromExchangeInfo } from './binance-utils.js';

/** The package version, kept in step with package.json by the release tooling's check. */
export const BINANCE_PACKAGE_VERSION = '0.1.0';

/** What tools such as the `hb` CLI discover: how to build a Binance market. */
export const connector: ConnectorDescriptor<BinanceMarket> = {
  name: 'binance',
  displayName: 'Binance (spot)',
  version: BINANCE_PACKAGE_VERSION,
  capabilities: BINANCE_CAPABILITIES,
  credentialFields: ['apiKey', 'apiSecret'],
  createMarket: (request) => new BinanceMarket(cexMarketOptions(request)),
};
