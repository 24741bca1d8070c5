import { fixtureReader, plainDecimals } from '@hb/testing';
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

describe('Binance REST market data parsers', () => {
  it('ticker/24hr -> Ticker, decimals exact', () => {
    expect(plainDecimals(parseTicker24hr(fixture('http_get_ticker_24hr.json'), symbols))).toEqual({
      tradingPair: 'BNB-BTC',
      lastPrice: '4.000002',
      bestBid: '4',
      bestAsk: '4.000002',
      open24h: '99',
      high24h: '100',
      low24h: '0.1',
      volume24h: '8913.3',
      quoteVolume24h: '15.3',
      timestamp: 1499869899040,
    });
  });

  it('ticker/24hr: an empty side ("0.00000000") is undefined, not a zero price', () => {
    const raw = {
      ...(fixture('http_get_ticker_24hr.json') as object),
      bidPrice: '0.00000000',
      bidQty: '0.00000000',
    };
    expect(parseTicker24hr(raw, symbols).bestBid).toBeUndefined();
  });

  it('klines -> Candles', () => {
    expect(plainDecimals(parseKlines(fixture('http_get_klines.json'), 'BNB-BTC', '1d'))).toEqual([
      {
        tradingPair: 'BNB-BTC',
        interval: '1d',
        openTime: 1499040000000,
        open: '0.0163479',
        high: '0.8',
        low: '0.015758',
        close: '0.015771',
        volume: '148976.11427815',
      },
    ]);
  });

  it('trades -> PublicTrades, the taker side from isBuyerMaker', () => {
    const trades = parseRecentTrades(fixture('http_get_trades.json'), 'BTC-USDT');
    expect(plainDecimals(trades)).toEqual([
      {
        tradingPair: 'BTC-USDT',
        tradeId: '3291004455',
        price: '37012.51',
        amount: '0.012',
        side: 'buy',
        timestamp: 1700000001234,
      },
    ]);
    const row = (fixture('http_get_trades.json') as object[])[0]!;
    const sold = parseRecentTrades([{ ...row, isBuyerMaker: true }], 'BTC-USDT');
    expect(sold[0]!.side).toBe('sell');
  });

  it('myTrades -> MyTrades with the fee charged', () => {
    expect(plainDecimals(parseAccountTrades(fixture('http_get_myTrades.json'), symbols))).toEqual([
      {
        tradingPair: 'BTC-USDT',
        tradeId: '3291004460',
        exchangeOrderId: '28457',
        clientOrderId: undefined,
        side: 'buy',
        price: '24990',
        amount: '0.001',
        quoteAmount: '24.99',
        fee: { amount: '0.000001', asset: 'BTC' },
        isMaker: false,
        timestamp: 1700000000456,
      },
    ]);
  });

  it('a malformed body is a MalformedMessageError', () => {
    expect(() => parseKlines([[1, 'x']], 'BTC-USDT', '1m')).toThrow(/malformed/);
    expect(() => parseTicker24hr({ symbol: 'BTCUSDT' }, symbols)).toThrow(/malformed/);
  });
});
