import BigNumber from 'bignumber.js';
import { HbError, OrderBook, type MarketEvent } from '@hb/core';
import {
  bookRecord,
  bookStatusLine,
  eventRecord,
  formatTable,
  renderBook,
  tradeRecord,
} from '../src/format.js';
import { toNdjson } from '../src/output.js';

describe('line shapes', () => {
  it('book: exchange, tradingPair, updateId, best-first levels as numbers, depth-limited', () => {
    const book = new OrderBook('BTC-USDT');
    book.applySnapshot(
      [
        [99, 1],
        [100, 2],
        [98, 3],
      ],
      [
        [102, 1],
        [101, 0.5],
      ],
      42,
    );
    const line = toNdjson(bookRecord('binance', 'BTC-USDT', book, 2));
    expect(line).toBe(
      '{"exchange":"binance","tradingPair":"BTC-USDT","live":true,"updateId":42,"bids":[[100,2],[99,1]],"asks":[[101,0.5],[102,1]]}',
    );
  });

  it('book: a book that is not live says so, with its status and why', () => {
    const book = new OrderBook('BTC-USDT');
    book.applySnapshot([[100, 1]], [[101, 1]], 7);
    const line = toNdjson(
      bookRecord('binance', 'BTC-USDT', book, 1, { status: 'stale', reason: 'socket closed (code 1006)' }),
    );
    expect(line).toBe(
      '{"exchange":"binance","tradingPair":"BTC-USDT","live":false,"status":"stale","reason":"socket closed (code 1006)","updateId":7,"bids":[[100,1]],"asks":[[101,1]]}',
    );
    expect(bookStatusLine('binance', 'BTC-USDT', { status: 'stale', reason: 'no pong' })).toBe(
      'binance BTC-USDT STALE: no pong',
    );
    const view = renderBook('binance', 'BTC-USDT', book, 1, {
      updatesPerSecond: 0,
      inSync: false,
      status: { status: 'stale', reason: 'no pong' },
    });
    expect(view[1]).toMatch(/STALE \(no pong\)$/);
  });

  it('trade: the taker side from the message', () => {
    const r = tradeRecord('binance', {
      type: 'trade',
      tradingPair: 'BTC-USDT',
      tradeId: '7',
      price: 100.5,
      amount: 0.25,
      side: 'sell',
      timestamp: 1000,
    });
    expect(toNdjson(r)).toBe(
      '{"exchange":"binance","tradingPair":"BTC-USDT","tradeId":"7","price":100.5,"amount":0.25,"side":"sell","timestamp":1000}',
    );
  });

  it('event: the type first, numbers as numbers, the error as reason/code/message', () => {
    const filled: MarketEvent = {
      type: 'OrderFilled',
      timestamp: 5,
      clientOrderId: 'c1',
      tradingPair: 'BTC-USDT',
      exchangeOrderId: '9',
      tradeId: 't1',
      side: 'buy',
      orderType: 'limit',
      price: new BigNumber('30000.5'),
      amount: new BigNumber('0.001'),
      fee: { amount: new BigNumber('0.000001'), asset: 'BTC' },
      fees: [{ amount: new BigNumber('0.000001'), asset: 'BTC' }],
      isMaker: true,
    };
    expect(JSON.parse(toNdjson(eventRecord('binance', filled)))).toEqual({
      type: 'OrderFilled',
      exchange: 'binance',
      timestamp: 5,
      clientOrderId: 'c1',
      tradingPair: 'BTC-USDT',
      exchangeOrderId: '9',
      tradeId: 't1',
      side: 'buy',
      orderType: 'limit',
      price: 30000.5,
      amount: 0.001,
      fee: { amount: 0.000001, asset: 'BTC' },
      fees: [{ amount: 0.000001, asset: 'BTC' }],
      isMaker: true,
    });
    const failure: MarketEvent = {
      type: 'OrderFailure',
      timestamp: 6,
      clientOrderId: 'c2',
      tradingPair: 'BTC-USDT',
      orderType: 'limit',
      error: new HbError(
        'insufficient_funds',
        'binance: code -2010: Account has insufficient balance for requested action.',
        { exchange: 'binance', exchangeCode: -2010 },
      ),
    };
    expect(JSON.parse(toNdjson(eventRecord('binance', failure)))).toMatchObject({
      type: 'OrderFailure',
      error: {
        reason: 'insufficient_funds',
        code: -2010,
        message: 'Account has insufficient balance for requested action.',
      },
    });
  });

  it('tables align numbers right and text left', () => {
    expect(
      formatTable(
        ['ASSET', 'TOTAL'],
        [
          ['BTC', '1.5'],
          ['USDT', '100'],
        ],
      ),
    ).toEqual(['ASSET  TOTAL', 'BTC      1.5', 'USDT     100']);
  });
});
