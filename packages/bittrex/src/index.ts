// The public surface of @hb/bittrex. Wire types and the raw client's internals
// stay private to the package; the simulator is at '@hb/bittrex/testing'.
import { cexMarketOptions, type ConnectorDescriptor } from '@hb/core/connector';
import { BITTREX_CAPABILITIES, BittrexMarket } from './bittrex-market.js';

export {
  BittrexMarket,
  BITTREX_CAPABILITIES,
  resolveBittrexUrls,
  type BittrexMarketOptions,
} from './bittrex-market.js';
export { BittrexOrderBookTracker } from './bittrex-order-book-tracker.js';
export {
  BittrexOrderBookDataSource,
  type BittrexOrderBookDataSourceOptions,
} from './bittrex-order-book-data-source.js';
export { BittrexUserStreamTracker } from './bittrex-user-stream-tracker.js';
export {
  BittrexUserStreamDataSource,
  BITTREX_PRIVATE_CHANNELS,
  type BittrexUserStreamDataSourceOptions,
  type BittrexUserEvent,
} from './bittrex-user-stream-data-source.js';
export { BittrexMarketStream, type BittrexMarketStreamOptions } from './bittrex-market-stream.js';
export {
  BittrexSignalRClient,
  parseSignalRFrame,
  encodeInvocation,
  decodeHubPayload,
  encodeHubPayload,
  parseSocketResponse,
  parseNegotiation,
  signalrBases,
  connectUrl,
  CONNECTION_DATA,
  type BittrexSignalRClientOptions,
  type HubMessage,
  type SignalRFrame,
  type SignalRNegotiation,
  type SocketResponse,
} from './bittrex-signalr.js';
export { BittrexApiClient, type BittrexApiClientOptions, type Sequenced } from './bittrex-api-client.js';
export {
  BittrexAuth,
  EMPTY_CONTENT_HASH,
  bittrexContentHash,
  bittrexPreSign,
  type BittrexAuthOptions,
  type BittrexAuthenticateArgs,
} from './bittrex-auth.js';
export { BITTREX_ERROR_TABLE, classifyBittrexError, classifyBittrexSocketError } from './bittrex-errors.js';
export {
  BITTREX_URLS,
  BITTREX_EXCHANGE,
  BITTREX_HEADERS,
  BITTREX_LIMIT_ID,
  BITTREX_PATHS,
  BITTREX_RATE_LIMITS,
  BITTREX_SIGNALR,
  BITTREX_STREAMS,
  BITTREX_TIME_IN_FORCE,
  type BittrexBookDepth,
  type BittrexTimeInForce,
  type BittrexUrls,
} from './bittrex-constants.js';
export {
  parseOrderBookSnapshot,
  parseOrderBookDelta,
  parseTradeDelta,
  parseRecentTrades,
  type BittrexBookDelta,
} from './bittrex-order-book.js';
export {
  parseOrder,
  parseOrders,
  parseExecution,
  parseExecutions,
  parseBalance,
  parseBalances,
  toOrderState,
  toOrderUpdate,
  toOpenOrder,
  type BittrexOrder,
} from './bittrex-order-parsers.js';
export { buildNewOrderBody, type BittrexNewOrderBody, type NewOrderInput } from './bittrex-order-requests.js';
export {
  parseMarkets,
  parseTradingRules,
  toTradingRule,
  type BittrexMarketInfo,
} from './bittrex-trading-rules.js';

/** The package version, kept in step with package.json by the release tooling's check. */
export const BITTREX_PACKAGE_VERSION = '0.1.0';

/** What tools such as the `hb` CLI discover: how to build a Bittrex market. */
export const connector: ConnectorDescriptor<BittrexMarket> = {
  name: 'bittrex',
  displayName: 'Bittrex (API v3; exchange closed Dec 2023)',
  version: BITTREX_PACKAGE_VERSION,
  capabilities: BITTREX_CAPABILITIES,
  credentialFields: ['apiKey', 'apiSecret'],
  createMarket: (request) => new BittrexMarket(cexMarketOptions(request)),
};
