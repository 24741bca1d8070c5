// Secrets cannot be printed (the shared suite): every public object of the
// connector, built with a known secret, is inspected, stringified and logged.
// Binance's own objects: the API client and its signer, the WebSocket-API user
// stream, the book data source; an empty secret is refused as malformed.
import { describeSecretsSuite } from '@hb/testing/suites';
import { BinanceApiClient } from '../src/binance-api-client.js';
import { BinanceAuth } from '../src/binance-auth.js';
import { BinanceMarket } from '../src/binance-market.js';
import { BinanceOrderBookDataSource } from '../src/binance-order-book-data-source.js';
import { BinanceUserStreamDataSource } from '../src/binance-user-stream-data-source.js';
import { BinanceUserStreamTracker } from '../src/binance-user-stream-tracker.js';
import { BinanceSimulator, binanceTestMarketOptions } from '../src/testing/index.js';

describeSecretsSuite({
  name: 'binance',
  keys: { apiSecret: 'Zk9hostileSECRETvalue0123456789abcdefXYZ' },
  startSimulator: (keys) => BinanceSimulator.start({ depthMode: 'immediate', demoAccount: keys }),
  createMarket: (sim, keys) => new BinanceMarket(binanceTestMarketOptions(sim, keys)),
  connectorObjects({ sim, market, apiKey, keys, credentials }) {
    const auth = new BinanceAuth({ credentials, serverTime: Date.now });
    const userSource = new BinanceUserStreamDataSource({ wsApiUrl: sim.wsApiUrl, auth });
    return {
      api: market.api,
      signer: market.api.signer,
      standaloneApi: new BinanceApiClient({ restUrl: sim.restUrl, credentials: { apiKey, ...keys } }),
      standaloneAuth: auth,
      userStreamDataSource: userSource,
      userStreamTracker: new BinanceUserStreamTracker(userSource),
      bookDataSource: new BinanceOrderBookDataSource({
        api: market.api,
        context: () => Promise.reject(new Error('unused')),
      }),
    };
  },
  malformedCredentials: {
    emptySecret: (sim) =>
      new BinanceApiClient({ restUrl: sim.restUrl, credentials: { apiKey: 'k', apiSecret: '' } }),
  },
});
