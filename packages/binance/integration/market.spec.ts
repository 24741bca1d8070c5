// Seed requirement "market test" (the shared market suite): BinanceMarket against
// the Binance simulator on 127.0.0.1. Binance's numbers: exchangeInfo rules (a
// minimum size and a 5 USDT minimum notional), fees in the asset received (a buy
// pays in the base), a crossing LIMIT_MAKER refused with -2010 and never created.
import { describeMarketSuite } from '@hb/testing/suites';
import { factories } from './helpers/sim-env.js';

describeMarketSuite({
  name: 'binance',
  pair: 'BTC-USDT',
  ...factories,
  rulesSource: 'exchangeInfo',
  rules: {
    'BTC-USDT': { minSize: '0.00001', step: '0.00001', tick: '0.01', minNotional: '5' },
    'ETH-BTC': { tick: '0.00001', step: '0.0001' },
  },
  // A trade pays its fee in the asset it receives.
  feeAsset: (side) => (side === 'buy' ? 'BTC' : 'USDT'),
  crossingPostOnly: { message: /would immediately match/i, exchangeCode: -2010, exchangeStatus: undefined },
  quantize: [
    ['BTC-USDT', 'amount', '0.123456789', '0.12345'],
    ['BTC-USDT', 'amount', '0.000009', '0'],
    ['ETH-BTC', 'amount', '1.23456', '1.2345'],
    ['BTC-USDT', 'price', '30000.123', '30000.12'],
    ['ETH-BTC', 'price', '0.0612345', '0.06123'],
  ],
});
