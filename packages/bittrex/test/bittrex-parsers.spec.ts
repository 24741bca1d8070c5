// Golden tests of the parsers and the request builder: documented payloads in,
// exact normalized values out.
import { describe, expect, it } from '@jest/globals';
import BigNumber from 'bignumber.js';
import {
  parseBalances,
  parseExecution,
  parseExecutions,
  parseOrder,
  toOpenOrder,
  toOrderState,
  toOrderUpdate,
} from '../src/bittrex-order-parsers.js';
import { buildNewOrderBody } from '../src/bittrex-order-requests.js';
import {
  parseOrderBookDelta,
  parseOrderBookSnapshot,
  parseRecentTrades,
  parseTradeDelta,
} from '../src/bittrex-order-book.js';
import { parseSequence, readTime } from '../src/bittrex-utils.js';
import { fixture } from './fixtures.js';

const malformed = expect.objectContaining({ reason: 'malformed_message' });

describe('order book', () => {
  it('the REST snapshot at its Sequence header (singular bid/ask keys, entry objects)', () => {
    const { headers, body } = fixture<{ headers: { Sequence: string }; body: unknown }>(
      'http_get_markets_orderbook',
    );
    expect(parseOrderBookSnapshot(body, headers.Sequence, 'BTC-USDT', 5)).toEqual({
      type: 'snapshot',
      tradingPair: 'BTC-USDT',
      updateId: 545851,
      timestamp: 5,
      bids: [
        [37012.5, 0.412],
        [37012.49, 1],
      ],
      asks: [[37012.51, 2.1045]],
    });
    expect(() => parseOrderBookSnapshot(body, undefined, 'BTC-USDT', 5)).toThrow(malformed);
    expect(() => parseOrderBookSnapshot(body, '-1', 'BTC-USDT', 5)).toThrow(malformed);
  });

  it('a delta: absolute quantities, 0 removes, its own sequence', () => {
    const { decoded } = fixture<{ decoded: unknown }>('ws_orderbook_delta');
    expect(parseOrderBookDelta(decoded, 9)).toEqual({
      marketSymbol: 'BTC-USDT',
      depth: 25,
      diff: {
        type: 'diff',
        tradingPair: 'BTC-USDT',
        updateId: 545852,
        timestamp: 9,
        bids: [
          [37012.49, 0],
          [37010, 0.01654433],
        ],
        asks: [],
      },
    });
  });

  it('refuses a delta with a negative quantity or a zero rate, whole', () => {
    const bad = {
      marketSymbol: 'BTC-USDT',
      depth: 25,
      sequence: 1,
      bidDeltas: [{ quantity: '-1', rate: '1' }],
      askDeltas: [],
    };
    expect(() => parseOrderBookDelta(bad, 0)).toThrow(malformed);
    const zero = { ...bad, bidDeltas: [{ quantity: '1', rate: '0' }] };
    expect(() => parseOrderBookDelta(zero, 0)).toThrow(malformed);
    expect(() => parseOrderBookDelta({ ...bad, bidDeltas: [], sequence: 1.5 }, 0)).toThrow(malformed);
  });

  it('trades keep their id and the taker side from takerSide', () => {
    const { decoded } = fixture<{ decoded: unknown }>('ws_trade_delta');
    expect(parseTradeDelta(decoded)).toEqual({
      marketSymbol: 'BTC-USDT',
      trades: [
        {
          type: 'trade',
          tradingPair: 'BTC-USDT',
          tradeId: 'edacd990-7c5f-4c75-8a66-ce0a71093b3c',
          price: 37013,
          amount: 0.00714818,
          side: 'buy',
          timestamp: Date.parse('2023-11-14T22:13:39.96Z'),
          updateId: 18344,
        },
      ],
    });
    const [t] = parseRecentTrades(fixture('http_get_markets_trades'), 'BTC-USDT');
    expect(t!.side).toBe('buy');
    expect(t!.tradeId).toBe('8a614d4e-e455-45b0-9aac-502b0aeb433f');
    // Exact decimals from the strings.
    expect([t!.price.toFixed(), t!.amount.toFixed()]).toEqual(['37012.51', '0.00714818']);
    expect(t!.timestamp).toBe(Date.parse('2023-11-14T22:13:21.65Z'));
    // Newest first on the wire, oldest first out.
    const row = fixture<object[]>('http_get_markets_trades')[0] as object;
    const two = parseRecentTrades(
      [
        { ...row, id: 'b', executedAt: '2023-11-14T22:13:22Z' },
        { ...row, id: 'a', executedAt: '2023-11-14T22:13:21Z' },
      ],
      'BTC-USDT',
    );
    expect(two.map((x) => x.tradeId)).toEqual(['a', 'b']);
    const sell = parseRecentTrades(
      [{ ...(fixture<object[]>('http_get_markets_trades')[0] as object), takerSide: 'SELL' }],
      'BTC-USDT',
    );
    expect(sell[0]!.side).toBe('sell');
    expect(() =>
      parseRecentTrades(
        [{ ...(fixture<object[]>('http_get_markets_trades')[0] as object), takerSide: 'buy' }],
        'X',
      ),
    ).toThrow(malformed);
  });
});

