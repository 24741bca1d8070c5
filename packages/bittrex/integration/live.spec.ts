// The connector against a live Bittrex v3 server (the shared live suite).
// Bittrex stopped trading on 2023-12-04, so "live" means any server speaking its
// protocol that you point us at: opt-in with HB_LIVE=1, keys in
// HB_BITTREX_API_KEY / HB_BITTREX_API_SECRET, and the host in
// HB_BITTREX_REST_URL (and HB_BITTREX_WS_URL when SignalR lives elsewhere);
// otherwise one skipped test names what is missing. It reads the book and
// balances, places one post-only buy far below the market and cancels it. Keys
// never appear in a title or message.
import { expect, it } from '@jest/globals';
import { liveCredentials } from '@hb/testing';
import { describeLiveSuite } from '@hb/testing/suites';
import { BittrexMarket } from '../src/bittrex-market.js';

const restUrl = process.env['HB_BITTREX_REST_URL'] ?? '';
const wsUrl = process.env['HB_BITTREX_WS_URL'];

if (restUrl === '') {
  // Without a host the market would talk to api.bittrex.com, which is closed.
  const { missing } = liveCredentials('bittrex', ['apiKey', 'apiSecret']);
  const all = [...missing, 'HB_BITTREX_REST_URL (the exchange has closed)'];
  it.skip(`live Bittrex v3 server suite skipped: set ${all.join(', ')}`, () => undefined);
} else {
  describeLiveSuite({
    exchange: 'bittrex',
    venue: 'Bittrex v3 server',
    fields: ['apiKey', 'apiSecret'],
    pair: process.env['HB_BITTREX_PAIR'] ?? 'BTC-USDT',
    createMarket: (keys, tradingPairs) => new BittrexMarket({ tradingPairs, ...keys, restUrl, wsUrl }),
    checkHosts(market) {
      expect(market.urls.rest).toBe(`${restUrl.replace(/\/+$/, '')}/v3`);
      expect(market.urls.signalr).toMatch(/\/signalr$/);
    },
    book: 'book (depth 25)',
    // Half the best bid: a post-only buy that never fills.
    priceFactor: 0.5,
  });
}
