// The public surface of @hb/huobi. Wire parsers and request builders stay private
// to the package; the simulator is at '@hb/huobi/testing'.
import { cexMarketOptions, type ConnectorDescriptor } from '@hb/core/connector';
import { HUOBI_CAPABILITIES, HuobiMarket } from './huobi-market.js';

export {
  HuobiMarket,
  HUOBI_CAPABILITIES,
  resolveHuobiUrls,
  type HuobiMarketOptions,
} from './huobi-market.js';
export { HuobiOrderBookTracker } from './huobi-order-book-tracker.js';
export { HuobiOrderBookDataSource } from './huobi-order-book-data-source.js';
export { HuobiUserStreamTracker } from './huobi-user-stream-tracker.js';
export {
  HuobiUserStreamDataSource,
  huobiV2PingReply,
  type HuobiUserStreamDataSourceOptions,
} from './huobi-user-stream-data-source.js';
export { HuobiMarketStream, huobiPingReply, type HuobiMarketStreamOptions } from './huobi-market-stream.js';
export { HuobiApiClient, type HuobiApiClientOptions } from './huobi-api-client.js';
export {
  HuobiAuth,
  huobiCanonicalQuery,
  huobiPreSign,
  huobiSign,
  hostOf,
  type HuobiAuthOptions,
  type HuobiWsAuthParams,
  type HuobiWsAuthRequest,
} from './huobi-auth.js';
export {
  HUOBI_ERROR_TABLE,
  classifyHuobiError,
  classifyHuobiWsV2Error,
  huobiBodyError,
  isHuobiClockSkew,
} from './huobi-errors.js';
export {
  HUOBI_EXCHANGE,
  HUOBI_URLS,
  HUOBI_AWS_URLS,
  HUOBI_WS_PATHS,
  HUOBI_PATHS,
  HUOBI_TOPICS,
  HUOBI_ACCOUNT_CHANNELS,
  HUOBI_RATE_LIMITS,
  HUOBI_WS_LIMITS,
  HUOBI_MBP_LEVELS,
  HUOBI_SIGNATURE,
  type HuobiUrls,
} from './huobi-constants.js';
export {
  huobiTimestamp,
  parseHuobiTimestamp,
  isHuobiClientOrderId,
  HUOBI_CLIENT_ORDER_IDS,
  HUOBI_CLIENT_ORDER_ID_PATTERN,
} from './huobi-utils.js';
export { parseHuobiSymbols, type HuobiReferenceData } from './huobi-trading-rules.js';

/** The package version, kept equal to package.json's (the workspace tests check it). */
export const HUOBI_PACKAGE_VERSION = '0.1.0';

/** What tools such as the `hb` CLI discover: how to build a Huobi market. */
export const connector: ConnectorDescriptor<HuobiMarket> = {
  name: 'huobi',
  displayName: 'Huobi Global (HTX) spot',
  version: HUOBI_PACKAGE_VERSION,
  capabilities: HUOBI_CAPABILITIES,
  credentialFields: ['apiKey', 'apiSecret'],
  createMarket: (request) => new HuobiMarket(cexMarketOptions(request)),
};
