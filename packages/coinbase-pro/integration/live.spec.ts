// The connector against the real Coinbase Exchange sandbox (the shared live suite).
// Opt-in: it runs only with HB_LIVE=1 and sandbox API keys in HB_COINBASE_PRO_API_KEY /
// HB_COINBASE_PRO_API_SECRET / HB_COINBASE_PRO_PASSPHRASE; otherwise it registers
// one skipped test naming what is missing.
import { describeLiveSuite } from '@hb/testing/suites';
import { COINBASE_PRO_SANDBOX_URLS } from '../src/coinbase-pro-constants.js';
import { CoinbaseProMarket } from '../src/coinbase-pro-market.js';

describeLiveSuite({
  exchange: 'coinbase-pro',
  venue: 'Coinbase Exchange sandbox',
  fields: ['apiKey', 'apiSecret', 'passphrase'],
  pair: 'BTC-USD',
  createMarket: (keys, tradingPairs) => new CoinbaseProMarket({ tradingPairs, ...keys, sandbox: true }),
  checkHosts: ({ urls }) =>
    expect(urls).toMatchObject({ rest: COINBASE_PRO_SANDBOX_URLS.rest, ws: COINBASE_PRO_SANDBOX_URLS.ws }),
  // The update id of Coinbase's level-3 book is the product's feed sequence.
  book: 'level-3 book',
  // Half the best bid: a post-only order there rests and never fills.
  priceFactor: 0.5,
});
