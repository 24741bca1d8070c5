import { fixtureReader, plainDecimals } from '@hb/testing';
import {
  parseAccountBalances,
  parseExecutionReport,
  parseMyTrades,
  parseOrderFills,
  parseOrderUpdate,
  parseOutboundAccountPosition,
  parseUserDataEvent,
  toOrderState,
} from '../src/binance-order-parsers.js';
import { symbolMapFromExchangeInfo } from '../src/binance-utils.js';

type Json = Record<string, unknown>;

const fixture = fixtureReader<Json>(__dirname);

const symbols = symbolMapFromExchangeInfo(fixture('http_get_exchangeInfo.json'));
const event = (name: string): Json => fixture<{ event: Json }>(name).event;

describe('toOrderState', () => {
  it.each([
    ['NEW', 'OPEN'],
    ['PARTIALLY_FILLED', 'PARTIALLY_FILLED'],
    ['FILLED', 'FILLED'],
    ['CANCELED', 'CANCELED'],
    ['PENDING_CANCEL', 'PENDING_CANCEL'],
    ['REJECTED', 'FAILED'],
    ['EXPIRED', 'EXPIRED'],
    ['EXPIRED_IN_MATCH', 'EXPIRED'],
    ['PENDING_NEW', 'PENDING_CREATE'],
  ])('%s -> %s', (status, state) => {
    expect(toOrderState(status)).toBe(state);
  });

  it('refuses a status Binance does not document', () => {
    expect(() => toOrderState('CANCELLED')).toThrow(expect.objectContaining({ reason: 'malformed_message' }));
  });
});

describe('REST order answers', () => {
  it('FULL new-order response -> order update', () => {
    expect(plainDecimals(parseOrderUpdate(fixture('http_post_order_full.json'), symbols))).toEqual({
      clientOrderId: 'hb-test-0001',
      exchangeOrderId: '28457',
      tradingPair: 'BTC-USDT',
      newState: 'FILLED',
      timestamp: 1700000000456,
      cumulativeFilledAmount: '0.001',
    });
  });

  it('FULL new-order response fills -> trade updates with the charged fee', () => {
    expect(plainDecimals(parseOrderFills(fixture('http_post_order_full.json'), symbols))).toEqual([
      {
        tradeId: '3291004460',
        clientOrderId: 'hb-test-0001',
        exchangeOrderId: '28457',
        tradingPair: 'BTC-USDT',
        fillBaseAmount: '0.001',
        fillPrice: '24990',
        fillQuoteAmount: '24.99',
        fee: { amount: '0.000001', asset: 'BTC' },
        timestamp: 1700000000456,
      },
    ]);
  });

  it('ACK response (first five fields) -> OPEN without fills', () => {
    const full = fixture('http_post_order_full.json');
    const ack = {
      symbol: full['symbol'],
      orderId: full['orderId'],
      orderListId: -1,
      clientOrderId: full['clientOrderId'],
      transactTime: full['transactTime'],
    };
    expect(plainDecimals(parseOrderUpdate(ack, symbols))).toEqual({
      clientOrderId: 'hb-test-0001',
      exchangeOrderId: '28457',
      tradingPair: 'BTC-USDT',
      newState: 'OPEN',
      timestamp: 1700000000456,
    });
    expect(parseOrderFills(ack, symbols)).toEqual([]);
  });

  it('query order and openOrders rows -> order updates at updateTime', () => {
    const expected = {
      clientOrderId: 'hb-test-0002',
      exchangeOrderId: '28458',
      tradingPair: 'BTC-USDT',
      newState: 'PARTIALLY_FILLED',
      timestamp: 1700000009000,
      cumulativeFilledAmount: '0.004',
    };
    expect(plainDecimals(parseOrderUpdate(fixture('http_get_order.json'), symbols))).toEqual(expected);
    expect(
      fixture<unknown[]>('http_get_openOrders.json').map((o) => plainDecimals(parseOrderUpdate(o, symbols))),
    ).toEqual([expected]);
  });

  it('cancel response is identified by origClientOrderId, not the cancel id', () => {
    const order = fixture('http_get_order.json');
    const cancel = {
      symbol: 'BTCUSDT',
      origClientOrderId: 'hb-test-0002',
      orderId: 28458,
      orderListId: -1,
      clientOrderId: 'cancel-id-1',
      transactTime: 1700000010000,
      price: order['price'],
      origQty: order['origQty'],
      executedQty: order['executedQty'],
      origQuoteOrderQty: '0.00000000',
      cummulativeQuoteQty: order['cummulativeQuoteQty'],
      status: 'CANCELED',
      timeInForce: 'GTC',
      type: 'LIMIT',
      side: 'SELL',
      selfTradePreventionMode: 'NONE',
    };
    expect(plainDecimals(parseOrderUpdate(cancel, symbols))).toMatchObject({
      clientOrderId: 'hb-test-0002',
      newState: 'CANCELED',
      timestamp: 1700000010000,
    });
  });

  it('myTrades rows -> trade updates with quoteQty, maker flag and fee', () => {
    expect(plainDecimals(parseMyTrades(fixture('http_get_myTrades.json'), symbols))).toEqual([
      {
        tradeId: '3291004460',
        exchangeOrderId: '28457',
        tradingPair: 'BTC-USDT',
        fillBaseAmount: '0.001',
        fillPrice: '24990',
        fillQuoteAmount: '24.99',
        fee: { amount: '0.000001', asset: 'BTC' },
        isMaker: false,
        timestamp: 1700000000456,
      },
    ]);
  });

  it('account -> balances, total = free + locked', () => {
    expect(plainDecimals(parseAccountBalances(fixture('http_get_account.json')))).toEqual([
      { asset: 'BTC', available: '0.512', total: '0.522', timestamp: 1700000000000 },
      { asset: 'USDT', available: '10250.12', total: '10250.12', timestamp: 1700000000000 },
    ]);
  });
});