describe('orders, executions, balances', () => {
  const clientOrderId = '7f3c2a10-1b2c-4d3e-8f4a-5b6c7d8e9f01';

  it('builds the documented POST /orders body for each order type', () => {
    const base = {
      tradingPair: 'BTC-USDT',
      side: 'buy' as const,
      amount: new BigNumber('0.001'),
      clientOrderId,
    };
    expect(
      JSON.stringify(buildNewOrderBody({ ...base, orderType: 'limit_maker', price: new BigNumber(25000) })),
    ).toBe(
      '{"marketSymbol":"BTC-USDT","direction":"BUY","type":"LIMIT","quantity":"0.001","limit":"25000","timeInForce":"POST_ONLY_GOOD_TIL_CANCELLED","clientOrderId":"7f3c2a10-1b2c-4d3e-8f4a-5b6c7d8e9f01"}',
    );
    expect(buildNewOrderBody({ ...base, orderType: 'limit', price: new BigNumber(1) }).timeInForce).toBe(
      'GOOD_TIL_CANCELLED',
    );
    expect(
      buildNewOrderBody({
        ...base,
        orderType: 'limit',
        price: new BigNumber(1),
        limitTimeInForce: 'FILL_OR_KILL',
      }).timeInForce,
    ).toBe('FILL_OR_KILL');
    expect(buildNewOrderBody({ ...base, side: 'sell', orderType: 'market' })).toEqual({
      marketSymbol: 'BTC-USDT',
      direction: 'SELL',
      type: 'MARKET',
      quantity: '0.001',
      timeInForce: 'IMMEDIATE_OR_CANCEL',
      clientOrderId,
    });
    expect(() => buildNewOrderBody({ ...base, orderType: 'limit' })).toThrow();
  });

  it('the placed Order -> OPEN with our client id', () => {
    const o = parseOrder(fixture('http_post_orders'));
    expect(toOrderUpdate(o)).toEqual({
      clientOrderId,
      exchangeOrderId: '615aa7de-3ff9-486d-98d7-2d37aca212c9',
      tradingPair: 'BTC-USDT',
      newState: 'OPEN',
      timestamp: Date.parse('2023-11-14T22:13:20.12Z'),
      cumulativeFilledAmount: new BigNumber(0),
    });
    expect(toOpenOrder(o)).toMatchObject({ orderType: 'limit_maker', state: 'OPEN', clientOrderId });
  });

  it('CLOSED: filled when fillQuantity == quantity, else cancelled (OPEN/CLOSED is all Bittrex says)', () => {
    const { decoded } = fixture<{ decoded: { delta: Record<string, unknown> } }>('ws_order_closed');
    const filled = parseOrder(decoded.delta);
    expect(toOrderState(filled)).toBe('FILLED');
    expect(toOrderUpdate(filled).timestamp).toBe(Date.parse('2023-11-14T22:13:21.65Z'));
    expect(toOrderState(parseOrder({ ...decoded.delta, fillQuantity: '0.00050000' }))).toBe('CANCELED');
    expect(toOrderState(parseOrder({ ...decoded.delta, fillQuantity: '0' }))).toBe('CANCELED');
    expect(() => parseOrder({ ...decoded.delta, status: 'DONE' })).toThrow(malformed);
  });

  it('an execution -> a fill with the commission charged in quote and the maker flag', () => {
    const [fill] = parseExecutions(fixture('http_get_orders_executions'), clientOrderId);
    expect(fill).toEqual({
      tradeId: 'a1b2c3d4-0000-4000-8000-00000000e001',
      exchangeOrderId: '615aa7de-3ff9-486d-98d7-2d37aca212c9',
      clientOrderId,
      tradingPair: 'BTC-USDT',
      fillBaseAmount: new BigNumber('0.001'),
      fillQuoteAmount: new BigNumber('25'),
      fillPrice: new BigNumber('25000'),
      fee: { amount: new BigNumber('0.00875'), asset: 'USDT' },
      isMaker: true,
      timestamp: Date.parse('2023-11-14T22:13:21.65Z'),
    });
    const { decoded } = fixture<{ decoded: { deltas: unknown[] } }>('ws_execution_delta');
    expect(parseExecution(decoded.deltas[0]).tradeId).toBe('a1b2c3d4-0000-4000-8000-00000000e001');
    expect(() => parseExecution({ ...(decoded.deltas[0] as object), quantity: '-0.1' })).toThrow(malformed);
  });

  it('balances: total and available (locked = total - available)', () => {
    const { body } = fixture<{ body: unknown }>('http_get_balances');
    const [usdt] = parseBalances(body);
    expect(usdt!.asset).toBe('USDT');
    expect(usdt!.total.toFixed()).toBe('76.3011333');
    expect(usdt!.available.toFixed()).toBe('67.48856276');
    expect(() => parseBalances([{ currencySymbol: 'X', total: '1', available: '2' }])).toThrow(malformed);
  });
});

describe('wire helpers', () => {
  it('times with any fraction; sequences as numbers or header digits', () => {
    expect(readTime({ t: '2023-11-14T22:13:20.12Z' }, 't', 'x')).toBe(Date.parse('2023-11-14T22:13:20.120Z'));
    expect(readTime({ t: '2023-11-14T22:13:20Z' }, 't', 'x')).toBe(Date.parse('2023-11-14T22:13:20Z'));
    expect(() => readTime({ t: 'yesterday' }, 't', 'x')).toThrow(malformed);
    expect(parseSequence('545851', 's')).toBe(545851);
    expect(parseSequence(7, 's')).toBe(7);
    expect(() => parseSequence('1e3', 's')).toThrow(malformed);
  });
});
