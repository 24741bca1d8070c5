// Signature V2 against the worked examples of huobi.md §6 and §8 (computed with
// Node's crypto from the documented recipe), the signed request as it goes on the
// wire for a fixed clock, the host rule, and secret masking.
import { inspect } from 'node:util';
import { Credentials } from '@hb/core/connector';
import { HuobiAuth, huobiCanonicalQuery, huobiPreSign, huobiSign, hostOf } from '../src/huobi-auth.js';

const KEY = 'e2xxxxxx-99xxxxxx-84xxxxxx-7xxxx';
const SECRET = 'b0xxxxxx-c6xxxxxx-94xxxxxx-dxxxx';
/** 2023-11-14T22:13:20Z. */
const FIXED = 1_700_000_000_000;

function auth(restHost = 'api.huobi.pro', wsHost = 'api.huobi.pro'): HuobiAuth {
  return new HuobiAuth({
    credentials: new Credentials({ apiKey: KEY, secret: SECRET }),
    restHost,
    wsHost,
    serverTime: () => FIXED + 456,
  });
}

describe('Signature V2', () => {
  it('canonical query: encoded with upper-case hex, sorted by key in ASCII order (upper case first)', () => {
    expect(
      huobiCanonicalQuery([
        ['symbol', 'btcusdt'],
        ['Timestamp', '2023-11-14T22:13:20'],
        ['account-id', '100009'],
        ['AccessKeyId', KEY],
        ['note', 'a b/c'],
      ]),
    ).toBe(
      `AccessKeyId=${KEY}&Timestamp=2023-11-14T22%3A13%3A20&account-id=100009&note=a%20b%2Fc&symbol=btcusdt`,
    );
  });

  it('GET /v1/order/openOrders: the documented pre-sign string and signature', () => {
    const pre = huobiPreSign('GET', 'api.huobi.pro', '/v1/order/openOrders', [
      ['AccessKeyId', KEY],
      ['SignatureMethod', 'HmacSHA256'],
      ['SignatureVersion', '2'],
      ['Timestamp', '2023-11-14T22:13:20'],
      ['account-id', '100009'],
      ['symbol', 'btcusdt'],
    ]);
    expect(pre).toBe(
      `GET\napi.huobi.pro\n/v1/order/openOrders\nAccessKeyId=${KEY}&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2023-11-14T22%3A13%3A20&account-id=100009&symbol=btcusdt`,
    );
    expect(huobiSign(SECRET, pre)).toBe('+nzxm5wyvzqveNWvrOd9wDnnoPlcZB+jl6b3nfsPobY=');
  });

  it('signRest (fixed clock): the exact signed GET URL of the worked example', () => {
    const signed = auth().signRest({
      method: 'GET',
      path: '/v1/order/openOrders',
      query: [
        ['account-id', '100009'],
        ['symbol', 'btcusdt'],
      ],
      body: undefined,
    });
    expect(signed.pathAndQuery).toBe(
      `/v1/order/openOrders?AccessKeyId=${KEY}&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2023-11-14T22%3A13%3A20&account-id=100009&symbol=btcusdt&Signature=%2Bnzxm5wyvzqveNWvrOd9wDnnoPlcZB%2Bjl6b3nfsPobY%3D`,
    );
    expect(signed.body).toBeUndefined();
    expect(signed.headers).toEqual({});
  });

  it('signRest POST: the body is not signed and goes out unchanged as JSON', () => {
    const body = JSON.stringify({
      'account-id': '100009',
      symbol: 'btcusdt',
      type: 'buy-limit',
      amount: '0.01',
      price: '25000',
    });
    const signed = auth().signRest({ method: 'POST', path: '/v1/order/orders/place', query: [], body });
    expect(signed.pathAndQuery).toBe(
      `/v1/order/orders/place?AccessKeyId=${KEY}&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2023-11-14T22%3A13%3A20&Signature=${encodeURIComponent('sgR6kwOsHLzTU6gmgjKjpPyg8xnGFZ/Kdb1ThmA9nV8=')}`,
    );
    expect(signed.body).toBe(body);
    expect(signed.headers).toEqual({ 'Content-Type': 'application/json' });
  });

  it('the host line is the Host header: with the port when it is not the default, lower case', () => {
    expect(hostOf('https://API.huobi.pro')).toBe('api.huobi.pro');
    expect(hostOf('https://api.huobi.pro:443')).toBe('api.huobi.pro');
    expect(hostOf('http://127.0.0.1:53127')).toBe('127.0.0.1:53127');
    const a = auth('127.0.0.1:53127').signRest({
      method: 'GET',
      path: '/v1/account/accounts',
      query: [],
      body: undefined,
    });
    const b = auth().signRest({ method: 'GET', path: '/v1/account/accounts', query: [], body: undefined });
    expect(a.pathAndQuery).not.toBe(b.pathAndQuery);
  });

  it('v2.1 WebSocket login: the documented signature, values not encoded in the JSON', () => {
    const login = auth().wsLogin();
    expect(login).toEqual({
      action: 'req',
      ch: 'auth',
      params: {
        authType: 'api',
        accessKey: KEY,
        signatureMethod: 'HmacSHA256',
        signatureVersion: '2.1',
        timestamp: '2023-11-14T22:13:20',
        signature: 'HhvguIy+Ytat0mWaIYciMFYIRXfi+9w6KUhhzI1S5P8=',
      },
    });
  });

  it('never shows the secret (JSON, inspect, string)', () => {
    const a = auth();
    for (const shown of [JSON.stringify(a), inspect(a), String(a)]) {
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(KEY);
    }
  });
});
