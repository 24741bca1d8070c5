import { fixtureReader } from '@hb/testing';
import { describeDecoding } from '@hb/testing/suites';
import {
  parseAccountFills,
  parseCandles,
  parseRecentTrades,
  parseTicker,
} from '../src/coinbase-pro-market-data.js';

const fixture = fixtureReader(__dirname);

// Each REST fixture and what it decodes to: test/expected/market-data.json.
describeDecoding(
  __dirname,
  'market-data',
  {
    'ticker + stats -> Ticker, decimals exact, no quote volume': () =>
      parseTicker(fixture('http_get_product_ticker.json'), fixture('http_get_product_stats.json'), 'BTC-USD'),
    'trades: the taker side is the opposite of the maker side Coinbase sends': () =>
      parseRecentTrades(fixture('http_get_product_trades.json'), 'BTC-USD')[0],
    'candles: [time, low, high, open, close, volume] in seconds -> Candles in ms, exact': () =>
      parseCandles(fixture('http_get_product_candles.json'), 'BTC-USD', '1m'),
    'fills -> MyTrades: our side, the fee in quote, maker from liquidity': () =>
      parseAccountFills(fixture('http_get_fills.json')),
  },
  () => {
    it('ticker: an empty side ("") is undefined', () => {
      const t = { ...(fixture('http_get_product_ticker.json') as object), bid: '' };
      expect(parseTicker(t, fixture('http_get_product_stats.json'), 'BTC-USD').bestBid).toBeUndefined();
    });

    it('trades: oldest first, each side the taker side', () => {
      const two = parseRecentTrades(
        [
          { time: '2023-11-14T22:13:22Z', trade_id: 2, price: '1', size: '1', side: 'buy' },
          { time: '2023-11-14T22:13:21Z', trade_id: 1, price: '1', size: '1', side: 'sell' },
        ],
        'BTC-USD',
      );
      expect(two.map((x) => [x.tradeId, x.side])).toEqual([
        ['1', 'buy'],
        ['2', 'sell'],
      ]);
    });

    it('candles: a malformed row is a MalformedMessageError', () => {
      expect(() => parseCandles([[1, 'x', 1, 1, 1, 1]], 'BTC-USD', '1m')).toThrow(/malformed/);
    });
  },
);
