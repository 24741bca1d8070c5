// The order path's wire layer: request builders (exact method, path, query, body)
// and the parsers of answers and account-stream pushes, on documented payloads.
import BigNumber from 'bignumber.js';
import {
  HUOBI_ORDER_STATES,
  parseAccountStreamPush,
  parseBalances,
  parseCancelByClientOrderIdAnswer,
  parseMatchResults,
  parseOpenOrders,
  parseOrderAnswer,
  parsePlaceOrderAnswer,
  parseSpotAccountId,
  toOrderState,
} from '../src/huobi-order-parsers.js';
import {
  buildCancelByClientOrderIdRequest,
  buildMatchResultsRequest,
  buildOpenOrdersRequest,
  buildOrderByClientOrderIdRequest,
  buildPlaceOrderRequest,
} from '../src/huobi-order-requests.js';
import { SymbolMap } from '@hb/core/connector';
import { fixture } from './fixture.js';

const symbols = new SymbolMap('huobi', [{ symbol: 'btcusdt', baseAsset: 'BTC', quoteAsset: 'USDT' }]);

describe('request builders', () => {
  it('place: JSON body with account, symbol, type, amount, price and our client order id', () => {
    const r = buildPlaceOrderRequest({
      accountId: '100009',
      symbol: 'btcusdt',
      side: 'buy',
      orderType: 'limit_maker',
      amount: new BigNumber('0.01'),
      price: new BigNumber('25000'),
      clientOrderId: 'hb-0001',
    });
    expect(r).toEqual({
      method: 'POST',
      path: '/v1/order/orders/place',
      query: [],
      body: '{"account-id":"100009","symbol":"btcusdt","type":"buy-limit-maker","amount":"0.01","source":"spot-api","client-order-id":"hb-0001","price":"25000"}',
    });
    const market = buildPlaceOrderRequest({
      accountId: '1',
      symbol: 'btcusdt',
      side: 'sell',
      orderType: 'market',
      amount: new BigNumber('0.5'),
      clientOrderId: 'x',
    });
    expect(JSON.parse(market.body!)).toEqual({
      'account-id': '1',
      symbol: 'btcusdt',
      type: 'sell-market',
      amount: '0.5',
      source: 'spot-api',
      'client-order-id': 'x',
    });
  });

  it('cancel, lookup, fills and open orders', () => {
    expect(buildCancelByClientOrderIdRequest('hb-0001')).toEqual({
      method: 'POST',
      path: '/v1/order/orders/submitCancelClientOrder',
      query: [],
      body: '{"client-order-id":"hb-0001"}',
    });
    expect(buildOrderByClientOrderIdRequest('hb-0001')).toEqual({
      method: 'GET',
      path: '/v1/order/orders/getClientOrder',
      query: [['clientOrderId', 'hb-0001']],
      body: undefined,
    });
    expect(buildMatchResultsRequest('356501383558845').path).toBe(
      '/v1/order/orders/356501383558845/matchresults',
    );
    expect(buildOpenOrdersRequest('100009', 'btcusdt').query).toEqual([
      ['account-id', '100009'],
      ['symbol', 'btcusdt'],
      ['size', '500'],
    ]);
  });
});

