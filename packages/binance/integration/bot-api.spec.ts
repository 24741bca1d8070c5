// The bot author's API on BinanceMarket against the simulator on 127.0.0.1 (the
// shared bot-API suite): awaitable orders (and their typed refusals), rounding,
// the async iterators, and the REST market data. Binance's order ids are numbers.
import { describeBotApiSuite } from '@hb/testing/suites';
import { BinanceMarket } from '../src/binance-market.js';
import { BinanceSimulator, binanceTestMarketOptions } from '../src/testing/index.js';

describeBotApiSuite({
  name: 'binance',
  pair: 'BTC-USDT',
  startSimulator: (seed) => BinanceSimulator.start({ depthMode: 'immediate', demoAccount: true, seed }),
  createMarket: (sim) => new BinanceMarket(binanceTestMarketOptions(sim)),
  exchangeOrderId: /^\d+$/,
});
