// Secrets cannot be printed (the shared suite): every public object of the
// connector, built with a known secret, is inspected, stringified and logged.
// Huobi's own objects: the API client and its Signature V2 signer, the v2 account
// stream, the market stream and book data source; half-given keys are refused.
import { describeSecretsSuite } from '@hb/testing/suites';
import { HuobiApiClient } from '../src/huobi-api-client.js';
import { HuobiMarket } from '../src/huobi-market.js';
import { HuobiMarketStream } from '../src/huobi-market-stream.js';
import { HuobiOrderBookDataSource } from '../src/huobi-order-book-data-source.js';
import { HuobiUserStreamDataSource } from '../src/huobi-user-stream-data-source.js';
import { HuobiUserStreamTracker } from '../src/huobi-user-stream-tracker.js';
import { HuobiSimulator, huobiTestMarketOptions } from '../src/testing/index.js';

describeSecretsSuite({
  name: 'huobi',
  keys: { apiSecret: 'hostile-huobi-SECRET-7f3a9c0d-1e2b-4c5d-8e9f' },
  startSimulator: (keys) => HuobiSimulator.start({ seed: 1, demoAccount: keys }),
  createMarket: (sim, keys) => new HuobiMarket(huobiTestMarketOptions(sim, keys)),
  connectorObjects({ market, apiKey, keys, cleanup }) {
    const { rest, ws, feed, accountWs } = market.urls;
    const api = new HuobiApiClient({
      restUrl: rest,
      accountWsUrl: accountWs,
      credentials: { apiKey, ...keys },
    });
    const stream = new HuobiMarketStream({ wsUrl: ws, feedUrl: feed, symbols: () => api.symbols });
    cleanup.add(() => stream.close());
    const auth = api.signer!;
    const userSource = new HuobiUserStreamDataSource({ url: accountWs, auth });
    return {
      api: market.api,
      standaloneApi: api,
      signer: auth,
      marketStream: stream,
      bookDataSource: new HuobiOrderBookDataSource(api, stream),
      userStreamDataSource: userSource,
      userStreamTracker: new HuobiUserStreamTracker(userSource),
    };
  },
  malformedCredentials: {
    secretWithoutKey: ({ restUrl }, keys) =>
      new HuobiApiClient({
        restUrl,
        accountWsUrl: restUrl,
        credentials: { apiKey: '', apiSecret: keys.apiSecret },
      }),
    keyWithoutSecret: ({ restUrl }) =>
      new HuobiApiClient({ restUrl, accountWsUrl: restUrl, credentials: { apiKey: 'k', apiSecret: '' } }),
  },
});
