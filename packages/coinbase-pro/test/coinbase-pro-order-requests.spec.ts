import BigNumber from 'bignumber.js';
import { buildPlaceOrderBody } from '../src/coinbase-pro-order-requests.js';

const OID = '3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b';

describe('buildPlaceOrderBody', () => {
  const limit = {
    tradingPair: 'BTC-USD',
    side: 'buy' as const,
    amount: '0.001',
    price: '25000.00',
    clientOrderId: OID,
  };

  it('limit: GTC by default (no time_in_force), keys in the signing example order', () => {
    expect(JSON.stringify(buildPlaceOrderBody({ ...limit, orderType: 'limit' }))).toBe(
      `{"product_id":"BTC-USD","side":"buy","type":"limit","price":"25000.00","size":"0.001","client_oid":"${OID}"}`,
    );
  });

  it('limit_maker: post_only true, byte-identical to the §6 signing example', () => {
    expect(JSON.stringify(buildPlaceOrderBody({ ...limit, orderType: 'limit_maker' }))).toBe(
      `{"product_id":"BTC-USD","side":"buy","type":"limit","price":"25000.00","size":"0.001","client_oid":"${OID}","post_only":true}`,
    );
  });

  it('market: size, no price', () => {
    expect(
      JSON.stringify(
        buildPlaceOrderBody({
          ...limit,
          side: 'sell',
          orderType: 'market',
          amount: new BigNumber('0.5'),
          price: undefined,
        }),
      ),
    ).toBe(`{"product_id":"BTC-USD","side":"sell","type":"market","size":"0.5","client_oid":"${OID}"}`);
  });

  it('BigNumbers are rendered without exponent', () => {
    const body = buildPlaceOrderBody({
      ...limit,
      orderType: 'limit',
      amount: new BigNumber('1e-8'),
      price: new BigNumber('2.5e4'),
    });
    expect([body.size, body.price]).toEqual(['0.00000001', '25000']);
  });

  it('refuses a bad client id, a missing price and non-positive decimals', () => {
    expect(() =>
      buildPlaceOrderBody({ ...limit, orderType: 'limit', clientOrderId: OID.toUpperCase() }),
    ).toThrow(/UUIDv4/);
    expect(() => buildPlaceOrderBody({ ...limit, orderType: 'limit', price: undefined })).toThrow(
      /needs a price/,
    );
    expect(() => buildPlaceOrderBody({ ...limit, orderType: 'limit', amount: '0' })).toThrow(RangeError);
    expect(() => buildPlaceOrderBody({ ...limit, orderType: 'limit', price: '-1' })).toThrow(RangeError);
  });
});
