import { fixtureReader, plainDecimals } from '@hb/testing';
import {
  parseAccountFills,
  parseCandles,
  parseRecentTrades,
  parseTicker,
} from '../src/coinbase-pro-market-data.js';

const fixture = fixtureReader(__dirname);

describe('Coinbase REST market data parsers', () => {
  it('ticker + stats -> Ticker, decimals exact, no quote volume', () => {
    expect(
      plainDecimals(
        parseTicker(
          fixture('http_get_product_ticker.json'),
          fixture('http_get_product_stats.json'),
          'BTC-USD',
        ),
      ),
    ).toEqual({
      tradingPair: 'BTC-USD',
      lastPrice: '37012.51',
      bestBid: '37012.5',
      bestAsk: '37012.51',
      open24h: '5414.18',
      high24h: '6441.37',
      low24h: '5261.69',
      volume24h: '53687.76764233',
      quoteVolume24h: undefined,
      timestamp: Date.parse('2023-11-14T22:13:21.447Z'),
    });
  });

  it('ticker: an empty side ("") is undefined', () => {
    const t = { ...(fixture('http_get_product_ticker.json') as object), bid: '' };
    expect(parseTicker(t, fixture('http_get_product_stats.json'), 'BTC-USD').bestBid).toBeUndefined();
  });

  it('trades: the taker side is the opposite of the maker side Coinbase sends; oldest first', () => {
    const [t] = parseRecentTrades(fixture('http_get_product_trades.json'), 'BTC-USD');
    expect(plainDecimals(t)).toEqual({
      tradingPair: 'BTC-USD',
      tradeId: '15035219',
      price: '37012.51',
      amount: '0.27426731',
      side: 'buy',
      timestamp: Date.parse('2023-11-14T22:13:21.447Z'),
    });
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

  it('candles: [time, low, high, open, close, volume] in seconds -> Candles in ms, exact', () => {
    expect(plainDecimals(parseCandles(fixture('http_get_product_candles.json'), 'BTC-USD', '1m'))).toEqual([
      {
        tradingPair: 'BTC-USD',
        interval: '1m',
        openTime: 1415398768000,
        low: '0.32',
        high: '4.2',
        open: '0.35',
        close: '4.2',
        volume: '12.3',
      },
    ]);
    expect(() => parseCandles([[1, 'x', 1, 1, 1, 1]], 'BTC-USD', '1m')).toThrow(/malformed/);
  });

  it('fills -> MyTrades: our side, the fee in quote, maker from liquidity', () => {
    expect(plainDecimals(parseAccountFills(fixture('http_get_fills.json')))).toEqual([
      {
        tradingPair: 'BTC-USD',
        tradeId: '74',
        exchangeOrderId: 'a9625b04-fc66-4999-a876-543c3684d702',
        clientOrderId: undefined,
        side: 'buy',
        price: '25000',
        amount: '0.001',
        quoteAmount: '25',
        fee: { amount: '0.01', asset: 'USD' },
        isMaker: true,
        timestamp: Date.parse('2023-11-14T22:13:22.578Z'),
      },
    ]);
  });
});
