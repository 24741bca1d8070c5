import { leakedSecrets } from '@hb/testing';
import { Credentials, SECRET_MASK } from '@hb/core/connector';
import { CoinbaseProAuth, coinbaseProPrehash, formatCoinbaseProTimestamp } from '../src/coinbase-pro-auth.js';
import { buildPlaceOrderBody } from '../src/coinbase-pro-order-requests.js';
import { buildSubscribeMessage } from '../src/coinbase-pro-utils.js';

// coinbase-pro.md §6 worked examples.
const SECRET = 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==';
const API_KEY = 'f8a7e6d5c4b3a291';
const PASSPHRASE = 'my-passphrase';
const NOW = 1700000000000;

const ORDER_BODY =
  '{"product_id":"BTC-USD","side":"buy","type":"limit","price":"25000.00","size":"0.001","client_oid":"3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b","post_only":true}';

function auth(now = NOW): CoinbaseProAuth {
  return new CoinbaseProAuth({
    credentials: new Credentials({ apiKey: API_KEY, secret: SECRET, passphrase: PASSPHRASE }),
    serverTime: () => now,
  });
}

function headers(signature: string, timestamp = '1700000000'): Record<string, string> {
  return {
    'CB-ACCESS-KEY': API_KEY,
    'CB-ACCESS-SIGN': signature,
    'CB-ACCESS-TIMESTAMP': timestamp,
    'CB-ACCESS-PASSPHRASE': PASSPHRASE,
    'Content-Type': 'application/json',
  };
}

describe('CoinbaseProAuth.sign: the three §6 examples', () => {
  it('POST /orders with the documented body', () => {
    expect(auth().sign(coinbaseProPrehash('1700000000', 'POST', '/orders', ORDER_BODY))).toBe(
      '8Fi+/aaNtN/2c9viXTehJsvX6aZMDqtyUSXMfwwjMDY=',
    );
  });

  it('GET /orders?status=open&product_id=BTC-USD (query signed with the path, empty body)', () => {
    expect(
      auth().sign(
        coinbaseProPrehash('1700000000', 'GET', '/orders?status=open&product_id=BTC-USD', undefined),
      ),
    ).toBe('pUIjvTJe3fAuGeAvo6mFCiv6qMHtAS2CZelNJY8ng0Q=');
  });

  it('GET /users/self/verify (WebSocket auth)', () => {
    expect(auth().sign('1700000000GET/users/self/verify')).toBe(
      'VWEblJISZzHK29JLE7EP1VNXMFU1COxq3vybOn3OVEk=',
    );
  });
});