describe('user data stream', () => {
  it('executionReport NEW -> one OPEN order update', () => {
    expect(plainDecimals(parseExecutionReport(event('ws_user_execution_report_new.json'), symbols))).toEqual([
      {
        kind: 'order',
        update: {
          clientOrderId: 'hb-test-0001',
          exchangeOrderId: '28457',
          tradingPair: 'BTC-USDT',
          newState: 'OPEN',
          timestamp: 1700000000455,
          cumulativeFilledAmount: '0',
        },
      },
    ]);
  });

  it('executionReport TRADE -> order update plus trade update with the reported fee', () => {
    expect(
      plainDecimals(parseExecutionReport(event('ws_user_execution_report_trade.json'), symbols)),
    ).toEqual([
      {
        kind: 'order',
        update: {
          clientOrderId: 'hb-test-0001',
          exchangeOrderId: '28457',
          tradingPair: 'BTC-USDT',
          newState: 'FILLED',
          timestamp: 1700000000456,
          cumulativeFilledAmount: '0.001',
        },
      },
      {
        kind: 'trade',
        update: {
          tradeId: '3291004460',
          clientOrderId: 'hb-test-0001',
          exchangeOrderId: '28457',
          tradingPair: 'BTC-USDT',
          fillBaseAmount: '0.001',
          fillPrice: '24990',
          fillQuoteAmount: '24.99',
          fee: { amount: '0.000001', asset: 'BTC' },
          isMaker: false,
          timestamp: 1700000000456,
        },
      },
    ]);
  });

  it('executionReport CANCELED is identified by C, the original client order id', () => {
    const updates = parseExecutionReport(event('ws_user_execution_report_canceled.json'), symbols);
    expect(plainDecimals(updates)).toEqual([
      {
        kind: 'order',
        update: {
          clientOrderId: 'hb-test-0001',
          exchangeOrderId: '28457',
          tradingPair: 'BTC-USDT',
          newState: 'CANCELED',
          timestamp: 1700000005000,
          cumulativeFilledAmount: '0',
        },
      },
    ]);
  });

  it('executionReport REJECTED carries the reject reason', () => {
    const rejected = {
      ...event('ws_user_execution_report_new.json'),
      x: 'REJECTED',
      X: 'REJECTED',
      r: 'INSUFFICIENT_BALANCES',
    };
    expect(plainDecimals(parseExecutionReport(rejected, symbols))).toMatchObject([
      { kind: 'order', update: { newState: 'FAILED', reason: 'INSUFFICIENT_BALANCES' } },
    ]);
  });

  it('a TRADE without commission asset but with a commission is malformed', () => {
    const bad = { ...event('ws_user_execution_report_trade.json'), N: null };
    expect(() => parseExecutionReport(bad, symbols)).toThrow(
      expect.objectContaining({ reason: 'malformed_message' }),
    );
  });

  it('outboundAccountPosition -> absolute balances', () => {
    expect(
      plainDecimals(parseOutboundAccountPosition(event('ws_user_outbound_account_position.json'))),
    ).toEqual([
      {
        kind: 'balance',
        update: { asset: 'BTC', available: '0.513', total: '0.513', timestamp: 1700000000499 },
      },
      {
        kind: 'balance',
        update: { asset: 'USDT', available: '10225.13', total: '10225.13', timestamp: 1700000000499 },
      },
    ]);
  });

  it('dispatches wrapped WS-API events and bare legacy events alike', () => {
    const wrapped = parseUserDataEvent(fixture('ws_user_execution_report_trade.json'), symbols);
    const bare = parseUserDataEvent(event('ws_user_execution_report_trade.json'), symbols);
    expect(wrapped.kind).toBe('updates');
    expect(plainDecimals(bare)).toEqual(plainDecimals(wrapped));
    expect(
      plainDecimals(parseUserDataEvent(fixture('ws_user_outbound_account_position.json'), symbols)),
    ).toMatchObject({ kind: 'updates' });
  });

  it('reports the end of the subscription (eventStreamTerminated, listenKeyExpired)', () => {
    expect(parseUserDataEvent(fixture('ws_user_event_stream_terminated.json'), symbols)).toEqual({
      kind: 'ended',
      reason: 'eventStreamTerminated',
      timestamp: 1700000000600,
    });
    expect(
      parseUserDataEvent(
        {
          e: 'listenKeyExpired',
          E: 1700003600000,
          listenKey: 'pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1',
        },
        symbols,
      ),
    ).toEqual({
      kind: 'ended',
      reason: 'listenKeyExpired',
      timestamp: 1700003600000,
    });
  });

  it('ignores balanceUpdate deltas (an outboundAccountPosition follows)', () => {
    const frame = {
      subscriptionId: 0,
      event: { e: 'balanceUpdate', E: 1700000000700, a: 'BTC', d: '0.10000000', T: 1700000000699 },
    };
    expect(parseUserDataEvent(frame, symbols)).toEqual({ kind: 'ignored', event: 'balanceUpdate' });
  });
});
