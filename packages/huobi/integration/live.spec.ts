// The connector against the real Huobi (HTX) production API (the shared live
// suite): there is no testnet. Opt-in: it runs only with HB_LIVE=1 and keys in
// HB_HUOBI_API_KEY / HB_HUOBI_API_SECRET; otherwise it registers one skipped test
// naming what is missing. Its round trip is a limit-maker buy at half the best
// bid (it cannot fill), cancelled by client order id.
import { expect } from '@jest/globals';
import { describeLiveSuite } from '@hb/testing/suites';
import { HUOBI_URLS } from '../src/huobi-constants.js';
import { HuobiMarket } from '../src/huobi-market.js';

describeLiveSuite({
  exchange: 'huobi',
  venue: 'Huobi (HTX) production',
  fields: ['apiKey', 'apiSecret'],
  pair: 'BTC-USDT',
  createMarket: (keys, tradingPairs) => new HuobiMarket({ tradingPairs, ...keys }),
  checkHosts(market) {
    expect(market.urls.rest).toBe(HUOBI_URLS.rest);
    expect(market.urls.feed).toBe(HUOBI_URLS.feed);
    expect(market.urls.accountWs).toBe(HUOBI_URLS.accountWs);
  },
  book: 'MBP book (at a seqNum)',
  priceFactor: 0.5,
});
