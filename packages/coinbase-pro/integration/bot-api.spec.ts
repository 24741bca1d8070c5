// The bot author's API on CoinbaseProMarket against the simulator on 127.0.0.1
// (the shared bot-API suite): awaitable orders, rounding, the iterators and the
// REST market data (ticker + stats, trades, candles, own fills). Coinbase's
// order ids are UUIDs; its own: the simulator's candle and stats refusals.
import { expect, it } from '@jest/globals';
import { httpGet } from '@hb/testing';
import { describeBotApiSuite } from '@hb/testing/suites';
import { CoinbaseProMarket } from '../src/coinbase-pro-market.js';
import { CoinbaseProSimulator, coinbaseProTestMarketOptions } from '../src/testing/index.js';

const PAIR = 'BTC-USD';

describeBotApiSuite(
  {
    name: 'coinbase-pro',
    pair: PAIR,
    startSimulator: (seed) => CoinbaseProSimulator.start({ demoAccount: true, seed }),
    createMarket: (sim) => new CoinbaseProMarket(coinbaseProTestMarketOptions(sim)),
    exchangeOrderId: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  },
  (context) => {
    it('the simulator refuses an unknown granularity and a range of more than 300 candles; stats has the documented fields', async () => {
      const { restUrl } = context.sim;
      const bad = await httpGet(restUrl, `/products/${PAIR}/candles?granularity=120`);
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ message: 'Unsupported granularity' });
      const start = new Date(Date.now() - 400 * 60_000).toISOString();
      const end = new Date().toISOString();
      const wide = await httpGet(
        restUrl,
        `/products/${PAIR}/candles?granularity=60&start=${start}&end=${end}`,
      );
      expect(wide.status).toBe(400);
      const stats = await httpGet(restUrl, `/products/${PAIR}/stats`);
      expect(Object.keys(stats.body as object).sort()).toEqual([
        'high',
        'last',
        'low',
        'open',
        'volume',
        'volume_30day',
      ]);
    });
  },
);
