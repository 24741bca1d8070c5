import { fixtureReader } from '@hb/testing';
import { describeDecoding } from '@hb/testing/suites';
import {
  parseAccountTrades,
  parseKlines,
  parseRecentTrades,
  parseTicker24hr,
} from '../src/binance-market-data.js';
import { SymbolMap } from '../src/binance-utils.js';

const fixture = fixtureReader(__dirname);

const symbols = new SymbolMap('binance', [
  { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT' },
  { symbol: 'BNBBTC', baseAsset: 'BNB', quoteAsset: 'BTC' },
]);

// Each REST fixture and what it decodes to: test/expected/market-data.json.
describeDecoding(
  __dirname,
  'market-data',
  {
    'ticker/24hr -> Ticker, decimals exact': () =>
      parseTicker24hr(fixture('http_get_ticker_24hr.json'), symbols),
    'klines -> Candles': () => parseKlines(fixture('http_get_klines.json'), 'BNB-BTC', '1d'),
    'trades -> PublicTrades, the taker side from isBuyerMaker': () =>
      parseRecentTrades(fixture('http_get_trades.json'), 'BTC-USDT'),
    'myTrades -> MyTrades with the fee charged': () =>
      parseAccountTrades(fixture('http_get_myTrades.json'), symbols),
  },
  () => {
    it('ticker/24hr: an empty side ("0.00000000") is undefined, not a zero price', () => {
      const raw = {
        ...(fixture('http_get_ticker_24hr.json') as object),
        bidPrice: '0.00000000',
        bidQty: '0.00000000',
      };
      expect(parseTicker24hr(raw, symbols).bestBid).toBeUndefined();
    });

    it('trades: isBuyerMaker = true is a taker SELL', () => {
      const row = (fixture('http_get_trades.json') as object[])[0]!;
      const sold = parseRecentTrades([{ ...row, isBuyerMaker: true }], 'BTC-USDT');
      expect(sold[0]!.side).toBe('sell');
    });

    it('a malformed body is a MalformedMessageError', () => {
      expect(() => parseKlines([[1, 'x']], 'BTC-USDT', '1m')).toThrow(/malformed/);
      expect(() => parseTicker24hr({ symbol: 'BTCUSDT' }, symbols)).toThrow(/malformed/);
    });
  },
);
