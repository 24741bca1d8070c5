import { fixtureReader, plainDecimals } from '@hb/testing';
import { describeDecoding } from '@hb/testing/suites';
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

/** The ACK response: the first five fields of the FULL one. */
function ack(): Json {
  const full = fixture('http_post_order_full.json');
  return {
    symbol: full['symbol'],
    orderId: full['orderId'],
    orderListId: -1,
    clientOrderId: full['clientOrderId'],
    transactTime: full['transactTime'],
  };
}

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

// Each fixture (or documented variant) and what it decodes to: test/expected/order-parsers.json.
describeDecoding(__dirname, 'order-parsers', {
  'FULL new-order response -> order update': () =>
    parseOrderUpdate(fixture('http_post_order_full.json'), symbols),
  'FULL new-order response fills -> trade updates with the charged fee': () =>
    parseOrderFills(fixture('http_post_order_full.json'), symbols),
  'ACK response (first five fields) -> OPEN without fills': () => ({
    update: parseOrderUpdate(ack(), symbols),
    fills: parseOrderFills(ack(), symbols),
  }),
  'query order and openOrders rows -> order updates at updateTime': () => ({
    order: parseOrderUpdate(fixture('http_get_order.json'), symbols),
    openOrders: fixture<unknown[]>('http_get_openOrders.json').map((o) => parseOrderUpdate(o, symbols)),
  }),
  'myTrades rows -> trade updates with quoteQty, maker flag and fee': () =>
    parseMyTrades(fixture('http_get_myTrades.json'), symbols),
  'account -> balances, total = free + locked': () => parseAccountBalances(fixture('http_get_account.json')),
  'executionReport NEW -> one OPEN order update': () =>
    parseExecutionReport(event('ws_user_execution_report_new.json'), symbols),
  'executionReport TRADE -> order update plus trade update with the reported fee': () =>
    parseExecutionReport(event('ws_user_execution_report_trade.json'), symbols),
  'executionReport CANCELED is identified by C, the original client order id': () =>
    parseExecutionReport(event('ws_user_execution_report_canceled.json'), symbols),
  'outboundAccountPosition -> absolute balances': () =>
    parseOutboundAccountPosition(event('ws_user_outbound_account_position.json')),
  'eventStreamTerminated -> the end of the subscription': () =>
    parseUserDataEvent(fixture('ws_user_event_stream_terminated.json'), symbols),
});

describe('REST order answers', () => {
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
});

describe('user data stream', () => {
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

  it('dispatches wrapped WS-API events and bare legacy events alike', () => {
    const wrapped = parseUserDataEvent(fixture('ws_user_execution_report_trade.json'), symbols);
    const bare = parseUserDataEvent(event('ws_user_execution_report_trade.json'), symbols);
    expect(wrapped.kind).toBe('updates');
    expect(plainDecimals(bare)).toEqual(plainDecimals(wrapped));
    expect(
      plainDecimals(parseUserDataEvent(fixture('ws_user_outbound_account_position.json'), symbols)),
    ).toMatchObject({ kind: 'updates' });
  });

  it('reports the end of the subscription on listenKeyExpired (legacy streams)', () => {
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
