// The connector against Binance's real spot testnet (the shared live suite). Opt-in:
// it runs only with HB_LIVE=1 and testnet API keys in HB_BINANCE_API_KEY /
// HB_BINANCE_API_SECRET; otherwise it registers one skipped test naming what is missing.
import { describeLiveSuite } from '@hb/testing/suites';
import { BinanceMarket } from '../src/binance-market.js';

describeLiveSuite({
  exchange: 'binance',
  venue: 'Binance spot testnet',
  fields: ['apiKey', 'apiSecret'],
  pair: 'BTC-USDT',
  createMarket: (keys, tradingPairs) => new BinanceMarket({ tradingPairs, ...keys, testnet: true }),
  checkHosts(market) {
    expect(market.urls.rest).toBe('https://testnet.binance.vision');
    expect(market.urls.marketStream).toBe('wss://stream.testnet.binance.vision');
  },
  book: 'book',
  // 20 % under the best bid: it rests (LIMIT_MAKER), never fills, and stays inside
  // Binance's PERCENT_PRICE_BY_SIDE band.
  priceFactor: 0.8,
});
