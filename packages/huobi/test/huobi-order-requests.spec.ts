// The order path's request builders: exact method, path, query and body.
import BigNumber from 'bignumber.js';
import {
  buildCancelByClientOrderIdRequest,
  buildMatchResultsRequest,
  buildOpenOrdersRequest,
  buildOrderByClientOrderIdRequest,
  buildPlaceOrderRequest,
} from '../src/huobi-order-requests.js';

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
