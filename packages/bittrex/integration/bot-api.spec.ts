// The bot author's API on BittrexMarket against the simulator on 127.0.0.1 (the
// shared bot-API suite): awaitable orders (and their typed refusals), rounding,
// the async iterators, and the REST market data it declares (the rest refused,
// typed). Bittrex's order ids are UUIDs.
import { describeBotApiSuite } from '@hb/testing/suites';
import { BITTREX_CAPABILITIES, BittrexMarket } from '../src/bittrex-market.js';
import { bittrexTestMarketOptions, startTestSimulator } from '../src/testing/index.js';

describeBotApiSuite({
  name: 'bittrex',
  pair: 'BTC-USDT',
  startSimulator: (seed) => startTestSimulator({ seed }),
  createMarket: (sim) => new BittrexMarket(bittrexTestMarketOptions(sim)),
  exchangeOrderId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  marketData: BITTREX_CAPABILITIES.marketData ?? [],
});
