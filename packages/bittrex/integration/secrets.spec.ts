// Secrets cannot be printed (the shared suite): every public object of the
// connector, built with a known secret, is inspected, stringified and logged.
// Bittrex's own objects: the API client and its signer, the SignalR market and
// user streams and the book data source; half-given keys are refused.
import { describeSecretsSuite } from '@hb/testing/suites';
import { BittrexApiClient } from '../src/bittrex-api-client.js';
import { BittrexMarket } from '../src/bittrex-market.js';
import { BittrexMarketStream } from '../src/bittrex-market-stream.js';
import { BittrexOrderBookDataSource } from '../src/bittrex-order-book-data-source.js';
import { BittrexUserStreamDataSource } from '../src/bittrex-user-stream-data-source.js';
import { BittrexUserStreamTracker } from '../src/bittrex-user-stream-tracker.js';
import { bittrexTestMarketOptions, startTestSimulator } from '../src/testing/index.js';

describeSecretsSuite({
  name: 'bittrex',
  keys: { apiSecret: 'hostileBittrexSECRET0123456789abcdefABCDEF0123' },
  startSimulator: (keys) => startTestSimulator({ demoAccount: keys }),
  createMarket: (sim, keys) => new BittrexMarket(bittrexTestMarketOptions(sim, keys)),
  connectorObjects({ market, credentials, cleanup }) {
    const { rest, signalr } = market.urls;
    const api = new BittrexApiClient({ restUrl: rest, credentials });
    const stream = new BittrexMarketStream({ signalrUrl: signalr, depth: 25 });
    cleanup.add(() => stream.close());
    const userSource = new BittrexUserStreamDataSource({ signalrUrl: signalr, auth: api.signer! });
    return {
      api: market.api,
      standaloneApi: api,
      signer: api.signer,
      marketStream: stream,
      bookDataSource: new BittrexOrderBookDataSource({
        api,
        context: () => Promise.reject(new Error('unused')),
        depth: 25,
      }),
      userStreamDataSource: userSource,
      userStreamTracker: new BittrexUserStreamTracker(userSource),
    };
  },
  malformedCredentials: {
    secretWithoutKey: (sim, keys) =>
      new BittrexMarket(bittrexTestMarketOptions(sim, { apiKey: '', apiSecret: keys.apiSecret })),
    keyWithoutSecret: (sim) => new BittrexMarket(bittrexTestMarketOptions(sim, { apiSecret: '' })),
  },
});