describe('answers', () => {
  it('place answer: the order id string; the spot account among several', () => {
    expect(parsePlaceOrderAnswer(fixture('http_post_order_place.json'))).toBe('356501383558845');
    expect(parseSpotAccountId(fixture('http_get_account_accounts.json'))).toBe('100009');
  });

  it('cancel-by-client-id codes', () => {
    expect(parseCancelByClientOrderIdAnswer(fixture('http_post_submit_cancel_client_order.json'))).toBe(
      'submitted',
    );
    expect(parseCancelByClientOrderIdAnswer({ status: 'ok', data: 0 })).toBe('not_found');
    expect(parseCancelByClientOrderIdAnswer({ status: 'ok', data: 6 })).toBe('final');
  });

  it('balances: trade = available, trade + frozen = total, currencies upper-cased', () => {
    expect(
      parseBalances(fixture('http_get_account_balance.json'), 7).map((b) => [
        b.asset,
        b.total.toFixed(),
        b.available.toFixed(),
      ]),
    ).toEqual([
      ['USDT', '10275.12', '10250.12'],
      ['BTC', '0.512', '0.512'],
    ]);
  });

  it('order lookup (`field-*` spelling) and open orders (`filled-*` spelling)', () => {
    expect(parseOrderAnswer(fixture('http_get_order_get_client_order.json'), symbols)).toEqual({
      clientOrderId: 'hb-0001',
      exchangeOrderId: '356501383558845',
      tradingPair: 'BTC-USDT',
      newState: 'PARTIALLY_FILLED',
      timestamp: 1700000000123,
      cumulativeFilledAmount: new BigNumber('0.004'),
    });
    const [open] = parseOpenOrders(fixture('http_get_open_orders.json'), symbols);
    expect(open).toMatchObject({
      clientOrderId: 'hb-0001',
      side: 'buy',
      orderType: 'limit_maker',
      state: 'PARTIALLY_FILLED',
    });
    expect(open!.price.toFixed()).toBe('25000');
    expect(open!.filledAmount.toFixed()).toBe('0.004');
  });

  it('match results: fill with the fee charged, maker role, `trade-id`', () => {
    const [fill] = parseMatchResults(fixture('http_get_order_matchresults.json'), symbols);
    expect(fill).toMatchObject({
      tradeId: '100282808529',
      exchangeOrderId: '356501383558845',
      isMaker: true,
      timestamp: 1700000001234,
    });
    expect([
      fill!.fillBaseAmount.toFixed(),
      fill!.fillPrice.toFixed(),
      fill!.fillQuoteAmount.toFixed(),
    ]).toEqual(['0.004', '25000', '100']);
    expect([fill!.fee.amount.toFixed(), fill!.fee.asset]).toEqual(['0.000008', 'BTC']);
  });

  it('every documented order state maps; an unknown one is malformed', () => {
    expect(Object.keys(HUOBI_ORDER_STATES).sort()).toEqual(
      [
        'canceled',
        'canceling',
        'created',
        'filled',
        'partial-canceled',
        'partial-filled',
        'rejected',
        'submitted',
      ].sort(),
    );
    expect(toOrderState('partial-canceled')).toBe('CANCELED');
    expect(toOrderState('canceling')).toBe('PENDING_CANCEL');
    expect(() => toOrderState('weird')).toThrow(/malformed/);
  });
});

describe('account stream pushes', () => {
  it('orders# creation, trade (cumulative base), cancellation', () => {
    expect(parseAccountStreamPush(fixture('ws_orders_creation.json'), symbols)).toEqual([
      {
        kind: 'order',
        update: {
          clientOrderId: 'hb-0001',
          exchangeOrderId: '356501383558845',
          tradingPair: 'BTC-USDT',
          newState: 'OPEN',
          timestamp: 1700000000123,
        },
      },
    ]);
    const [trade] = parseAccountStreamPush(fixture('ws_orders_trade.json'), symbols);
    expect(trade).toMatchObject({
      kind: 'order',
      update: { newState: 'PARTIALLY_FILLED', timestamp: 1700000001234 },
    });
    expect(trade!.kind === 'order' && trade!.update.cumulativeFilledAmount?.toFixed()).toBe('0.004');
    expect(parseAccountStreamPush(fixture('ws_orders_cancellation.json'), symbols)).toMatchObject([
      { kind: 'order', update: { newState: 'CANCELED', timestamp: 1700000002000 } },
    ]);
  });

  it('trade.clearing#: the fill with the fee charged, maker from `aggressor: false`', () => {
    const [u] = parseAccountStreamPush(fixture('ws_trade_clearing_trade.json'), symbols);
    expect(u!.kind).toBe('trade');
    if (u!.kind !== 'trade') return;
    expect(u!.update).toMatchObject({
      tradeId: '301',
      clientOrderId: 'hb-0001',
      isMaker: true,
      tradingPair: 'BTC-USDT',
    });
    expect([
      u!.update.fee.amount.toFixed(),
      u!.update.fee.asset,
      u!.update.fillQuoteAmount.toFixed(),
    ]).toEqual(['0.000008', 'BTC', '100']);
  });

  it('accounts.update#2: balance is the total, available the free part', () => {
    const [u] = parseAccountStreamPush(fixture('ws_accounts_update_mode2.json'), symbols);
    expect(
      u!.kind === 'balance' && [
        u!.update.asset,
        u!.update.total.toFixed(),
        u!.update.available.toFixed(),
        u!.update.timestamp,
      ],
    ).toEqual(['USDT', '10150.12', '10125.12', 1700000000130]);
    // Mode 1 sends the values separately: no absolute balance can be made from one.
    expect(
      parseAccountStreamPush(
        { action: 'push', ch: 'accounts.update#1', data: { currency: 'usdt', balance: '1' } },
        symbols,
      ),
    ).toEqual([]);
  });

  it('a push for a symbol never listed is malformed (reported, not guessed)', () => {
    const f = fixture('ws_orders_creation.json') as { data: Record<string, unknown> };
    expect(() => parseAccountStreamPush({ ...f, data: { ...f.data, symbol: 'zzzusdt' } }, symbols)).toThrow(
      /unknown symbol/,
    );
  });
});
