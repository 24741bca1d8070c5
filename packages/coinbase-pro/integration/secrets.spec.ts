// Secrets cannot be printed (the shared suite): every public object of the
// connector, built with a known secret and passphrase, is inspected, stringified
// and logged. Coinbase's secret is base64, so its decoded bytes count as the
// secret too; its own objects are the API client, the signer, the feed and the
// user channel; a secret that is not base64 is refused as malformed.
import { Credentials } from '@hb/core/connector';
import { describeSecretsSuite } from '@hb/testing/suites';
import { CoinbaseProApiClient } from '../src/coinbase-pro-api-client.js';
import { CoinbaseProAuth } from '../src/coinbase-pro-auth.js';
import { CoinbaseProFeed } from '../src/coinbase-pro-feed.js';
import { CoinbaseProMarket } from '../src/coinbase-pro-market.js';
import { CoinbaseProOrderBookDataSource } from '../src/coinbase-pro-order-book-data-source.js';
import { CoinbaseProUserStreamDataSource } from '../src/coinbase-pro-user-stream-data-source.js';
import { CoinbaseProUserStreamTracker } from '../src/coinbase-pro-user-stream-tracker.js';
import { CoinbaseProSimulator, coinbaseProTestMarketOptions } from '../src/testing/index.js';

const RAW_SECRET = 'hostile-raw-secret-bytes-0123456789-abcdefghijklmnopqrstuvwxyz!!';

describeSecretsSuite({
  name: 'coinbase-pro',
  keys: { apiSecret: Buffer.from(RAW_SECRET).toString('base64'), passphrase: 'hostilePASSPHRASEvalue42' },
  alsoSecret: [RAW_SECRET],
  wrongKeys: { passphrase: 'hostilePASSPHRASEvalue42-wrong' },
  startSimulator: (keys) => CoinbaseProSimulator.start({ demoAccount: keys }),
  createMarket: (sim, keys) => new CoinbaseProMarket(coinbaseProTestMarketOptions(sim, keys)),
  connectorObjects({ sim, market, apiKey, keys, credentials, cleanup }) {
    const api = new CoinbaseProApiClient({ restUrl: sim.restUrl, credentials: { apiKey, ...keys } });
    const auth = new CoinbaseProAuth({ credentials, serverTime: Date.now });
    const feed = new CoinbaseProFeed({ wsUrl: sim.wsUrl, auth });
    cleanup.add(() => feed.close());
    const userSource = new CoinbaseProUserStreamDataSource({
      wsUrl: sim.wsUrl,
      auth,
      tradingPairs: ['BTC-USD'],
    });
    return {
      api: market.api,
      standaloneApi: api,
      auth,
      feed,
      bookDataSource: new CoinbaseProOrderBookDataSource(api, feed),
      userStreamDataSource: userSource,
      userStreamTracker: new CoinbaseProUserStreamTracker(userSource),
    };
  },
  malformedCredentials: {
    notBase64: (_sim, keys) =>
      new CoinbaseProAuth({
        credentials: new Credentials({
          apiKey: 'k',
          secret: `${keys.passphrase}!!`,
          passphrase: keys.passphrase,
        }),
        serverTime: Date.now,
      }),
  },
});