describe('CoinbaseProAuth.signRest', () => {
  it('signs the place-order request the builder makes: exact body bytes and headers of the §6 example', () => {
    const body = JSON.stringify(
      buildPlaceOrderBody({
        tradingPair: 'BTC-USD',
        side: 'buy',
        orderType: 'limit_maker',
        amount: '0.001',
        price: '25000.00',
        clientOrderId: '3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b',
      }),
    );
    expect(body).toBe(ORDER_BODY);
    const request = { method: 'POST', path: '/orders', query: [], body } as const;
    expect(auth().signRest(request)).toEqual({
      pathAndQuery: '/orders',
      body: ORDER_BODY,
      headers: headers('8Fi+/aaNtN/2c9viXTehJsvX6aZMDqtyUSXMfwwjMDY='),
    });
  });

  it('signs path + query in the order sent', () => {
    const signed = auth().signRest({
      method: 'GET',
      path: '/orders',
      query: [
        ['status', 'open'],
        ['product_id', 'BTC-USD'],
      ],
      body: undefined,
    });
    expect(signed).toEqual({
      pathAndQuery: '/orders?status=open&product_id=BTC-USD',
      body: undefined,
      headers: headers('pUIjvTJe3fAuGeAvo6mFCiv6qMHtAS2CZelNJY8ng0Q='),
    });
  });

  it('signs the repeated status params of the open-orders request byte for byte', () => {
    const a = auth();
    const signed = a.signRest({
      method: 'GET',
      path: '/orders',
      query: [
        ['status', 'open'],
        ['status', 'pending'],
        ['status', 'active'],
        ['product_id', 'BTC-USD'],
        ['limit', '100'],
      ],
      body: undefined,
    });
    const path = '/orders?status=open&status=pending&status=active&product_id=BTC-USD&limit=100';
    expect(signed.pathAndQuery).toBe(path);
    expect(signed.headers['CB-ACCESS-SIGN']).toBe(a.sign(`1700000000GET${path}`));
  });

  it('takes the timestamp from the injected server clock: seconds, ms fraction when there is one', () => {
    expect(
      auth(1700000000123).signRest({ method: 'GET', path: '/accounts', query: [], body: undefined }).headers[
        'CB-ACCESS-TIMESTAMP'
      ],
    ).toBe('1700000000.123');
    const a = auth(1700000000500.9);
    const signed = a.signRest({
      method: 'DELETE',
      path: '/orders/client:3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b',
      query: [['product_id', 'BTC-USD']],
      body: undefined,
    });
    expect(signed.headers['CB-ACCESS-TIMESTAMP']).toBe('1700000000.5');
    expect(signed.headers['CB-ACCESS-SIGN']).toBe(
      a.sign('1700000000.5DELETE/orders/client:3f1b9a2e-5c4d-4e6f-8a7b-9c0d1e2f3a4b?product_id=BTC-USD'),
    );
  });

  it('rejects a missing passphrase and a secret that is not base64, without quoting it', () => {
    const build = (secret: string, passphrase?: string) => () =>
      new CoinbaseProAuth({
        credentials: new Credentials({ apiKey: API_KEY, secret, passphrase }),
        serverTime: () => NOW,
      });
    expect(build(SECRET)).toThrow('required');
    expect(build(SECRET, '')).toThrow('required');
    const bad = 'not base64 at all!';
    expect(build(bad, PASSPHRASE)).toThrow(
      expect.objectContaining({
        reason: 'authentication',
        message: expect.not.stringContaining(bad) as unknown,
      }),
    );
  });
});

describe('formatCoinbaseProTimestamp', () => {
  it.each([
    [1700000000000, '1700000000'],
    [1700000000001, '1700000000.001'],
    [1700000000120, '1700000000.12'],
    [1700000000999.99, '1700000000.999'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatCoinbaseProTimestamp(ms)).toBe(text);
  });

  it('refuses a clock that is not a time', () => {
    expect(() => formatCoinbaseProTimestamp(Number.NaN)).toThrow(RangeError);
  });
});

describe('WebSocket subscribe auth', () => {
  it('builds the §6 authenticated subscribe message exactly (fields and key order)', () => {
    const message = buildSubscribeMessage(['BTC-USD'], ['user'], auth().wsAuthFields());
    expect(JSON.stringify(message)).toBe(
      JSON.stringify({
        type: 'subscribe',
        product_ids: ['BTC-USD'],
        channels: ['user'],
        key: API_KEY,
        passphrase: PASSPHRASE,
        timestamp: '1700000000',
        signature: 'VWEblJISZzHK29JLE7EP1VNXMFU1COxq3vybOn3OVEk=',
      }),
    );
  });

  it('wsLogin returns the same fields (core Auth hook)', () => {
    expect(auth().wsLogin()).toEqual(auth().wsAuthFields());
  });
});

describe('the secret and passphrase never leak', () => {
  const a = auth();

  it('no accidental rendering shows the secret, the passphrase or the whole key', () => {
    expect(leakedSecrets(a, [SECRET, PASSPHRASE, API_KEY])).toEqual([]);
  });

  it('still says what it is', () => {
    expect(String(a)).toBe(`CoinbaseProAuth(apiKey=f8a7${SECRET_MASK})`);
    expect(JSON.parse(JSON.stringify(a))).toEqual({ type: 'CoinbaseProAuth', apiKey: `f8a7${SECRET_MASK}` });
  });
});
