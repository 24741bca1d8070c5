import BigNumber from 'bignumber.js';
import { buildNewOrderParams, buildOrderLookupParams } from '../src/binance-order-requests.js';

describe('buildNewOrderParams', () => {
  const base = { symbol: 'BTCUSDT', clientOrderId: 'hb-test-0001' } as const;

  it('LIMIT sends timeInForce=GTC, in the documented order', () => {
    expect(
      buildNewOrderParams({
        ...base,
        side: 'buy',
        orderType: 'limit',
        amount: new BigNumber('0.001'),
        price: new BigNumber('25000'),
      }),
    ).toEqual([
      ['symbol', 'BTCUSDT'],
      ['side', 'BUY'],
      ['type', 'LIMIT'],
      ['timeInForce', 'GTC'],
      ['quantity', '0.001'],
      ['price', '25000'],
      ['newClientOrderId', 'hb-test-0001'],
    ]);
  });

  it('LIMIT_MAKER sends a price but no timeInForce', () => {
    expect(
      buildNewOrderParams({
        ...base,
        side: 'sell',
        orderType: 'limit_maker',
        amount: '0.00100000',
        price: '25000.01',
        responseType: 'RESULT',
      }),
    ).toEqual([
      ['symbol', 'BTCUSDT'],
      ['side', 'SELL'],
      ['type', 'LIMIT_MAKER'],
      ['quantity', '0.00100000'],
      ['price', '25000.01'],
      ['newClientOrderId', 'hb-test-0001'],
      ['newOrderRespType', 'RESULT'],
    ]);
  });

  it('MARKET sends neither price nor timeInForce', () => {
    expect(
      buildNewOrderParams({
        ...base,
        side: 'buy',
        orderType: 'market',
        amount: new BigNumber('1e-7'),
        price: new BigNumber(25000),
      }),
    ).toEqual([
      ['symbol', 'BTCUSDT'],
      ['side', 'BUY'],
      ['type', 'MARKET'],
      ['quantity', '0.0000001'],
      ['newClientOrderId', 'hb-test-0001'],
    ]);
  });

  it('refuses a limit order without price, a bad amount and a bad client id', () => {
    expect(() => buildNewOrderParams({ ...base, side: 'buy', orderType: 'limit', amount: '1' })).toThrow(
      /needs a price/,
    );
    expect(() =>
      buildNewOrderParams({ ...base, side: 'buy', orderType: 'market', amount: new BigNumber(0) }),
    ).toThrow(/positive/);
    expect(() => buildNewOrderParams({ ...base, side: 'buy', orderType: 'market', amount: '1e-3' })).toThrow(
      /positive/,
    );
    expect(() =>
      buildNewOrderParams({
        ...base,
        clientOrderId: 'bad id',
        side: 'buy',
        orderType: 'market',
        amount: '1',
      }),
    ).toThrow(expect.objectContaining({ reason: 'invalid_order' }));
  });

  it('looks orders up by client id', () => {
    expect(buildOrderLookupParams('BTCUSDT', 'hb-test-0001')).toEqual([
      ['symbol', 'BTCUSDT'],
      ['origClientOrderId', 'hb-test-0001'],
    ]);
  });
});
