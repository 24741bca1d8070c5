import { leakedSecrets } from '@hb/testing';
import { Credentials, SECRET_MASK } from '@hb/core/connector';
import { BinanceAuth, wsApiSignaturePayload } from '../src/binance-auth.js';
import { buildNewOrderParams } from '../src/binance-order-requests.js';

// binance.md §6 worked examples.
const SECRET = 'testSecretKey0123456789abcdefABCDEF0123456789abcdefABCDEF01234567';
const API_KEY = 'testApiKeyABC';
const NOW = 1700000000000;

function auth(recvWindowMs: number | null = 5000, now = NOW): BinanceAuth {
  return new BinanceAuth({
    credentials: new Credentials({ apiKey: API_KEY, secret: SECRET }),
    serverTime: () => now,
    recvWindowMs,
  });
}

describe('BinanceAuth.signQuery', () => {
  it('reproduces the REST payload example of binance.md §6', () => {
    const payload =
      'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00100000&price=25000.00&newClientOrderId=hb-test-0001&recvWindow=5000&timestamp=1700000000000';
    expect(auth().signQuery(payload)).toBe(
      '2e888408f1fd88c083f0c145148dc002fb5cb76aa3b7cebb02cbe7ad7afb0114',
    );
  });

  it("reproduces the official docs' LTCBTC example (cross-check in binance.md §6)", () => {
    const official = new BinanceAuth({
      credentials: new Credentials({
        apiKey: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A',
        secret: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j',
      }),
      serverTime: () => 1499827319559,
    });
    const sig = official.signQuery(
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559',
    );
    expect(sig).toBe('c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  });
});

describe('BinanceAuth.signRest', () => {
  it('builds the new-order request of the §6 example: exact path, query order and signature', () => {
    const query = buildNewOrderParams({
      symbol: 'BTCUSDT',
      side: 'buy',
      orderType: 'limit',
      amount: '0.00100000',
      price: '25000.00',
      clientOrderId: 'hb-test-0001',
    });
    const signed = auth().signRest({ method: 'POST', path: '/api/v3/order', query, body: undefined });
    expect(signed).toEqual({
      pathAndQuery:
        '/api/v3/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00100000&price=25000.00' +
        '&newClientOrderId=hb-test-0001&recvWindow=5000&timestamp=1700000000000' +
        '&signature=2e888408f1fd88c083f0c145148dc002fb5cb76aa3b7cebb02cbe7ad7afb0114',
      body: undefined,
      headers: { 'X-MBX-APIKEY': API_KEY },
    });
  });

  it('signs query + body without separator (§6 query + body example)', () => {
    const signed = auth(null).signRest({
      method: 'DELETE',
      path: '/api/v3/order',
      query: [['symbol', 'BTCUSDT']],
      body: 'orderId=12345',
    });
    expect(signed).toEqual({
      pathAndQuery:
        '/api/v3/order?symbol=BTCUSDT&timestamp=1700000000000&signature=d8e63b7c6658e825acab6117ff19a9b4ebf43eb9d27e1f23e98771efcb75c86f',
      body: 'orderId=12345',
      headers: { 'X-MBX-APIKEY': API_KEY, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  });

  it('takes the timestamp from the injected server clock, floored to whole ms', () => {
    const signed = auth(null, 1700000000999.7).signRest({
      method: 'GET',
      path: '/api/v3/account',
      query: [],
      body: undefined,
    });
    expect(signed.pathAndQuery).toMatch(
      /^\/api\/v3\/account\?timestamp=1700000000999&signature=[0-9a-f]{64}$/,
    );
  });

  it('signs the percent-encoded bytes it sends', () => {
    const a = auth(null);
    const signed = a.signRest({
      method: 'GET',
      path: '/api/v3/exchangeInfo',
      query: [['symbols', '["BTCUSDT","ETHBTC"]']],
      body: undefined,
    });
    const encoded = 'symbols=%5B%22BTCUSDT%22%2C%22ETHBTC%22%5D&timestamp=1700000000000';
    expect(signed.pathAndQuery).toBe(`/api/v3/exchangeInfo?${encoded}&signature=${a.signQuery(encoded)}`);
  });

  it('rejects a recvWindow outside (0, 60000]', () => {
    expect(() => auth(60001)).toThrow(RangeError);
    expect(() => auth(0)).toThrow(RangeError);
  });
});

describe('WebSocket API signing', () => {
  it('sorts params by key and leaves out signature (§6 WS-API example)', () => {
    expect(wsApiSignaturePayload({ timestamp: NOW, signature: 'x', apiKey: API_KEY })).toBe(
      'apiKey=testApiKeyABC&timestamp=1700000000000',
    );
    expect(auth().signQuery('apiKey=testApiKeyABC&timestamp=1700000000000')).toBe(
      'f05418ca16d568acc2b61b7a21316d56c816bd2a8081d723e2d7f9f3b9e8ffbf',
    );
  });

  it('builds the userDataStream.subscribe.signature request of §8a exactly', () => {
    const request = auth(null).userDataStreamSubscribeRequest('7c1f2a3b-0000-4000-8000-000000000001');
    expect(JSON.stringify(request)).toBe(
      JSON.stringify({
        id: '7c1f2a3b-0000-4000-8000-000000000001',
        method: 'userDataStream.subscribe.signature',
        params: {
          apiKey: 'testApiKeyABC',
          timestamp: 1700000000000,
          signature: 'f05418ca16d568acc2b61b7a21316d56c816bd2a8081d723e2d7f9f3b9e8ffbf',
        },
      }),
    );
  });

  it('includes recvWindow in the sorted, signed params when configured', () => {
    const a = auth(5000);
    const params = a.signWsApiParams();
    expect(Object.keys(params)).toEqual(['apiKey', 'recvWindow', 'timestamp', 'signature']);
    expect(params['signature']).toBe(
      a.signQuery('apiKey=testApiKeyABC&recvWindow=5000&timestamp=1700000000000'),
    );
  });
});

describe('the secret never leaks', () => {
  const a = auth();

  it('no accidental rendering shows the secret or the whole key', () => {
    expect(leakedSecrets(a, [SECRET, API_KEY])).toEqual([]);
  });

  it('still says what it is', () => {
    expect(String(a)).toBe(`BinanceAuth(apiKey=test${SECRET_MASK})`);
    expect(JSON.parse(JSON.stringify(a))).toEqual({ type: 'BinanceAuth', apiKey: `test${SECRET_MASK}` });
  });
});
